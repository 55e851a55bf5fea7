// Runs the alarm definitions: evaluates point changes (rules indexed by point id, no allocation
// unless something changes), drives the state machine, writes the journal, answers operator
// actions. Time comes from an injectable clock; timers advance on tick().
import type { AlarmPriority, AlarmSummary, AlarmView } from '../../contracts/alarms.js';
import type { PointState } from '../../contracts/point.js';
import { DomainError, type DomainErrorKind } from '../errors.js';
import type { AuditLogLike, HubLogger } from '../module.js';
import { allHold, anyHolds, type ConditionContext, type ConditionRegistry } from './conditions.js';
import { detectRaw, newRateMemory, RATE_QUIET_MS, type RateMemory } from './detect.js';
import { floodState, pruneActivations, type Activation } from './flood.js';
import type { AlarmJournal, JournalInsert } from './journal.js';
import { displayState, inhibited, initialState, needsAck, nextDue, step, type AlarmEvent, type AlarmState, type MachineEntry } from './machine.js';
import type { AlarmDef, CompiledAlarms } from './rules.js';
import { alarmView, compareAlarms, inArea, matchesFilter, type AlarmFilter } from './view.js';
import type { ActionRunner } from './actions.js';
import { EXTERNAL_ALARM_PREFIX } from './external.js';

/** Alarm ids of rule sources (hub subsystems that raise their own alarms): `src:<source>:…`. */
export const SOURCE_ALARM_PREFIX = 'src:';

interface Runtime {
  def: AlarmDef;
  state: AlarmState;
  rate?: RateMemory;
  hasTimeCondition: boolean;
}

const KIND_OF_REFUSAL: Record<400 | 403 | 404 | 409, DomainErrorKind> = { 400: 'invalid', 403: 'forbidden', 404: 'not_found', 409: 'conflict' };

/** An operator action refused, as a domain error (the error middleware picks the HTTP status from `kind`). */
export class AlarmActionError extends DomainError {
  constructor(refusal: 400 | 403 | 404 | 409, code: string, message: string) {
    super(KIND_OF_REFUSAL[refusal], code, message);
    this.name = 'AlarmActionError';
  }
}

export interface AlarmEngineOptions {
  compiled: CompiledAlarms;
  journal: AlarmJournal;
  point(id: string): PointState | undefined;
  timezone: string;
  now?: () => number;
  log?: HubLogger;
  audit?: AuditLogLike;
  actions?: ActionRunner;
  /** Condition evaluators (the hub's registry, with the schedule type the control module plugs in); default: built-ins. */
  conditions?: ConditionRegistry;
  /** Called after an escalation is journaled. */
  onEscalate?(view: AlarmView, unackedForMs: number): void;
  /** The test run driving a point, if any (hub/testruns/marks.ts): alarms it raises are tagged `test`. */
  testTag?(pointId: string): string | undefined;
  /**
   * Several hubs: whether this hub answers for an alarm (it owns its building). A copy it does not own
   * still follows its point but journals nothing, runs no action and counts no activation.
   */
  owned?(def: AlarmDef): boolean;
  /** After each journal append (several hubs: the owner hands the states on through Redis). */
  onJournal?(batch: readonly JournalInsert[]): void;
}

export class AlarmEngine {
  readonly now: () => number;
  private readonly runtimes = new Map<string, Runtime>();
  private readonly byPoint = new Map<string, Runtime[]>();
  private readonly byDependency = new Map<string, Runtime[]>();
  private readonly timed = new Set<Runtime>();
  private readonly withTimeConditions: Runtime[] = [];
  private readonly dirty = new Set<string>();
  private readonly recent: Activation[] = [];
  private pending: JournalInsert[] = [];
  /** Alarm id → test tag, from activation until the alarm is back to normal. */
  private readonly testTags = new Map<string, string>();
  private readonly condCtx: ConditionContext;
  /** Journal states at start-up, for external alarms that are reported again after it. */
  private readonly restored: Map<string, AlarmState>;

