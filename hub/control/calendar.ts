// Public holidays and make-up working days (调休): China moves weekend days to build long
// holidays, so a Saturday can be a working day and a Monday a holiday. Pure lookups.

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface HolidayCalendar {
  /** `YYYY-MM-DD` → holiday name (every day of a range is listed). */
  holidays: Map<string, string>;
  /** `YYYY-MM-DD` → why this weekend day is a working day (调休上班). */
  workdays: Map<string, string>;
}

export type DayType = 'workday' | 'weekend' | 'holiday' | 'makeup-workday';
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function isoDate(d: LocalDate): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** `2026-02-30` → null. */
export function parseIsoDate(s: string): LocalDate | null {
  if (!DATE_RE.test(s)) return null;
  const [year, month, day] = s.split('-').map(Number);
  const t = new Date(Date.UTC(year, month - 1, day));
  if (t.getUTCFullYear() !== year || t.getUTCMonth() !== month - 1 || t.getUTCDate() !== day) return null;
  return { year, month, day };
}

export function weekdayOf(d: LocalDate): Weekday {
  return WEEKDAYS[new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay()];
}

export function addDays(d: LocalDate, n: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export interface DayInfo {
  date: string;
  weekday: Weekday;
  type: DayType;
  /** Holiday name, or the reason of a make-up working day. */
  name?: string;
}

export function dayInfo(cal: HolidayCalendar, d: LocalDate): DayInfo {
  const date = isoDate(d);
  const weekday = weekdayOf(d);
  const holiday = cal.holidays.get(date);
  if (holiday !== undefined) return { date, weekday, type: 'holiday', name: holiday };
  const makeUp = cal.workdays.get(date);
  if (makeUp !== undefined) return { date, weekday, type: 'makeup-workday', name: makeUp };
  return { date, weekday, type: weekday === 'sat' || weekday === 'sun' ? 'weekend' : 'workday' };
}

export interface CalendarSpec {
  holidays: Array<{ from: string; to?: string; name: string }>;
  workdays: Array<{ date: string; name: string }>;
}

/** Expands ranges. Assumes dates were validated (see calendarProblems). */
export function buildCalendar(spec: CalendarSpec): HolidayCalendar {
  const holidays = new Map<string, string>();
  for (const h of spec.holidays) {
    const from = parseIsoDate(h.from)!;
    const to = parseIsoDate(h.to ?? h.from)!;
    for (let d = from; isoDate(d) <= isoDate(to); d = addDays(d, 1)) holidays.set(isoDate(d), h.name);
  }
  return { holidays, workdays: new Map(spec.workdays.map((w) => [w.date, w.name])) };
}

export function calendarProblems(spec: CalendarSpec): Array<{ path: (string | number)[]; message: string }> {
  const out: Array<{ path: (string | number)[]; message: string }> = [];
  spec.holidays.forEach((h, i) => {
    const from = parseIsoDate(h.from);
    const to = parseIsoDate(h.to ?? h.from);
    if (!from) out.push({ path: ['calendar', 'holidays', i, 'from'], message: `"${h.from}" is not a date YYYY-MM-DD` });
    if (!to) out.push({ path: ['calendar', 'holidays', i, 'to'], message: `"${h.to}" is not a date YYYY-MM-DD` });
    if (from && to && isoDate(to) < isoDate(from)) out.push({ path: ['calendar', 'holidays', i, 'to'], message: `ends (${h.to}) before it starts (${h.from})` });
    if (from && to && isoDate(to) >= isoDate(from) && isoDate(addDays(from, 30)) < isoDate(to)) {
      out.push({ path: ['calendar', 'holidays', i, 'to'], message: 'a holiday longer than 30 days is surely a typo' });
    }
  });
  const cal = out.length ? null : buildCalendar(spec);
  spec.workdays.forEach((w, i) => {
    const d = parseIsoDate(w.date);
    if (!d) out.push({ path: ['calendar', 'workdays', i, 'date'], message: `"${w.date}" is not a date YYYY-MM-DD` });
    else if (cal?.holidays.has(w.date)) out.push({ path: ['calendar', 'workdays', i, 'date'], message: `${w.date} is also listed as a holiday` });
  });
  return out;
}
