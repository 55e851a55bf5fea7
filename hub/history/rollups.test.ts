// Roll-ups on a real influxd equal raw aggregates exactly, with late and out-of-order samples, whichever
// table serves the trend (issue 11, item 12).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../contracts/point.js';
import { startInfluxd, type RunningInfluxd } from '../../test/influx/influxd.js';
import { InfluxHttp } from './influxHttp.js';
import { trendStatement, type SchemaSettings } from './influxSchema.js';
import { InfluxStore } from './influxStore.js';
import { createHistoryModule, type HistoryModule } from './module.js';
import type { Aggregate, TrendRequest } from './query.js';
import { planSegments } from './rollupPlan.js';
import { historySettingsSchema, type HistorySettings } from './settings.js';
import { createTestHub, pointInfo, testConfig } from './testHarness.js';

const M = 60_000;
const H = 60 * M;
const POINTS = ['hq/a/l03/office-301/env-1/temp', 'hq/a/l03/office-302/env-2/temp', 'hq/a/b1/power-b101/meter-1/kw'];
// Two days ago, on an hour: inside the raw retention, long past any roll-up lag.
const T0 = Math.floor(Date.now() / H) * H - 2 * 24 * H;
const SPAN = 3 * H;

let influx: RunningInfluxd;
const dirs: string[] = [];
let seq = 0;
beforeAll(async () => {
  influx = await startInfluxd();
});
afterAll(async () => {
  await influx?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Deterministic pseudo-random numbers (the same samples every run). */
function prng(seed: number): () => number {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32);
}

/** Irregular samples (3–11 s apart), values on a 0.25 grid so every sum is exact; a few comm_fail gaps. */
function makeSamples(): Sample[] {
  const rnd = prng(11);
  const out: Sample[] = [];
  for (const pointId of POINTS) {
    for (let t = T0 + Math.floor(rnd() * 5000); t < T0 + SPAN; t += 3000 + Math.floor(rnd() * 8000)) {
      if (rnd() < 0.03) out.push({ pointId, value: null, quality: 'comm_fail', detail: 'timeout', readTs: t });
      else out.push({ pointId, value: Math.round((rnd() * 400 - 100) * 4) / 4, quality: 'good', readTs: t });
    }
  }
  return out;
}

function shuffle<T>(list: T[], rnd: () => number): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

function settingsFor(): HistorySettings {
  return historySettingsSchema.parse({ url: influx.url, database: `rollup_${++seq}_${process.pid}`, flushMs: 50 });
}

async function startModule(settings: HistorySettings, dataDir?: string): Promise<{ mod: HistoryModule; store: InfluxStore; publish: (s: Sample[]) => void }> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'watchfloor-rollups-'));
  if (!dataDir) dirs.push(dir);
  const hub = createTestHub(testConfig(POINTS.map((id) => pointInfo(id, 'analog')), dir));
  const mod = createHistoryModule({ settings });
  await mod.start!(hub.ctx);
  return { mod, store: mod.store() as InfluxStore, publish: (s) => hub.publish(s) };
}

function schemaOf(s: HistorySettings): SchemaSettings {
  return { database: s.database, retentionPolicy: s.retentionPolicy, rawRetention: s.rawRetention, rollups: s.rollups };
}

/** The reference: the same aggregate straight from raw data. */
async function rawTrend(s: HistorySettings, req: TrendRequest): Promise<Array<[string, Array<[number, number]>]>> {
  const http = new InfluxHttp({ url: influx.url, database: s.database, retentionPolicy: s.retentionPolicy });
  const res = await http.query(trendStatement(schemaOf(s), req, req.from, req.to, null));
  const by = new Map<string, Array<[number, number]>>(req.points.map((p) => [p, []]));
  for (const series of res[0].series ?? []) for (const row of series.values ?? []) if (typeof row[1] === 'number') by.get(series.tags!.point)!.push([row[0] as number, row[1]]);
  return [...by];
}

const CASES: Array<[string, number, number]> = [
  ['1 m (the roll-up row itself)', M, 0],
  ['5 m (re-aggregated 1 m rows)', 5 * M, 0],
  ['1 h (the 1 h roll-up row)', H, 0],
  ['2 h (re-aggregated 1 h rows)', 2 * H, 0],
  ['1 d at local midnight, Asia/Shanghai', 24 * H, 16 * H],
];
const AGGS: Aggregate[] = ['mean', 'min', 'max', 'last'];

async function expectSameAsRaw(s: HistorySettings, store: InfluxStore): Promise<void> {
  for (const [name, stepMs, offsetMs] of CASES) {
    for (const agg of AGGS) {
      const from = Math.floor((T0 - offsetMs) / stepMs) * stepMs + offsetMs;
      const to = Math.ceil((T0 + SPAN - offsetMs) / stepMs) * stepMs + offsetMs;
      const req: TrendRequest = { points: POINTS, from, to, stepMs, agg, offsetMs };
      const got = (await store.trend(req)).map((x) => [x.pointId, x.points]);
      const want = await rawTrend(s, req);
      expect(want[0][1].length, `${name} ${agg}: reference has buckets`).toBeGreaterThan(0);
      expect(got, `${name} ${agg}`).toEqual(want);
    }
  }
}

