// The MQTT input driver: one client per connection (broker), subscribed to the topics of its
// points. Every message on a topic becomes one sample per point bound to it: good with the
// extracted value, or `bad` naming what was wrong with the payload (not JSON, path missing, not a
// number). Losing the broker turns every point of the connection `comm_fail`. A write publishes
// to the point's writeTopic and is confirmed when the state topic reports the value back.
import type { MqttClient } from 'mqtt';
import { loadMqtt, loadedMqtt } from './load.js';
import { readFileSync } from 'node:fs';
import { DriverWriteError, type BoundPoint, type ConnectionConfig, type ConnectionState, type DeviceConfig, type Driver, type DriverContext, type WriteResult } from '../../contracts/driver.js';
import type { PointValue, Sample } from '../../contracts/point.js';
import { extractValue, writePayload } from './extract.js';
import type { MqttConnectionOptions, MqttDeviceOptions, MqttSource } from './schema.js';

interface Bound {
  point: BoundPoint<MqttSource>;
  topic: string;
  writeTopic?: string;
}

interface Conn {
  cfg: ConnectionConfig<MqttConnectionOptions>;
  client: MqttClient | null;
  byTopic: Map<string, Bound[]>;
  state: ConnectionState;
}

/** The full topic of a point: device prefix + point topic. */
export function fullTopic(prefix: string | undefined, topic: string): string {
  return prefix ? `${prefix.replace(/\/+$/, '')}/${topic.replace(/^\/+/, '')}` : topic;
}

export class MqttDriver implements Driver {
  readonly protocol = 'mqtt';
  private readonly conns = new Map<string, Conn>();
  private readonly byId = new Map<string, { b: Bound; conn: Conn }>();
  private ctx: DriverContext | null = null;
  /** Pending write read-backs per point: each returns true when satisfied (and is then removed). */
  private readonly waiters = new Map<string, Array<(v: PointValue) => boolean>>();

  constructor(connections: ConnectionConfig<MqttConnectionOptions>[], devices: DeviceConfig<MqttDeviceOptions>[], points: BoundPoint<MqttSource>[]) {
    for (const c of connections) this.conns.set(c.id, { cfg: c, client: null, byTopic: new Map(), state: 'connecting' });
    const deviceKey = (d: { id: string; connection: string }) => `${d.connection}/${d.id}`;
    const prefixOf = new Map(devices.map((d) => [deviceKey(d), d.options.topicPrefix]));
    for (const p of points) {
      const conn = this.conns.get(p.connection);
      if (!conn) continue;
      const prefix = prefixOf.get(`${p.connection}/${p.device}`);
      const b: Bound = { point: p, topic: fullTopic(prefix, p.source.topic) };
      if (p.source.writeTopic) b.writeTopic = fullTopic(prefix, p.source.writeTopic);
      const list = conn.byTopic.get(b.topic) ?? [];
      conn.byTopic.set(b.topic, list);
      list.push(b);
      this.byId.set(p.info.id, { b, conn });
    }
  }

  async start(ctx: DriverContext): Promise<void> {
    this.ctx = ctx;
    await loadMqtt();
    if (!this.ctx) return; // stopped while mqtt.js was loading
    for (const conn of this.conns.values()) this.connect(conn);
  }

  private status(conn: Conn, state: ConnectionState, detail?: string): void {
    if (conn.state === state && state !== 'connecting') return;
    conn.state = state;
    this.ctx?.status({ connection: conn.cfg.id, protocol: 'mqtt', state, ...(detail ? { detail } : {}), since: Date.now() });
  }

