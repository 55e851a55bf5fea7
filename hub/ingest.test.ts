import { describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../contracts/driver.js';
import type { PointInfo } from '../contracts/point.js';
import { SampleBus } from './bus.js';
import { Ingest } from './ingest.js';
import { captureLogger } from './log.js';
import type { IngestEvent } from './module.js';
import { PointStore } from './state.js';

const P = 'hq/a/l01/r1/d/p';
const info: PointInfo = { id: P, name: { en: 'p', 'zh-CN': 'p' }, kind: 'analog', writable: false, device: 'd', protocol: 't', intervalMs: 100 };

function setup() {
  const log = captureLogger();
  const store = new PointStore([info], log);
  const bus = new SampleBus(log);
  const events: IngestEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const ingest = new Ingest(store, bus, log, '/tmp/data');
  return { log, store, events, ingest };
}
const st = (state: ConnectionStatus['state'], detail?: string, lastCycleMs?: number): ConnectionStatus =>
  ({ connection: 'gw', protocol: 't', state, detail, since: 0, lastCycleMs });

describe('Ingest', () => {
  it('publish goes to the store, then to the bus with samples and changes', () => {
    const { store, events, ingest } = setup();
    const ctx = ingest.contextFor('t');
    ctx.publish([{ pointId: P, value: 1, quality: 'good', readTs: 5 }]);
    ctx.publish([{ pointId: P, value: 1, quality: 'good', readTs: 6 }]);
    expect(store.get(P)?.readTs).toBe(6);
    expect(events.map((e) => [e.samples.length, e.changed.length])).toEqual([[1, 1], [1, 0]]);
    expect(ctx.dataDir).toBe('/tmp/data');
  });

  it('logs a failure once and a recovery once; pushes only state/detail changes', () => {
    const { log, ingest } = setup();
    const pushed: string[] = [];
    ingest.onStatus((all) => pushed.push(all.map((s) => s.state).join()));
    const ctx = ingest.contextFor('t');
    ctx.status(st('connecting'));
    ctx.status(st('online', undefined, 10));
    ctx.status(st('online', undefined, 12)); // cycle time only
    ctx.status(st('offline', 'ECONNREFUSED'));
    ctx.status(st('offline', 'ECONNREFUSED'));
    ctx.status(st('offline', 'timeout'));
    ctx.status(st('online'));
    const warns = log.entries.filter((e) => e.level === 'warn');
    const infos = log.entries.filter((e) => e.level === 'info');
    expect(warns).toHaveLength(1);
    expect(warns[0].msg).toBe('connection gw offline');
    expect(infos).toHaveLength(1);
    expect(infos[0].msg).toBe('connection gw recovered');
    expect(pushed).toEqual(['connecting', 'online', 'offline', 'offline', 'online']);
    expect(ingest.statuses()).toHaveLength(1);
  });

  it('keeps the latest status including cycle time', () => {
    const { ingest } = setup();
    ingest.status(st('online', undefined, 10));
    ingest.status(st('online', undefined, 12));
    expect(ingest.statuses()[0].lastCycleMs).toBe(12);
  });

  it('stale sweep emits its changes through the bus', () => {
    const { events, ingest } = setup();
    ingest.publish([{ pointId: P, value: 1, quality: 'good', readTs: 5 }]);
    ingest.sweepStale(Date.now() + 1000);
    expect(events[1].changed[0]).toMatchObject({ id: P, quality: 'stale', value: 1 });
  });

  it('ignores publishes after close', () => {
    const { events, ingest } = setup();
    ingest.close();
    ingest.publish([{ pointId: P, value: 1, quality: 'good', readTs: 5 }]);
    expect(events).toHaveLength(0);
  });
});