  constructor(private readonly o: AlarmEngineOptions) {
    this.now = o.now ?? Date.now;
    this.condCtx = { now: 0, timezone: o.timezone, timeWindows: o.compiled.timeWindows, point: o.point, conditions: o.conditions };
    const restored = (this.restored = o.journal.latestStates());
    const t0 = this.now();
    for (const def of o.compiled.defs) {
      const hasTimeCondition = [...(def.when ?? []), ...(def.suppressWhen ?? [])].some((c) => c.type !== 'point');
      const rt: Runtime = { def, state: restored.get(def.id) ?? initialState(def.id, t0), hasTimeCondition };
      if (def.detector.kind === 'rate') rt.rate = newRateMemory();
      this.runtimes.set(def.id, rt);
      push(this.byPoint, def.pointId, rt);
      for (const dep of def.dependsOn) push(this.byDependency, dep, rt);
      if (hasTimeCondition) this.withTimeConditions.push(rt);
      this.schedule(rt);
    }
    const orphans = [...restored.keys()].filter((id) => !this.runtimes.has(id) && !id.startsWith(EXTERNAL_ALARM_PREFIX) && !id.startsWith(SOURCE_ALARM_PREFIX));
    if (orphans.length > 0) o.log?.warn({ alarms: orphans.slice(0, 20), count: orphans.length }, 'journal holds alarms that no rule defines any more; ignored');
  }

  get size(): number {
    return this.runtimes.size;
  }

  /** Evaluates every alarm against the current point states (at start-up). */
  evaluateAll(): void {
    const now = this.now();
    for (const rt of this.runtimes.values()) this.evaluate(rt, this.o.point(rt.def.pointId), now);
    this.flush();
  }

  /** Point states changed by one ingest batch. */
  onChanged(changed: readonly PointState[]): void {
    const now = this.now();
    for (let i = 0; i < changed.length; i++) {
      const ps = changed[i];
      const own = this.byPoint.get(ps.id);
      if (own) for (let j = 0; j < own.length; j++) this.evaluate(own[j], ps, now);
      const deps = this.byDependency.get(ps.id);
      if (deps) for (const rt of deps) this.evaluate(rt, this.o.point(rt.def.pointId), now);
    }
    if (this.pending.length > 0) this.flush();
  }

  /** Advances timers (delays, shelve expiry, re-alarm, escalation) and time-window conditions. */
  tick(): void {
    const now = this.now();
    for (const rt of this.withTimeConditions) this.evaluate(rt, this.o.point(rt.def.pointId), now);
    for (const rt of [...this.timed]) {
      if (rt.rate && rt.state.raw && now - rt.rate.lastTs >= RATE_QUIET_MS) this.apply(rt, { type: 'raw', raw: false, value: rt.state.value }, now);
      if (nextDue(rt.state, rt.def) <= now) this.apply(rt, { type: 'tick' }, now);
    }
    pruneActivations(this.recent, now);
    this.flush();
  }

  private evaluate(rt: Runtime, ps: PointState | undefined, now: number): void {
    const def = rt.def;
    if (def.suppressWhen || def.when) this.condCtx.now = now;
    if (def.suppressWhen) {
      const sup = anyHolds(def.suppressWhen, this.condCtx);
      if (sup !== rt.state.suppressed) this.apply(rt, { type: 'suppress', on: sup }, now);
    }
    const enabled = !def.when || allHold(def.when, this.condCtx);
    const raw = enabled ? detectRaw(def.detector, ps, rt.state.raw, this.o.point, rt.rate) : false;
    if (raw !== rt.state.raw) this.apply(rt, { type: 'raw', raw, value: ps?.value ?? null }, now);
  }

