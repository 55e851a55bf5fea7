// Retention policies, roll-up statements and trend/energy InfluxQL for the documented schema.
import { MEASUREMENT } from './lineProtocol.js';
import { influxqlIdent as id, influxqlString as str } from './influxHttp.js';
import type { Aggregate, TrendRequest } from './query.js';
import { parseDuration, type RollupSettings } from './settings.js';
import { COUNTER_QUALITIES } from './store.js';

export interface SchemaSettings {
  database: string;
  retentionPolicy: string;
  rawRetention: string;
  rollups: RollupSettings[];
}

const durationText = (d: string) => (d === 'INF' ? 'INF' : `${parseDuration(d)! / 1000}s`);

/**
 * The roll-up SELECT … INTO, run by the hub (rollups.ts) over whole intervals it chooses: every roll-up
 * reads raw data, so roll-ups never race each other. `value_sum` and `value_count` let a coarser step
 * re-aggregate the mean exactly (a mean of means would weight a half-empty minute like a full one).
 */
export function rollupSelect(s: SchemaSettings, r: RollupSettings, where = ''): string {
  const res = parseDuration(r.resolution)!;
  return (
    `SELECT mean("value") AS "value", min("value") AS "value_min", max("value") AS "value_max", last("value") AS "value_last", ` +
    `sum("value") AS "value_sum", count("value") AS "value_count" ` +
    `INTO ${id(s.database)}.${id(r.retentionPolicy)}.${id(MEASUREMENT)} FROM ${id(s.database)}.${id(s.retentionPolicy)}.${id(MEASUREMENT)}` +
    `${where} GROUP BY time(${res}ms), *`
  );
}

/** Roll-up SELECT … INTO over [from, to) (whole intervals of the roll-up's resolution). */
export function rollupRangeStatement(s: SchemaSettings, r: RollupSettings, from: number, to: number): string {
  return rollupSelect(s, r, ` WHERE time >= ${from}ms AND time < ${to}ms`);
}

/**
 * Name of the continuous query earlier versions created per roll-up. The hub now computes roll-ups
 * itself (a CQ cannot tell which intervals it has covered, misses intervals while influxd is down and
 * sees no data later than its RESAMPLE FOR window), so ensureSchema drops it.
 */
export function legacyCqName(r: RollupSettings): string {
  return `cq_${r.retentionPolicy}`;
}

/** Where the hub records how far each roll-up is complete (one point per change, in the roll-up's RP). */
export const ROLLUP_STATE = 'rollup_state';

export function rollupStateLine(r: RollupSettings, from: number, to: number, dirtyFrom: number, now: number): string {
  return `${ROLLUP_STATE},rollup=${r.retentionPolicy} covered_from=${from}i,covered_to=${to}i,dirty_from=${dirtyFrom}i ${now}`;
}

export function rollupStateQuery(s: SchemaSettings, r: RollupSettings): string {
  return (
    `SELECT last("covered_from") AS "from", last("covered_to") AS "to", last("dirty_from") AS "dirty" ` +
    `FROM ${id(s.database)}.${id(r.retentionPolicy)}.${id(ROLLUP_STATE)} WHERE "rollup" = ${str(r.retentionPolicy)}`
  );
}

/** Time of the oldest raw sample in [from, to) (any point), to skip backfilling empty history. */
export function firstRawStatement(s: SchemaSettings, from: number, to: number): string {
  return `SELECT first("quality") FROM ${id(s.database)}.${id(s.retentionPolicy)}.${id(MEASUREMENT)} WHERE time >= ${from}ms AND time < ${to}ms`;
}

/** Statements that make the RPs match settings, given the RPs that exist now. */
export function retentionStatements(s: SchemaSettings, existing: Set<string>): string[] {
  const out: string[] = [];
  const rp = (name: string, duration: string, isDefault: boolean) => {
    const verb = existing.has(name) ? 'ALTER' : 'CREATE';
    const repl = verb === 'CREATE' ? ' REPLICATION 1' : '';
    out.push(`${verb} RETENTION POLICY ${id(name)} ON ${id(s.database)} DURATION ${durationText(duration)}${repl}${isDefault ? ' DEFAULT' : ''}`);
  };
  rp(s.retentionPolicy, s.rawRetention, true);
  for (const r of s.rollups) rp(r.retentionPolicy, r.retention, false);
  return out;
}

/** The coarsest roll-up whose buckets tile the step (and its offset); null → query raw data. */
export function pickRollup(rollups: RollupSettings[], stepMs: number, offsetMs: number): RollupSettings | null {
  let best: RollupSettings | null = null;
  for (const r of rollups) {
    const res = parseDuration(r.resolution)!;
    if (res <= stepMs && stepMs % res === 0 && offsetMs % res === 0 && (!best || res > parseDuration(best.resolution)!)) best = r;
  }
  return best;
}

