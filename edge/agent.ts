// The edge agent: one building's drivers, run beside its devices, publishing Sparkplug B to an MQTT
// broker (drivers/mqtt/sparkplug.ts has the mapping). It is a Sparkplug edge node:
//   - NBIRTH (bdSeq, Node Control/Rebirth) then one DBIRTH per connection with every point's metadata
//     and current value; DDATA per driver batch; NDEATH as the MQTT will (and sent on a clean stop);
//   - seq 0..255 on every message; NCMD `Node Control/Rebirth` re-sends the births;
//   - DCMD writes through the driver's own write-and-read-back and answers with `Command/Result`;
//   - store and forward: while the broker is unreachable (or a publish is not acknowledged) batches go
//     to an fsynced spool on disk; after reconnecting and the births, the spool is replayed in order
//     with is_historical set before live data resumes.
// Data goes out at QoS 1 (Sparkplug suggests 0) so that an unacknowledged batch is known and spooled.
import mqtt, { type MqttClient } from 'mqtt';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DriverWriteError, type BoundPoint, type ConnectionStatus, type Driver } from '../contracts/driver.js';
import type { Logger } from '../contracts/log.js';
import type { PointInfo, PointValue, Sample } from '../contracts/point.js';
import {
  BDSEQ, COMMAND_ID, hostOnline, stateTopic, COMMAND_RESULT, REBIRTH, birthMetric, datatypeOf, decode, encode, nextSeq, parseTopic, sampleMetric, sparkplugTopic, statusMetric,
  type CommandResult,
} from '../drivers/mqtt/sparkplug.js';
import type { UMetric } from 'sparkplug-payload/lib/sparkplugbpayload.js';
import { Spool } from '../lib/spool.js';

export interface EdgeAgentOptions {
  group: string;
  /** Edge node id: the building. */
  building: string;
  broker: { url: string; username?: string; password?: string; ca?: Buffer; keepaliveS: number };
  points: BoundPoint[];
  drivers: Driver[];
  /** Folder for the spool and the persisted bdSeq. */
  dataDir: string;
  log: Logger;
  /** Spool cap (bytes): past it new batches are dropped and counted (never the old ones). */
  spoolMaxBytes?: number;
  /** Lines replayed per acknowledged chunk. */
  replayChunk?: number;
  /**
   * Sparkplug 3.0 primary host id: births, replay and live data wait until the host's retained
   * `spBv1.0/STATE/<id>` says online, and data is spooled again while it says offline (so nothing is
   * published while no hub listens, e.g. right after a broker restart).
   */
  primaryHostId?: string;
  /** mqtt.js reconnect period (ms); default 1000. */
  reconnectMs?: number;
}

export interface EdgeCounters {
  /** Samples published live (acknowledged by the broker). */
  live: number;
  /** Samples written to the spool. */
  spooled: number;
  /** Samples replayed from the spool (acknowledged). */
  replayed: number;
  /** Samples dropped because the spool was full. */
  dropped: number;
  births: number;
  commands: number;
}

interface Line { c: string; s: Sample[] }

export class EdgeAgent {
  private client: MqttClient | null = null;
  private readonly spool: Spool;
  private readonly byId = new Map<string, { p: BoundPoint; alias: number }>();
  private readonly byAlias = new Map<number, BoundPoint>();
  private readonly latest = new Map<string, Sample>();
  private readonly statuses = new Map<string, ConnectionStatus>();
  private readonly connections: string[];
  private bdSeq: number;
  private seq = 0;
  /** Births sent on this MQTT session and the spool drained: batches go out directly. */
  private live = false;
  private replaying: Promise<void> | null = null;
  /** Live batches sent but not yet acknowledged, oldest first: spooled again if the session drops. */
  private inflight: Array<{ line: Line; acked: boolean }> = [];
  private stopped = false;
  /** An MQTT session is up. */
  private session = false;
  /** Births sent on this session (the primary host, when configured, is online). */
  private online = false;
  readonly counters: EdgeCounters = { live: 0, spooled: 0, replayed: 0, dropped: 0, births: 0, commands: 0 };

