import { describe, expect, it } from 'vitest';
import { mergeSameBucket, pickRollup, trendStatement, type SchemaSettings } from './influxSchema.js';
import type { TrendRequest } from './query.js';

const schema: SchemaSettings = {
  database: 'wf',
  retentionPolicy: 'raw',
  rawRetention: '30d',
  rollups: [
    { retentionPolicy: 'rollup_1m', resolution: '1m', retention: '400d' },
    { retentionPolicy: 'rollup_1h', resolution: '1h', retention: 'INF' },
  ],
};
const req = (stepMs: number, agg: TrendRequest['agg'] = 'mean'): TrendRequest => ({ points: ['a/b', "c'd"], from: 0, to: 3_600_000, stepMs, agg, offsetMs: 0 });

describe('trend InfluxQL', () => {
  it.each([
    ['step = roll-up bucket: reads the stored column, no GROUP BY time', 60_000, 'mean', 'SELECT "value" AS "v" FROM "wf"."rollup_1m"."samples"', 'GROUP BY "point"'],
    ['step = roll-up bucket, max → value_max', 60_000, 'max', 'SELECT "value_max" AS "v" FROM "wf"."rollup_1m"', 'GROUP BY "point"'],
    ['step = roll-up bucket, last → value_last', 3_600_000, 'last', 'SELECT "value_last" AS "v" FROM "wf"."rollup_1h"', 'GROUP BY "point"'],
    ['coarser step re-aggregates the roll-up', 300_000, 'min', 'SELECT min("value_min") AS "v" FROM "wf"."rollup_1m"', 'GROUP BY time(300000ms, 0ms), "point" fill(none)'],
    ['a coarser mean weighs each roll-up row by its sample count', 300_000, 'mean', 'SELECT sum("value_sum") / sum("value_count") AS "v" FROM "wf"."rollup_1m"', 'GROUP BY time(300000ms, 0ms), "point" fill(none)'],
  ] as const)('%s', (_name, step, agg, head, tail) => {
    const rollup = pickRollup(schema.rollups, step, 0);
    const q = trendStatement(schema, req(step, agg), 0, 3_600_000, rollup);
    expect(q.startsWith(head)).toBe(true);
    expect(q.endsWith(tail)).toBe(true);
    expect(q).toContain(`("point" = 'a/b' OR "point" = 'c\\'d') AND time >= 0ms AND time < 3600000ms`);
  });

  it('raw data is aggregated by time', () => {
    expect(trendStatement(schema, req(10_000), 0, 60_000, null)).toBe(
      `SELECT mean("value") AS "v" FROM "wf"."raw"."samples" WHERE ("point" = 'a/b' OR "point" = 'c\\'d') AND time >= 0ms AND time < 60000ms GROUP BY time(10000ms, 0ms), "point" fill(none)`,
    );
  });
});

describe('mergeSameBucket (a point renamed inside the range has two series)', () => {
  const rows = (): Array<[number, number]> => [[120, 5], [60, 1], [60, 3], [0, 7], [60, 2]];
  it.each([
    ['mean', [[0, 7], [60, 2], [120, 5]]],
    ['min', [[0, 7], [60, 1], [120, 5]]],
    ['max', [[0, 7], [60, 3], [120, 5]]],
  ] as const)('%s', (agg, want) => {
    expect(mergeSameBucket(rows(), agg)).toEqual(want);
  });
  it('leaves distinct buckets alone, sorted', () => {
    expect(mergeSameBucket([[2, 1], [1, 1]], 'mean')).toEqual([[1, 1], [2, 1]]);
  });
});