/**
 * For a roll-up the hub does not compute (manageSchema: false; 2.x/3.x tasks fill it): assume it is
 * complete up to the end of the last interval before the current one.
 */
export function assumedRollupEnd(now: number, rollup: RollupSettings): number {
  const res = parseDuration(rollup.resolution)!;
  return Math.floor(now / res) * res - res;
}

function pointFilter(points: string[]): string {
  return `(${points.map((p) => `"point" = ${str(p)}`).join(' OR ')})`;
}

function rawAggregate(agg: Aggregate): string {
  return `${agg}("value")`;
}

function rollupAggregate(agg: Aggregate): string {
  // mean: weighted by each roll-up row's sample count, so it equals the raw mean over the step.
  return { mean: 'sum("value_sum") / sum("value_count")', min: 'min("value_min")', max: 'max("value_max")', last: 'last("value_last")' }[agg];
}

/** The roll-up column that already holds `agg` for one roll-up bucket. */
const ROLLUP_COLUMN: Record<Aggregate, string> = { mean: 'value', min: 'value_min', max: 'value_max', last: 'value_last' };

export function trendStatement(s: SchemaSettings, req: TrendRequest, from: number, to: number, rollup: RollupSettings | null): string {
  const rp = rollup ? rollup.retentionPolicy : s.retentionPolicy;
  if (rollup && parseDuration(rollup.resolution) === req.stepMs) {
    // The step IS the roll-up's bucket: its rows are the answer, one per bucket. Reading them as they
    // are skips InfluxDB's GROUP BY time() machinery (about half the time of the 24 h × 1 min trend).
    return (
      `SELECT ${id(ROLLUP_COLUMN[req.agg])} AS "v" FROM ${id(s.database)}.${id(rp)}.${id(MEASUREMENT)} ` +
      `WHERE ${pointFilter(req.points)} AND time >= ${from}ms AND time < ${to}ms GROUP BY "point"`
    );
  }
  const sel = rollup ? rollupAggregate(req.agg) : rawAggregate(req.agg);
  return (
    `SELECT ${sel} AS "v" FROM ${id(s.database)}.${id(rp)}.${id(MEASUREMENT)} ` +
    `WHERE ${pointFilter(req.points)} AND time >= ${from}ms AND time < ${to}ms ` +
    `GROUP BY time(${req.stepMs}ms, ${req.offsetMs}ms), "point" fill(none)`
  );
}

const goodQuality = `(${COUNTER_QUALITIES.map((q) => `"quality" = ${str(q)}`).join(' OR ')})`;

/**
 * InfluxDB 1.x narrows a subquery to the outer query's time range, so the outer range starts at the
 * anchoring reading too; `from` is a fine-bucket boundary and buckets before it are dropped by the caller.
 */
/** Time of the last good reading before `from` (so the first difference inside the range has its predecessor). */
export function lastBeforeStatement(s: SchemaSettings, pointId: string, from: number, lookbackMs: number): string {
  return (
    `SELECT last("value") FROM ${id(s.database)}.${id(s.retentionPolicy)}.${id(MEASUREMENT)} ` +
    `WHERE "point" = ${str(pointId)} AND ${goodQuality} AND time >= ${from - lookbackMs}ms AND time < ${from}ms`
  );
}

export function counterDeltaStatement(s: SchemaSettings, pointId: string, innerFrom: number, to: number, bucketMs: number): string {
  return (
    `SELECT sum("d") AS "d" FROM (SELECT non_negative_difference("value") AS "d" FROM ${id(s.database)}.${id(s.retentionPolicy)}.${id(MEASUREMENT)} ` +
    `WHERE "point" = ${str(pointId)} AND ${goodQuality} AND time >= ${innerFrom}ms AND time < ${to}ms) ` +
    `WHERE time >= ${innerFrom}ms AND time < ${to}ms GROUP BY time(${bucketMs}ms) fill(none)`
  );
}


/**
 * Rows of one point sorted by time, with rows of the same bucket combined. Only a point renamed inside
 * the range has two series (names are tags) and so two rows for one roll-up bucket; those are combined
 * by the aggregate (a mean of the two means: close enough for the one bucket of a rename).
 */
export function mergeSameBucket(rows: Array<[number, number]>, agg: Aggregate): Array<[number, number]> {
  rows.sort((a, b) => a[0] - b[0]);
  let out = 0;
  let run = 1;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (out > 0 && rows[out - 1][0] === row[0]) {
      const prev = rows[out - 1];
      if (agg === 'mean') prev[1] = (prev[1] * run + row[1]) / ++run;
      else if (agg === 'min') prev[1] = Math.min(prev[1], row[1]);
      else if (agg === 'max') prev[1] = Math.max(prev[1], row[1]);
      else prev[1] = row[1];
      continue;
    }
    rows[out++] = row;
    run = 1;
  }
  rows.length = out;
  return rows;
}
