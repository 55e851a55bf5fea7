// The same trend/energy/route cases against both backends: InfluxDB (real influxd) and embedded SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnergyResponse, HistoryResponse } from '../../contracts/api.js';
import type { Sample } from '../../contracts/point.js';
import { startInfluxd, type RunningInfluxd } from '../../test/influx/influxd.js';
import { InfluxStore } from './influxStore.js';
import { createHistoryModule, type HistoryModule } from './module.js';
import { historySettingsSchema, type HistorySettings } from './settings.js';
import { createTestHub, pointInfo, testConfig, type TestHub } from './testHarness.js';
import { localParts, zonedToUtc } from '../../contracts/timezone.js';

const TZ = 'Asia/Shanghai';
const H = 3_600_000;
const M = 60_000;
const now = Date.now();
// Local midnight (Asia/Shanghai) three days ago: inside the 30 d raw retention.
const p = localParts(now - 3 * 86_400_000, TZ);
const D = zonedToUtc(TZ, p.year, p.month, p.day);

const TEMP = 'hq/a/l03/meeting-301/env-1/temp';
const METER = 'hq/a/b1/power-b101/meter-1/kwh';
const TEXT = 'hq/a/l01/lobby-101/reader-1/last-card';

// Temperature every 10 s from D-1h to D+2h; value = index.
const tempSamples: Sample[] = Array.from({ length: (3 * H) / 10_000 }, (_, i) => ({ pointId: TEMP, value: i * 0.5, quality: 'good', readTs: D - H + i * 10_000 }));

// A cumulative kWh counter: readings every 15 min, a gap across local midnight, a reset at D+1:15, a bad reading.
const meterReadings: Array<[number, number, Sample['quality']?]> = [
  [-3 * H, 100], [-165 * M, 101.5], [-150 * M, 103], [-135 * M, 104.5], [-2 * H, 106],
  [15 * M, 109], [30 * M, 110.5], [45 * M, 112], [H, 113.5],
  [75 * M, 0.5], [90 * M, 2], [105 * M, 3.5], [110 * M, 9999, 'bad'], [2 * H, 5],
];
const meterSamples: Sample[] = meterReadings.map(([dt, value, quality]) => ({ pointId: METER, value, quality: quality ?? 'good', readTs: D + dt }));

/** Reference aggregation in JS, epoch-aligned buckets (+offset), as GROUP BY time does. */
function reference(from: number, to: number, step: number, offset: number, agg: 'mean' | 'min' | 'max' | 'last'): Array<[number, number]> {
  const buckets = new Map<number, number[]>();
  for (const s of tempSamples) {
    if (s.readTs < from || s.readTs >= to) continue;
    const b = Math.floor((s.readTs - offset) / step) * step + offset;
    buckets.set(b, [...(buckets.get(b) ?? []), s.value as number]);
  }
  return [...buckets].sort((a, b) => a[0] - b[0]).map(([b, v]) => [b, agg === 'mean' ? v.reduce((x, y) => x + y) / v.length : agg === 'min' ? Math.min(...v) : agg === 'max' ? Math.max(...v) : v[v.length - 1]]);
}

