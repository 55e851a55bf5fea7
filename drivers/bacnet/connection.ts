// One BACnet/IP endpoint: its devices, their objects, the read/subscribe cycle, and writes.
// Cycle (every pollMs): a device not known to be online gets a full ReadPropertyMultiple of all
// its objects, then SubscribeCOV for each COV object; an online device gets its non-COV objects
// polled (or, if all are on COV, one liveness read of its system-status) and its COV values
// re-published as still current. A device that stops answering turns all its points comm_fail and,
// once it answers again, is fully re-read and re-subscribed (it may have rebooted and forgotten us).
import { bacnetClientCtor, type BacnetClient } from './client.js';
import type { ConnectionConfig, ConnectionStatus, DriverContext } from '../../contracts/driver.js';
import type { PointValue, Sample } from '../../contracts/point.js';
import { classify } from './errors.js';
import { sampleOf, statusFlagsOf, type ObjectReading, type TaggedValue } from './decode.js';
import { familyOf, objectKey, OBJECT_TYPES, PROP, type Family, type ObjectRef } from './objects.js';
import { accessSpecs, planBatches, renewAfterMs } from './plan.js';
import type { BacnetConnectionOptions, BacnetSource } from './schema.js';
import { UdpTransport } from './transport.js';
import type { BoundPoint } from '../../contracts/driver.js';

export interface PointEntry {
  point: BoundPoint<BacnetSource>;
  ref: ObjectRef;
}

export interface ObjEntry {
  type: number;
  instance: number;
  family: Family;
  points: PointEntry[];
  wantsCov: boolean;
  subscribed: boolean;
  /** COV refused by the device: polled from then on. */
  covRefused: boolean;
  /** Has a priority array: unknown until a write's read-back (outputs always do). */
  commandable?: boolean;
  last?: ObjectReading;
}

export interface DeviceEntry {
  id: string;
  instance: number;
  objects: Map<string, ObjEntry>;
  online: boolean;
  /** Why it is not online (for the status detail). */
  lastError?: string;
  /** Device refused ReadPropertyMultiple: read property by property. */
  noRpm: boolean;
}

/** Fixed subscriber process id: (address, port, process id, object) identify our subscriptions. */
const PROCESS_ID = 0x574600 & 0x3fffff;

export class BacnetConnection {
  private client: BacnetClient | null = null;
  private ctx: DriverContext | null = null;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private cycleRunning: Promise<void> | null = null;
  private state: ConnectionStatus['state'] = 'connecting';
  private since = 0;
  private readonly inFlight: Array<() => void> = [];
  private active = 0;
  readonly address: string;

  constructor(
    readonly config: ConnectionConfig<BacnetConnectionOptions>,
    readonly devices: DeviceEntry[],
  ) {
    const o = config.options;
    this.address = o.port === 47808 ? o.host : `${o.host}:${o.port}`;
  }

  get options(): BacnetConnectionOptions {
    return this.config.options;
  }

