// The embedded store's 1-minute roll-up: the span rule and the merge are table-tested; trends read
// through the roll-up answer exactly what the raw rows answer (random data, overwritten samples,
// ragged edges, several steps and offsets), and a store opened on old data builds the roll-up.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../contracts/point.js';
import type { Aggregate, TrendRequest } from './query.js';
import { combine, rollupSpan } from './sqliteRollup.js';
import { SqliteStore } from './sqliteStore.js';

const M = 60_000;
const quiet = { info() {}, error() {} };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tmpStore = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-rollup-'));
  dirs.push(d);
  return path.join(d, 'embedded.sqlite');
};

describe('rollupSpan', () => {
  it.each([
    ['whole minutes, aligned', { from: 0, to: 10 * M, stepMs: M, offsetMs: 0 }, { from: 0, to: 10 * M }],
    ['ragged edges are trimmed', { from: 1500, to: 10 * M + 7, stepMs: 5 * M, offsetMs: 0 }, { from: M, to: 10 * M }],
    ['hour buckets with a minute offset', { from: 0, to: 3_600_000, stepMs: 3_600_000, offsetMs: 8 * M }, { from: 0, to: 3_600_000 }],
    ['sub-minute step: raw only', { from: 0, to: 10 * M, stepMs: 1000, offsetMs: 0 }, null],
    ['90 s step: raw only', { from: 0, to: 10 * M, stepMs: 90_000, offsetMs: 0 }, null],
    ['offset not on a minute: raw only', { from: 0, to: 10 * M, stepMs: M, offsetMs: 30_000 }, null],
    ['less than one whole minute', { from: 1000, to: M + 1000, stepMs: M, offsetMs: 0 }, null],
  ])('%s', (_name, req, want) => expect(rollupSpan(req)).toEqual(want));
});

describe('combine', () => {
  const p = (a: number, c: number) => ({ point: 'x', b: 0, a, c });
  it.each<[Aggregate, ReturnType<typeof p>, ReturnType<typeof p>, { a: number; c: number }]>([
    ['mean', p(10, 2), p(20, 3), { a: 30, c: 5 }],
    ['min', p(4, 1), p(-1, 1), { a: -1, c: 1 }],
    ['max', p(4, 1), p(-1, 1), { a: 4, c: 1 }],
    ['last', p(7, 100), p(9, 200), { a: 9, c: 200 }],
    ['last', p(7, 300), p(9, 200), { a: 7, c: 300 }],
  ])('%s', (agg, x, y, want) => expect(combine(agg, x, y)).toMatchObject(want));
});

/** The same trend computed straight from raw rows, the way the store did before the roll-up. */
function rawTrend(db: Database.Database, req: TrendRequest): Array<[number, number]> {
  const bucket = 'CAST((ts - :off) / :step AS INTEGER) * :step + :off';
  const select = { mean: 'avg(value) AS v', min: 'min(value) AS v', max: 'max(value) AS v', last: 'value AS v, max(ts)' }[req.agg];
  const rows = db.prepare(`SELECT ${bucket} AS b, ${select} FROM samples WHERE point = :p AND ts >= :from AND ts < :to AND value IS NOT NULL GROUP BY b ORDER BY b`)
    .all({ p: req.points[0], from: req.from, to: req.to, step: req.stepMs, off: req.offsetMs - req.stepMs * 1e6 }) as Array<{ b: number; v: number }>;
  return rows.map((r) => [r.b, r.v]);
}

describe('trends through the roll-up', () => {
  it('answer what the raw rows answer, overwritten samples included', async () => {
    const file = tmpStore();
    const store = new SqliteStore({ path: file, flushMs: 50, batchSize: 5000, retentionMs: 1e12, log: quiet });
    await store.start();
    const t0 = Date.UTC(2026, 0, 5, 3, 0, 0);
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const samples: Sample[] = [];
    for (let s = 0; s < 3 * 3600; s += 1 + Math.floor(rand() * 4)) samples.push({ pointId: 'p', value: Math.round(rand() * 1000) / 10, quality: 'good', readTs: t0 + s * 1000 });
    for (let k = 0; k < samples.length; k += 1000) store.write(samples.slice(k, k + 1000));
    await store.flush();
    // Later overwrites of the same (point, time), some to the extremes, and a string in between.
    store.write(samples.filter((_, i) => i % 97 === 0).map((s, i) => ({ ...s, value: i % 2 ? 500 : -5 })));
    store.write([{ pointId: 'p', value: 'text', quality: 'good', readTs: t0 + 1234 }]);
    await store.flush();
    const db = new Database(file, { readonly: true });
    try {
      for (const agg of ['mean', 'min', 'max', 'last'] as const) {
        for (const [stepMs, offsetMs] of [[M, 0], [5 * M, 0], [3_600_000, 8 * M], [1000, 0], [90_000, 0]] as const) {
          const req: TrendRequest = { points: ['p'], from: t0 + 1234, to: t0 + 3 * 3_600_000 - 777, stepMs, agg, offsetMs };
          const [got] = await store.trend(req);
          const want = rawTrend(db, req);
          expect(got.points.length, `${agg} ${stepMs}`).toBe(want.length);
          got.points.forEach(([b, v], i) => {
            expect(b).toBe(want[i][0]);
            expect(v).toBeCloseTo(want[i][1], 9);
          });
        }
      }
      const minutes = db.prepare('SELECT count(*) AS n FROM rollup_1m').get() as { n: number };
      expect(minutes.n).toBe(3 * 60);
    } finally {
      db.close();
      await store.stop();
    }
  });

  it('a store opened on samples written before the roll-up existed builds it', async () => {
    const file = tmpStore();
    const db = new Database(file);
    db.exec(`CREATE TABLE samples (point TEXT NOT NULL, ts INTEGER NOT NULL, value REAL, value_bool INTEGER, value_str TEXT,
      quality TEXT NOT NULL, detail TEXT, source_ts INTEGER, PRIMARY KEY (point, ts)) WITHOUT ROWID`);
    const t0 = Date.UTC(2026, 0, 5);
    const ins = db.prepare("INSERT INTO samples VALUES ('q', ?, ?, NULL, NULL, 'good', NULL, NULL)");
    for (let s = 0; s < 600; s++) ins.run(t0 + s * 1000, s % 60);
    db.close();
    const store = new SqliteStore({ path: file, flushMs: 50, batchSize: 5000, retentionMs: 1e12, log: quiet });
    await store.start();
    try {
      const [last] = await store.trend({ points: ['q'], from: t0, to: t0 + 10 * M, stepMs: M, agg: 'last', offsetMs: 0 });
      expect(last.points).toEqual(Array.from({ length: 10 }, (_, i) => [t0 + i * M, 59]));
      const [mean] = await store.trend({ points: ['q'], from: t0, to: t0 + 10 * M, stepMs: 10 * M, agg: 'mean', offsetMs: 0 });
      expect(mean.points).toEqual([[t0, 29.5]]);
    } finally {
      await store.stop();
    }
  });
});