let influx: RunningInfluxd;
const dirs: string[] = [];
beforeAll(async () => {
  influx = await startInfluxd();
});
afterAll(async () => {
  await influx?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const backends: Array<[string, () => HistorySettings]> = [
  ['influxdb', () => historySettingsSchema.parse({ url: influx.url, database: `shared_${process.pid}`, flushMs: 50 })],
  ['embedded', () => historySettingsSchema.parse({ backend: 'embedded', flushMs: 50 })],
];

describe.each(backends)('history queries on the %s backend', (backend, makeSettings) => {
  let hub: TestHub;
  let mod: HistoryModule;
  let base: string;
  const get = (path: string, headers: Record<string, string> = { 'x-test-permissions': 'points:read' }) => fetch(`${base}${path}`, { headers });
  const json = async <T>(path: string) => {
    const res = await get(path);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'watchfloor-history-shared-'));
    dirs.push(dataDir);
    hub = createTestHub(testConfig([pointInfo(TEMP, 'analog', { unit: '°C' }), pointInfo(METER, 'analog', { unit: 'kWh' }), pointInfo(TEXT, 'string')], dataDir, TZ));
    mod = createHistoryModule({ settings: makeSettings() });
    base = await hub.mount(mod);
    expect(mod.store()!.backend).toBe(backend);
    hub.publish(tempSamples);
    hub.publish(meterSamples);
    await mod.store()!.flush();
    // Data written with past timestamps was never seen by the CQs: recompute the roll-ups, as a replay does.
    if (mod.store() instanceof InfluxStore) await (mod.store() as InfluxStore).backfillRollups(D - 2 * H, D + 3 * H);
  });
  afterAll(async () => {
    await hub.close();
    await mod.stop!();
  });

  it.each([
    ['10s raw mean', 10_000, 'mean'],
    ['1m mean', 60_000, 'mean'],
    ['1m min', 60_000, 'min'],
    ['5m max', 300_000, 'max'],
    ['1m last', 60_000, 'last'],
    ['1h mean', H, 'mean'],
  ] as const)('trend %s matches a reference aggregation', async (_name, step, agg) => {
    const from = D - 30 * M + 5_000; // not on a bucket boundary: the first bucket starts before `from`
    const to = D + 90 * M;
    const body = await json<HistoryResponse>(`/api/history?points=${TEMP}&from=${from}&to=${to}&step=${step}&agg=${agg}`);
    expect(body).toMatchObject({ stepMs: step, agg, backend });
    const got = body.series[0].points;
    // Whole buckets: from rounds down, to rounds up.
    const alignedFrom = Math.floor(from / step) * step;
    const alignedTo = Math.ceil(to / step) * step;
    expect(body).toMatchObject({ from: alignedFrom, to: alignedTo });
    const want = reference(alignedFrom, alignedTo, step, 0, agg);
    expect(got.map((x) => x[0])).toEqual(want.map((x) => x[0]));
    got.forEach(([, v], i) => expect(v).toBeCloseTo(want[i][1], 9));
  });

  it('aligns day buckets to local midnight and picks a step when none is given', async () => {
    const day = await json<HistoryResponse>(`/api/history?points=${TEMP}&from=${new Date(D - H).toISOString()}&to=${D + 2 * H}&step=1d&agg=max`);
    expect(day.series[0].points.map((x) => x[0])).toEqual([D - 24 * H, D]);
    expect(day.series[0].points[0][1]).toBeCloseTo(((H - 10_000) / 10_000) * 0.5, 9);
    const auto = await json<HistoryResponse>(`/api/history?points=${TEMP},${METER}&from=${D - 20 * H}&to=${D + 4 * H}`);
    expect(auto.stepMs).toBe(60_000); // 24 h / 2000 buckets → 43 s → the next ladder step
    expect(auto.series.map((s) => s.pointId)).toEqual([TEMP, METER]);
    expect(auto.series[1].unit).toBe('kWh');
  });

  it('computes energy across a counter reset, a gap and local midnight', async () => {
    const daily = await json<EnergyResponse>(`/api/energy?meters=${METER}&from=${D - 3 * H}&to=${D + 3 * H}&interval=day`);
    expect(daily.timezone).toBe(TZ);
    expect(daily.meters[0].buckets).toEqual([
      { start: D - 24 * H, end: D, value: 6 },
      { start: D, end: D + 24 * H, value: 12 },
    ]);
    expect(daily.meters[0].total).toBe(18);
    const hourly = await json<EnergyResponse>(`/api/energy?meters=${METER}&from=${D - 3 * H}&to=${D + 3 * H}&interval=hour`);
    expect(hourly.meters[0].buckets.map((b) => b.value)).toEqual([4.5, 1.5, null, 6, 4.5, 1.5]);
    // The reading before `from` anchors the first difference (D-2:15 → D-2:00 is 1.5).
    const partial = await json<EnergyResponse>(`/api/energy?meters=${METER}&from=${D - 2 * H + 17 * M}&to=${D}&interval=hour`);
    expect(partial.from).toBe(D - 2 * H); // rounded down to the local hour
    expect(partial.meters[0].buckets.map((b) => b.value)).toEqual([1.5, null]);
  });

  it('exports CSV for format=csv and Accept: text/csv', async () => {
    const res = await get(`/api/energy?meters=${METER}&from=${D - 3 * H}&to=${D + 3 * H}&interval=day&format=csv`);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('start,end,start_ms,end_ms,meter,unit,consumption');
    expect(lines[2]).toBe(`${new Date(D).toISOString().slice(0, 0)}${lines[2].split(',')[0]},${lines[2].split(',')[1]},${D},${D + 24 * H},${METER},kWh,12`);
    expect(lines[2].split(',')[0]).toMatch(/T00:00:00\+08:00$/);
    const trend = await get(`/api/history?points=${TEMP}&from=${D}&to=${D + 2 * M}&step=1m`, { 'x-test-permissions': 'points:read', Accept: 'text/csv' });
    expect((await trend.text()).trim().split('\r\n')).toEqual(['time,time_ms,point,unit,mean', `${lines[2].split(',')[0]},${D},${TEMP},°C,${(0 + 5 * 0.5) / 2 + 180}`.replace(/,[^,]*$/, `,${reference(D, D + 2 * M, M, 0, 'mean')[0][1]}`), expect.stringContaining(`,${D + M},${TEMP},°C,`)]);
  });

  it.each([
    ['/api/history?from=0', 400, 'points'],
    [`/api/history?points=${TEMP}&agg=median`, 400, 'agg'],
    [`/api/history?points=${TEMP}&from=yesterday`, 400, 'from'],
    [`/api/history?points=${TEMP}&from=0&to=${now}&step=1s`, 400, 'step'],
    [`/api/history?points=${TEXT}`, 400, 'points'],
    [`/api/history?points=${TEMP},hq/a/l03/nowhere/x-1/y`, 404, 'points'],
    [`/api/energy?meters=${METER}&to=${now}`, 400, 'from'],
    [`/api/energy?meters=${METER}&from=0&to=${now}&interval=week`, 400, 'interval'],
    [`/api/energy?meters=hq/a/b1/none/m-1/kwh&from=0&to=1000`, 404, 'meters'],
  ])('%s → %i naming %s', async (path, status, param) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { message: string; details: { param: string } } };
    expect(body.error.details.param).toBe(param);
    expect(body.error.message).toContain(status === 404 ? 'unknown point' : param);
  });

  it('needs points:read', async () => {
    expect((await get(`/api/history?points=${TEMP}`, {})).status).toBe(401);
    expect((await get(`/api/energy?meters=${METER}&from=0&to=1`, { 'x-test-permissions': 'cameras:view' })).status).toBe(403);
  });
});