  async start(ctx: DriverContext): Promise<void> {
    this.ctx = ctx;
    const transport = new UdpTransport({ localAddress: this.options.localAddress, localPort: this.options.localPort });
    this.client = new (bacnetClientCtor())({ transport, apduTimeout: this.options.timeoutMs });
    this.client.on('error', (err) => ctx.log.warn({ connection: this.config.id, err: err.message }, 'BACnet socket error'));
    this.client.on('covNotifyUnconfirmed', (c) => this.onCov(c.payload));
    this.client.on('covNotify', (c) => {
      this.onCov(c.payload);
      if (c.invokeId !== undefined && c.header?.sender) this.client?.simpleAckResponse(c.header.sender, c.service ?? 1, c.invokeId);
    });
    await transport.ready();
    this.report('connecting');
    this.schedule(0);
    this.renewTimer = setInterval(() => void this.renewAll(), renewAfterMs(this.options.cov.lifetimeS));
    this.renewTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.renewTimer) clearInterval(this.renewTimer);
    await this.cycleRunning?.catch(() => {});
    // Cancel subscriptions politely (best effort, bounded) so the device stops sending.
    const cancels = this.devices.flatMap((d) => (d.online ? [...d.objects.values()].filter((o) => o.subscribed) : []).map((o) => ({ d, o })));
    await Promise.race([
      Promise.allSettled(cancels.map(({ o }) => this.client?.subscribeCov(this.receiver(), { type: o.type, instance: o.instance }, PROCESS_ID, true, false, 0))),
      new Promise((r) => setTimeout(r, 300)),
    ]);
    this.client?.close();
    this.client = null;
    this.ctx?.status({ connection: this.config.id, protocol: 'bacnet', state: 'stopped', since: Date.now() });
  }

  receiver(): { address: string } {
    return { address: this.address };
  }

  /** Runs `fn` when fewer than maxInFlight requests are outstanding. */
  async limited<T>(fn: (c: BacnetClient) => Promise<T>): Promise<T> {
    while (this.active >= this.options.maxInFlight) await new Promise<void>((r) => this.inFlight.push(r));
    this.active++;
    try {
      if (!this.client) throw new Error('ERR_CLOSED');
      return await withTimeout(fn(this.client), this.options.timeoutMs + 250);
    } finally {
      this.active--;
      this.inFlight.shift()?.();
    }
  }

  /**
   * A read (idempotent) with one retry when nothing came back: one lost UDP datagram must not turn
   * a whole device comm_fail. Two misses in a row do.
   */
  async read<T>(fn: (c: BacnetClient) => Promise<T>): Promise<T> {
    try {
      return await this.limited(fn);
    } catch (err) {
      if (!classify(err).commFail || this.stopped) throw err;
      return this.limited(fn);
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.cycleRunning = this.cycle().finally(() => {
        this.cycleRunning = null;
      });
      void this.cycleRunning.then(() => this.schedule(this.options.pollMs));
    }, ms);
    this.timer.unref?.();
  }

  private async cycle(): Promise<void> {
    await Promise.all(this.devices.map((d) => this.cycleDevice(d).catch((err) => this.ctx?.log.error({ connection: this.config.id, device: d.id, err: String(err) }, 'BACnet cycle failed'))));
    const down = this.devices.filter((d) => !d.online);
    if (down.length === 0) this.report('online');
    else this.report('offline', down.map((d) => `device ${d.instance}: ${d.lastError ?? 'not answering'}`).join('; '));
  }

  private async cycleDevice(d: DeviceEntry): Promise<void> {
    const all = [...d.objects.values()];
    if (!d.online) {
      // Online while the full read runs: its good samples may prompt a write at once; a failed
      // read turns the device down again before anything else sees it.
      d.online = true;
      const ok = await this.readObjects(d, all);
      if (!ok || this.stopped) return;
      const wasDown = d.lastError !== undefined;
      d.lastError = undefined;
      if (wasDown) this.ctx?.log.info({ connection: this.config.id, device: d.instance }, 'BACnet device answers again');
      await this.subscribeAll(d, all.filter((o) => o.wantsCov && !o.covRefused));
      return;
    }
    const polled = all.filter((o) => !o.subscribed);
    if (polled.length > 0) {
      if (!(await this.readObjects(d, polled))) return;
    } else {
      try {
        await this.read((c) => c.readProperty(this.receiver(), { type: OBJECT_TYPES_DEVICE, instance: d.instance }, PROP.SYSTEM_STATUS));
      } catch (err) {
        const e = classify(err);
        if (e.commFail) return this.deviceDown(d, e.message);
      }
    }
    // Subscribed values are current as long as the device answers: publish them as fresh.
    const now = Date.now();
    const batch: Sample[] = [];
    for (const o of all) if (o.subscribed && o.last) batch.push(...this.samplesOf(o, o.last, now));
    this.publish(batch);
  }

  /** Reads objects in planned RPM batches and publishes them; false when the device did not answer. */
  private async readObjects(d: DeviceEntry, objects: ObjEntry[]): Promise<boolean> {
    const batches = planBatches(objects, d.noRpm ? 1 : this.options.maxObjectsPerRequest);
    const results = await Promise.all(batches.map((b) => this.readBatch(d, b).then(() => null, (err: unknown) => ({ err }))));
    for (const r of results) {
      if (r) {
        const e = classify(r.err);
        if (e.commFail) {
          this.deviceDown(d, e.message);
          return false;
        }
      }
    }
    return true;
  }

  private async readBatch(d: DeviceEntry, batch: ObjEntry[]): Promise<void> {
    if (d.noRpm) {
      for (const o of batch) this.accept(o, await this.readSingly(o));
      return;
    }
    let values: Array<{ objectId: { type: number; instance: number }; values: Array<{ id: number; value: TaggedValue[] }> }>;
    try {
      const res = await this.read((c) => c.readPropertyMultiple(this.receiver(), accessSpecs(batch) as never));
      values = res.values as never;
    } catch (err) {
      const e = classify(err);
      if (e.unsupported && batch.length === 1 && !d.noRpm) {
        d.noRpm = true; // a device without RPM (rare, old B-ASC): property by property from now on
        this.ctx?.log.warn({ connection: this.config.id, device: d.instance }, 'device refused ReadPropertyMultiple; reading property by property');
        return this.readBatch(d, batch);
      }
      if (e.unsupported && batch.length > 1) {
        // Answer too big for an unsegmented device, or RPM refused: retry object by object.
        for (const o of batch) await this.readBatch(d, [o]);
        return;
      }
      if (e.commFail) throw err;
      for (const o of batch) this.accept(o, { error: e.message });
      return;
    }
    const now = Date.now();
    for (const o of batch) {
      const got = values.find((v) => v.objectId.type === o.type && v.objectId.instance === o.instance);
      this.accept(o, got ? readingOf(got.values) : { error: 'object missing from the ReadPropertyMultiple answer' }, now);
    }
  }

  private async readSingly(o: ObjEntry): Promise<ObjectReading> {
    const one = async (prop: number) => {
      try {
        const r = await this.read((c) => c.readProperty(this.receiver(), { type: o.type, instance: o.instance }, prop));
        return r.values as TaggedValue[];
      } catch (err) {
        if (classify(err).commFail) throw err;
        return prop === PROP.PRESENT_VALUE ? ({ error: classify(err).message } as const) : undefined;
      }
    };
    const pv = await one(PROP.PRESENT_VALUE);
    if (pv && 'error' in pv) return { error: pv.error };
    const flags = await one(PROP.STATUS_FLAGS);
    const rel = await one(PROP.RELIABILITY);
    const oos = await one(PROP.OUT_OF_SERVICE);
    return {
      presentValue: Array.isArray(pv) ? pv[0] : undefined,
      statusFlags: Array.isArray(flags) ? statusFlagsOf(flags[0]?.value) : undefined,
      reliability: Array.isArray(rel) && typeof rel[0]?.value === 'number' ? (rel[0].value as number) : undefined,
      outOfService: Array.isArray(oos) ? oos[0]?.value === true : undefined,
    };
  }

  private accept(o: ObjEntry, r: ObjectReading, now = Date.now()): void {
    o.last = r;
    this.publish(this.samplesOf(o, r, now));
  }

  samplesOf(o: ObjEntry, r: ObjectReading, now: number): Sample[] {
    const s = sampleOf(o.family, r);
    return o.points.map((p) => {
      const sample: Sample = { pointId: p.point.info.id, value: s.value, quality: s.quality, readTs: now };
      if (s.detail) sample.detail = s.detail;
      return sample;
    });
  }

  private deviceDown(d: DeviceEntry, why: string): void {
    const first = d.online || d.lastError === undefined;
    d.online = false;
    d.lastError = why;
    if (first) this.ctx?.log.warn({ connection: this.config.id, device: d.instance, err: why }, 'BACnet device not answering');
    const now = Date.now();
    const batch: Sample[] = [];
    for (const o of d.objects.values()) {
      o.subscribed = false;
      for (const p of o.points) batch.push({ pointId: p.point.info.id, value: null, quality: 'comm_fail', detail: `device ${d.instance} at ${this.address}: ${why}`, readTs: now });
    }
    this.publish(batch);
  }

  private async subscribeAll(d: DeviceEntry, objects: ObjEntry[]): Promise<void> {
    const { lifetimeS, confirmed } = this.options.cov;
    await Promise.all(objects.map(async (o) => {
      try {
        await this.limited((c) => c.subscribeCov(this.receiver(), { type: o.type, instance: o.instance }, PROCESS_ID, false, confirmed, lifetimeS));
        o.subscribed = true;
      } catch (err) {
        const e = classify(err);
        if (e.commFail) return; // the next cycle's read notices a dead device
        o.covRefused = true; // this object has no COV: poll it
        o.subscribed = false;
        this.ctx?.log.info({ connection: this.config.id, device: d.instance, object: `${o.type}:${o.instance}`, err: e.message }, 'COV refused; polling this object');
      }
    }));
  }

  private async renewAll(): Promise<void> {
    if (this.stopped) return;
    for (const d of this.devices) if (d.online) await this.subscribeAll(d, [...d.objects.values()].filter((o) => o.subscribed));
  }

  private onCov(payload: { initiatingDeviceId?: unknown; monitoredObjectId?: { type: number; instance: number }; values?: Array<{ property: { id: number }; value: TaggedValue[] }> }): void {
    if (this.stopped || !payload?.monitoredObjectId) return;
    const devId = payload.initiatingDeviceId as { instance?: number } | number | undefined;
    const inst = typeof devId === 'number' ? devId : devId?.instance;
    const d = this.devices.find((x) => x.instance === inst);
    const o = d?.objects.get(objectKey(payload.monitoredObjectId.type, payload.monitoredObjectId.instance));
    if (!d || !o || !d.online) return;
    const next: ObjectReading = { ...(o.last ?? {}) };
    delete next.error;
    for (const v of payload.values ?? []) {
      if (v.property.id === PROP.PRESENT_VALUE) next.presentValue = v.value[0];
      else if (v.property.id === PROP.STATUS_FLAGS) {
        next.statusFlags = statusFlagsOf(v.value[0]?.value);
        // Out-of-service and fault travel as status flags in a notification.
        next.outOfService = next.statusFlags?.[3];
        if (next.statusFlags && !next.statusFlags[1]) next.reliability = 0;
      }
    }
    this.accept(o, next);
  }

  /** Publishes unless stopped (nothing may be published after stop()). */
  publish(batch: Sample[]): void {
    if (!this.stopped && batch.length > 0) this.ctx?.publish(batch);
  }

  private lastDetail: string | undefined;

  /** Reports a status on change only (state or detail), never once per cycle. */
  private report(state: ConnectionStatus['state'], detail?: string): void {
    if (this.stopped) return;
    if (state === this.state && detail === this.lastDetail && this.since !== 0) return;
    if (state !== this.state || this.since === 0) this.since = Date.now();
    this.state = state;
    this.lastDetail = detail;
    const s: ConnectionStatus = { connection: this.config.id, protocol: 'bacnet', state, since: this.since };
    if (detail) s.detail = detail;
    this.ctx?.status(s);
  }

  /** Current value of the written object and its priority array (null when not commandable). */
  async readBack(o: ObjEntry): Promise<{ reading: ObjectReading; priorities: Array<PointValue | undefined> | null }> {
    const res = await this.read((c) => c.readPropertyMultiple(this.receiver(), [{
      objectId: { type: o.type, instance: o.instance },
      properties: [{ id: PROP.PRESENT_VALUE }, { id: PROP.STATUS_FLAGS }, { id: PROP.RELIABILITY }, { id: PROP.OUT_OF_SERVICE }, { id: PROP.PRIORITY_ARRAY }],
    }] as never));
    const values = (res.values[0]?.values ?? []) as unknown as Array<{ id: number; value: TaggedValue[] }>;
    const reading = readingOf(values);
    const pa = values.find((v) => v.id === PROP.PRIORITY_ARRAY);
    const priorities = pa && pa.value.length === 16 && pa.value[0]?.type !== ERROR_TAG ? pa.value.map((tv) => (tv.type === 0 ? null : (tv.value as PointValue))) : null;
    o.commandable = priorities !== null;
    this.accept(o, reading);
    return { reading, priorities };
  }
}