  private apply(rt: Runtime, event: AlarmEvent, now: number): MachineEntry[] {
    const r = step(rt.state, event, rt.def, now);
    if (r.refused) throw new AlarmActionError(r.refused.status, r.refused.status === 400 ? 'bad_request' : 'conflict', r.refused.message);
    rt.state = r.state;
    this.schedule(rt);
    if (this.o.owned && !this.o.owned(rt.def)) return r.entries;
    // Every journal entry of a test alarm (ack, clear, shelve… not only the activation) carries
    // its tag, so the journal marks the whole drill; taken before a return to normal drops it.
    let tag = this.testTags.get(rt.def.id);
    if (displayState(r.state) === 'normal') this.testTags.delete(rt.def.id);
    for (const e of r.entries) {
      const def = rt.def;
      if (e.kind === 'activate') {
        tag = this.o.testTag?.(def.pointId);
        if (tag) this.testTags.set(def.id, tag);
        else this.testTags.delete(def.id);
      }
      if (tag) e.comment = e.comment ? `[test: ${tag}] ${e.comment}` : `[test: ${tag}]`;
      this.pending.push({ ...e, ruleId: def.ruleId, pointId: def.pointId, priority: def.priority, area: def.area, snapshot: r.state });
      this.dirty.add(def.id);
      if ((e.kind === 'activate' && e.state === 'unacknowledged') || e.kind === 're-alarm') {
        this.recent.push({ ts: now, alarmId: def.id, area: def.area });
        if (e.kind === 'activate' && def.actions.length > 0) this.o.actions?.run(def.actions, this.view(def.id)!);
      }
      if (e.kind === 'escalate') this.o.onEscalate?.(this.view(def.id)!, now - (r.state.unackSince ?? now));
    }
    return r.entries;
  }

  private schedule(rt: Runtime): void {
    const due = nextDue(rt.state, rt.def) !== Infinity || (rt.rate !== undefined && rt.state.raw);
    if (due) this.timed.add(rt);
    else this.timed.delete(rt);
  }

