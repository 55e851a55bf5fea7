// Targets and projections. An annual target is spread evenly over the year's days, a monthly one
// over the month's days; a period's target is the sum over its local days. Pure.
import { localParts } from '../../contracts/timezone.js';
import type { UtilityTarget } from './schema.js';
import { localDays } from './periods.js';

const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const daysInYear = (y: number) => ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 366 : 365);

/** Target of one local day (the day starting at `dayStart`). */
export function dailyTarget(t: UtilityTarget, dayStart: number, tz: string): number {
  const p = localParts(dayStart, tz);
  return 'annual' in t ? t.annual / daysInYear(p.year) : t.monthly / daysInMonth(p.year, p.month);
}

/** Target for [from, to) in whole local days. */
export function periodTarget(t: UtilityTarget, from: number, to: number, tz: string): number {
  return localDays(from, to, tz).reduce((sum, d) => sum + dailyTarget(t, d, tz), 0);
}

/**
 * Linear projection to the period end: what was used per elapsed ms times the period's length.
 * Null before anything elapsed; a closed period projects to its actual.
 */
export function project(actual: number | null, from: number, to: number, now: number): number | null {
  if (actual === null) return null;
  if (now >= to) return actual;
  const elapsed = now - from;
  if (elapsed <= 0) return null;
  return (actual * (to - from)) / elapsed;
}

/** (a − b) / b × 100, one decimal; null when either is missing or b is 0. */
export function pctChange(a: number | null, b: number | null): number | null {
  if (a === null || b === null || b === 0) return null;
  return Math.round(((a - b) / b) * 1000) / 10;
}

export const round = (x: number | null, d = 3): number | null => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);
