// Pure editing rules of the week grid: pixels ↔ minutes with a snap, creating a period by dragging,
// resizing an edge without crossing a neighbour, and routing the hub's problems to the period they name.
import type { Period, PeriodMode, Problem } from './control-api.js';

export const DAY_MIN = 1440;
export const SNAP_MIN = 15;

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

export function hhmm(minutes: number): string {
  const m = Math.max(0, Math.min(DAY_MIN, Math.round(minutes)));
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** The minute at `offsetPx` down a column `heightPx` tall, snapped and clamped to 00:00..24:00. */
export function minuteAt(offsetPx: number, heightPx: number, snap = SNAP_MIN): number {
  if (!(heightPx > 0)) return 0;
  const raw = (offsetPx / heightPx) * DAY_MIN;
  return Math.max(0, Math.min(DAY_MIN, Math.round(raw / snap) * snap));
}

const sorted = (periods: Period[]) => [...periods].sort((a, b) => minutesOf(a.start) - minutesOf(b.start));

/** The free interval around `minute` (between the neighbouring periods), ignoring `skip`. */
function freeAround(periods: readonly Period[], minute: number, skip = -1): { lo: number; hi: number } {
  let lo = 0;
  let hi = DAY_MIN;
  periods.forEach((p, i) => {
    if (i === skip) return;
    const s = minutesOf(p.start);
    const e = minutesOf(p.end);
    if (e <= minute) lo = Math.max(lo, e);
    else if (s >= minute) hi = Math.min(hi, s);
  });
  return { lo, hi };
}

/** Whether `minute` falls inside an existing period (a drag there selects it instead of creating one). */
export function periodAt(periods: readonly Period[], minute: number): number {
  return periods.findIndex((p) => minute >= minutesOf(p.start) && minute < minutesOf(p.end));
}

/**
 * A period dragged from `a` to `b` (either direction), at least one snap long and clipped to the
 * free space around where the drag began, so a drag never creates an overlap. Null when there is no room.
 */
export function draftPeriod(periods: readonly Period[], a: number, b: number, mode: PeriodMode, snap = SNAP_MIN): Period | null {
  if (periodAt(periods, a) >= 0) return null;
  const { lo, hi } = freeAround(periods, a);
  let start = Math.max(lo, Math.min(a, b));
  let end = Math.min(hi, Math.max(a, b));
  if (end - start < snap) {
    end = Math.min(hi, start + snap);
    if (end - start < snap) start = Math.max(lo, end - snap);
  }
  if (end - start < snap) return null;
  return { start: hhmm(start), end: hhmm(end), mode };
}

/** Adds a period and returns the list sorted by start, with the new period's index. */
export function addPeriod(periods: readonly Period[], period: Period): { periods: Period[]; index: number } {
  const next = sorted([...periods, period]);
  return { periods: next, index: next.indexOf(period) };
}

/** Moves one edge of period `index` to `minute`, kept one snap from its other edge and inside its neighbours. */
export function resizePeriod(periods: readonly Period[], index: number, edge: 'start' | 'end', minute: number, snap = SNAP_MIN): Period[] {
  const p = periods[index];
  if (!p) return [...periods];
  const s = minutesOf(p.start);
  const e = minutesOf(p.end);
  const { lo, hi } = freeAround(periods, s, index);
  const next = [...periods];
  if (edge === 'start') next[index] = { ...p, start: hhmm(Math.max(lo, Math.min(minute, e - snap))) };
  else next[index] = { ...p, end: hhmm(Math.min(hi, Math.max(minute, s + snap))) };
  return next;
}

/** Where a problem of the hub points inside schedule `scheduleIndex`. */
export type ProblemTarget =
  | { kind: 'period'; list: string; index: number }
  | { kind: 'mode'; mode: string }
  | { kind: 'exception'; index: number }
  | { kind: 'schedule' };

/**
 * The hub names problems by path, e.g. `schedules.0.week.mon.2` (a period) or
 * `schedules.0.modes.standby.setpoint`. Body-schema problems carry a leading `doc`.
 * `list` is a weekday, `holiday`, or `exception:<i>` for an exception's periods.
 */
export function problemTarget(path: readonly (string | number)[], scheduleIndex: number): ProblemTarget | null {
  const p = path[0] === 'doc' ? path.slice(1) : [...path];
  if (p[0] !== 'schedules' || Number(p[1]) !== scheduleIndex) return null;
  const rest = p.slice(2);
  if (rest[0] === 'week' && typeof rest[1] === 'string' && rest[2] !== undefined) return { kind: 'period', list: rest[1], index: Number(rest[2]) };
  if (rest[0] === 'holiday' && rest[1] !== undefined) return { kind: 'period', list: 'holiday', index: Number(rest[1]) };
  if (rest[0] === 'exceptions' && rest[1] !== undefined) {
    if (rest[2] === 'periods' && rest[3] !== undefined) return { kind: 'period', list: `exception:${rest[1]}`, index: Number(rest[3]) };
    return { kind: 'exception', index: Number(rest[1]) };
  }
  if (rest[0] === 'modes' && typeof rest[1] === 'string') return { kind: 'mode', mode: rest[1] };
  return { kind: 'schedule' };
}

/** Problems grouped by key: `period:<list>:<index>`, `mode:<mode>`, `exception:<i>`, `schedule`. */
export function groupProblems(problems: readonly Problem[], scheduleIndex: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const problem of problems) {
    const target = problemTarget(problem.path, scheduleIndex);
    if (!target) continue;
    const key = target.kind === 'period' ? `period:${target.list}:${target.index}` : target.kind === 'mode' ? `mode:${target.mode}` : target.kind === 'exception' ? `exception:${target.index}` : 'schedule';
    out.set(key, [...(out.get(key) ?? []), problem.message]);
  }
  return out;
}

/** Problems that belong to no schedule index we show (e.g. `schedules.3` when only 0..2 exist). */
export function unplacedProblems(problems: readonly Problem[], scheduleCount: number): Problem[] {
  return problems.filter((problem) => {
    for (let i = 0; i < scheduleCount; i++) if (problemTarget(problem.path, i)) return false;
    return true;
  });
}

/** Below this many minutes a period's block is too short for "HH:MM–HH:MM" and the mode's name. */
export const COMPACT_PERIOD_MIN = 120;

/** How a period's block is labelled: in full, or compact (the mode's short label; the full text is the tooltip). Pure. */
export function periodLabelStyle(p: { start: string; end: string }): 'full' | 'compact' {
  return minutesOf(p.end) - minutesOf(p.start) < COMPACT_PERIOD_MIN ? 'compact' : 'full';
}