  private flush(operatorAction = false): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.o.journal.append(batch, operatorAction);
    this.o.onJournal?.(batch);
  }

  /**
   * Several hubs, a building taken over: its alarms (those `include` keeps) continue from the states
   * the previous owner handed on (`states`, else this journal's, else normal), without journaling
   * them again. With `evaluate` they are then checked against the current point values (a building
   * this hub already ingests), so only a real change since is journaled.
   */
  adopt(include: (def: AlarmDef) => boolean, states: ReadonlyMap<string, AlarmState>, evaluate: boolean): number {
    const now = this.now();
    let n = 0;
    for (const rt of this.runtimes.values()) {
      if (!include(rt.def)) continue;
      rt.state = states.get(rt.def.id) ?? this.restored.get(rt.def.id) ?? initialState(rt.def.id, now);
      this.schedule(rt);
      this.dirty.add(rt.def.id);
      n++;
    }
    if (evaluate) for (const rt of this.runtimes.values()) if (include(rt.def)) this.evaluate(rt, this.o.point(rt.def.pointId), now);
    this.flush();
    return n;
  }

  /** Checks the alarms of these points against their values now, changed or not (after an edge's birth). */
  reevaluate(pointIds: readonly string[]): void {
    const now = this.now();
    for (const id of pointIds) for (const rt of this.byPoint.get(id) ?? []) this.evaluate(rt, this.o.point(id), now);
    this.flush();
  }

  /**
   * Replaces the alarm definitions (a live config reload). An alarm whose id stays keeps its state
   * (active, acknowledged, shelved, out of service) and is re-evaluated against its new definition,
   * so an unchanged rule loses nothing; new alarms start normal; removed ones leave the engine
   * (their journal stays). O(alarms), once per reload.
   */
  replaceDefs(compiled: CompiledAlarms): { added: string[]; removed: string[] } {
    this.flush();
    const now = this.now();
    const old = new Map(this.runtimes);
    this.runtimes.clear();
    this.byPoint.clear();
    this.byDependency.clear();
    this.timed.clear();
    this.withTimeConditions.length = 0;
    this.condCtx.timeWindows = compiled.timeWindows;
    const added: string[] = [];
    for (const def of compiled.defs) {
      const prev = old.get(def.id);
      if (!prev) added.push(def.id);
      const hasTimeCondition = [...(def.when ?? []), ...(def.suppressWhen ?? [])].some((c) => c.type !== 'point');
      const rt: Runtime = { def, state: prev?.state ?? initialState(def.id, now), hasTimeCondition };
      if (def.detector.kind === 'rate') rt.rate = prev?.rate ?? newRateMemory();
      this.runtimes.set(def.id, rt);
      push(this.byPoint, def.pointId, rt);
      for (const dep of def.dependsOn) push(this.byDependency, dep, rt);
      if (hasTimeCondition) this.withTimeConditions.push(rt);
      this.schedule(rt);
      this.dirty.add(def.id);
    }
    // External alarms are not defined by rules: they stay as their source reported them.
    for (const [id, rt] of old) if (rt.def.detector.kind === 'external' || rt.def.detector.kind === 'source') this.runtimes.set(id, rt);
    const removed = [...old.keys()].filter((id) => !this.runtimes.has(id));
    for (const rt of this.runtimes.values()) this.evaluate(rt, this.o.point(rt.def.pointId), now);
    this.flush();
    return { added, removed };
  }

  // ---- operator actions: journaled durably (synchronous=FULL) and audited before returning ----

  private operator(id: string, event: AlarmEvent, user: string, action: string, details: Record<string, unknown>): AlarmView {
    const rt = this.runtimes.get(id);
    if (!rt) throw new AlarmActionError(404, 'not_found', `unknown alarm "${id}"`);
    this.flush();
    this.apply(rt, event, this.now());
    this.flush(true);
    this.o.audit?.record({ user, action: `alarm.${action}`, target: id, details });
    return this.view(id)!;
  }

  ack(id: string, user: string, comment?: string): AlarmView {
    return this.operator(id, { type: 'ack', user, comment }, user, 'ack', comment ? { comment } : {});
  }

  /** Acknowledges every alarm of the area that waits for it and is visible (not shelved/suppressed/out of service). */
  ackArea(area: string, user: string, comment?: string): string[] {
    const now = this.now();
    const acked: string[] = [];
    this.flush();
    for (const rt of this.runtimes.values()) {
      // External alarms are acknowledged at their source first (AlarmsModule.acknowledgeArea).
      if (!inArea(rt.def.area, area) || !needsAck(rt.state) || rt.def.detector.kind === 'external') continue;
      this.apply(rt, { type: 'ack', user, comment }, now);
      acked.push(rt.def.id);
    }
    this.flush(true);
    if (acked.length > 0) this.o.audit?.record({ user, action: 'alarm.ack_area', target: area, details: { alarms: acked, ...(comment ? { comment } : {}) } });
    return acked;
  }

  shelve(id: string, user: string, durationMs: number, reason: string): AlarmView {
    return this.operator(id, { type: 'shelve', user, durationMs, reason }, user, 'shelve', { durationMin: durationMs / 60_000, reason });
  }

  unshelve(id: string, user: string, comment?: string): AlarmView {
    return this.operator(id, { type: 'unshelve', user, comment }, user, 'unshelve', comment ? { comment } : {});
  }

  outOfService(id: string, user: string, reason: string): AlarmView {
    return this.operator(id, { type: 'out-of-service', user, reason }, user, 'out_of_service', { reason });
  }

  returnToService(id: string, user: string, comment?: string): AlarmView {
    return this.operator(id, { type: 'return-to-service', user, comment }, user, 'return_to_service', comment ? { comment } : {});
  }

  comment(id: string, user: string, text: string): AlarmView {
    return this.operator(id, { type: 'comment', user, text }, user, 'comment', { text });
  }

  // ---- external alarm systems (hub/alarms/external.ts) ----

  /**
   * An external condition's reported state: creates its alarm on first sight (with the state the
   * journal last held for it), steps it through the same state machine as rule alarms. An
   * acknowledgement made at the source is journaled with `ackedBy` (the connection) as the user.
   */
  upsertExternal(def: AlarmDef, reported: { active: boolean; acked: boolean; ackedBy: string; comment?: string }): void {
    if (def.detector.kind !== 'external') throw new Error(`upsertExternal: ${def.id} is not an external alarm`);
    const now = this.now();
    let rt = this.runtimes.get(def.id);
    if (!rt) {
      rt = { def, state: this.restored.get(def.id) ?? initialState(def.id, now), hasTimeCondition: false };
      this.runtimes.set(def.id, rt);
    } else {
      rt.def = def; // priority and message may change with the source's severity and text
    }
    this.dirty.add(def.id);
    if (reported.active !== rt.state.raw) this.apply(rt, { type: 'raw', raw: reported.active, value: null }, now);
    // Shelved or out of service here: the operator's state wins; the source's ack is not replayed later.
    const s = rt.state;
    if (reported.acked && !s.acked && !s.shelved && !s.outOfService) this.apply(rt, { type: 'ack', user: reported.ackedBy, comment: reported.comment }, now);
    this.flush();
  }

  /** External alarms of an area that wait for an acknowledgement (visible ones only, like ackArea). */
  externalAwaitingAck(area: string): AlarmDef[] {
    const out: AlarmDef[] = [];
    for (const rt of this.runtimes.values()) {
      if (rt.def.detector.kind === 'external' && inArea(rt.def.area, area) && needsAck(rt.state)) out.push(rt.def);
    }
    return out;
  }

  // ---- rule sources: hub subsystems that decide a condition themselves (patrols) ----

  /**
   * Raises or clears alarms a subsystem owns (detector kind `source`, ids under SOURCE_ALARM_PREFIX):
   * each is defined when first raised (or at once when the journal holds a state for it, so an alarm
   * active before a restart can be cleared), then steps through
   * the same state machine as rule alarms (ack, shelve, journal, live push). One journal write per call.
   */
  setSourceConditions(items: ReadonlyArray<{ def: AlarmDef; active: boolean; value?: string | number | boolean | null }>): void {
    const now = this.now();
    for (const { def, active, value } of items) {
      if (def.detector.kind !== 'source' || !def.id.startsWith(SOURCE_ALARM_PREFIX)) throw new Error(`setSourceConditions: ${def.id} is not a rule-source alarm`);
      let rt = this.runtimes.get(def.id);
      if (!rt) {
        // Never raised here nor in the journal, and not raised now: nothing to show, nothing to define.
        const restored = this.restored.get(def.id);
        if (!active && !restored) continue;
        rt = { def, state: restored ?? initialState(def.id, now), hasTimeCondition: false };
        this.runtimes.set(def.id, rt);
        this.dirty.add(def.id);
      } else rt.def = def;
      if (active !== rt.state.raw) this.apply(rt, { type: 'raw', raw: active, value: value ?? null }, now);
    }
    this.flush();
  }

  // ---- reading ----

  def(id: string): AlarmDef | undefined {
    return this.runtimes.get(id)?.def;
  }

  view(id: string, now = this.now()): AlarmView | undefined {
    const rt = this.runtimes.get(id);
    return rt && this.tagged(alarmView(rt.def, rt.state, this.o.point(rt.def.pointId), now));
  }

  private tagged(v: AlarmView): AlarmView {
    const tag = this.testTags.get(v.id);
    if (tag) v.test = tag;
    return v;
  }

  /** Sorted by priority, then newest change. Without `all`, alarms in state normal are left out. */
  list(filter: AlarmFilter = {}): AlarmView[] {
    const now = this.now();
    const out: AlarmView[] = [];
    for (const rt of this.runtimes.values()) {
      if (!filter.all && displayState(rt.state) === 'normal' && !filter.state?.includes('normal')) continue;
      const v = this.tagged(alarmView(rt.def, rt.state, this.o.point(rt.def.pointId), now));
      if (matchesFilter(v, filter)) out.push(v);
    }
    return out.sort(compareAlarms);
  }

  states(): AlarmState[] {
    return [...this.runtimes.values()].map((rt) => rt.state);
  }

  /** Ids changed since the last call (for batched live push). */
  drainChanged(): string[] {
    if (this.dirty.size === 0) return [];
    const ids = [...this.dirty];
    this.dirty.clear();
    return ids;
  }

  /** Counts over every alarm, or over those `include` keeps (several hubs: the part this hub answers for). */
  summary(include?: (def: AlarmDef) => boolean): AlarmSummary {
    const now = this.now();
    const unacked: Record<AlarmPriority, number> = { critical: 0, high: 0, medium: 0, low: 0 };
    let active = 0, shelved = 0, suppressed = 0, outOfService = 0;
    for (const rt of this.runtimes.values()) {
      if (include && !include(rt.def)) continue;
      const s = rt.state;
      if (s.outOfService) outOfService++;
      else if (s.shelved) shelved++;
      else if (s.suppressed) suppressed++;
      if (s.active && !inhibited(s)) active++;
      if (needsAck(s)) unacked[rt.def.priority]++;
    }
    const f = floodState(include ? this.recent.filter((a) => { const d = this.runtimes.get(a.alarmId)?.def; return d !== undefined && include(d); }) : this.recent, now);
    return { unacked, active, shelved, suppressed, outOfService, flood: f.flood, floodGroups: f.groups, recentCount: f.recentCount };
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
