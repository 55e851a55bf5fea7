// Condition evaluators, keyed by condition type, so later subsystems (schedules) can plug in
// their own. Conditions gate rules (`when`) or suppress them by design (`suppressWhen`).
import type { PointState, PointValue } from '../../contracts/point.js';
import { WEEKDAYS, type AlarmsFile, type Condition, type TimeWindow } from './schema.js';

export interface ConditionContext {
  now: number;
  /** Site time zone (IANA), for time windows. */
  timezone: string;
  timeWindows: Record<string, TimeWindow[]>;
  point(id: string): PointState | undefined;
  /** Evaluators of condition types; default: the built-in types only. */
  conditions?: ConditionRegistry;
}

export type ConditionEvaluator = (cond: any, ctx: ConditionContext) => boolean;

/**
 * The evaluators of condition types, so later subsystems (schedules) can plug in their own. One
 * registry is created by the composition root (hub/registries.ts) and injected into the alarm
 * engine and the control module: there is no process-wide evaluator table.
 */
export class ConditionRegistry {
  private readonly evaluators = new Map<string, ConditionEvaluator>();

  /** Starts with the built-in types (time-window, point, and a schedule stand-in that never holds). */
  constructor(builtins = true) {
    if (builtins) for (const [type, evaluate] of BUILTINS) this.evaluators.set(type, evaluate);
  }

  /**
   * Registers (or replaces) the evaluator of a condition type. The returned function puts the
   * previous evaluator back, if this one is still the registered one (a module stopping).
   */
  register(type: string, evaluate: ConditionEvaluator): () => void {
    const previous = this.evaluators.get(type);
    this.evaluators.set(type, evaluate);
    return () => {
      if (this.evaluators.get(type) !== evaluate) return;
      if (previous) this.evaluators.set(type, previous);
      else this.evaluators.delete(type);
    };
  }

  has(type: string): boolean {
    return this.evaluators.has(type);
  }

  evaluate(cond: Condition | { type: string }, ctx: ConditionContext): boolean {
    const evaluate = this.evaluators.get(cond.type);
    if (!evaluate) throw new Error(`no evaluator registered for condition type "${cond.type}"`);
    return evaluate(cond, ctx);
  }
}

/** Evaluates with the context's registry, or the built-in types when it names none (pure rule tests). */
export function evaluateCondition(cond: Condition | { type: string }, ctx: ConditionContext): boolean {
  return (ctx.conditions ?? builtinConditions()).evaluate(cond, ctx);
}

let builtinsOnly: ConditionRegistry | undefined;
// Built-ins only, never registered into: a cache, not shared mutable state.
function builtinConditions(): ConditionRegistry {
  return (builtinsOnly ??= new ConditionRegistry());
}

export function allHold(conds: readonly Condition[] | undefined, ctx: ConditionContext): boolean {
  if (!conds) return true;
  for (const c of conds) if (!evaluateCondition(c, ctx)) return false;
  return true;
}

export function anyHolds(conds: readonly Condition[] | undefined, ctx: ConditionContext): boolean {
  if (!conds) return false;
  for (const c of conds) if (evaluateCondition(c, ctx)) return true;
  return false;
}

// Intl formatters are costly to build: one per time zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Weekday (0 = Sunday) and minute of the day of `ts` in `timezone`. */
export function localWeekMinute(ts: number, timezone: string): { day: number; minute: number } {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timezone, f);
  }
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of f.formatToParts(ts)) {
    if (part.type === 'weekday') day = WEEKDAYS.indexOf(part.value.toLowerCase().slice(0, 3) as (typeof WEEKDAYS)[number]);
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { day, minute: hour * 60 + minute };
}

