// Pure schedule evaluation: (schedule, calendar, local date/time) → mode and the period behind it,
// plus the checks that refuse a bad schedule (overlaps, inverted periods, setpoints out of limits).
import type { PointInfo } from '../../contracts/point.js';
import { dayInfo, parseIsoDate, type DayInfo, type HolidayCalendar, type LocalDate } from './calendar.js';
import type { Mode, Period, Schedule, ScheduleDoc, ZoneGroup } from './schedule-schema.js';

export const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

export type DaySource = 'exception' | 'holiday' | 'makeup' | 'week';

export interface DayPlan {
  day: DayInfo;
  source: DaySource;
  periods: Period[];
  note?: string;
}

/** Which periods apply on a day: an exception beats the holiday calendar, which beats the week. */
export function planDay(s: Schedule, cal: HolidayCalendar, d: LocalDate): DayPlan {
  const day = dayInfo(cal, d);
  const exception = s.exceptions.find((e) => e.date === day.date);
  if (exception) {
    const plan: DayPlan = { day, source: 'exception', periods: exception.periods };
    if (exception.note) plan.note = exception.note;
    return plan;
  }
  if (day.type === 'holiday') return { day, source: 'holiday', periods: s.holiday };
  if (day.type === 'makeup-workday') return { day, source: 'makeup', periods: s.week[s.makeUpAs] };
  return { day, source: 'week', periods: s.week[day.weekday] };
}

export interface Evaluation {
  mode: Mode;
  period: Period | null;
  /** `optimal-start`: conditioning early to reach the setpoint when the next period begins. */
  reason: 'period' | 'optimal-start' | 'outside-periods';
  plan: DayPlan;
}

/**
 * The mode at `minute` (0..1439) of local day `d`. `leadMin` starts the next occupied period early
 * (optimal start); 0 disables it.
 */
export function evaluateAt(s: Schedule, cal: HolidayCalendar, d: LocalDate, minute: number, leadMin = 0): Evaluation {
  const plan = planDay(s, cal, d);
  for (const p of plan.periods) {
    if (minute >= minutesOf(p.start) && minute < minutesOf(p.end)) return { mode: p.mode, period: p, reason: 'period', plan };
  }
  if (leadMin > 0) {
    const next = plan.periods
      .filter((p) => p.mode === 'occupied' && minutesOf(p.start) > minute && minutesOf(p.start) - minute <= leadMin)
      .sort((a, b) => minutesOf(a.start) - minutesOf(b.start))[0];
    if (next) return { mode: 'occupied', period: next, reason: 'optimal-start', plan };
  }
  return { mode: 'unoccupied', period: null, reason: 'outside-periods', plan };
}

/** Minutes needed to move a zone from `current` to `target` at `ratePerHour` °C/h, capped at `maxLeadMin`. */
export function optimalStartLeadMin(current: number | null, target: number, ratePerHour: number, maxLeadMin: number): number {
  if (current === null || !Number.isFinite(current) || !(ratePerHour > 0)) return maxLeadMin;
  const gap = Math.abs(current - target);
  if (gap < 0.3) return 0;
  return Math.min(maxLeadMin, Math.ceil((gap / ratePerHour) * 60));
}

/**
 * Learns a zone's conditioning rate (°C/h) from two temperature readings taken while it was being
 * conditioned towards `target`: only movement towards the setpoint counts; EWMA with the previous rate.
 */
export function learnRate(prev: number, t0: { ts: number; temp: number }, t1: { ts: number; temp: number }, target: number, alpha = 0.2): number {
  const hours = (t1.ts - t0.ts) / 3_600_000;
  if (!(hours > 0.05)) return prev;
  const towards = Math.abs(t0.temp - target) - Math.abs(t1.temp - target);
  if (towards <= 0) return prev;
  const rate = towards / hours;
  return Math.min(20, Math.max(0.1, prev * (1 - alpha) + rate * alpha));
}

export interface Problem {
  path: (string | number)[];
  message: string;
}

export function periodProblems(periods: readonly Period[], at: (string | number)[]): Problem[] {
  const out: Problem[] = [];
  periods.forEach((p, i) => {
    if (minutesOf(p.end) <= minutesOf(p.start)) out.push({ path: [...at, i], message: `period ${p.start}-${p.end} ends before it starts (split a period that crosses midnight in two)` });
  });
  const sorted = periods.map((p, i) => ({ p, i })).filter(({ p }) => minutesOf(p.end) > minutesOf(p.start)).sort((a, b) => minutesOf(a.p.start) - minutesOf(b.p.start));
  for (let k = 1; k < sorted.length; k++) {
    const a = sorted[k - 1];
    const b = sorted[k];
    if (minutesOf(b.p.start) < minutesOf(a.p.end)) out.push({ path: [...at, b.i], message: `period ${b.p.start}-${b.p.end} overlaps ${a.p.start}-${a.p.end}` });
  }
  return out;
}

