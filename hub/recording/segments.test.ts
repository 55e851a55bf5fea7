import { describe, expect, it } from 'vitest';
import type { GapInfo } from '../../contracts/recording.js';
import { gapsIn, isEvidence, parseSegmentListLine, playbackPieces, recordedSpans, retentionPlan, segmentName, segmentNameTime, segmentsInRange, StreamClock, wallAt } from './segments.js';

const T = Date.UTC(2026, 11, 3, 2, 10, 0);
const seg = (camera: string, startS: number, endS: number, bytes = 100) => ({ camera, file: segmentName(T + startS * 1000), start: T + startS * 1000, end: T + endS * 1000, bytes });

describe('segment names', () => {
  it.each([
    ['20261203T021000Z.mp4', T],
    ['20261203T021004Z.mp4', T + 4000],
    ['20261203T021000Z.mp4.part', undefined],
    ['index.db', undefined],
    ['20261303T021000Z.mp4', Date.UTC(2027, 0, 3, 2, 10)], // month 13 rolls over in Date.UTC: still a time
  ])('%s → %s', (name, ts) => {
    expect(segmentNameTime(name)).toBe(ts);
  });
  it('round-trips', () => expect(segmentNameTime(segmentName(T + 7000))).toBe(T + 7000));
});

describe('segment list lines', () => {
  it.each([
    ['20261203T021000Z.mp4,0.000000,4.133333', { file: '20261203T021000Z.mp4', start: 0, end: 4.133333 }],
    ['a,b.mp4,1,2', { file: 'a,b.mp4', start: 1, end: 2 }],
    ['x.mp4,3,2', undefined],
    ['garbage', undefined],
    ['', undefined],
  ])('%j', (line, out) => expect(parseSegmentListLine(line)).toEqual(out));
});

describe('StreamClock', () => {
  it('anchors on the first segment and stays contiguous', () => {
    const c = new StreamClock(2000);
    expect(c.place({ start: 0, end: 4 }, T + 4000)).toEqual({ start: T, end: T + 4000 });
    // the second segment closes 300 ms late on the wall clock: still placed on the stream clock
    expect(c.place({ start: 4, end: 8 }, T + 8300)).toEqual({ start: T + 4000, end: T + 8000 });
  });
  it('re-anchors when the clocks drift apart', () => {
    const c = new StreamClock(2000);
    c.place({ start: 0, end: 4 }, T + 4000);
    expect(c.place({ start: 4, end: 8 }, T + 20_000)).toEqual({ start: T + 16_000, end: T + 20_000 });
  });
});

describe('ranges, spans and gaps', () => {
  const segs = [seg('c', 0, 4), seg('c', 4, 8), seg('c', 8.2, 12), seg('c', 30, 34)];
  it('selects overlapping segments', () => {
    expect(segmentsInRange(segs, T + 5000, T + 9000).map((s) => s.start)).toEqual([T + 4000, T + 8200]);
    expect(segmentsInRange(segs, T + 12_000, T + 30_000)).toEqual([]);
  });
  it('merges adjacent segments into spans, clipped', () => {
    expect(recordedSpans(segs, T + 1000, T + 40_000)).toEqual([{ from: T + 1000, to: T + 12_000 }, { from: T + 30_000, to: T + 34_000 }]);
  });
  it('names gaps with their recorded reason, else recorder_stopped', () => {
    const spans = recordedSpans(segs, T, T + 40_000);
    const recorded: GapInfo[] = [{ camera: 'c', from: T + 12_000, to: T + 30_000, reason: 'camera_offline' }];
    expect(gapsIn('c', spans, recorded, T, T + 40_000)).toEqual([
      { camera: 'c', from: T + 12_000, to: T + 30_000, reason: 'camera_offline' },
      { camera: 'c', from: T + 34_000, to: T + 40_000, reason: 'recorder_stopped' },
    ]);
  });
  it('maps media time to wall clock across a gap', () => {
    const pieces = playbackPieces([seg('c', 8, 12), seg('c', 30, 34)]);
    expect(pieces).toEqual([{ media: 0, wall: T + 8000, duration: 4 }, { media: 4, wall: T + 30_000, duration: 4 }]);
    expect(wallAt(pieces, 1)).toBe(T + 9000);
    expect(wallAt(pieces, 5.5)).toBe(T + 31_500);
    expect(wallAt([], 1)).toBeUndefined();
  });
});

describe('retention', () => {
  const day = 86_400_000;
  const now = T + 40 * day;
  const store = [
    { ...seg('a', 0, 4, 100), start: T, end: T + 4000 },
    { ...seg('b', 0, 4, 100), start: T + 5 * day, end: T + 5 * day + 4000 },
    { ...seg('a', 0, 4, 100), file: 'x', start: T + 20 * day, end: T + 20 * day + 4000 },
    { ...seg('b', 0, 4, 100), file: 'y', start: T + 39 * day, end: T + 39 * day + 4000 },
  ];
  it.each([
    ['by days only', 30, 1e9, [], [T, T + 5 * day], false],
    ['by quota: oldest first across cameras', 365, 250, [], [T, T + 5 * day], false],
    ['quota tighter: more go', 365, 150, [], [T, T + 5 * day, T + 20 * day], false],
    ['evidence is never pruned', 30, 1e9, [{ camera: 'a', from: T + 1000, to: T + 2000 }], [T + 5 * day], false],
    ['evidence for all cameras', 30, 1e9, [{ from: T, to: T + 6 * day }], [], false],
    ['over quota with only evidence left', 365, 50, [{ from: 0, to: now }], [], true],
  ] as const)('%s', (_name, retentionDays, quotaBytes, evidence, pruned, overQuota) => {
    const plan = retentionPlan({ segments: store, evidence: [...evidence], now, retentionDays, quotaBytes });
    expect(plan.prune.map((s) => s.start)).toEqual(pruned);
    expect(plan.overQuota).toBe(overQuota);
    expect(plan.bytesAfter).toBe(400 - 100 * pruned.length);
  });
  it('isEvidence matches camera and overlap', () => {
    expect(isEvidence({ camera: 'a', start: 0, end: 10 }, [{ camera: 'b', from: 0, to: 10 }])).toBe(false);
    expect(isEvidence({ camera: 'a', start: 0, end: 10 }, [{ from: 10, to: 20 }])).toBe(false);
    expect(isEvidence({ camera: 'a', start: 0, end: 10 }, [{ from: 9, to: 20 }])).toBe(true);
  });
});
