import { describe, expect, it } from 'vitest';
import type { AlarmStateName, JournalKind } from '../../contracts/alarms.js';
import { displayState, initialState, nextDue, step, type AlarmEvent, type AlarmState } from './machine.js';
import type { AlarmDef } from './rules.js';
import { testDef } from './test-fixtures.js';

const on: AlarmEvent = { type: 'raw', raw: true, value: true };
const off: AlarmEvent = { type: 'raw', raw: false, value: false };
const tick: AlarmEvent = { type: 'tick' };
const ack: AlarmEvent = { type: 'ack', user: 'guard', comment: 'on my way' };
const min = 60_000;

/** Runs [t, event] pairs from a fresh state; returns the final state and all journal kinds. */
function run(def: AlarmDef, script: Array<[number, AlarmEvent]>, from?: AlarmState) {
  let s = from ?? initialState(def.id, 0);
  const kinds: JournalKind[] = [];
  const refusals: string[] = [];
  for (const [t, e] of script) {
    const r = step(s, e, def, t);
    s = r.state;
    kinds.push(...r.entries.map((x) => x.kind));
    if (r.refused) refusals.push(`${r.refused.status} ${r.refused.message}`);
  }
  return { s, state: displayState(s), kinds, refusals };
}

type Row = [name: string, def: Partial<AlarmDef>, script: Array<[number, AlarmEvent]>, state: AlarmStateName, kinds: JournalKind[]];

const rows: Row[] = [
  ['normal stays normal on inactive raw', {}, [[0, off]], 'normal', []],
  ['normal → unacknowledged on activation', {}, [[0, on]], 'unacknowledged', ['activate']],
  ['unacknowledged → acknowledged on ack', {}, [[0, on], [5, ack]], 'acknowledged', ['activate', 'ack']],
  ['acknowledged → normal on clear', {}, [[0, on], [5, ack], [9, off]], 'normal', ['activate', 'ack', 'clear']],
  ['unacknowledged → rtn_unacknowledged on clear', {}, [[0, on], [9, off]], 'rtn_unacknowledged', ['activate', 'clear']],
  ['rtn_unacknowledged → normal on ack', {}, [[0, on], [9, off], [12, ack]], 'normal', ['activate', 'clear', 'ack']],
  ['rtn_unacknowledged → unacknowledged when it returns', {}, [[0, on], [9, off], [12, on]], 'unacknowledged', ['activate', 'clear', 'activate']],
  ['on-delay: short blip raises nothing', { onDelayMs: 10_000 }, [[0, on], [5_000, tick], [9_000, off], [20_000, tick]], 'normal', []],
  ['on-delay: raised once the delay passes', { onDelayMs: 10_000 }, [[0, on], [9_999, tick], [10_000, tick]], 'unacknowledged', ['activate']],
  ['off-delay: short dip keeps it active', { offDelayMs: 10_000 }, [[0, on], [1_000, ack], [2_000, off], [5_000, on], [30_000, tick]], 'acknowledged', ['activate', 'ack']],
  ['off-delay: cleared once the delay passes', { offDelayMs: 10_000 }, [[0, on], [1_000, ack], [2_000, off], [11_999, tick], [12_000, tick]], 'normal', ['activate', 'ack', 'clear']],
  ['latching: acknowledged then cleared → latched', { latching: true }, [[0, on], [1, ack], [2, off]], 'latched', ['activate', 'ack', 'clear']],
  ['latching: latched → normal on reset (ack)', { latching: true }, [[0, on], [1, ack], [2, off], [3, ack]], 'normal', ['activate', 'ack', 'clear', 'ack']],
  ['latching: rtn_unacknowledged → normal on one ack', { latching: true }, [[0, on], [2, off], [3, ack]], 'normal', ['activate', 'clear', 'ack']],
  ['latching: latched → unacknowledged when it returns', { latching: true }, [[0, on], [1, ack], [2, off], [3, on]], 'unacknowledged', ['activate', 'ack', 'clear', 'activate']],
  ['re-alarm: acknowledged and still active after N min → unacknowledged', { reAlarmMs: 30 * min }, [[0, on], [min, ack], [31 * min - 1, tick], [31 * min, tick]], 'unacknowledged', ['activate', 'ack', 're-alarm']],
  ['re-alarm: not when cleared before', { reAlarmMs: 30 * min }, [[0, on], [min, ack], [2 * min, off], [40 * min, tick]], 'normal', ['activate', 'ack', 'clear']],
  ['escalation: unacknowledged N min → escalated', { escalateMs: 5 * min }, [[0, on], [5 * min - 1, tick], [5 * min, tick], [6 * min, tick]], 'unacknowledged', ['activate', 'escalate']],
  ['escalation: not once acknowledged', { escalateMs: 5 * min }, [[0, on], [min, ack], [10 * min, tick]], 'acknowledged', ['activate', 'ack']],
  ['shelve: hides an active alarm', {}, [[0, on], [1, { type: 'shelve', user: 'sup', reason: 'sensor repair', durationMs: 10 * min }]], 'shelved', ['activate', 'shelve']],
  ['shelve: expires by itself, still active → unacknowledged', {}, [[0, on], [1, { type: 'shelve', user: 'sup', reason: 'r', durationMs: 10 * min }], [10 * min, tick], [10 * min + 1, tick]], 'unacknowledged', ['activate', 'shelve', 'shelve-expired']],
  ['shelve: expires after the condition cleared → normal', {}, [[0, on], [1, { type: 'shelve', user: 'sup', reason: 'r', durationMs: 10 * min }], [min, off], [11 * min, tick]], 'normal', ['activate', 'shelve', 'clear', 'shelve-expired']],
  ['shelve: activation while shelved is journaled but not annunciated', {}, [[0, { type: 'shelve', user: 'sup', reason: 'r', durationMs: 10 * min }], [1, on]], 'shelved', ['shelve', 'activate']],
  ['unshelve early → unacknowledged when active', {}, [[0, on], [1, { type: 'shelve', user: 'sup', reason: 'r', durationMs: 10 * min }], [2, { type: 'unshelve', user: 'sup' }]], 'unacknowledged', ['activate', 'shelve', 'unshelve']],
  ['out of service and back', {}, [[0, on], [1, { type: 'out-of-service', user: 'sup', reason: 'maintenance' }], [2, off], [3, { type: 'return-to-service', user: 'sup' }]], 'normal', ['activate', 'out-of-service', 'clear', 'return-to-service']],
  ['out of service beats shelving', {}, [[0, { type: 'shelve', user: 'sup', reason: 'r', durationMs: min }], [1, { type: 'out-of-service', user: 'sup', reason: 'm' }], [2 * min, tick]], 'out_of_service', ['shelve', 'out-of-service']],
  ['suppressed by design hides activation', {}, [[0, { type: 'suppress', on: true }], [1, on]], 'suppressed', ['suppress', 'activate']],
  ['suppression lifted while active → unacknowledged', {}, [[0, { type: 'suppress', on: true }], [1, on], [2, { type: 'suppress', on: false }]], 'unacknowledged', ['suppress', 'activate', 'unsuppress']],
  ['comment leaves the state alone', {}, [[0, on], [1, { type: 'comment', user: 'guard', text: 'checked' }]], 'unacknowledged', ['activate', 'comment']],
];