const OBJECT_TYPES_DEVICE = 8;

/**
 * Our own deadline on every request. The stack's request manager can lose a request for good when
 * its 8-bit invoke id is reused while a stale entry with the same id is still queued (seen with
 * 2,000 subscriptions: some promises never settled), which would hold a maxInFlight slot forever.
 */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('ERR_TIMEOUT')), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}
const ERROR_TAG = 105;

/** RPM result values of one object → a reading (per-property errors leave the field undefined). */
export function readingOf(values: Array<{ id: number; value: TaggedValue[] }>): ObjectReading {
  const r: ObjectReading = {};
  for (const v of values) {
    const first = v.value?.[0];
    if (!first) continue;
    if (first.type === ERROR_TAG) {
      if (v.id === PROP.PRESENT_VALUE) {
        const e = first.value as { errorClass: number; errorCode: number };
        r.error = `BACnet error reading present-value: class ${e.errorClass} code ${e.errorCode}`;
      }
      continue;
    }
    if (v.id === PROP.PRESENT_VALUE) r.presentValue = first;
    else if (v.id === PROP.STATUS_FLAGS) r.statusFlags = statusFlagsOf(first.value);
    else if (v.id === PROP.RELIABILITY && typeof first.value === 'number') r.reliability = first.value;
    else if (v.id === PROP.OUT_OF_SERVICE) r.outOfService = first.value === true;
  }
  return r;
}

/** Groups bound points into devices and objects (pure; used by the driver and its tests). */
export function buildDevices(
  devices: Array<{ id: string; instance: number }>,
  points: PointEntry[],
  pointDevice: (p: PointEntry) => string,
  covDefault: boolean,
): DeviceEntry[] {
  return devices.map((dev) => {
    const objects = new Map<string, ObjEntry>();
    for (const p of points.filter((x) => pointDevice(x) === dev.id)) {
      const type = OBJECT_TYPES[p.ref.type];
      const key = objectKey(type, p.ref.instance);
      let o = objects.get(key);
      if (!o) {
        o = { type, instance: p.ref.instance, family: familyOf(p.ref.type), points: [], wantsCov: false, subscribed: false, covRefused: false };
        objects.set(key, o);
      }
      o.points.push(p);
      if (p.point.source.cov ?? covDefault) o.wantsCov = true;
    }
    return { id: dev.id, instance: dev.instance, objects, online: false, noRpm: false };
  });
}