  constructor(private readonly o: EdgeAgentOptions) {
    mkdirSync(o.dataDir, { recursive: true });
    this.spool = new Spool(join(o.dataDir, 'spool'));
    o.points.forEach((p, i) => {
      this.byId.set(p.info.id, { p, alias: i });
      this.byAlias.set(i, p);
    });
    this.connections = [...new Set(o.points.map((p) => p.connection))];
    this.bdSeq = this.readBdSeq();
  }

  /** Samples waiting in the spool (bytes). */
  get spooledBytes(): number {
    return this.spool.bytes;
  }

  /** True once births are out and the spool is drained (tests and the bench wait for it). */
  get isLive(): boolean {
    return this.live;
  }

  async start(): Promise<void> {
    const { broker, group, building } = this.o;
    this.client = mqtt.connect(broker.url, {
      clientId: `wf-edge-${group}-${building}`,
      username: broker.username,
      password: broker.password,
      ca: broker.ca,
      keepalive: broker.keepaliveS,
      clean: true,
      reconnectPeriod: this.o.reconnectMs ?? 1000,
      connectTimeout: 5000,
      resubscribe: false,
      queueQoSZero: false,
      will: { topic: this.topic('NDEATH'), payload: this.deathPayload(), qos: 1, retain: false },
    });
    this.client.on('connect', () => this.onConnect());
    this.client.on('close', () => this.onClose());
    this.client.on('message', (topic, payload) => this.onMessage(topic, payload));
    this.client.on('error', (err) => this.o.log.warn({ err: err.message }, 'mqtt error'));
    for (const d of this.o.drivers) {
      await d.start({
        publish: (batch) => this.onSamples(batch),
        status: (s) => this.onStatus(s),
        log: this.o.log,
        dataDir: this.o.dataDir,
      });
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.allSettled(this.o.drivers.map((d) => d.stop()));
    const c = this.client;
    if (c?.connected && this.live) {
      // A clean stop says so at once (the will covers a crash).
      for (const conn of this.connections) await this.publishAsync(this.topic('DDEATH', conn), { timestamp: Date.now(), seq: this.takeSeq(), metrics: [] }).catch(() => {});
      await this.publishAsync(this.topic('NDEATH'), { timestamp: Date.now(), metrics: [this.bdSeqMetric()] }).catch(() => {});
    }
    this.onClose();
    await c?.endAsync(true).catch(() => {});
    this.spool.close();
  }

  /** The agent's MQTT client (tests observe its state). */
  mqtt(): MqttClient | null {
    return this.client;
  }

  private topic(type: string, device?: string): string {
    return sparkplugTopic(this.o.group, type, this.o.building, device);
  }

  private readBdSeq(): number {
    try {
      return (Number(readFileSync(join(this.o.dataDir, 'bdseq'), 'utf8')) + 1) % 256;
    } catch {
      return 0;
    }
  }

  private bdSeqMetric(): UMetric {
    return { name: BDSEQ, type: 'UInt64', value: this.bdSeq };
  }

  private deathPayload(): Buffer {
    return encode({ timestamp: Date.now(), metrics: [this.bdSeqMetric()] });
  }

  private takeSeq(): number {
    const s = this.seq;
    this.seq = nextSeq(this.seq);
    return s;
  }

  private publishAsync(topic: string, payload: Parameters<typeof encode>[0]): Promise<void> {
    const c = this.client;
    if (!c) return Promise.reject(new Error('no client'));
    return new Promise((ok, fail) => c.publish(topic, encode(payload), { qos: 1 }, (err) => (err ? fail(err) : ok())));
  }

  private onConnect(): void {
    if (this.stopped) return;
    this.session = true;
    writeFileSync(join(this.o.dataDir, 'bdseq'), String(this.bdSeq));
    const subs = [this.topic('NCMD'), this.topic('DCMD', '+')];
    if (this.o.primaryHostId) subs.push(stateTopic(this.o.primaryHostId));
    this.client!.subscribe(subs, { qos: 1 }, () => {
      if (!this.o.primaryHostId) this.goOnline();
    });
  }

  /** Births, then the spool's replay, then live data. */
  private goOnline(): void {
    if (this.stopped || !this.client?.connected || this.online) return;
    this.online = true;
    this.sendBirths();
    this.replaying = this.replay().catch((err) => this.o.log.warn({ err: (err as Error).message }, 'spool replay interrupted'));
  }

  /** The primary host went away: keep the session, spool until it is back (then births again). */
  private goOffline(): void {
    if (!this.online) return;
    this.online = false;
    this.live = false;
  }

  private sendBirths(): void {
    this.seq = 0;
    this.counters.births++;
    this.publishAsync(this.topic('NBIRTH'), {
      timestamp: Date.now(), seq: this.takeSeq(),
      metrics: [this.bdSeqMetric(), { name: REBIRTH, type: 'Boolean', value: false }],
    }).catch(() => {});
    for (const conn of this.connections) {
      const metrics: UMetric[] = [];
      for (const { p, alias } of this.byId.values()) if (p.connection === conn) metrics.push(birthMetric(p.info, alias, this.latest.get(p.info.id)));
      const st = this.statuses.get(conn);
      if (st) metrics.push(statusMetric(st));
      this.publishAsync(this.topic('DBIRTH', conn), { timestamp: Date.now(), seq: this.takeSeq(), metrics }).catch(() => {});
    }
  }

  /** Drains the spool in order (historical), each chunk acknowledged before it is committed; then goes live. */
  private async replay(): Promise<void> {
    const chunkLines = this.o.replayChunk ?? 20;
    for (;;) {
      if (!this.client?.connected || this.stopped || !this.online) return;
      const chunk = this.spool.nextChunk(chunkLines);
      if (!chunk) break;
      const lines = chunk.lines.map((l) => JSON.parse(l) as Line);
      // Going live with the tail chunk (in the same tick, so no sample falls between them) ends the
      // replay even while the driver keeps producing: waiting for an empty spool after each
      // round trip never ends when a sample arrives faster than the broker's acknowledgement.
      // New samples follow the tail on the same connection, so the order holds; if the connection
      // drops first, the tail stays uncommitted and the unacknowledged live ones are spooled after it.
      if (chunk.last) this.live = true;
      await Promise.all(lines.map((l) => this.publishAsync(this.topic('DDATA', l.c), this.dataPayload(l, true))));
      chunk.commit();
      for (const l of lines) this.counters.replayed += l.s.length;
      if (chunk.last) return;
    }
    if (this.client?.connected && !this.stopped && this.online) this.live = true;
  }

  private dataPayload(l: Line, historical: boolean): Parameters<typeof encode>[0] {
    const metrics = l.s.map((s) => {
      const b = this.byId.get(s.pointId)!;
      return sampleMetric(s, datatypeOf(b.p.info.kind), historical, b.alias);
    });
    return { timestamp: Date.now(), seq: this.takeSeq(), metrics };
  }

  private onClose(): void {
    if (!this.session) return;
    this.session = false;
    this.online = false;
    this.live = false;
    // Unacknowledged live batches go back to disk, before anything newer, and mqtt.js must not resend them.
    const pending = this.inflight.filter((f) => !f.acked);
    this.inflight = [];
    for (const f of pending) this.toSpool(f.line);
    const c = this.client as (MqttClient & { outgoing?: Record<number, unknown> }) | null;
    for (const id of Object.keys(c?.outgoing ?? {})) c?.removeOutgoingMessage(Number(id));
    // The next session is a new birth/death pair.
    this.bdSeq = (this.bdSeq + 1) % 256;
    if (c?.options.will) c.options.will.payload = this.deathPayload();
  }

  private toSpool(line: Line): void {
    if (this.o.spoolMaxBytes !== undefined && this.spool.bytes >= this.o.spoolMaxBytes) {
      this.counters.dropped += line.s.length;
      return;
    }
    this.spool.append([JSON.stringify(line)]);
    this.counters.spooled += line.s.length;
  }

  private onSamples(batch: Sample[]): void {
    if (this.stopped || batch.length === 0) return;
    const byConn = new Map<string, Sample[]>();
    for (const s of batch) {
      const b = this.byId.get(s.pointId);
      if (!b) continue;
      this.latest.set(s.pointId, s);
      let list = byConn.get(b.p.connection);
      if (!list) byConn.set(b.p.connection, (list = []));
      list.push(s);
    }
    for (const [c, s] of byConn) {
      const line: Line = { c, s };
      if (!this.live || !this.client?.connected) {
        this.toSpool(line);
        continue;
      }
      const entry = { line, acked: false };
      this.inflight.push(entry);
      this.client.publish(this.topic('DDATA', c), encode(this.dataPayload(line, false)), { qos: 1 }, (err) => {
        if (err) return; // onClose spools it
        entry.acked = true;
        this.counters.live += s.length;
        while (this.inflight[0]?.acked) this.inflight.shift();
      });
    }
  }

  private onStatus(s: ConnectionStatus): void {
    const prev = this.statuses.get(s.connection);
    this.statuses.set(s.connection, s);
    if (prev && prev.state === s.state && prev.detail === s.detail) return;
    if (this.live && this.client?.connected) {
      this.publishAsync(this.topic('DDATA', s.connection), { timestamp: Date.now(), seq: this.takeSeq(), metrics: [statusMetric(s)] }).catch(() => {});
    }
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (this.o.primaryHostId && topic === stateTopic(this.o.primaryHostId)) {
      if (hostOnline(payload)) this.goOnline();
      else this.goOffline();
      return;
    }
    const t = parseTopic(topic);
    if (!t || t.node !== this.o.building) return;
    let p;
    try {
      p = decode(payload);
    } catch {
      this.o.log.warn({ topic }, 'undecodable Sparkplug command ignored');
      return;
    }
    const metrics = (p.metrics ?? []) as UMetric[];
    if (t.type === 'NCMD') {
      if (metrics.some((m) => m.name === REBIRTH && m.value === true)) {
        this.o.log.info({}, 'rebirth requested');
        if (this.client?.connected && this.online) this.sendBirths();
      }
      return;
    }
    if (t.type === 'DCMD' && t.device !== undefined) {
      const idMetric = metrics.find((m) => m.name === COMMAND_ID);
      const id = typeof idMetric?.value === 'string' ? idMetric.value : '';
      for (const m of metrics) {
        if (m === idMetric) continue;
        const point = m.name ? this.byId.get(m.name)?.p : m.alias !== undefined && m.alias !== null ? this.byAlias.get(Number(m.alias)) : undefined;
        void this.command(id, t.device, point, m);
      }
    }
  }

  private async command(id: string, device: string, point: BoundPoint | undefined, m: UMetric): Promise<void> {
    this.counters.commands++;
    const pointId = point?.info.id ?? String(m.name ?? m.alias);
    let result: CommandResult;
    if (!point || point.connection !== device) {
      result = { id, pointId, error: { code: 'unknown_point', message: `edge ${this.o.building} has no point ${pointId} on ${device}` } };
    } else {
      try {
        const value = toValue(point.info, m.value);
        const driver = this.o.drivers.find((d) => d.protocol === point.info.protocol);
        if (!driver) throw new DriverWriteError('offline', `no ${point.info.protocol} driver on edge ${this.o.building}`);
        const r = await driver.write(point.info.id, value);
        result = { id, pointId, confirmed: r.confirmed, readBack: r.readBack, ...(r.detail !== undefined ? { detail: r.detail } : {}) };
      } catch (err) {
        const code = err instanceof DriverWriteError ? err.code : 'device_error';
        result = { id, pointId, error: { code, message: (err as Error).message } };
      }
    }
    await this.publishAsync(this.topic('DDATA', device), { timestamp: Date.now(), seq: this.takeSeq(), metrics: [{ name: COMMAND_RESULT, type: 'String', value: JSON.stringify(result) }] }).catch((err) =>
      this.o.log.warn({ err: (err as Error).message, id }, 'command result not delivered'),
    );
  }
}

/** A DCMD metric value as the point's kind expects it (Long → number). */
export function toValue(info: PointInfo, v: unknown): PointValue {
  if (v !== null && typeof v === 'object' && 'toNumber' in v) return (v as { toNumber(): number }).toNumber();
  if (v === null || v === undefined) throw new DriverWriteError('invalid_value', `no value for ${info.id}`);
  if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'string') throw new DriverWriteError('invalid_value', `unsupported value for ${info.id}`);
  return v;
}
