// Backtesting an alarm rule: replay history through the same pure pieces the engine runs
// (detectRaw → the ISA-18.2 state machine `step`, with its on/off delays and deadbands) and
// report when the alarm would have fired, how often, and how many of those activations chatter
// (EEMUA 191: an alarm that activates ≥ N times within a short window). Pure: history comes in
// as sorted series; loading it from the store is backtest-history.ts.
import type { PointState, PointValue } from '../../contracts/point.js';
import { localStartOf } from '../../contracts/timezone.js';
import { allHold, anyHolds, type ConditionContext } from './conditions.js';
import { detectRaw, newRateMemory } from './detect.js';
import { initialState, nextDue, step, type AlarmState } from './machine.js';
import type { AlarmDef, CompiledAlarms } from './rules.js';

/** One point's history, oldest first: [ms, value]. */
export type Series = ReadonlyArray<readonly [number, PointValue]>;

export interface ChatterSpec {
  /** Activations within `windowMs` that make an alarm chattering (EEMUA 191 uses 3 in 1 min as a rule of thumb). */
  count: number;
  windowMs: number;
}
export const DEFAULT_CHATTER: ChatterSpec = { count: 3, windowMs: 60_000 };

export interface BacktestOptions {
  from: number;
  to: number;
  timezone: string;
  timeWindows: CompiledAlarms['timeWindows'];
  chatter?: ChatterSpec;
  /** Most activation/clear events listed per alarm (counts are always complete). */
  maxEvents?: number;
  /** Condition evaluators beyond the built-ins (schedules), as the engine has them. */
  conditions?: ConditionContext['conditions'];
}

export interface BacktestEvent { ts: number; kind: 'activate' | 'clear'; value: PointValue }

export interface BacktestAlarm {
  id: string;
  pointId: string;
  activations: number;
  /** Activations that belong to a burst of ≥ chatter.count within chatter.windowMs. */
  chattering: number;
  /** Total time the alarm condition was active (after delays). */
  activeMs: number;
  firstAt: number | null;
  lastAt: number | null;
  events: BacktestEvent[];
  eventsTruncated: boolean;
  samples: number;
}

export interface BacktestResult {
  from: number;
  to: number;
  chatter: ChatterSpec;
  alarms: BacktestAlarm[];
  activations: number;
  chatteringActivations: number;
  /** Activations per local day (site time zone), `YYYY-MM-DD` → count, for days with any. */
  perDay: Record<string, number>;
  /** Things the replay could not reproduce (a condition type with no evaluator here, …). */
  notes: string[];
}

/** Indexes of activations that are part of a burst of ≥ count within windowMs. O(n). */
export function chatteringCount(times: readonly number[], spec: ChatterSpec): number {
  if (spec.count <= 1) return times.length;
  let marked = 0;
  let markedUpTo = -1; // highest index already counted
  for (let i = spec.count - 1; i < times.length; i++) {
    if (times[i] - times[i - spec.count + 1] <= spec.windowMs) {
      const start = Math.max(i - spec.count + 1, markedUpTo + 1);
      marked += i - start + 1;
      markedUpTo = i;
    }
  }
  return marked;
}

/** The series with the oldest next sample (a k-way merge step; k is 1–3 in practice), or −1 when all are done. */
function nextSeries(series: readonly Series[], pos: number[]): number {
  let best = -1;
  for (let s = 0; s < series.length; s++) {
    if (pos[s] < series[s].length && (best < 0 || series[s][pos[s]][0] < series[best][pos[best]][0])) best = s;
  }
  return best;
}

