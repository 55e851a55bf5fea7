// Consumption per local hour/day/month from cumulative counters (kWh, m³).
// The store sums non-negative differences between consecutive good readings per fine UTC bucket
// (a drop is a counter reset: counting resumes from the new value; a gap's consumption lands where
// the next reading arrives). Here those fine sums are grouped into local calendar buckets.
import { localBuckets, offsetAt, type CalendarInterval } from '../../contracts/timezone.js';

export interface CounterDelta {
  /** Start of the fine bucket (UTC ms). */
  ts: number;
  /** Sum of the counter's increases whose later reading falls in the bucket. */
  delta: number;
}

export interface EnergyBucket {
  start: number;
  end: number;
  /** Consumption in the meter's unit; null when no reading arrived in the bucket. */
  value: number | null;
}

/**
 * Fine bucket width that never straddles a local hour/day/month boundary: 1 h when the zone's offset
 * is whole hours over the range, else 15 min (every zone's offset is a multiple of 15 min).
 */
export function fineBucketMs(from: number, to: number, tz: string): number {
  const hourly = [from, to, (from + to) / 2].every((t) => offsetAt(t, tz) % 3_600_000 === 0);
  return hourly ? 3_600_000 : 900_000;
}

export function groupIntoLocalBuckets(deltas: CounterDelta[], from: number, to: number, tz: string, interval: CalendarInterval): EnergyBucket[] {
  const buckets: EnergyBucket[] = localBuckets(from, to, tz, interval).map((b) => ({ ...b, value: null }));
  let i = 0;
  for (const d of [...deltas].sort((a, b) => a.ts - b.ts)) {
    while (i < buckets.length && d.ts >= buckets[i].end) i++;
    if (i >= buckets.length) break;
    if (d.ts < buckets[i].start) continue;
    buckets[i].value = (buckets[i].value ?? 0) + d.delta;
  }
  // Float sums of many small steps: keep 6 decimals so CSV and JSON read cleanly.
  for (const b of buckets) if (b.value !== null) b.value = Math.round(b.value * 1e6) / 1e6;
  return buckets;
}

/** Reference implementation over raw readings (used by tests and the embedded store's checks). */
export function deltasFromReadings(readings: Array<{ ts: number; value: number }>, fromTs: number, bucketMs: number): CounterDelta[] {
  const sums = new Map<number, number>();
  const sorted = [...readings].sort((a, b) => a.ts - b.ts);
  for (let k = 1; k < sorted.length; k++) {
    const d = sorted[k].value - sorted[k - 1].value;
    if (d < 0 || sorted[k].ts < fromTs) continue;
    const b = Math.floor(sorted[k].ts / bucketMs) * bucketMs;
    sums.set(b, (sums.get(b) ?? 0) + d);
  }
  return [...sums].map(([ts, delta]) => ({ ts, delta })).sort((a, b) => a.ts - b.ts);
}
