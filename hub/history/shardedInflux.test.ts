// History sharded by building over 2 real influxd: each building lands only in its shard, trends
// span both, and one shard's outage spools only its buildings, then drains with nothing missing.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../contracts/point.js';
import { startInfluxd, type RunningInfluxd } from '../../test/influx/influxd.js';
import { InfluxHttp } from './influxHttp.js';
import { createHistoryModule } from './module.js';
import { historySettingsSchema, type HistorySettings } from './settings.js';
import type { ShardedStore } from './shardedStore.js';
import { createTestHub, pointInfo, testConfig } from './testHarness.js';

let one: RunningInfluxd;
let two: RunningInfluxd;
const dirs: string[] = [];
let dbSeq = 0;

beforeAll(async () => {
  [one, two] = await Promise.all([startInfluxd(), startInfluxd()]);
}, 30_000);
afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'watchfloor-shards-'));
  dirs.push(d);
  return d;
}

function shardedSettings(extra: Record<string, unknown> = {}): HistorySettings {
  return historySettingsSchema.parse({
    database: `sh${++dbSeq}_${process.pid}`,
    flushMs: 50,
    rollups: [],
    shards: [
      { name: 'one', buildings: ['a'], url: one.url },
      { name: 'two', buildings: ['b'], url: two.url },
    ],
    ...extra,
  });
}

/** Stored samples per building, asking one influxd directly. */
async function countsByBuilding(influx: RunningInfluxd, database: string): Promise<Record<string, number>> {
  const res = await new InfluxHttp({ url: influx.url, database, retentionPolicy: 'raw' }).query('SELECT count("quality") FROM "raw"."samples" GROUP BY "building"');
  return Object.fromEntries((res[0].series ?? []).map((s) => [s.tags!.building, s.values![0][1] as number]));
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Inside the raw retention (30 d); whole hours so trend buckets are predictable.
const T0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 86_400_000;
const A = ['hq/a/l01/lobby-101/env-1/temp', 'hq/a/l02/office-201/env-2/temp'];
const B = ['hq/b/l01/hall-101/env-1/temp', 'hq/b/l03/lab-301/env-3/temp'];

type ShardStatus = { name: string; ok: boolean; connected: boolean; spooledBytes: number; written: number };
const shardStatus = (store: ShardedStore, name: string) => (store.status().shards as ShardStatus[]).find((s) => s.name === name)!;

describe('history sharded by building over 2 influxd', () => {
  it('stores each building only in its shard and answers a trend across both in request order', async () => {
    const settings = shardedSettings();
    const hub = createTestHub(testConfig([...A, ...B].map((id) => pointInfo(id, 'analog')), tempDir()));
    const mod = createHistoryModule({ settings });
    await mod.start!(hub.ctx);
    const store = mod.store() as ShardedStore;
    expect(mod.choice()).toMatchObject({ kind: 'influxdb', url: `${one.url}, ${two.url}` });
    // One bus batch mixing both buildings: split by the store.
    const batch: Sample[] = [];
    for (let i = 0; i < 60; i++) for (const [k, pointId] of [...A, ...B].entries()) batch.push({ pointId, value: k * 100 + i, quality: 'good', readTs: T0 + i * 60_000 });
    hub.publish(batch);
    await store.flush();

    expect(await countsByBuilding(one, settings.database)).toEqual({ a: 120 });
    expect(await countsByBuilding(two, settings.database)).toEqual({ b: 120 });

    // Hourly means over the hour written: point k has values k*100 + 0..59, mean k*100 + 29.5.
    const series = await store.trend({ points: [B[1], A[0], B[0], A[1]], from: T0, to: T0 + 3_600_000, stepMs: 3_600_000, agg: 'mean', offsetMs: 0 });
    expect(series).toEqual([
      { pointId: B[1], points: [[T0, 329.5]] },
      { pointId: A[0], points: [[T0, 29.5]] },
      { pointId: B[0], points: [[T0, 229.5]] },
      { pointId: A[1], points: [[T0, 129.5]] },
    ]);
    expect(hub.health.components().history).toMatchObject({ ok: true, connected: true, down: [], spooledBytes: 0 });
    await mod.stop!();
  });

  it('spools only the down shard\'s building while the other keeps writing, then drains with nothing missing', async () => {
    const settings = shardedSettings({ batchSize: 200 });
    const dataDir = tempDir();
    const hub = createTestHub(testConfig([...A, ...B].map((id) => pointInfo(id, 'analog')), dataDir));
    const mod = createHistoryModule({ settings, probeMaxMs: 200 });
    await mod.start!(hub.ctx);
    const store = mod.store() as ShardedStore;
    const published = { a: 0, b: 0 };
    let tick = 0;
    const publishTick = () => {
      const ts = T0 + tick++ * 10;
      const batch: Sample[] = [...A, ...B].map((pointId, i) => ({ pointId, value: tick + i / 100, quality: 'good', readTs: ts }));
      hub.publish(batch);
      published.a += A.length;
      published.b += B.length;
    };
    const timer = setInterval(publishTick, 10);
    let writtenByOneDuringOutage = 0;
    try {
      await until('writes to both shards', () => shardStatus(store, 'one').written > 0 && shardStatus(store, 'two').written > 0);
      await two.kill();
      await until('the outage of shard two to be noticed', () => !shardStatus(store, 'two').connected);
      const oneAtOutage = shardStatus(store, 'one').written;
      await until('shard two to spool', () => shardStatus(store, 'two').spooledBytes > 10_000);
      await until('shard one to keep writing', () => shardStatus(store, 'one').written > oneAtOutage + 400);
      writtenByOneDuringOutage = shardStatus(store, 'one').written - oneAtOutage;

      const st = store.status();
      expect(st.ok).toBe(false);
      expect(st.down).toEqual(['two']);
      expect(st.lastError).toMatch(/^two: /);
      expect(hub.health.components().history).toMatchObject({ ok: false, down: ['two'] });
      expect(shardStatus(store, 'one')).toMatchObject({ ok: true, connected: true, spooledBytes: 0 });
      // Each shard spools in its own folder: only shard two's holds anything. Spool segments only: the
      // folder also holds the write-ahead file of a batch being POSTed (wal-*.lp), which comes and goes.
      const spoolOf = (name: string) => join(dataDir, settings.spoolDir, name);
      const segments = (name: string) => (existsSync(spoolOf(name)) ? readdirSync(spoolOf(name)).filter((f) => /^segment-\d+\.lp$/.test(f)) : []);
      expect(segments('one')).toEqual([]);
      expect(segments('two').length).toBeGreaterThan(0);

      await two.restart();
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      clearInterval(timer);
    }
    await until('shard two to drain its spool', () => {
      const s = shardStatus(store, 'two');
      return s.connected && s.spooledBytes === 0;
    });
    await store.flush();
    expect(writtenByOneDuringOutage).toBeGreaterThan(400);
    // Shard two's samples of the outage went through its spool; shard one never spooled.
    expect((shardStatus(store, 'two') as ShardStatus & { spooled: number }).spooled).toBeGreaterThan(0);
    expect((shardStatus(store, 'one') as ShardStatus & { spooled: number }).spooled).toBe(0);
    expect(store.status()).toMatchObject({ ok: true, down: [] });
    expect(await countsByBuilding(one, settings.database)).toEqual({ a: published.a });
    expect(await countsByBuilding(two, settings.database)).toEqual({ b: published.b });
    await mod.stop!();
  }, 60_000);
});
