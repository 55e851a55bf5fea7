// When scheduled reports are due: daily at HH:MM local, weekly on Monday, monthly on the 1st.
// Pure; the module's timer asks `lastDue` and compares with what it last sent.
import { localParts, zonedToUtc } from '../../contracts/timezone.js';
import type { ReportKind } from '../../contracts/reports.js';
import { weekStart } from './periods.js';

/** The latest due instant at or before `now` for a schedule of `kind` at local `at` (HH:MM). */
export function lastDue(kind: ReportKind, at: string, now: number, tz: string): number {
  const [hh, mm] = at.split(':').map(Number);
  const addMin = mm * 60_000;
  const p = localParts(now, tz);
  const candidate = (y: number, m: number, d: number) => zonedToUtc(tz, y, m, d, hh) + addMin;
  if (kind === 'daily') {
    const today = candidate(p.year, p.month, p.day);
    return today <= now ? today : candidate(p.year, p.month, p.day - 1);
  }
  if (kind === 'weekly') {
    const w = localParts(weekStart(now, tz), tz);
    const thisWeek = candidate(w.year, w.month, w.day);
    return thisWeek <= now ? thisWeek : candidate(w.year, w.month, w.day - 7);
  }
  const thisMonth = candidate(p.year, p.month, 1);
  return thisMonth <= now ? thisMonth : candidate(p.year, p.month - 1, 1);
}

/** Run now when the latest due time came after the last run (a hub down at the time catches up once). */
export function isDue(kind: ReportKind, at: string, now: number, tz: string, lastRun: number | undefined): number | null {
  const due = lastDue(kind, at, now, tz);
  return lastRun === undefined || lastRun < due ? due : null;
}