describe('roll-ups computed by the hub on a real influxd', () => {
  it('equal raw aggregates exactly after late and out-of-order samples, whichever table serves the trend', async () => {
    const settings = settingsFor();
    const { mod, store, publish } = await startModule(settings);
    const all = shuffle(makeSamples(), prng(7));
    const cut = Math.floor(all.length * 0.8);
    // 80 % arrive (out of order), the roll-ups are computed…
    for (let i = 0; i < cut; i += 500) publish(all.slice(i, Math.min(i + 500, cut)));
    await store.backfillRollups(T0, T0 + SPAN);
    const keeper = store.rollups!;
    for (const r of settings.rollups) {
      const c = keeper.coverage(r);
      expect(c.from! <= T0 && c.to! >= T0 + SPAN && c.dirty.length === 0, `${r.retentionPolicy} covers the data`).toBe(true);
    }
    // …then the rest arrives late, under minutes and hours already rolled up.
    publish(all.slice(cut));
    await store.flush();
    // Right away (roll-ups being recomputed: the dirty minutes are read raw) and after the recompute.
    await expectSameAsRaw(settings, store);
    await keeper.idle();
    expect(settings.rollups.map((r) => keeper.coverage(r).dirty)).toEqual([[], []]);
    // Now every bucket comes from the roll-ups, and they still equal raw.
    for (const [, stepMs, offsetMs] of CASES.slice(0, 4)) {
      const r = stepMs % H === 0 ? settings.rollups[1] : settings.rollups[0];
      const from = Math.floor((T0 - offsetMs) / stepMs) * stepMs + offsetMs;
      const to = Math.ceil((T0 + SPAN - offsetMs) / stepMs) * stepMs + offsetMs;
      expect(planSegments(from, to, stepMs, offsetMs, keeper.coverage(r))).toEqual([{ from, to, rollup: true }]);
    }
    await expectSameAsRaw(settings, store);
    await mod.stop!();
  }, 60_000);

  it('serves a minute that is not rolled up yet from raw data, not []', async () => {
    const settings = settingsFor();
    const { mod, store, publish } = await startModule(settings);
    await store.rollups!.idle();
    // The minute that just ended: a continuous query would have run (too early) for it; the hub has not
    // rolled it up yet (its samples may still be arriving), so it must come from raw data.
    const prev = Math.floor(Date.now() / M) * M - M;
    publish([
      { pointId: POINTS[0], value: 10, quality: 'good', readTs: prev + 1000 },
      { pointId: POINTS[0], value: 20, quality: 'good', readTs: prev + 2000 },
    ]);
    await store.flush();
    const req: TrendRequest = { points: [POINTS[0]], from: prev - 4 * M, to: prev + 2 * M, stepMs: M, agg: 'mean', offsetMs: 0 };
    const got = await store.trend(req);
    expect(got[0].points).toContainEqual([prev, 15]);
    expect(got.map((x) => [x.pointId, x.points])).toEqual(await rawTrend(settings, req));
    await mod.stop!();
  });

  it('keeps its progress across a restart and drops the continuous queries of earlier versions', async () => {
    const settings = settingsFor();
    const http = new InfluxHttp({ url: influx.url, database: settings.database, retentionPolicy: 'raw' });
    await http.query(`CREATE DATABASE "${settings.database}"`, { database: false });
    await http.query(`CREATE RETENTION POLICY "rollup_1m" ON "${settings.database}" DURATION 400d REPLICATION 1`, { database: false });
    await http.query(`CREATE CONTINUOUS QUERY "cq_rollup_1m" ON "${settings.database}" BEGIN SELECT mean("value") AS "value" INTO "${settings.database}"."rollup_1m"."samples" FROM "${settings.database}"."autogen"."samples" GROUP BY time(1m), * END`, { database: false });
    const dataDir = mkdtempSync(join(tmpdir(), 'watchfloor-rollups-'));
    dirs.push(dataDir);
    const first = await startModule(settings, dataDir);
    first.publish(makeSamples().slice(0, 2000));
    await first.store.backfillRollups(T0, T0 + SPAN);
    const before = settings.rollups.map((r) => ({ ...first.store.rollups!.coverage(r) }));
    await first.mod.stop!();
    const cqs = await http.query('SHOW CONTINUOUS QUERIES', { database: false });
    const ours = (cqs[0].series ?? []).find((x) => x.name === settings.database);
    expect(ours?.values ?? []).toEqual([]);

    const second = await startModule(settings, dataDir);
    settings.rollups.forEach((r, i) => {
      const c = second.store.rollups!.coverage(r);
      expect(c.from).toBe(before[i].from);
      expect(c.to!).toBeGreaterThanOrEqual(before[i].to!); // a minute may have been rolled up since
    });
    await second.mod.stop!();
  });
});
