// Parsing and planning of history/energy requests: pure, table-tested.
import { parseDuration } from './settings.js';
import { localStartOf, offsetAt, type CalendarInterval } from '../../contracts/timezone.js';

export const AGGREGATES = ['mean', 'min', 'max', 'last'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** A request parameter that is wrong: the route answers 400 naming it. */
export class ParamError extends Error {
  constructor(readonly param: string, message: string) {
    super(`${param}: ${message}`);
    this.name = 'ParamError';
  }
}

/** Steps a chosen step snaps to, so buckets land on readable boundaries. */
export const STEP_LADDER_MS = [
  1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000,
  7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 7 * 86_400_000,
];

export const MAX_POINTS_PER_QUERY = 50;

/** `2024-03-01T00:00:00+08:00` or `1709222400000` → ms. */
export function parseTime(param: string, text: string | undefined, fallback?: number): number {
  if (text === undefined || text === '') {
    if (fallback !== undefined) return fallback;
    throw new ParamError(param, 'is required (ISO 8601 time or ms since epoch)');
  }
  const ms = /^-?\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms) || ms < 0) throw new ParamError(param, `"${text.slice(0, 60)}" is not an ISO 8601 time or ms since epoch`);
  // Bounded so `to=100000000000000000000` is a 400 here, not a nonsense query and a 502 (issue 11 item 2).
  if (ms > MAX_TIME_MS) throw new ParamError(param, `"${text.slice(0, 60)}" is after 9999-12-31`);
  return ms;
}

/** The last millisecond a Date can print as a 4-digit year. */
export const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** The longest step a trend may ask for (a step longer than any range gives one bucket anyway). */
export const MAX_STEP_MS = 366 * 86_400_000;

/** `60000`, `60s`, `1m`, `1h`, `1d` → ms. */
export function parseStep(text: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : parseDuration(text);
  if (ms === null || !Number.isFinite(ms) || ms < 1000) throw new ParamError('step', `"${text.slice(0, 60)}" is not a step of at least 1s (e.g. 30s, 1m, 1h or ms)`);
  if (ms > MAX_STEP_MS) throw new ParamError('step', `"${text.slice(0, 60)}" is longer than 366d`);
  return ms;
}

/** Smallest ladder step giving at most `maxBuckets` buckets over the range. */
export function autoStep(rangeMs: number, maxBuckets: number): number {
  const wanted = rangeMs / maxBuckets;
  return STEP_LADDER_MS.find((s) => s >= wanted) ?? Math.ceil(wanted / 86_400_000) * 86_400_000;
}

/** Bucket alignment so steps ≥ 1 h start on local boundaries (local midnight for 1 d), as InfluxQL's GROUP BY time offset. */
export function alignOffset(stepMs: number, from: number, tz: string): number {
  return (((-offsetAt(from, tz)) % stepMs) + stepMs) % stepMs;
}

export function splitList(param: string, text: string | undefined): string[] {
  const items = (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new ParamError(param, 'is required: a comma-separated list of point ids');
  if (items.length > MAX_POINTS_PER_QUERY) throw new ParamError(param, `at most ${MAX_POINTS_PER_QUERY} points per request (got ${items.length})`);
  return [...new Set(items)];
}

export interface TrendRequest {
  points: string[];
  from: number;
  to: number;
  stepMs: number;
  agg: Aggregate;
  /** GROUP BY time offset (ms). */
  offsetMs: number;
}

export function parseTrendRequest(q: Record<string, string | undefined>, now: number, tz: string, maxBuckets: number): TrendRequest {
  const points = splitList('points', q.points);
  const to = parseTime('to', q.to, now);
  const from = parseTime('from', q.from, to - 86_400_000);
  if (from >= to) throw new ParamError('from', 'must be before to');
  const agg = (q.agg ?? 'mean') as Aggregate;
  if (!AGGREGATES.includes(agg)) throw new ParamError('agg', `"${q.agg}" is not one of ${AGGREGATES.join('|')}`);
  let stepMs: number;
  if (q.step === undefined || q.step === '') stepMs = autoStep(to - from, maxBuckets);
  else {
    stepMs = parseStep(q.step);
    const buckets = Math.ceil((to - from) / stepMs);
    if (buckets > maxBuckets * 2.5) throw new ParamError('step', `${q.step} gives ${buckets} buckets per series; at most ${Math.floor(maxBuckets * 2.5)} (use a larger step or omit it)`);
  }
  // Whole buckets only: `from` rounds down and `to` up to bucket boundaries, so raw data and
  // roll-ups agree on every bucket.
  const offsetMs = alignOffset(stepMs, from, tz);
  const alignedFrom = Math.floor((from - offsetMs) / stepMs) * stepMs + offsetMs;
  const alignedTo = Math.ceil((to - offsetMs) / stepMs) * stepMs + offsetMs;
  return { points, from: alignedFrom, to: alignedTo, stepMs, agg, offsetMs };
}

export const ENERGY_INTERVALS: CalendarInterval[] = ['hour', 'day', 'month'];
/** Longest range per interval: keeps the answer to a few thousand buckets. */
const MAX_ENERGY_RANGE_MS: Record<CalendarInterval, number> = { hour: 93 * 86_400_000, day: 3 * 366 * 86_400_000, month: 20 * 366 * 86_400_000 };

export interface EnergyRequest {
  meters: string[];
  from: number;
  to: number;
  interval: CalendarInterval;
}

/** `from` rounds down to the start of its local hour/day/month (whole buckets only). */
export function parseEnergyRequest(q: Record<string, string | undefined>, tz: string): EnergyRequest {
  const meters = splitList('meters', q.meters);
  const from = parseTime('from', q.from);
  const to = parseTime('to', q.to);
  if (from >= to) throw new ParamError('from', 'must be before to');
  const interval = (q.interval ?? 'day') as CalendarInterval;
  if (!ENERGY_INTERVALS.includes(interval)) throw new ParamError('interval', `"${q.interval}" is not one of hour|day|month`);
  if (to - from > MAX_ENERGY_RANGE_MS[interval]) throw new ParamError('to', `range too long for interval=${interval}; use a coarser interval`);
  return { meters, from: localStartOf(from, tz, interval), to, interval };
}