const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when `ts` falls in one of the windows. A window whose `to` ≤ `from` runs past midnight into the next day. */
export function insideWindows(windows: readonly TimeWindow[], ts: number, timezone: string): boolean {
  const { day, minute } = localWeekMinute(ts, timezone);
  const yesterday = (day + 6) % 7;
  for (const w of windows) {
    const from = toMinute(w.from);
    const to = toMinute(w.to);
    const days = w.days.map((d) => WEEKDAYS.indexOf(d));
    if (to > from) {
      if (days.includes(day) && minute >= from && minute < to) return true;
    } else {
      // Overnight: the part after `from` today, or the part before `to` that began yesterday.
      if (days.includes(day) && minute >= from) return true;
      if (days.includes(yesterday) && minute < to) return true;
    }
  }
  return false;
}

function sameScalar(a: PointValue, b: PointValue): boolean {
  if (a === b) return true;
  // Binary points may carry 0/1 or false/true depending on the driver.
  if (typeof a === 'boolean' && typeof b === 'number') return Number(a) === b;
  if (typeof a === 'number' && typeof b === 'boolean') return a === Number(b);
  return false;
}

/** A value is usable for a decision when its quality is good or uncertain. */
export function trusted(s: PointState | undefined): s is PointState {
  return !!s && (s.quality === 'good' || s.quality === 'uncertain') && s.value !== null;
}

const timeWindowCondition: ConditionEvaluator = (c: Extract<Condition, { type: 'time-window' }>, ctx) => {
  // Own keys only: a window named `constructor` must not find Object.prototype (issue 11 item 3).
  const windows = Object.hasOwn(ctx.timeWindows, c.window) ? ctx.timeWindows[c.window] : undefined;
  if (!windows) throw new Error(`unknown time window "${c.window}"`);
  const inside = insideWindows(windows, ctx.now, ctx.timezone);
  return c.match === 'outside' ? !inside : inside;
};

// An untrusted (comm_fail, stale, bad) value makes a point condition false: we never suppress
// or enable an alarm on a value we do not believe.
const pointCondition: ConditionEvaluator = (c: Extract<Condition, { type: 'point' }>, ctx) => {
  const s = ctx.point(c.point);
  if (!trusted(s)) return false;
  const v = s.value;
  if (c.equals !== undefined) return sameScalar(v, c.equals);
  if (c.notEquals !== undefined) return !sameScalar(v, c.notEquals);
  const n = typeof v === 'boolean' ? Number(v) : typeof v === 'number' ? v : NaN;
  if (c.above !== undefined) return n > c.above;
  if (c.below !== undefined) return n < c.below;
  return false;
};

export { sameScalar };

// Schedule conditions are evaluated by the control module, which registers the real evaluator at
// start. Without it (an alarms-only hub, a test) nothing knows the schedules: like an untrusted
// point value, an unknown schedule neither enables nor suppresses an alarm.
const BUILTINS: ReadonlyArray<[string, ConditionEvaluator]> = [
  ['time-window', timeWindowCondition],
  ['point', pointCondition],
  ['schedule', () => false],
];

/**
 * Cross-check of `{ type: schedule }` conditions against the zone groups of config/schedules.yaml
 * (`groups` null: that file is missing). Paths are inside config/alarms.yaml.
 */
export function scheduleConditionProblems(file: AlarmsFile, groups: ReadonlySet<string> | null): Array<{ path: (string | number)[]; message: string }> {
  const out: Array<{ path: (string | number)[]; message: string }> = [];
  file.rules.forEach((rule, i) => {
    for (const key of ['when', 'suppressWhen'] as const) {
      (rule[key] ?? []).forEach((c, ci) => {
        if (c.type !== 'schedule') return;
        if (!groups) out.push({ path: ['rules', i, key, ci, 'group'], message: `zone group "${c.group}" needs config/schedules.yaml, which is missing` });
        else if (!groups.has(c.group)) {
          out.push({ path: ['rules', i, key, ci, 'group'], message: `unknown zone group "${c.group}" (groups of schedules.yaml: ${[...groups].join(', ') || 'none'})` });
        }
      });
    }
  });
  return out;
}
