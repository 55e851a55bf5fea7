// The ISA-18.2 alarm state machine: a pure function (state, event, def, now) → (state, journal
// entries). States are replaced, never mutated. Timers (on/off delay, shelve expiry, re-alarm,
// escalation) advance on `tick` events, so a fake clock drives every transition in tests.
//
//   normal ──activate──► unacknowledged ──ack──► acknowledged
//     ▲                      │ clear                 │ clear ──► normal (latching: latched ─ack─► normal)
//     │                      ▼                       │ re-alarm (still active N min after ack) ──► unacknowledged
//     └──────ack──── rtn_unacknowledged ◄────────────┘
//   shelved (time-limited) / out_of_service / suppressed (by design) hide the alarm from every
//   state; leaving them returns to unacknowledged if the condition is active, else normal.
import type { AlarmStateName, JournalKind } from '../../contracts/alarms.js';
import type { PointValue } from '../../contracts/point.js';
import type { AlarmDef } from './rules.js';

export interface AlarmState {
  id: string;
  /** Detector output now (before delays), and since when. */
  raw: boolean;
  rawSince: number;
  /** Alarm condition after delays. */
  active: boolean;
  /** False while an annunciation waits for acknowledgement. */
  acked: boolean;
  /** Latching alarm cleared after acknowledgement; needs a reset (an ack). */
  latched: boolean;
  escalated: boolean;
  activeSince: number | null;
  unackSince: number | null;
  ackedAt: number | null;
  ackedBy: string | null;
  shelved: { by: string; reason: string; at: number; until: number } | null;
  outOfService: { by: string; reason: string; at: number } | null;
  suppressed: boolean;
  /** Value at the last transition. */
  value: PointValue;
  lastChange: number;
}

export type AlarmEvent =
  | { type: 'raw'; raw: boolean; value: PointValue }
  | { type: 'tick' }
  | { type: 'ack'; user: string; comment?: string }
  | { type: 'shelve'; user: string; reason: string; durationMs: number }
  | { type: 'unshelve'; user: string; comment?: string }
  | { type: 'out-of-service'; user: string; reason: string }
  | { type: 'return-to-service'; user: string; comment?: string }
  | { type: 'suppress'; on: boolean }
  | { type: 'comment'; user: string; text: string };

export interface MachineEntry {
  ts: number;
  alarmId: string;
  kind: JournalKind;
  state: AlarmStateName;
  user: string;
  comment?: string;
  value?: PointValue;
}

/** An operator action the current state does not allow: `status` is the HTTP status to answer. */
export interface Refusal { status: 400 | 409; message: string }

export interface StepResult {
  state: AlarmState;
  entries: MachineEntry[];
  refused?: Refusal;
}

export const SYSTEM_USER = 'system';

export function initialState(id: string, now: number): AlarmState {
  return {
    id, raw: false, rawSince: now, active: false, acked: true, latched: false, escalated: false,
    activeSince: null, unackSince: null, ackedAt: null, ackedBy: null,
    shelved: null, outOfService: null, suppressed: false, value: null, lastChange: now,
  };
}

export function displayState(s: AlarmState): AlarmStateName {
  if (s.outOfService) return 'out_of_service';
  if (s.shelved) return 'shelved';
  if (s.suppressed) return 'suppressed';
  if (s.active) return s.acked ? 'acknowledged' : 'unacknowledged';
  if (!s.acked) return 'rtn_unacknowledged';
  if (s.latched) return 'latched';
  return 'normal';
}

/** Shelved, out of service or suppressed: the alarm is not annunciated. */
export function inhibited(s: AlarmState): boolean {
  return s.outOfService !== null || s.shelved !== null || s.suppressed;
}

/** Needs an operator acknowledgement (or a reset). */
export function needsAck(s: AlarmState): boolean {
  return !inhibited(s) && (!s.acked || s.latched);
}

class Step {
  entries: MachineEntry[] = [];
  constructor(public s: AlarmState, readonly now: number) {}
  set(patch: Partial<AlarmState>) {
    this.s = { ...this.s, ...patch, lastChange: this.now };
  }
  log(kind: JournalKind, user: string, extra: { comment?: string; value?: PointValue } = {}) {
    const e: MachineEntry = { ts: this.now, alarmId: this.s.id, kind, state: displayState(this.s), user };
    if (extra.comment !== undefined) e.comment = extra.comment;
    if (extra.value !== undefined) e.value = extra.value;
    this.entries.push(e);
  }
  result(refused?: Refusal): StepResult {
    return refused ? { state: this.s, entries: this.entries, refused } : { state: this.s, entries: this.entries };
  }
}

/** Annunciation after leaving shelved / out-of-service / suppressed. */
function annunciateIfActive(st: Step) {
  if (st.s.active) st.set({ acked: false, unackSince: st.now, escalated: false, latched: false });
  else st.set({ acked: true, unackSince: null, escalated: false, latched: false });
}

const quiet = { acked: true, unackSince: null, escalated: false, latched: false } as const;

