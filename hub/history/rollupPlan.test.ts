import { describe, expect, it } from 'vitest';
import { addInterval, alignOutward, MAX_DIRTY, nextWork, planSegments, removeInterval, type Coverage, type Interval } from './rollupPlan.js';

const M = 60_000;
const cov = (from: number | null, to: number | null, dirty: Interval[] = []): Coverage => ({ from, to, dirty });

describe('interval lists', () => {
  it.each([
    ['into an empty list', [], [10, 20], [[10, 20]]],
    ['before, disjoint', [[30, 40]], [10, 20], [[10, 20], [30, 40]]],
    ['after, disjoint', [[0, 5]], [10, 20], [[0, 5], [10, 20]]],
    ['touching merges', [[0, 10], [20, 30]], [10, 20], [[0, 30]]],
    ['overlapping merges', [[0, 12], [18, 30]], [10, 20], [[0, 30]]],
    ['inside changes nothing', [[0, 30]], [10, 20], [[0, 30]]],
    ['empty range changes nothing', [[0, 5]], [7, 7], [[0, 5]]],
  ] as Array<[string, Interval[], Interval, Interval[]]>)('add %s', (_n, list, [a, b], want) => {
    expect(addInterval(list, a, b)).toEqual(want);
  });

  it('collapses into the hull beyond MAX_DIRTY pieces (more raw reads, never a wrong answer)', () => {
    let list: Interval[] = [];
    for (let i = 0; i <= MAX_DIRTY; i++) list = addInterval(list, i * 10, i * 10 + 1);
    expect(list).toEqual([[0, MAX_DIRTY * 10 + 1]]);
  });

  it.each([
    ['a hole in the middle', [[0, 30]], [10, 20], [[0, 10], [20, 30]]],
    ['the whole', [[0, 30]], [0, 30], []],
    ['across two', [[0, 10], [20, 30]], [5, 25], [[0, 5], [25, 30]]],
    ['outside', [[0, 10]], [20, 30], [[0, 10]]],
  ] as Array<[string, Interval[], Interval, Interval[]]>)('remove %s', (_n, list, [a, b], want) => {
    expect(removeInterval(list, a, b)).toEqual(want);
  });

  it('aligns outward to whole buckets', () => {
    expect(alignOutward(61_000, 119_000, M)).toEqual([60_000, 120_000]);
    expect(alignOutward(60_000, 120_000, M)).toEqual([60_000, 120_000]);
  });
});

describe('planSegments: which table serves which buckets', () => {
  it.each([
    ['nothing known yet → all raw', 0, 60 * M, M, cov(null, null), [[0, 60, false]]],
    ['fully covered → all roll-up', 0, 60 * M, M, cov(0, 120 * M), [[0, 60, true]]],
    ['the recent part not yet rolled up is raw', 0, 60 * M, M, cov(0, 45 * M), [[0, 45, true], [45, 60, false]]],
    ['before coverage started is raw', 0, 60 * M, M, cov(15 * M, 120 * M), [[0, 15, false], [15, 60, true]]],
    ['a dirty minute is raw until recomputed', 0, 60 * M, M, cov(0, 120 * M, [[10 * M, 11 * M]]), [[0, 10, true], [10, 11, false], [11, 60, true]]],
    ['coverage ending inside a 5 m step: that bucket is raw', 0, 60 * M, 5 * M, cov(0, 42 * M), [[0, 40, true], [40, 60, false]]],
    ['dirty inside a 5 m step: the whole bucket is raw', 0, 60 * M, 5 * M, cov(0, 60 * M, [[12 * M, 13 * M]]), [[0, 10, true], [10, 15, false], [15, 60, true]]],
    ['a covered piece smaller than a step is raw', 0, 60 * M, 15 * M, cov(16 * M, 29 * M), [[0, 60, false]]],
  ] as Array<[string, number, number, number, Coverage, Array<[number, number, boolean]>]>)('%s', (_n, from, to, step, c, want) => {
    const scale = (x: number) => x / M;
    expect(planSegments(from, to, step, 0, c).map((s) => [scale(s.from), scale(s.to), s.rollup])).toEqual(want);
  });

  it('respects the bucket offset (local-midnight days)', () => {
    const H = 60 * M;
    const D = 24 * H;
    const offset = 16 * H; // Asia/Shanghai midnight is 16:00 UTC
    const segs = planSegments(offset, offset + 3 * D, D, offset, cov(0, offset + 2 * D + 5 * H));
    expect(segs).toEqual([
      { from: offset, to: offset + 2 * D, rollup: true },
      { from: offset + 2 * D, to: offset + 3 * D, rollup: false },
    ]);
  });
});

describe('nextWork: dirty first, then forward, then backward', () => {
  const chunk = 180 * M;
  it.each([
    ['nothing loaded', cov(null, null), 100, 0, null],
    ['dirty before anything else', cov(50, 90, [[60, 61]]), 100, 0, { kind: 'dirty', from: 60, to: 61 }],
    ['forward to the target', cov(50, 90), 95, 0, { kind: 'forward', from: 90, to: 95 }],
    ['backward to the horizon', cov(50, 95), 95, 10, { kind: 'backward', from: 10, to: 50 }],
    ['all done', cov(10, 95), 95, 10, null],
  ] as Array<[string, Coverage, number, number, unknown]>)('%s', (_n, c, targetMin, horizonMin, want) => {
    const w = nextWork({ ...c, from: c.from === null ? null : c.from * M, to: c.to === null ? null : c.to * M, dirty: c.dirty.map(([a, b]) => [a * M, b * M]) }, targetMin * M, horizonMin * M, chunk);
    expect(w && { kind: w.kind, from: w.from / M, to: w.to / M }).toEqual(want);
  });

  it('bounds each piece to one chunk', () => {
    expect(nextWork(cov(0, 0), 1000 * M, 0, chunk)).toEqual({ kind: 'forward', from: 0, to: chunk });
    expect(nextWork(cov(1000 * M, 1000 * M), 1000 * M, 0, chunk)).toEqual({ kind: 'backward', from: 1000 * M - chunk, to: 1000 * M });
  });
});
