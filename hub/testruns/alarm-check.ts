// Checkout of alarms: for each alarm of the checked points, a value fault on the simulated point
// trips the rule, the alarm must be raised (tagged as test), the fault is cleared, and the alarm
// must return to normal. Only value faults on connections the simulators serve on loopback: a real
// connection is never driven, whatever testruns.yaml allows. Rules with no safe or simple trip
// (rate of change, deviation, conditions, long delays, PA announcements) are reported as skipped.
import type { AlarmView } from '../../contracts/alarms.js';
import type { PointInfo } from '../../contracts/point.js';
import type { CheckoutAlarmCheck } from '../../contracts/testruns.js';
import type { AlarmDef } from '../alarms/rules.js';

export interface AlarmCheckDeps {
  /** Every alarm definition the engine evaluates. */
  defs(): AlarmDef[];
  view(id: string): AlarmView | undefined;
  /** Acknowledges the cleared test alarm so it returns to normal (journaled under the user). */
  ack(id: string, user: string, comment: string): void;
  /** Why the point may not be driven (not simulated, unsupported protocol), or null. */
  refusal(pointId: string): Promise<string | null>;
  /** Holds the point at `value` (a step fault, marked as test under `tag`); returns the fault id. */
  inject(pointId: string, value: number | boolean, tag: string, user: string): Promise<string>;
  clear(faultId: string, user: string): Promise<void>;
}

export interface AlarmCheckOptions {
  /** Rules whose on- or off-delay is longer are skipped (s). */
  maxDelayS: number;
  /** Extra time over the rule's delay for the poll and the engine's tick (ms). */
  marginMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  stopping: () => boolean;
}

/** The value that trips `def`, or why it is not tripped. Pure. */
export function tripValue(def: AlarmDef, info: PointInfo | undefined, maxDelayS: number): { value: number | boolean } | { skip: string } {
  const d = def.detector;
  if (!info) return { skip: `point ${def.pointId} is not configured` };
  if (d.kind === 'rate') return { skip: 'rate-of-change rule: needs a ramp over minutes, not a simple step' };
  if (d.kind === 'deviation') return { skip: 'deviation rule: depends on a setpoint point' };
  if (d.kind === 'comm-fail') return { skip: 'communication-failure rule: would take the whole connection offline' };
  if (d.kind === 'external' || d.kind === 'source') return { skip: `${d.kind} alarm: decided outside the point value` };
  if ((def.when?.length ?? 0) > 0 || (def.suppressWhen?.length ?? 0) > 0) return { skip: 'has when/suppressWhen conditions (schedule, time window or other points): the result would depend on them' };
  const longest = Math.max(def.onDelayMs, def.offDelayMs) / 1000;
  if (longest > maxDelayS) return { skip: `needs a ${longest} s delay (more than the ${maxDelayS} s allowed for alarm checks)` };
  if (def.actions.some((a) => a.type === 'broadcast')) return { skip: 'raising it plays a PA announcement (broadcast action)' };
  if (d.kind === 'limit') {
    // Past the limit by the deadband (it must also clear by that much), at least 1 unit.
    const step = Math.max(1, d.deadband);
    return { value: d.direction === 'high' ? d.value + step : d.value - step };
  }
  const v = d.values[0];
  if (info.kind === 'binary') return { value: v === true || v === 1 };
  if (typeof v === 'number') return { value: v };
  return { skip: `state ${JSON.stringify(v)} cannot be held by a value fault` };
}

/**
 * Checks one alarm end to end; fills `c` in place. The caller runs one alarm of a point at a time;
 * `siblings`: the other alarms of the same point.
 */
export async function checkAlarm(c: CheckoutAlarmCheck, def: AlarmDef, info: PointInfo | undefined, siblings: readonly string[], user: string, tag: string, d: AlarmCheckDeps, o: AlarmCheckOptions): Promise<void> {
  c.by = user;
  c.at = o.now();
  const plan = tripValue(def, info, o.maxDelayS);
  if ('skip' in plan) return done(c, 'skipped', plan.skip);
  const why = await d.refusal(def.pointId);
  if (why) return done(c, 'skipped', why);
  const before = d.view(def.id);
  if (!before || before.state !== 'normal') return done(c, 'skipped', `alarm is ${before?.state ?? 'unknown'} before the test: not driven`);
  c.tripValue = plan.value;
  let fault: string | undefined;
  try {
    fault = await d.inject(def.pointId, plan.value, tag, user);
    const raised = await waitFor(() => d.view(def.id), (v) => v?.active === true, def.onDelayMs + o.marginMs, o);
    if (!raised?.active) return done(c, 'fail', `held at ${plan.value} but not raised within ${(def.onDelayMs + o.marginMs) / 1000} s (state ${raised?.state ?? 'unknown'})`);
    c.raisedAt = raised.activeSince ?? o.now();
    c.testTag = raised.test;
    await d.clear(fault, user);
    fault = undefined;
    const cleared = await waitFor(() => d.view(def.id), (v) => v?.active === false, def.offDelayMs + o.marginMs, o);
    if (cleared?.active !== false) return done(c, 'fail', `raised, but still active ${(def.offDelayMs + o.marginMs) / 1000} s after the fault was cleared`);
    c.clearedAt = cleared.lastChange;
    // Acknowledge so the test alarm leaves the operators' list (latching ones need it to reset);
    // likewise the other levels of the point it raised (a high-high trip raises the high too).
    for (const id of [def.id, ...siblings]) {
      const v = id === def.id ? cleared : await waitFor(() => d.view(id), (x) => x?.active !== true, def.offDelayMs + o.marginMs, o);
      if (v && !v.active && v.state !== 'normal' && (id === def.id || v.test === raised.test)) d.ack(id, user, `checkout alarm test (${tag})`);
    }
    const after = d.view(def.id);
    if (!raised.test) return done(c, 'fail', 'raised and cleared, but without the test tag');
    if (after?.state !== 'normal') return done(c, 'fail', `raised and cleared, but left ${after?.state ?? 'unknown'}`);
    done(c, 'pass', `held at ${plan.value}: raised ${def.priority} (test: ${raised.test}), cleared after the fault was removed`);
  } catch (err) {
    done(c, 'fail', `alarm check failed: ${(err as Error).message}`);
  } finally {
    if (fault) await d.clear(fault, user).catch(() => {});
  }
}

function done(c: CheckoutAlarmCheck, result: CheckoutAlarmCheck['result'], detail: string): void {
  c.result = result;
  c.detail = detail;
}

async function waitFor<T>(probe: () => T, ok: (t: T) => boolean, ms: number, o: AlarmCheckOptions): Promise<T> {
  const end = o.now() + ms;
  for (let t = probe(); ; t = probe()) {
    if (ok(t) || o.now() >= end || o.stopping()) return t;
    await o.sleep(500);
  }
}

/** The alarm checks of a run's points, one list per equipment: its faults taint each other's tags, so they run one after the other. */
export function alarmChecksFor(defs: readonly AlarmDef[], pointIds: ReadonlySet<string>): Map<string, Array<{ def: AlarmDef; check: CheckoutAlarmCheck }>> {
  const out = new Map<string, Array<{ def: AlarmDef; check: CheckoutAlarmCheck }>>();
  for (const def of defs) {
    if (!pointIds.has(def.pointId)) continue;
    const key = def.pointId.split('/').slice(0, 5).join('/');
    const list = out.get(key) ?? [];
    list.push({ def, check: { alarmId: def.id, ruleId: def.ruleId, pointId: def.pointId, priority: def.priority, result: 'pending', detail: '' } });
    out.set(key, list);
  }
  return out;
}
