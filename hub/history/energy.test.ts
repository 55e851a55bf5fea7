import { describe, expect, it } from 'vitest';
import { deltasFromReadings, fineBucketMs, groupIntoLocalBuckets } from './energy.js';
import { localBuckets, localIso, localStartOf, offsetAt, zonedToUtc } from '../../contracts/timezone.js';

const H = 3_600_000;

describe('time zones', () => {
  it('finds local midnight and month starts in Asia/Shanghai', () => {
    const ts = Date.UTC(2024, 0, 31, 17, 30); // 2024-02-01 01:30 +08:00
    expect(localStartOf(ts, 'Asia/Shanghai', 'day')).toBe(Date.UTC(2024, 0, 31, 16));
    expect(localStartOf(ts, 'Asia/Shanghai', 'month')).toBe(Date.UTC(2024, 0, 31, 16));
    expect(localStartOf(ts, 'Asia/Shanghai', 'hour')).toBe(Date.UTC(2024, 0, 31, 17));
    expect(localIso(ts, 'Asia/Shanghai')).toBe('2024-02-01T01:30:00+08:00');
    expect(offsetAt(ts, 'Asia/Shanghai')).toBe(8 * H);
  });

  it('builds month buckets of unequal length and DST days of 23/25 h', () => {
    const months = localBuckets(Date.UTC(2024, 0, 15), Date.UTC(2024, 2, 2), 'Asia/Shanghai', 'month');
    expect(months.map((b) => (b.end - b.start) / (24 * H))).toEqual([31, 29, 31]);
    const ny = localBuckets(zonedToUtc('America/New_York', 2024, 3, 9), zonedToUtc('America/New_York', 2024, 3, 11), 'America/New_York', 'day');
    expect(ny.map((b) => (b.end - b.start) / H)).toEqual([24, 23]);
  });

  it('uses 15-minute fine buckets where the offset is not whole hours', () => {
    expect(fineBucketMs(0, 86_400_000, 'Asia/Shanghai')).toBe(H);
    expect(fineBucketMs(0, 86_400_000, 'Asia/Kathmandu')).toBe(900_000);
  });
});

describe('energy buckets', () => {
  const D = zonedToUtc('Asia/Shanghai', 2024, 3, 2); // local midnight
  it('counts from the new value after a reset and books a gap where the next reading arrives', () => {
    const readings = [
      { ts: D - 2 * H, value: 100 },
      { ts: D - H, value: 101 },
      { ts: D + 2 * H, value: 104 }, // gap across midnight: 3 booked on day D
      { ts: D + 3 * H, value: 1 }, // reset: not negative consumption
      { ts: D + 4 * H, value: 2.5 },
    ];
    const deltas = deltasFromReadings(readings, D - 2 * H, H);
    expect(groupIntoLocalBuckets(deltas, D - 2 * H, D + 5 * H, 'Asia/Shanghai', 'day')).toEqual([
      { start: D - 24 * H, end: D, value: 1 },
      { start: D, end: D + 24 * H, value: 4.5 },
    ]);
    expect(groupIntoLocalBuckets(deltas, D - 2 * H, D + 5 * H, 'Asia/Shanghai', 'hour').map((b) => b.value)).toEqual([null, 1, null, null, 3, null, 1.5]); // the reset reading itself books nothing
  });
});