  private connect(conn: Conn): void {
    const o = conn.cfg.options;
    const client = loadedMqtt()!.connect(o.url, {
      username: o.username,
      password: o.passwordEnv ? process.env[o.passwordEnv] : undefined,
      ca: o.caFile ? readFileSync(o.caFile) : undefined,
      keepalive: o.keepaliveS,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      clean: true,
    });
    conn.client = client;
    this.status(conn, 'connecting');
    client.on('connect', () => {
      client.subscribe([...conn.byTopic.keys()], { qos: 1 }, (err) => {
        if (err) this.status(conn, 'offline', `subscribe refused: ${err.message}`);
        else this.status(conn, 'online');
      });
    });
    client.on('message', (topic, payload) => this.onMessage(conn, topic, payload));
    client.on('close', () => {
      if (!this.ctx || conn.client !== client) return;
      if (conn.state === 'online') this.commFail(conn, 'MQTT broker connection lost');
      // A refused login stays auth_failed (the retry would fail the same way) until a login works.
      if (conn.state !== 'auth_failed') this.status(conn, 'offline', 'MQTT broker unreachable');
    });
    client.on('error', (err) => {
      const auth = /not authori[sz]ed|bad user name/i.test(err.message);
      if (auth) this.status(conn, 'auth_failed', err.message);
    });
  }

  private commFail(conn: Conn, detail: string): void {
    const now = Date.now();
    const batch: Sample[] = [];
    for (const list of conn.byTopic.values()) for (const b of list) batch.push({ pointId: b.point.info.id, value: null, quality: 'comm_fail', detail, readTs: now });
    if (batch.length) this.ctx?.publish(batch);
  }

  private onMessage(conn: Conn, topic: string, payload: Buffer): void {
    const list = conn.byTopic.get(topic);
    if (!list || !this.ctx) return;
    const now = Date.now();
    const batch: Sample[] = list.map((b) => {
      const r = extractValue(payload, b.point.source, b.point.info);
      if (!r.ok) return { pointId: b.point.info.id, value: null, quality: 'bad', detail: `${topic}: ${r.error}`, readTs: now };
      const ws = this.waiters.get(b.point.info.id);
      if (ws) for (const w of [...ws]) if (w(r.value)) ws.splice(ws.indexOf(w), 1);
      return { pointId: b.point.info.id, value: r.value, quality: 'good', readTs: now };
    });
    this.ctx.publish(batch);
  }

  checkWrite(pointId: string, value: PointValue): string | null {
    const e = this.byId.get(pointId);
    if (!e) return null;
    if (!e.b.writeTopic) return `${pointId} has no writeTopic`;
    return value === null ? 'a value is required' : null;
  }

  async write(pointId: string, value: PointValue): Promise<WriteResult> {
    const e = this.byId.get(pointId);
    if (!e) throw new DriverWriteError('unknown_point', `no MQTT point ${pointId}`);
    if (!e.b.writeTopic || !e.b.point.info.writable) throw new DriverWriteError('not_writable', `${pointId} is not writable (no writeTopic)`);
    const client = e.conn.client;
    if (!client?.connected) throw new DriverWriteError('offline', `MQTT broker of ${e.conn.cfg.id} unreachable`);
    const timeoutMs = e.conn.cfg.options.writeTimeoutMs;
    // Read-back: the device reports the written value on the state topic (a report of the old value
    // that crossed the write on the wire does not count); at the timeout, the last value it reported.
    let last: PointValue | undefined;
    const readBack = new Promise<PointValue | undefined>((resolve) => {
      const list = this.waiters.get(pointId) ?? [];
      this.waiters.set(pointId, list);
      const waiter = (v: PointValue) => {
        last = v;
        if (v !== value) return false;
        clearTimeout(t);
        resolve(v);
        return true;
      };
      const t = setTimeout(() => {
        const l = this.waiters.get(pointId);
        const i = l ? l.indexOf(waiter) : -1;
        if (i >= 0) l!.splice(i, 1);
        resolve(last);
      }, timeoutMs);
      list.push(waiter);
    });
    try {
      await client.publishAsync(e.b.writeTopic, writePayload(value, e.b.point.source), { qos: 1 });
    } catch (err) {
      throw new DriverWriteError('device_error', `publish to ${e.b.writeTopic} failed: ${(err as Error).message}`);
    }
    const got = await readBack;
    if (got === undefined) return { confirmed: false, readBack: null, detail: `the device did not report ${e.b.topic} within ${timeoutMs} ms` };
    return { confirmed: got === value, readBack: got };
  }

  async stop(): Promise<void> {
    this.ctx = null;
    await Promise.allSettled([...this.conns.values()].map(async (c) => {
      const client = c.client;
      c.client = null;
      await client?.endAsync(true);
    }));
    for (const list of this.waiters.values()) list.splice(0);
  }
}