/** Everything wrong with a schedule document against the configured zone groups and points. */
export function scheduleDocProblems(doc: ScheduleDoc, groups: readonly ZoneGroup[]): Problem[] {
  const out: Problem[] = [];
  const groupById = new Map(groups.map((g) => [g.id, g]));
  const ids = new Set<string>();
  const claimed = new Map<string, string>();
  doc.schedules.forEach((s, si) => {
    const at = ['schedules', si];
    if (ids.has(s.id)) out.push({ path: [...at, 'id'], message: `duplicate schedule id "${s.id}"` });
    ids.add(s.id);
    s.groups.forEach((g, gi) => {
      const group = groupById.get(g);
      if (!group) {
        out.push({ path: [...at, 'groups', gi], message: `unknown zone group "${g}" (known: ${[...groupById.keys()].join(', ') || 'none'})` });
        return;
      }
      const other = claimed.get(g);
      if (other) out.push({ path: [...at, 'groups', gi], message: `zone group "${g}" is already driven by schedule "${other}"` });
      claimed.set(g, s.id);
      for (const mode of ['occupied', 'standby', 'unoccupied'] as const) {
        const sp = s.modes[mode].setpoint;
        for (const z of group.zones) {
          if (sp < z.limits.min || sp > z.limits.max) {
            out.push({ path: [...at, 'modes', mode, 'setpoint'], message: `${mode} setpoint ${sp} °C is outside the limits ${z.limits.min}..${z.limits.max} °C of zone ${z.id} (group ${g})` });
          }
        }
      }
    });
    for (const d of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const) out.push(...periodProblems(s.week[d], [...at, 'week', d]));
    out.push(...periodProblems(s.holiday, [...at, 'holiday']));
    const dates = new Set<string>();
    s.exceptions.forEach((e, ei) => {
      if (!parseIsoDate(e.date)) out.push({ path: [...at, 'exceptions', ei, 'date'], message: `"${e.date}" is not a calendar date` });
      if (dates.has(e.date)) out.push({ path: [...at, 'exceptions', ei, 'date'], message: `a second exception for ${e.date}` });
      dates.add(e.date);
      out.push(...periodProblems(e.periods, [...at, 'exceptions', ei, 'periods']));
    });
  });
  return out;
}

/** Zone groups whose points are missing, not analog/writable, or whose limits exceed the point's own. */
export function groupProblems(groups: readonly ZoneGroup[], points: ReadonlyMap<string, PointInfo>): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  groups.forEach((g, gi) => {
    if (seen.has(g.id)) out.push({ path: ['groups', gi, 'id'], message: `duplicate zone group id "${g.id}"` });
    seen.add(g.id);
    g.zones.forEach((z, zi) => {
      const at = ['groups', gi, 'zones', zi];
      const sp = points.get(z.setpoint);
      if (!sp) out.push({ path: [...at, 'setpoint'], message: `unknown point ${z.setpoint}` });
      else if (!sp.writable || sp.kind !== 'analog') out.push({ path: [...at, 'setpoint'], message: `${z.setpoint} must be a writable analog point` });
      else if ((sp.limits?.min !== undefined && z.limits.min < sp.limits.min) || (sp.limits?.max !== undefined && z.limits.max > sp.limits.max)) {
        out.push({ path: [...at, 'limits'], message: `limits ${z.limits.min}..${z.limits.max} exceed the point's own ${sp.limits?.min}..${sp.limits?.max}` });
      }
      if (z.limits.min >= z.limits.max) out.push({ path: [...at, 'limits'], message: `min ${z.limits.min} must be below max ${z.limits.max}` });
      if (z.temperature && !points.has(z.temperature)) out.push({ path: [...at, 'temperature'], message: `unknown point ${z.temperature}` });
      if (z.occupancyMode) {
        const m = points.get(z.occupancyMode);
        if (!m) out.push({ path: [...at, 'occupancyMode'], message: `unknown point ${z.occupancyMode}` });
        else if (!m.writable || m.kind !== 'multistate') out.push({ path: [...at, 'occupancyMode'], message: `${z.occupancyMode} must be a writable multistate point` });
      }
    });
    g.fans.forEach((f, fi) => {
      const p = points.get(f);
      if (!p) out.push({ path: ['groups', gi, 'fans', fi], message: `unknown point ${f}` });
      else if (!p.writable || p.kind !== 'binary') out.push({ path: ['groups', gi, 'fans', fi], message: `${f} must be a writable binary point` });
    });
  });
  return out;
}
