// When tours run: each tour's start times per shift, on the day types of the site calendar
// (working day, weekend, public holiday, 调休 make-up working day), in the site's time zone. Pure.
import { localParts, zonedToUtc } from '../../contracts/timezone.js';
import { addDays, dayInfo, isoDate, type HolidayCalendar, type LocalDate } from '../control/calendar.js';
import type { Tour } from './schema.js';

export interface PlannedRun {
  runId: string;
  tour: string;
  shift: string;
  date: string;
  dayType: string;
  start: number;
}

/** Runs of the tours whose start lies in [from, to). */
export function plannedRuns(tours: readonly Tour[], cal: HolidayCalendar, tz: string, from: number, to: number): PlannedRun[] {
  const out: PlannedRun[] = [];
  const first = localParts(from, tz);
  // One day earlier and later than the range, so a start near midnight is never lost to the offset.
  let d: LocalDate = addDays({ year: first.year, month: first.month, day: first.day }, -1);
  for (let guard = 0; guard < 400; guard++, d = addDays(d, 1)) {
    const dayStart = zonedToUtc(tz, d.year, d.month, d.day);
    if (dayStart > to) break;
    const info = dayInfo(cal, d);
    for (const t of tours) {
      if (t.disabled) continue;
      for (const r of t.runs) {
        if (!r.days.includes(info.type)) continue;
        const start = zonedToUtc(tz, d.year, d.month, d.day, Number(r.at.slice(0, 2))) + Number(r.at.slice(3)) * 60_000;
        if (start >= from && start < to) out.push({ runId: `${t.id}@${isoDate(d)}T${r.at}`, tour: t.id, shift: r.shift, date: isoDate(d), dayType: info.type, start });
      }
    }
  }
  return out.sort((a, b) => a.start - b.start || a.runId.localeCompare(b.runId));
}

/** The person who walks a run: the named user, or whoever the roster has on call then (null when nobody). */
export function assigneeOf(tour: Pick<Tour, 'assign' | 'area'>, at: number, onDuty: (trade: string, area: string, at: number) => string | undefined): string | null {
  if ('user' in tour.assign) return tour.assign.user;
  return onDuty(tour.assign.roster, tour.area, at) ?? null;
}