/** Applies on/off delays, shelve expiry, re-alarm and escalation due at `now`. */
function advanceTimers(st: Step, def: AlarmDef) {
  const s = st.s;
  if (s.raw && !s.active && st.now - s.rawSince >= def.onDelayMs) {
    st.set({ active: true, activeSince: st.now });
    if (!inhibited(st.s)) st.set({ acked: false, unackSince: st.now, escalated: false, latched: false });
    st.log('activate', SYSTEM_USER, { value: st.s.value });
  } else if (!s.raw && s.active && st.now - s.rawSince >= def.offDelayMs) {
    st.set({ active: false, activeSince: null });
    if (!inhibited(st.s) && st.s.acked && def.latching) st.set({ latched: true });
    st.log('clear', SYSTEM_USER, { value: st.s.value });
  }
  if (st.s.shelved && st.now >= st.s.shelved.until) {
    st.set({ shelved: null });
    if (!inhibited(st.s)) annunciateIfActive(st);
    st.log('shelve-expired', SYSTEM_USER);
  }
  const t = st.s;
  if (def.reAlarmMs > 0 && t.active && t.acked && !inhibited(t) && t.ackedAt !== null && st.now - t.ackedAt >= def.reAlarmMs) {
    st.set({ acked: false, unackSince: st.now, escalated: false });
    st.log('re-alarm', SYSTEM_USER, { value: t.value });
  }
  const u = st.s;
  if (def.escalateMs > 0 && !u.acked && !u.escalated && !inhibited(u) && u.unackSince !== null && st.now - u.unackSince >= def.escalateMs) {
    st.set({ escalated: true });
    st.log('escalate', SYSTEM_USER);
  }
}

export function step(state: AlarmState, event: AlarmEvent, def: AlarmDef, now: number): StepResult {
  const st = new Step(state, now);
  const s = state;
  switch (event.type) {
    case 'raw':
      // A raw change alone is not a state change (lastChange stays): delays decide that.
      if (event.raw !== s.raw) st.s = { ...s, raw: event.raw, rawSince: now, value: event.value };
      advanceTimers(st, def);
      return st.result();
    case 'tick':
      advanceTimers(st, def);
      return st.result();
    case 'ack': {
      if (s.outOfService || s.shelved) return st.result({ status: 409, message: `alarm ${s.id} is ${displayState(s).replace(/_/g, ' ')}: nothing to acknowledge` });
      if (s.acked && !s.latched) return st.result({ status: 409, message: `alarm ${s.id} is ${displayState(s).replace(/_/g, ' ')}: it needs no acknowledgement` });
      if (!s.acked) {
        st.set({ acked: true, ackedAt: now, ackedBy: event.user, unackSince: null, escalated: false });
        // Acknowledging a latching alarm that already cleared resets it in one go.
        if (!s.active) st.set({ latched: false });
      } else st.set({ latched: false, ackedAt: now, ackedBy: event.user });
      st.log('ack', event.user, { comment: event.comment, value: s.value });
      return st.result();
    }
    case 'shelve': {
      if (s.outOfService) return st.result({ status: 409, message: `alarm ${s.id} is out of service: return it to service before shelving` });
      const maxMin = def.maxShelveMs / 60_000;
      if (!(event.durationMs > 0) || event.durationMs > def.maxShelveMs) {
        return st.result({ status: 400, message: `shelve duration must be more than 0 and at most ${maxMin} min for alarm ${s.id}` });
      }
      st.set({ shelved: { by: event.user, reason: event.reason, at: now, until: now + event.durationMs }, ...quiet });
      st.log('shelve', event.user, { comment: event.reason });
      return st.result();
    }
    case 'unshelve':
      if (!s.shelved) return st.result({ status: 409, message: `alarm ${s.id} is not shelved` });
      st.set({ shelved: null });
      if (!inhibited(st.s)) annunciateIfActive(st);
      st.log('unshelve', event.user, { comment: event.comment });
      return st.result();
    case 'out-of-service':
      if (s.outOfService) return st.result({ status: 409, message: `alarm ${s.id} is already out of service` });
      st.set({ outOfService: { by: event.user, reason: event.reason, at: now }, shelved: null, ...quiet });
      st.log('out-of-service', event.user, { comment: event.reason });
      return st.result();
    case 'return-to-service':
      if (!s.outOfService) return st.result({ status: 409, message: `alarm ${s.id} is not out of service` });
      st.set({ outOfService: null });
      if (!inhibited(st.s)) annunciateIfActive(st);
      st.log('return-to-service', event.user, { comment: event.comment });
      return st.result();
    case 'suppress':
      if (event.on === s.suppressed) return st.result();
      if (event.on) st.set({ suppressed: true, ...quiet });
      else {
        st.set({ suppressed: false });
        if (!inhibited(st.s)) annunciateIfActive(st);
      }
      st.log(event.on ? 'suppress' : 'unsuppress', SYSTEM_USER);
      return st.result();
    case 'comment':
      st.log('comment', event.user, { comment: event.text });
      return st.result();
  }
}

/** The next time a tick could change this alarm (delays, expiry, re-alarm, escalation), or Infinity. */
export function nextDue(s: AlarmState, def: AlarmDef): number {
  let due = Infinity;
  if (s.raw && !s.active) due = Math.min(due, s.rawSince + def.onDelayMs);
  if (!s.raw && s.active) due = Math.min(due, s.rawSince + def.offDelayMs);
  if (s.shelved) due = Math.min(due, s.shelved.until);
  if (def.reAlarmMs > 0 && s.active && s.acked && !inhibited(s) && s.ackedAt !== null) due = Math.min(due, s.ackedAt + def.reAlarmMs);
  if (def.escalateMs > 0 && !s.acked && !s.escalated && !inhibited(s) && s.unackSince !== null) due = Math.min(due, s.unackSince + def.escalateMs);
  return due;
}
