// One configured connection (endpoint) at run time: its socket, its poll loop, its request
// queue, its state. Every device (unit id) and point behind the endpoint shares them.
import { performance } from 'node:perf_hooks';
import { DriverWriteError, type ConnectionState, type ConnectionStatus, type DriverLogger, type WriteResult } from '../../contracts/driver.js';
import type { PointInfo, Quality, Sample } from '../../contracts/point.js';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import { connectDue, reconnectDelay } from '../backoff.js';
import { decodeAt, decodeRegisters, sameBytes, setBit } from './decode.js';
import { FairScheduler } from './fair.js';
import { classifyFailure } from './errors.js';
import { ModbusLink } from './link.js';
import { isBitTable, planReads, type ReadRequest } from './plan.js';
import { SerialQueue } from './queue.js';
import type { ModbusConnectionOptions, ResolvedSource } from './schema.js';

/**
 * Per read request, resolved once: its points' ids, sources and byte offsets, and the last answer
 * with the values decoded from it, so a point whose registers did not change is not decoded again.
 */
interface RequestCache {
  ids: string[];
  srcs: ResolvedSource[];
  /** Byte offset and byte length of each point inside the answer. */
  at: number[];
  len: number[];
  prev: Buffer | undefined;
  values: Array<number | boolean | string>;
}

export interface RuntimePoint {
  id: string;
  unitId: number;
  src: ResolvedSource;
  info: PointInfo;
}

/** What a write sends, prepared (and range-checked) before it is queued. */
export type PreparedWrite = { kind: 'words'; words: number[] } | { kind: 'coil'; on: boolean } | { kind: 'bit'; on: boolean };

export interface CycleInfo {
  connection: string;
  /** performance.now() when the cycle was due, and when it started. */
  scheduledAt: number;
  startedAt: number;
  durationMs: number;
  requests: number;
  samples: number;
}

export interface ConnectionHooks {
  /** Already guarded by the driver: a no-op once stop() began. */
  publish(batch: Sample[]): void;
  status(status: ConnectionStatus): void;
  log: DriverLogger;
  onCycle?: (cycle: CycleInfo) => void;
}

/** How often an unchanged online status is re-sent with a fresh lastCycleMs. */
const STATUS_REFRESH_MS = 10_000;

export class ModbusConnection {
  private readonly link: ModbusLink;
  private readonly queue = new SerialQueue();
  private readonly points = new Map<string, RuntimePoint>();
  private plan: ReadRequest[];
  private state: ConnectionState = 'stopped';
  private stateDetail: string | undefined;
  private since = Date.now();
  private lastStatusAt = 0;
  private lastCycleMs: number | undefined;
  private overrunning = false;
  private timer: NodeJS.Timeout | undefined;
  private nextDue = 0;
  private stopped = true;
  private connectFailures = 0;
  private everConnected = false;
  private answeredSinceConnect = false;
  private nextConnectAt = 0;
  /** Open problems by key (`unit:1`, `req:1/holding/0`) → detail, so each is logged once. */
  private readonly problems = new Map<string, string>();
  private readonly caches = new Map<ReadRequest, RequestCache>();

  constructor(
    readonly id: string,
    private readonly options: ModbusConnectionOptions,
    points: RuntimePoint[],
    private readonly hooks: ConnectionHooks,
  ) {
    for (const p of points) this.points.set(p.id, p);
    this.plan = planReads(
      points.map((p) => ({ pointId: p.id, unitId: p.unitId, table: p.src.table, address: p.src.address, width: p.src.width })),
      options,
    );
    this.link = new ModbusLink({ transport: options.transport, serial: options.serial, host: options.host, port: options.port, timeoutMs: options.timeoutMs });
    this.link.onLost = (reason) => this.lost(reason);
  }

  /** Read requests per poll cycle (for tests and benchmarks). */
  get requestsPerCycle(): number {
    return this.plan.length;
  }

