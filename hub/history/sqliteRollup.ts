// The embedded store's 1-minute roll-up (what InfluxDB's continuous queries give the other backend):
// per point and minute the count, mean, min, max and last numeric value. It is recomputed from the
// raw rows for every minute a commit touches, in the same transaction, so an overwritten sample
// (same point and time) never counts twice. Trends with whole-minute buckets read it for the whole
// minutes of their range and the raw rows only for the partial minutes at the edges; a week of
// 1 s data then reads ~100k rows instead of ~6M.
import type Database from 'better-sqlite3';
import type { Aggregate, TrendRequest } from './query.js';

export const MINUTE_MS = 60_000;

const SCHEMA = `CREATE TABLE IF NOT EXISTS rollup_1m (
  point TEXT NOT NULL, ts INTEGER NOT NULL, n INTEGER NOT NULL, mean REAL NOT NULL, min REAL NOT NULL,
  max REAL NOT NULL, last REAL NOT NULL, last_ts INTEGER NOT NULL, PRIMARY KEY (point, ts)) WITHOUT ROWID`;

/** One bucket's partial aggregate: for mean a = sum and c = count; min/max a = extreme; last a = value and c = its time. */
interface Partial { point: string; b: number; a: number; c: number }

const RAW_PARTIAL: Record<Aggregate, string> = {
  mean: 'sum(value) AS a, count(value) AS c',
  min: 'min(value) AS a, 1 AS c',
  max: 'max(value) AS a, 1 AS c',
  // SQLite's bare column next to a single max() comes from the row holding the max: the last value.
  last: 'value AS a, max(ts) AS c',
};
const ROLLUP_PARTIAL: Record<Aggregate, string> = {
  mean: 'sum(mean * n) AS a, sum(n) AS c',
  min: 'min(min) AS a, 1 AS c',
  max: 'max(max) AS a, 1 AS c',
  last: 'last AS a, max(last_ts) AS c',
};

/** Whole minutes inside [from, to) when the buckets are made of whole minutes, else null (raw only). Pure. */
export function rollupSpan(req: Pick<TrendRequest, 'from' | 'to' | 'stepMs' | 'offsetMs'>): { from: number; to: number } | null {
  if (req.stepMs % MINUTE_MS !== 0 || req.offsetMs % MINUTE_MS !== 0) return null;
  const from = Math.ceil(req.from / MINUTE_MS) * MINUTE_MS;
  const to = Math.floor(req.to / MINUTE_MS) * MINUTE_MS;
  return to > from ? { from, to } : null;
}

/** Merges two partials of the same bucket. Pure. */
export function combine(agg: Aggregate, x: Partial, y: Partial): Partial {
  if (agg === 'mean') return { ...x, a: x.a + y.a, c: x.c + y.c };
  if (agg === 'min') return { ...x, a: Math.min(x.a, y.a) };
  if (agg === 'max') return { ...x, a: Math.max(x.a, y.a) };
  return y.c > x.c ? y : x;
}

export class MinuteRollup {
  private readonly recompute: Database.Statement;
  private readonly drop: Database.Statement;

  constructor(private readonly db: Database.Database, log: { info(o: object, m?: string): void }) {
    const existed = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'rollup_1m'").get() !== undefined;
    db.exec(SCHEMA);
    this.recompute = db.prepare(`INSERT OR REPLACE INTO rollup_1m
      SELECT :point, :b, count(value), avg(value), min(value), max(value),
        (SELECT value FROM samples WHERE point = :point AND ts >= :b AND ts < :e AND value IS NOT NULL ORDER BY ts DESC LIMIT 1),
        max(ts)
      FROM samples WHERE point = :point AND ts >= :b AND ts < :e AND value IS NOT NULL HAVING count(value) > 0`);
    this.drop = db.prepare('DELETE FROM rollup_1m WHERE point = ? AND ts = ?');
    if (!existed) this.backfill(log);
  }

  /** Recomputes every minute the rows touch (call inside the insert's transaction). */
  touch(rows: ReadonlyArray<readonly [string, number, ...unknown[]]>): void {
    const minutes = new Map<string, Set<number>>();
    for (const r of rows) {
      let set = minutes.get(r[0]);
      if (!set) minutes.set(r[0], (set = new Set()));
      set.add(Math.floor(r[1] / MINUTE_MS) * MINUTE_MS);
    }
    for (const [point, set] of minutes) {
      for (const b of set) {
        // No numeric value left in that minute (strings only): no roll-up row.
        if (this.recompute.run({ point, b, e: b + MINUTE_MS }).changes === 0) this.drop.run(point, b);
      }
    }
  }

  prune(before: number): void {
    this.db.prepare('DELETE FROM rollup_1m WHERE ts < ?').run(Math.floor(before / MINUTE_MS) * MINUTE_MS);
  }

  /** Bucketed partials of [from, to) from the raw rows, or from the roll-up (whole minutes only). */
  partials(source: 'raw' | 'rollup', req: TrendRequest, from: number, to: number): Partial[] {
    const bucket = `CAST((ts - :off) / :step AS INTEGER) * :step + :off`;
    const table = source === 'raw' ? 'samples' : 'rollup_1m';
    const what = (source === 'raw' ? RAW_PARTIAL : ROLLUP_PARTIAL)[req.agg];
    const placeholders = req.points.map((_, i) => `:p${i}`).join(',');
    const notNull = source === 'raw' ? 'AND value IS NOT NULL' : '';
    const sql = `SELECT point, ${bucket} AS b, ${what} FROM ${table} WHERE point IN (${placeholders}) AND ts >= :from AND ts < :to ${notNull} GROUP BY point, b`;
    // The offset is shifted by a large multiple of the step so (ts - off) stays positive and integer division floors.
    const params: Record<string, number | string> = { from, to, step: req.stepMs, off: req.offsetMs - req.stepMs * 1e6 };
    req.points.forEach((p, i) => (params[`p${i}`] = p));
    return (this.db.prepare(sql).all(params) as Partial[]).filter((p) => p.a !== null);
  }

  private backfill(log: { info(o: object, m?: string): void }): void {
    const t0 = Date.now();
    // Two steps: with several aggregates in one query, SQLite's bare-column rule cannot name the last value.
    const { changes } = this.db.prepare(`INSERT OR REPLACE INTO rollup_1m
      SELECT point, CAST(ts / ${MINUTE_MS} AS INTEGER) * ${MINUTE_MS} AS b, count(value), avg(value), min(value), max(value), 0, max(ts)
      FROM samples WHERE value IS NOT NULL GROUP BY point, b`).run();
    this.db.exec('UPDATE rollup_1m SET last = (SELECT value FROM samples WHERE samples.point = rollup_1m.point AND samples.ts = rollup_1m.last_ts)');
    if (changes > 0) log.info({ minutes: changes, ms: Date.now() - t0 }, 'embedded history: 1-minute roll-up built from the samples already stored');
  }
}