describe('alarm state machine', () => {
  it.each(rows)('%s', (_name, over, script, state, kinds) => {
    const r = run(testDef(over), script);
    expect(r.state).toBe(state);
    expect(r.kinds).toEqual(kinds);
    expect(r.refusals).toEqual([]);
  });

  const refusals: Array<[string, Partial<AlarmDef>, Array<[number, AlarmEvent]>, string]> = [
    ['ack of a normal alarm', {}, [[0, ack]], '409 alarm leak is normal: it needs no acknowledgement'],
    ['ack of an acknowledged alarm', {}, [[0, on], [1, ack], [2, ack]], '409 alarm leak is acknowledged: it needs no acknowledgement'],
    ['ack while shelved', {}, [[0, on], [1, { type: 'shelve', user: 's', reason: 'r', durationMs: min }], [2, ack]], '409 alarm leak is shelved: nothing to acknowledge'],
    ['shelve with no duration', {}, [[0, { type: 'shelve', user: 's', reason: 'r', durationMs: 0 }]], '400 shelve duration must be more than 0 and at most 60 min for alarm leak'],
    ['shelve beyond the maximum', {}, [[0, { type: 'shelve', user: 's', reason: 'r', durationMs: 61 * min }]], '400 shelve duration must be more than 0 and at most 60 min for alarm leak'],
    ['unshelve of an unshelved alarm', {}, [[0, { type: 'unshelve', user: 's' }]], '409 alarm leak is not shelved'],
    ['shelve while out of service', {}, [[0, { type: 'out-of-service', user: 's', reason: 'm' }], [1, { type: 'shelve', user: 's', reason: 'r', durationMs: min }]], '409 alarm leak is out of service: return it to service before shelving'],
    ['return to service when in service', {}, [[0, { type: 'return-to-service', user: 's' }]], '409 alarm leak is not out of service'],
  ];
  it.each(refusals)('refuses %s', (_n, over, script, message) => {
    const r = run(testDef(over), script);
    expect(r.refusals).toEqual([message]);
  });

  it('records user, comment and the triggering value in journal entries', () => {
    const def = testDef();
    const a = step(initialState('leak', 0), on, def, 1000);
    expect(a.entries).toEqual([{ ts: 1000, alarmId: 'leak', kind: 'activate', state: 'unacknowledged', user: 'system', value: true }]);
    const b = step(a.state, ack, def, 2000);
    expect(b.entries).toEqual([{ ts: 2000, alarmId: 'leak', kind: 'ack', state: 'acknowledged', user: 'guard', comment: 'on my way', value: true }]);
    expect(b.state.ackedBy).toBe('guard');
    expect(a.state).not.toBe(b.state); // replaced, never mutated
    expect(a.state.acked).toBe(false);
  });

  it('nextDue names the next timer', () => {
    const def = testDef({ onDelayMs: 10_000, escalateMs: 5 * min });
    let s = step(initialState('leak', 0), on, def, 0).state;
    expect(nextDue(s, def)).toBe(10_000);
    s = step(s, tick, def, 10_000).state;
    expect(nextDue(s, def)).toBe(10_000 + 5 * min);
    s = step(s, ack, def, 20_000).state;
    expect(nextDue(s, def)).toBe(Infinity);
  });
});