  start(): void {
    this.stopped = false;
    this.setState('connecting', `connecting to ${this.link.endpoint}`);
    this.nextDue = performance.now();
    this.timer = setTimeout(this.tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.link.close('driver stopped'); // fails the request in flight, so the queue drains now
    await this.queue.idle();
    this.setState('stopped', undefined);
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    if (this.stopped) return;
    const scheduledAt = this.nextDue;
    this.queue
      .run(() => this.cycle(scheduledAt))
      .catch((err: unknown) => this.hooks.log.error({ err, connection: this.id }, 'modbus poll cycle failed'))
      .finally(() => this.scheduleNext());
  };

  /** Fixed cadence; a cycle that overran is followed right away and the cadence re-anchors. */
  private scheduleNext(): void {
    if (this.stopped) return;
    const now = performance.now();
    this.nextDue += this.options.pollMs;
    if (this.nextDue < now) this.nextDue = now;
    this.timer = setTimeout(this.tick, this.nextDue - now);
  }

  private async cycle(scheduledAt: number): Promise<void> {
    const startedAt = performance.now();
    if (!this.link.isOpen) await this.tryConnect();
    if (this.stopped) return;
    let samples: Sample[];
    let requests = 0;
    if (this.link.isOpen) ({ samples, requests } = await this.readAll());
    else samples = this.allPoints('comm_fail', this.stateDetail ?? 'not connected');
    if (this.stopped) return;
    const durationMs = performance.now() - startedAt;
    this.lastCycleMs = Math.round(durationMs * 10) / 10;
    this.hooks.publish(samples);
    this.hooks.onCycle?.({ connection: this.id, scheduledAt, startedAt, durationMs, requests, samples: samples.length });
    if (this.state !== 'online') return;
    const overran = durationMs > this.options.pollMs;
    if (overran !== this.overrunning) {
      // Worth a status of its own: the data is older than the configured poll interval says.
      this.overrunning = overran;
      const detail = `poll cycle took ${Math.round(durationMs)} ms, longer than pollMs ${this.options.pollMs}`;
      if (overran) this.hooks.log.warn({ connection: this.id, durationMs: Math.round(durationMs) }, 'modbus poll cycle overruns its interval');
      else this.hooks.log.info({ connection: this.id }, 'modbus poll cycle fits its interval again');
      this.stateDetail = overran ? detail : undefined;
      this.sendStatus();
    } else if (Date.now() - this.lastStatusAt >= STATUS_REFRESH_MS) {
      this.sendStatus();
    }
  }

  private async tryConnect(): Promise<void> {
    if (!connectDue(Date.now(), this.nextConnectAt, this.options.pollMs)) return;
    const attemptAt = Date.now();
    try {
      await this.link.open();
    } catch (err) {
      if (this.stopped) return;
      const reason = err instanceof Error ? err.message : String(err);
      // A refused or unanswered connect is a cheap probe: backoff, but never longer than the poll
      // interval, so a device that is back shows good within two intervals (drivers/backoff.ts).
      const delay = reconnectDelay(this.connectFailures++, { ...(this.options.backoff ?? DEFAULT_BACKOFF), probeCapMs: this.options.pollMs });
      this.nextConnectAt = attemptAt + delay;
      if (this.state !== 'offline') this.hooks.log.warn({ connection: this.id, reason }, 'modbus connection offline');
      else this.hooks.log.debug({ connection: this.id, reason, retryInMs: delay }, 'modbus reconnect failed');
      this.setState('offline', reason);
      return;
    }
    if (this.stopped) {
      this.link.close('driver stopped');
      return;
    }
    const where = { connection: this.id, endpoint: this.link.endpoint };
    if (this.state === 'offline') this.hooks.log.info(where, 'modbus connection back online');
    else if (!this.everConnected) this.hooks.log.info(where, 'modbus connected');
    else this.hooks.log.debug(where, 'modbus reconnected'); // a dropped socket replaced at once is not news
    this.everConnected = true;
    this.answeredSinceConnect = false;
    this.setState('online', undefined);
  }

  /** The socket went away by itself: reconnect at the next cycle without waiting for backoff. */
  private lost(reason: string): void {
    if (this.stopped) return;
    // Reconnect at once after a socket that worked; back off from one that drops before any answer
    // (a gateway that accepts and hangs up), so a flapping endpoint is not hammered every poll.
    if (this.answeredSinceConnect) {
      this.connectFailures = 0;
      this.nextConnectAt = 0;
    } else {
      this.nextConnectAt = Date.now() + backoffDelay(this.connectFailures++, this.options.backoff ?? DEFAULT_BACKOFF);
    }
    this.hooks.log.debug({ connection: this.id, reason }, 'modbus connection lost, reconnecting');
    this.setState('connecting', reason);
  }

  private readAll(): Promise<{ samples: Sample[]; requests: number }> {
    return (this.options.maxInFlight ?? 1) > 1 && this.link.pipelines ? this.readAllPipelined() : this.readAllSerial();
  }

  private async readAllSerial(): Promise<{ samples: Sample[]; requests: number }> {
    const samples: Sample[] = [];
    const silentUnits = new Map<number, string>();
    let requests = 0;
    let answered = false;
    let timeouts = 0;
    for (let i = 0; i < this.plan.length; i++) {
      const req = this.plan[i];
      const skip = silentUnits.get(req.unitId) ?? (this.link.isOpen ? undefined : (this.stateDetail ?? 'connection lost'));
      if (skip !== undefined) {
        this.pushAll(samples, req, 'comm_fail', skip);
        continue;
      }
      requests++;
      try {
        const data = await this.link.readRaw(req.unitId, req.table, req.start, req.count);
        answered = true;
        this.answeredSinceConnect = true;
        this.connectFailures = 0;
        this.decodeInto(samples, req, data);
        this.resolved(`unit:${req.unitId}`, `unit ${req.unitId} answers again`);
        this.resolved(reqKey(req), `${describe(req)} reads again`);
      } catch (err) {
        if (this.stopped) break;
        const failure = classifyFailure(err, this.options.timeoutMs);
        if (failure.kind === 'exception') {
          answered = true;
          this.answeredSinceConnect = true;
          if (failure.code === 2 && this.splitPerPoint(req)) {
            i--; // read the same points again, one request each, right now
            continue;
          }
          this.problem(reqKey(req), `${describe(req)}: ${failure.detail}`);
        } else if (failure.kind === 'timeout') {
          timeouts++;
          const detail = `unit ${req.unitId}: ${failure.detail}`;
          silentUnits.set(req.unitId, detail); // its other requests would time out too
          this.problem(`unit:${req.unitId}`, detail);
          this.pushAll(samples, req, failure.quality, detail);
          continue;
        } else if (failure.kind === 'other') {
          this.problem(reqKey(req), `${describe(req)}: ${failure.detail}`);
        }
        this.pushAll(samples, req, failure.quality, failure.detail);
      }
    }
    // Nothing at all came back: likely a half-open socket. Start over with a fresh one.
    if (timeouts > 0 && !answered && this.link.isOpen) {
      this.link.close('no answer to any request');
      this.lost('no answer to any request');
    }
    return { samples, requests };
  }

  /**
   * A merged read spanning unused registers can be refused as a whole (exception 2) by devices
   * with holes in their map. Replace it by one read per point so the good points still read.
   */
  private splitPerPoint(req: ReadRequest): ReadRequest[] | null {
    const starts = new Set(req.points.map((p) => p.offset));
    const index = this.plan.indexOf(req);
    if (starts.size < 2 || index < 0) return null;
    const single = planReads(
      req.points.map((p) => ({ pointId: p.pointId, unitId: req.unitId, table: req.table, address: req.start + p.offset, width: p.width })),
      { maxGap: -1, maxGapBits: -1 }, // -1: only points sharing a register (bits) stay together
    );
    this.plan.splice(index, 1, ...single);
    this.caches.delete(req);
    this.hooks.log.warn({ connection: this.id, request: describe(req), requests: single.length }, 'modbus read refused with exception 2; reading its points one by one from now on');
    return single;
  }

  /**
   * The same cycle with up to maxInFlight reads on the socket at once (answers matched by MBAP
   * transaction id), units served round-robin with at most maxInFlightPerUnit each (fair.ts).
   * Failure handling is the serial path's: a timed-out unit's remaining reads are skipped as
   * comm_fail, an exception 2 splits the read into per-point reads, no answer at all drops the socket.
   */
  private async readAllPipelined(): Promise<{ samples: Sample[]; requests: number }> {
    const samples: Sample[] = [];
    const sched = new FairScheduler(this.plan, { maxInFlight: this.options.maxInFlight ?? 1, perUnit: this.options.maxInFlightPerUnit ?? 1 });
    let requests = 0;
    let answered = false;
    let timeouts = 0;
    await new Promise<void>((done) => {
      const settle = (req: ReadRequest) => {
        sched.done(req.unitId);
        pump();
      };
      const onAnswer = (req: ReadRequest, data: Buffer | boolean[]) => {
        answered = true;
        this.answeredSinceConnect = true;
        this.connectFailures = 0;
        if (!this.stopped) {
          this.decodeInto(samples, req, data);
          this.resolved(`unit:${req.unitId}`, `unit ${req.unitId} answers again`);
          this.resolved(reqKey(req), `${describe(req)} reads again`);
        }
        settle(req);
      };
      const onFailure = (req: ReadRequest, err: unknown) => {
        if (this.stopped) return settle(req);
        const failure = classifyFailure(err, this.options.timeoutMs);
        if (failure.kind === 'exception') {
          answered = true;
          this.answeredSinceConnect = true;
          const single = failure.code === 2 ? this.splitPerPoint(req) : null;
          if (single) {
            for (const r of single) sched.add(r); // read the same points again, one request each, right now
            return settle(req);
          }
          this.problem(reqKey(req), `${describe(req)}: ${failure.detail}`);
        } else if (failure.kind === 'timeout') {
          timeouts++;
          const detail = `unit ${req.unitId}: ${failure.detail}`;
          this.problem(`unit:${req.unitId}`, detail);
          this.pushAll(samples, req, failure.quality, detail);
          for (const skipped of sched.dropUnit(req.unitId)) this.pushAll(samples, skipped, 'comm_fail', detail); // they would time out too
          return settle(req);
        } else if (failure.kind === 'other') {
          this.problem(reqKey(req), `${describe(req)}: ${failure.detail}`);
        }
        this.pushAll(samples, req, failure.quality, failure.detail);
        settle(req);
      };
      const pump = () => {
        for (let req = sched.next(); req !== undefined; req = sched.next()) {
          const r = req;
          if (this.stopped || !this.link.isOpen) {
            if (!this.stopped) this.pushAll(samples, r, 'comm_fail', this.stateDetail ?? 'connection lost');
            sched.done(r.unitId);
            continue;
          }
          requests++;
          this.link.readRaw(r.unitId, r.table, r.start, r.count).then(
            (data) => onAnswer(r, data),
            (err: unknown) => onFailure(r, err),
          );
        }
        if (sched.running === 0) done();
      };
      pump();
    });
    if (timeouts > 0 && !answered && this.link.isOpen) {
      this.link.close('no answer to any request');
      this.lost('no answer to any request');
    }
    return { samples, requests };
  }

  private cacheOf(req: ReadRequest): RequestCache {
    let c = this.caches.get(req);
    if (c) return c;
    const n = req.points.length;
    c = { ids: new Array(n), srcs: new Array(n), at: new Array(n), len: new Array(n), prev: undefined, values: new Array(n) };
    for (let k = 0; k < n; k++) {
      const pp = req.points[k];
      c.ids[k] = pp.pointId;
      c.srcs[k] = this.points.get(pp.pointId)!.src;
      c.at[k] = pp.offset * 2;
      c.len[k] = pp.width * 2;
    }
    this.caches.set(req, c);
    return c;
  }

  /**
   * Registers are decoded straight from the answer's bytes (decodeAt), and only where they differ from
   * the previous answer: an unchanged point reuses its value. Every point still gets its sample (the
   * hub's history and staleness expect one per cycle).
   */
  private decodeInto(samples: Sample[], req: ReadRequest, data: Buffer | boolean[]): void {
    const readTs = Date.now();
    if (!Buffer.isBuffer(data)) {
      for (const pp of req.points) samples.push({ pointId: pp.pointId, value: data[pp.offset] === true, quality: 'good', readTs });
      return;
    }
    const c = this.cacheOf(req);
    const prev = c.prev !== undefined && c.prev.length === data.length ? c.prev : undefined;
    for (let k = 0; k < c.ids.length; k++) {
      let value: number | boolean | string;
      if (prev !== undefined && sameBytes(prev, data, c.at[k], c.len[k])) value = c.values[k];
      else value = c.values[k] = decodeAt(data, c.at[k], c.srcs[k]);
      if (typeof value === 'number' && !Number.isFinite(value)) {
        samples.push({ pointId: c.ids[k], value: null, quality: 'bad', detail: `device sent ${value} (float32)`, readTs });
      } else {
        samples.push({ pointId: c.ids[k], value, quality: 'good', readTs });
      }
    }
    // The answer is a view into the socket's chunk: keep a copy in a buffer of our own, reused.
    if (prev === undefined) c.prev = Buffer.allocUnsafe(data.length);
    data.copy(c.prev!);
  }

  private pushAll(samples: Sample[], req: ReadRequest, quality: Quality, detail: string): void {
    const readTs = Date.now();
    for (const pp of req.points) samples.push({ pointId: pp.pointId, value: null, quality, detail, readTs });
  }

  private allPoints(quality: Quality, detail: string): Sample[] {
    const readTs = Date.now();
    return [...this.points.keys()].map((pointId) => ({ pointId, value: null, quality, detail, readTs }));
  }

  private problem(key: string, detail: string): void {
    if (this.problems.get(key) === detail) return;
    this.problems.set(key, detail);
    this.hooks.log.warn({ connection: this.id, detail }, 'modbus read failing');
  }

  private resolved(key: string, message: string): void {
    if (!this.problems.delete(key)) return;
    this.hooks.log.info({ connection: this.id }, message);
  }

  /** Writes a prepared value, reads it back, and publishes the read-back sample. */
  write(p: RuntimePoint, prepared: PreparedWrite): Promise<WriteResult> {
    return this.queue.run(async () => {
      if (this.stopped) throw new DriverWriteError('offline', 'driver stopped');
      if (!this.link.isOpen) throw new DriverWriteError('offline', `connection ${this.id} is not connected: ${this.stateDetail ?? 'connecting'}`);
      const { table, address, width } = p.src;
      try {
        let expected: number | boolean | string;
        let readBack: number | boolean | string;
        if (prepared.kind === 'coil') {
          await this.link.writeCoil(p.unitId, address, prepared.on);
          expected = prepared.on;
          readBack = (await this.link.read(p.unitId, 'coil', address, 1))[0] === true;
        } else if (prepared.kind === 'bit' && p.src.maskWrite) {
          // FC22: the device flips the one bit itself, so a concurrent change of the other bits survives.
          const mask = setBit(0xffff, p.src, false);
          await this.link.maskWrite(p.unitId, address, mask, prepared.on ? setBit(0, p.src, true) : 0);
          expected = prepared.on;
          readBack = decodeRegisters((await this.link.read(p.unitId, table, address, 1)) as number[], p.src);
        } else if (prepared.kind === 'bit') {
          const [word] = (await this.link.read(p.unitId, table, address, 1)) as number[];
          await this.link.writeRegisters(p.unitId, address, [setBit(word, p.src, prepared.on)]);
          expected = prepared.on;
          readBack = decodeRegisters((await this.link.read(p.unitId, table, address, 1)) as number[], p.src);
        } else if (p.src.readWrite) {
          // FC23: write and read back in one transaction (one turnaround on a slow RTU line).
          expected = decodeRegisters(prepared.words, p.src);
          readBack = decodeRegisters(await this.link.readWrite(p.unitId, address, width, address, prepared.words), p.src);
        } else {
          await this.link.writeRegisters(p.unitId, address, prepared.words);
          expected = decodeRegisters(prepared.words, p.src);
          readBack = decodeRegisters((await this.link.read(p.unitId, table, address, width)) as number[], p.src);
        }
        const confirmed = Object.is(expected, readBack);
        this.hooks.publish([{ pointId: p.id, value: readBack, quality: 'good', readTs: Date.now() }]);
        return confirmed
          ? { confirmed, readBack }
          : { confirmed, readBack, detail: `device reads back ${String(readBack)} after writing ${String(expected)}` };
      } catch (err) {
        if (err instanceof DriverWriteError) throw err;
        const failure = classifyFailure(err, this.options.timeoutMs);
        const code = failure.kind === 'timeout' ? 'timeout' : failure.kind === 'closed' ? 'offline' : 'device_error';
        throw new DriverWriteError(code, `write ${p.id} (unit ${p.unitId} ${table} ${address}): ${failure.detail}`);
      }
    });
  }

  /** Reports only real transitions: a retry failing for a new reason is not news. */
  private setState(state: ConnectionState, detail: string | undefined): void {
    this.stateDetail = detail;
    if (state === this.state) return;
    this.state = state;
    this.overrunning = false;
    this.since = Date.now();
    this.sendStatus();
  }

  private sendStatus(): void {
    this.lastStatusAt = Date.now();
    this.hooks.status({
      connection: this.id,
      protocol: 'modbus',
      state: this.state,
      ...(this.stateDetail !== undefined ? { detail: this.stateDetail } : {}),
      since: this.since,
      ...(this.lastCycleMs !== undefined ? { lastCycleMs: this.lastCycleMs } : {}),
    });
  }
}

function reqKey(req: ReadRequest): string {
  return `req:${req.unitId}/${req.table}/${req.start}`;
}

function describe(req: ReadRequest): string {
  return `unit ${req.unitId} ${req.table} ${req.start}..${req.start + req.count - 1}`;
}
