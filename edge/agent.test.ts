// The edge agent against a real Mosquitto, with a synthetic driver producing numbered samples:
// births (metadata, bdSeq, seq), store and forward across a broker outage (every sample arrives,
// the spooled ones flagged historical and in order), rebirth on NCMD, NDEATH with the birth's bdSeq.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { UMetric } from 'sparkplug-payload/lib/sparkplugbpayload.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BoundPoint, Driver, DriverContext } from '../contracts/driver.js';
import { BDSEQ, REBIRTH, decode, encode, statePayload, stateTopic } from '../drivers/mqtt/sparkplug.js';
import { startMosquitto, type Mosquitto } from '../test/support/mosquitto.js';
import { EdgeAgent } from './agent.js';

const silent = { info() {}, warn() {}, error() {}, debug() {} };
const until = async (what: string, pred: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const point = (id: string, writable = false): BoundPoint => ({
  info: { id: `hq/b/l01/r101/dev/${id}`, name: { en: id, 'zh-CN': id }, kind: 'analog', unit: 'kW', writable, device: 'dev', protocol: 'synthetic', intervalMs: 20 },
  device: 'dev', connection: 'conn-1', source: {},
});

/** Publishes a numbered sample of every point every 20 ms; readTs = base + n makes each one unique. */
class CountingDriver implements Driver {
  readonly protocol = 'synthetic';
  produced: Array<{ pointId: string; readTs: number }> = [];
  private timer: NodeJS.Timeout | null = null;
  private n = 0;
  constructor(private readonly points: BoundPoint[], private readonly base = Date.now()) {}
  async start(ctx: DriverContext): Promise<void> {
    ctx.status({ connection: 'conn-1', protocol: 'synthetic', state: 'online', since: Date.now() });
    this.timer = setInterval(() => {
      const n = this.n++;
      const batch = this.points.map((p) => ({ pointId: p.info.id, value: n, quality: 'good' as const, readTs: this.base + n }));
      for (const s of batch) this.produced.push({ pointId: s.pointId, readTs: s.readTs });
      ctx.publish(batch);
    }, 20);
  }
  pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
  async write(_id: string, value: unknown) {
    return { confirmed: true, readBack: value as number };
  }
  async stop(): Promise<void> {
    this.pause();
  }
}

/** A minimal Sparkplug host: STATE online, alias map from DBIRTH, every DDATA metric recorded. */
async function host(url: string) {
  const births: Array<{ type: string; seq: number; bdSeq?: number }> = [];
  const received: Array<{ pointId: string; readTs: number; historical: boolean }> = [];
  const deaths: number[] = [];
  const alias = new Map<number, string>();
  let metadata: UMetric[] = [];
  const c: MqttClient = await mqtt.connectAsync(url, { reconnectPeriod: 100, will: { topic: stateTopic('test-host'), payload: statePayload(false), qos: 1, retain: true } });
  const onConnect = () => {
    c.subscribe('spBv1.0/hq/#', { qos: 1 }, () => c.publish(stateTopic('test-host'), statePayload(true), { qos: 1, retain: true }));
  };
  c.on('connect', onConnect);
  onConnect();
  c.on('message', (topic, payload) => {
    const type = topic.split('/')[2];
    if (!['NBIRTH', 'DBIRTH', 'DDATA', 'NDEATH'].includes(type)) return;
    const p = decode(payload);
    const metrics = (p.metrics ?? []) as UMetric[];
    if (type === 'NDEATH') return void deaths.push(Number(metrics.find((m) => m.name === BDSEQ)?.value));
    if (type === 'NBIRTH') births.push({ type, seq: Number(p.seq), bdSeq: Number(metrics.find((m) => m.name === BDSEQ)?.value) });
    if (type === 'DBIRTH') {
      births.push({ type, seq: Number(p.seq) });
      metadata = metrics;
      for (const m of metrics) if (m.alias !== undefined && m.alias !== null && m.name) alias.set(Number(m.alias), m.name);
      return;
    }
    if (type === 'DDATA') {
      for (const m of metrics) {
        const id = m.alias !== undefined && m.alias !== null ? alias.get(Number(m.alias)) : undefined;
        if (id) received.push({ pointId: id, readTs: Number(m.timestamp), historical: m.isHistorical === true });
      }
    }
  });
  return { c, births, received, deaths, metadata: () => metadata };
}

describe('edge agent: Sparkplug B edge node with store and forward', () => {
  let broker: Mosquitto;
  let dir: string;
  let agent: EdgeAgent | undefined;
  let h: Awaited<ReturnType<typeof host>> | undefined;

  beforeEach(async () => {
    broker = await startMosquitto();
    dir = mkdtempSync(join(tmpdir(), 'wf-edge-agent-'));
  });
  afterEach(async () => {
    await agent?.stop();
    await h?.c.endAsync(true);
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const makeAgent = (driver: Driver, points: BoundPoint[]) =>
    new EdgeAgent({ group: 'hq', building: 'b', broker: { url: broker.url, keepaliveS: 2 }, points, drivers: [driver], dataDir: dir, log: silent, primaryHostId: 'test-host', reconnectMs: 500 });

  it('births carry bdSeq, seq 0 and point metadata; a rebirth request re-sends them; NDEATH repeats the bdSeq', async () => {
    const points = [point('power', true), point('energy')];
    const driver = new CountingDriver(points);
    h = await host(broker.url);
    agent = makeAgent(driver, points);
    await agent.start();
    await until('births', () => h!.births.length >= 2);
    expect(h.births[0]).toMatchObject({ type: 'NBIRTH', seq: 0 });
    expect(h.births[1]).toMatchObject({ type: 'DBIRTH', seq: 1 });
    const power = h.metadata().find((m) => m.name === points[0].info.id)!;
    expect(power.properties?.unit?.value).toBe('kW');
    expect(power.properties?.writable?.value).toBe(true);
    await h.c.publishAsync('spBv1.0/hq/NCMD/b', encode({ timestamp: Date.now(), metrics: [{ name: REBIRTH, type: 'Boolean', value: true }] }), { qos: 1 });
    await until('rebirth', () => h!.births.filter((b) => b.type === 'NBIRTH').length === 2);
    const nbirths = h.births.filter((b) => b.type === 'NBIRTH');
    expect(nbirths[1].seq).toBe(0);
    expect(nbirths[1].bdSeq).toBe(nbirths[0].bdSeq);
    await agent.stop();
    await until('NDEATH', () => h!.deaths.length === 1);
    expect(h.deaths[0]).toBe(nbirths[0].bdSeq);
    agent = undefined;
  });

  it('broker down: samples are spooled, then replayed in order as historical; none is lost', async () => {
    const points = [point('power'), point('energy')];
    const driver = new CountingDriver(points);
    h = await host(broker.url);
    agent = makeAgent(driver, points);
    await agent.start();
    await until('live samples', () => h!.received.length >= 20);
    await broker.kill();
    await until('some samples spooled', () => agent!.counters.spooled >= 40);
    await broker.revive();
    await until('edge live again', () => agent!.isLive && agent!.spooledBytes === 0);
    driver.pause();
    const key = (s: { pointId: string; readTs: number }) => `${s.pointId}@${s.readTs}`;
    await until('every produced sample received', () => {
      const got = new Set(h!.received.map(key));
      return driver.produced.every((s) => got.has(key(s)));
    });
    const hist = h.received.filter((s) => s.historical);
    expect(hist.length).toBeGreaterThanOrEqual(40);
    expect(agent.counters.replayed).toBe(agent.counters.spooled);
    expect(agent.counters.dropped).toBe(0);
    // Replayed in order, per point.
    for (const p of points) {
      const ts = hist.filter((s) => s.pointId === p.info.id).map((s) => s.readTs);
      expect(ts).toEqual([...ts].sort((a, b) => a - b));
    }
  });

  it('nothing is published before the primary host is online; the spool holds it until then', async () => {
    const points = [point('power')];
    const driver = new CountingDriver(points);
    agent = makeAgent(driver, points);
    await agent.start();
    await until('spooling while no host', () => agent!.counters.spooled >= 10);
    expect(agent.counters.live).toBe(0);
    h = await host(broker.url);
    await until('replayed', () => agent!.isLive);
    driver.pause();
    await until('all received', () => h!.received.length >= driver.produced.length);
    expect(h.received.filter((s) => s.historical).length).toBeGreaterThanOrEqual(10);
  });
});