/** Replays one alarm definition over the history of its point and the points it depends on. */
export function backtestDef(given: AlarmDef, history: ReadonlyMap<string, Series>, o: BacktestOptions, notes: Set<string>): BacktestAlarm & { activationTimes: number[] } {
  // Schedules are edited live and keep no history of what they were: the replay leaves schedule
  // conditions out (gating never blocks, suppression never applies), i.e. it shows the worst case.
  const isSchedule = (c: { type: string }) => c.type === 'schedule';
  let def = given;
  if ([...(given.when ?? []), ...(given.suppressWhen ?? [])].some(isSchedule)) {
    notes.add(`${given.ruleId}: schedule conditions are left out of the replay (schedules keep no history); it shows the worst case`);
    const keep = (cs: AlarmDef['when']) => {
      const rest = cs?.filter((c) => !isSchedule(c));
      return rest && rest.length > 0 ? rest : undefined;
    };
    def = { ...given, when: keep(given.when), suppressWhen: keep(given.suppressWhen) };
  }
  const ids = [def.pointId, ...def.dependsOn];
  const series = ids.map((id) => history.get(id) ?? []);
  const states = new Map<string, PointState>();
  const point = (id: string) => states.get(id);
  const ctx: ConditionContext = { now: o.from, timezone: o.timezone, timeWindows: o.timeWindows, point, conditions: o.conditions };
  const rate = def.detector.kind === 'rate' ? newRateMemory() : undefined;
  const maxEvents = o.maxEvents ?? 200;
  let state: AlarmState = initialState(def.id, o.from);
  const out = { id: def.id, pointId: def.pointId, activations: 0, chattering: 0, activeMs: 0, firstAt: null as number | null, lastAt: null as number | null, events: [] as BacktestEvent[], eventsTruncated: false, samples: 0, activationTimes: [] as number[] };
  let activeSince: number | null = null;

  const record = (entries: ReturnType<typeof step>['entries']) => {
    for (const e of entries) {
      if (e.kind !== 'activate' && e.kind !== 'clear') continue;
      if (e.kind === 'activate') {
        out.activations++;
        out.activationTimes.push(e.ts);
        out.firstAt ??= e.ts;
        out.lastAt = e.ts;
        activeSince = e.ts;
      } else if (activeSince !== null) {
        out.activeMs += e.ts - activeSince;
        activeSince = null;
      }
      if (out.events.length < maxEvents) out.events.push({ ts: e.ts, kind: e.kind, value: e.value ?? null });
      else out.eventsTruncated = true;
    }
  };
  const advanceTo = (ts: number) => {
    // Timers due before this sample fire at their due time, as the engine's tick would.
    for (let guard = 0; guard < 8; guard++) {
      const due = nextDue(state, def);
      if (due > ts) return;
      const r = step(state, { type: 'tick' }, def, due);
      state = r.state;
      record(r.entries);
      if (nextDue(state, def) === due) return;
    }
  };
  const holds = (fn: typeof allHold, conds: AlarmDef['when'], fallback: boolean) => {
    try {
      return fn(conds, ctx);
    } catch (err) {
      notes.add(`${def.ruleId}: ${err instanceof Error ? err.message : String(err)}; the replay treats it as ${fallback ? 'holding' : 'not holding'}`);
      return fallback;
    }
  };

  // One mutable state per point: this loop runs millions of times, and nothing keeps the objects
  // (step() copies the value it needs), so no allocation per sample.
  const live: PointState[] = ids.map((id) => ({ id, value: null, quality: 'bad', readTs: 0, changedTs: 0 }));
  const pos = ids.map(() => 0);
  const single = series.length === 1;
  for (;;) {
    const s = single ? (pos[0] < series[0].length ? 0 : -1) : nextSeries(series, pos);
    if (s < 0) break;
    const sample = series[s][pos[s]++];
    const ts = sample[0];
    const value = sample[1];
    if (ts < o.from || ts >= o.to) continue;
    out.samples++;
    const ps = live[s];
    if (!states.has(ps.id) || ps.value !== value) ps.changedTs = ts;
    ps.value = value;
    ps.quality = value === null ? 'bad' : 'good';
    ps.readTs = ts;
    states.set(ps.id, ps);
    if (nextDue(state, def) <= ts) advanceTo(ts);
    ctx.now = ts;
    if (def.suppressWhen) {
      const sup = holds(anyHolds, def.suppressWhen, false);
      if (sup !== state.suppressed) {
        const r = step(state, { type: 'suppress', on: sup }, def, ts);
        state = r.state;
      }
    }
    const enabled = !def.when || holds(allHold, def.when, true);
    const raw = enabled ? detectRaw(def.detector, states.get(def.pointId), state.raw, point, rate) : false;
    if (raw !== state.raw) {
      const r = step(state, { type: 'raw', raw, value: states.get(def.pointId)?.value ?? null }, def, ts);
      state = r.state;
      record(r.entries);
    }
  }
  advanceTo(o.to);
  if (activeSince !== null) out.activeMs += o.to - activeSince;
  return out;
}

/** Backtests every alarm definition of a rule (a limit rule has one per level) over the history. */
export function backtest(defs: readonly AlarmDef[], history: ReadonlyMap<string, Series> | ((def: AlarmDef) => ReadonlyMap<string, Series>), o: BacktestOptions): BacktestResult {
  const historyOf = typeof history === 'function' ? history : () => history;
  const chatter = o.chatter ?? DEFAULT_CHATTER;
  const notes = new Set<string>();
  const perDay: Record<string, number> = {};
  const dayKey = new Map<number, string>();
  const alarms: BacktestAlarm[] = [];
  for (const def of defs) {
    if (def.detector.kind === 'comm-fail') notes.add(`${def.id}: communication-failure rules depend on sample quality, which history keeps only as values; not replayed`);
    const { activationTimes, ...a } = backtestDef(def, historyOf(def), { ...o, chatter }, notes);
    a.chattering = chatteringCount(activationTimes, chatter);
    for (const t of activationTimes) {
      const start = localStartOf(t, o.timezone, 'day');
      let key = dayKey.get(start);
      if (!key) dayKey.set(start, (key = new Date(start + 12 * 3_600_000).toLocaleDateString('en-CA', { timeZone: o.timezone })));
      perDay[key] = (perDay[key] ?? 0) + 1;
    }
    alarms.push(a);
  }
  return {
    from: o.from, to: o.to, chatter, alarms,
    activations: alarms.reduce((n, a) => n + a.activations, 0),
    chatteringActivations: alarms.reduce((n, a) => n + a.chattering, 0),
    perDay,
    notes: [...notes],
  };
}
