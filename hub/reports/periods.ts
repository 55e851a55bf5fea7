// Local calendar periods (day, ISO week from Monday, month) in the site's time zone, and the same
// local dates one year earlier. Pure.
import { localParts, localStartOf, nextLocalStart, zonedToUtc } from '../../contracts/timezone.js';
import type { ReportKind, ReportPeriodName } from '../../contracts/reports.js';

export interface Span { from: number; to: number }

/** Monday 00:00 local of the ISO week containing `ts`. */
export function weekStart(ts: number, tz: string): number {
  const p = localParts(ts, tz);
  const dow = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay(); // 0 = Sunday
  const back = (dow + 6) % 7;
  return zonedToUtc(tz, p.year, p.month, p.day - back);
}

/** The whole local period containing `ts`. */
export function periodOf(ts: number, tz: string, period: ReportPeriodName): Span {
  if (period === 'week') {
    const from = weekStart(ts, tz);
    const p = localParts(from, tz);
    return { from, to: zonedToUtc(tz, p.year, p.month, p.day + 7) };
  }
  const interval = period === 'day' ? 'day' : 'month';
  const from = localStartOf(ts, tz, interval);
  return { from, to: nextLocalStart(from, tz, interval) };
}

/** The same local wall-clock instant one year earlier (29 Feb → 28 Feb). */
export function yearEarlier(ts: number, tz: string): number {
  const p = localParts(ts, tz);
  const day = p.month === 2 && p.day === 29 ? 28 : p.day;
  const base = zonedToUtc(tz, p.year - 1, p.month, day, p.hour);
  return base + (p.minute * 60 + p.second) * 1000 + (ts % 1000);
}

/**
 * Last year's comparison span for a period observed up to `until`: for a week, the ISO week
 * 52 weeks earlier (same weekdays); for a day or month, the same local dates a year earlier;
 * up to the same elapsed time, rounded down to the whole hour.
 */
export function lastYearSpan(period: ReportPeriodName, span: Span, until: number, tz: string): Span {
  // Ends on a whole hour: consumption is summed from hourly buckets, so a partial hour cannot be cut.
  const hour = (t: number) => Math.floor(t / 3_600_000) * 3_600_000;
  if (period === 'week') {
    const shift = 364 * 86_400_000;
    return { from: span.from - shift, to: hour(Math.min(until, span.to) - shift) };
  }
  return { from: yearEarlier(span.from, tz), to: hour(yearEarlier(Math.min(until, span.to), tz)) };
}

/** The span a scheduled report made at `at` covers: the previous whole day, ISO week or month. */
export function reportSpan(kind: ReportKind, at: number, tz: string): Span {
  const period: ReportPeriodName = kind === 'daily' ? 'day' : kind === 'weekly' ? 'week' : 'month';
  const current = periodOf(at, tz, period);
  return periodOf(current.from - 1, tz, period);
}

/** Local days covering [from, to) (start of each). */
export function localDays(from: number, to: number, tz: string): number[] {
  const out: number[] = [];
  for (let d = localStartOf(from, tz, 'day'); d < to; d = nextLocalStart(d, tz, 'day')) out.push(d);
  return out;
}
