import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlarmView } from '../../contracts/alarms.js';
import type { PointState, PointValue, Quality } from '../../contracts/point.js';
import type { AuditEntry } from '../module.js';
import { ActionRunner } from './actions.js';
import { AlarmActionError, AlarmEngine } from './engine.js';
import { AlarmJournal } from './journal.js';
import type { AlarmDef } from './rules.js';
import { testDef } from './test-fixtures.js';

const TEMP = 'hq/a/l05/server-501/env-1/temperature';
const LAMP = 'hq/a/b1/weak-b104/lighting-b1/parking-a';
const LAMP_A = 'hq/a/b1/weak-b104/lighting-b1/parking-a-current';
const DOOR = 'hq/a/l03/archive-303/door-1/open';
const MIN = 60_000;
const MON_9 = Date.parse('2025-03-03T01:00:00Z'); // Monday 09:00 in Shanghai

const dirs: string[] = [];
const journals: AlarmJournal[] = [];
afterEach(() => {
  for (const j of journals.splice(0)) j.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup(defs: AlarmDef[], opts: { start?: number; dir?: string; timeWindows?: Record<string, any> } = {}) {
  let now = opts.start ?? 1_000_000;
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wf-engine-'));
  if (!opts.dir) dirs.push(dir);
  const journal = new AlarmJournal(dir);
  journals.push(journal);
  const states = new Map<string, PointState>();
  const audits: AuditEntry[] = [];
  const escalations: Array<[string, number]> = [];
  const fired: Array<[string, string]> = [];
  const actions = new ActionRunner();
  actions.register('camera-snapshot', (a, alarm) => void fired.push([a.camera, alarm.id]));
  const engine = new AlarmEngine({
    compiled: { defs, timeWindows: opts.timeWindows ?? {}, operatorPositions: 1 },
    journal, point: (id) => states.get(id), timezone: 'Asia/Shanghai', now: () => now, actions,
    audit: { record: (e) => void audits.push({ ts: now, ...e }) },
    onEscalate: (v, ms) => void escalations.push([v.id, ms]),
  });
  const set = (id: string, value: PointValue, quality: Quality = 'good') => {
    const s: PointState = { id, value, quality, readTs: now, changedTs: now };
    states.set(id, s);
    engine.onChanged([s]);
  };
  const at = (t: number) => {
    now = t;
    engine.tick();
  };
  const advance = (ms: number) => at(now + ms);
  return { engine, journal, set, at, advance, audits, escalations, fired, dir, get now() { return now; } };
}

const limitHigh = testDef({ id: 'temp.h', ruleId: 'temp', pointId: TEMP, priority: 'high', area: 'a/l05/server-501', detector: { kind: 'limit', direction: 'high', value: 27, deadband: 1 }, onDelayMs: 30_000, offDelayMs: 30_000, message: { en: 'Server room {value}', 'zh-CN': '机房 {value}' }, unit: '°C' });

describe('alarm engine', () => {
  it('limit with deadband and on/off delays, driven by samples and ticks', () => {
    const t = setup([limitHigh]);
    t.set(TEMP, 28);
    t.advance(29_000);
    expect(t.engine.view('temp.h')!.state).toBe('normal');
    t.advance(1_000);
    expect(t.engine.view('temp.h')).toMatchObject({ state: 'unacknowledged', triggerValue: 28, message: { en: 'Server room 28 °C' } });
    t.set(TEMP, 26.5); // inside the deadband: still in alarm
    t.advance(60_000);
    expect(t.engine.view('temp.h')!.state).toBe('unacknowledged');
    t.set(TEMP, 25.9);
    t.advance(29_000);
    expect(t.engine.view('temp.h')!.state).toBe('unacknowledged');
    t.advance(1_000);
    expect(t.engine.view('temp.h')!.state).toBe('rtn_unacknowledged');
    expect(t.journal.query({ ascending: true }).map((r) => r.kind)).toEqual(['activate', 'clear']);
  });

  it('comm failure longer than N s raises its alarm; a short outage does not', () => {
    const t = setup([testDef({ id: 'comm', pointId: TEMP, detector: { kind: 'comm-fail' }, onDelayMs: 30_000 }), limitHigh]);
    t.set(TEMP, 20, 'comm_fail');
    t.advance(10_000);
    t.set(TEMP, 20, 'good');
    t.advance(60_000);
    expect(t.engine.view('comm')!.state).toBe('normal');
    t.set(TEMP, 99, 'comm_fail'); // the limit alarm must not trust this value
    t.advance(30_000);
    expect(t.engine.view('comm')!.state).toBe('unacknowledged');
    expect(t.engine.view('temp.h')!.state).toBe('normal');
  });

  it('rate of change: raised by a fast rise, cleared once the value stops moving', () => {
    const t = setup([testDef({ id: 'rise', pointId: TEMP, detector: { kind: 'rate', maxRisePerMin: 1 } })]);
    t.set(TEMP, 20);
    t.advance(30_000);
    t.set(TEMP, 21); // +2/min
    expect(t.engine.view('rise')!.state).toBe('unacknowledged');
    t.advance(59_000);
    expect(t.engine.view('rise')!.active).toBe(true);
    t.advance(1_000);
    expect(t.engine.view('rise')!.state).toBe('rtn_unacknowledged');
  });

  it('deviation from a setpoint re-evaluates when the setpoint moves', () => {
    const SP = 'hq/a/l05/server-501/crac-1/setpoint';
    const t = setup([testDef({ id: 'dev', pointId: TEMP, detector: { kind: 'deviation', setpoint: SP, maxDeviation: 3, deadband: 0 }, dependsOn: [SP] })]);
    t.set(SP, 22);
    t.set(TEMP, 24);
    expect(t.engine.view('dev')!.state).toBe('normal');
    t.set(SP, 20);
    expect(t.engine.view('dev')!.state).toBe('unacknowledged');
  });

  it('a time-window condition: door open only alarms outside office hours, as the clock moves', () => {
    const def = testDef({ id: 'door', pointId: DOOR, area: 'a/l03/archive-303', when: [{ type: 'time-window', window: 'office', match: 'outside' }] });
    const t = setup([def], { start: MON_9, timeWindows: { office: [{ days: ['mon'], from: '08:00', to: '18:00' }] } });
    t.set(DOOR, true);
    expect(t.engine.view('door')!.state).toBe('normal');
    t.at(MON_9 + 9 * 60 * MIN); // 18:00 local
    expect(t.engine.view('door')!.state).toBe('unacknowledged');
  });

  it('suppression by design: a dark circuit drawing no current is not a lamp failure', () => {
    const def = testDef({ id: 'lamp', pointId: LAMP_A, priority: 'low', detector: { kind: 'limit', direction: 'low', value: 0.5, deadband: 0 }, suppressWhen: [{ type: 'point', point: LAMP, equals: false }], dependsOn: [LAMP] });
    const t = setup([def]);
    t.set(LAMP, false);
    t.set(LAMP_A, 0);
    expect(t.engine.view('lamp')!.state).toBe('suppressed');
    expect(t.engine.list().map((v) => v.id)).toEqual(['lamp']); // visible as suppressed in the full list
    t.set(LAMP, true); // switched on and still no current: a real failure
    expect(t.engine.view('lamp')!.state).toBe('unacknowledged');
    t.set(LAMP_A, 6);
    t.engine.ack('lamp', 'op');
    expect(t.engine.view('lamp')!.state).toBe('normal');
  });

  it('escalates a critical alarm left unacknowledged, runs its actions, audits operator actions', async () => {
    const def = testDef({ escalateMs: 2 * MIN, actions: [{ type: 'camera-snapshot', camera: 'cam-b1' }] });
    const t = setup([def]);
    t.set(def.pointId, true);
    expect(t.fired).toEqual([]); // handlers run asynchronously
    await new Promise((r) => setImmediate(r));
    t.advance(2 * MIN);
    expect(t.escalations).toEqual([['leak', 2 * MIN]]);
    expect(t.engine.view('leak')!.escalated).toBe(true);
    expect(t.fired).toEqual([['cam-b1', 'leak']]);
    t.engine.ack('leak', 'guard', 'pump shut');
    expect(t.audits).toEqual([{ ts: t.now, user: 'guard', action: 'alarm.ack', target: 'leak', details: { comment: 'pump shut' } }]);
  });

  it('operator refusals are domain errors with a kind (the error middleware maps it to HTTP)', () => {
    const t = setup([testDef()]);
    const err = (f: () => unknown) => { try { f(); } catch (e) { return e as AlarmActionError; } throw new Error('no error'); };
    expect(err(() => t.engine.ack('nope', 'g'))).toMatchObject({ kind: 'not_found', code: 'not_found', message: 'unknown alarm "nope"' });
    expect(err(() => t.engine.ack('leak', 'g'))).toMatchObject({ kind: 'conflict' });
    expect(err(() => t.engine.shelve('leak', 's', 61 * MIN, 'r'))).toMatchObject({ kind: 'invalid', message: expect.stringContaining('at most 60 min') });
    expect(t.journal.count()).toBe(0);
  });

  it('acknowledges all visible alarms of an area, not shelved ones or other areas', () => {
    const defs = ['x', 'y', 'z'].map((id, i) => testDef({ id, pointId: `hq/a/b1/pump-b101/s-${id}/leak`, area: i < 2 ? 'a/b1/pump-b101' : 'a/l03/archive-303' }));
    const t = setup(defs);
    for (const d of defs) t.set(d.pointId, true);
    t.engine.shelve('y', 'boss', 10 * MIN, 'repair');
    expect(t.engine.ackArea('a/b1', 'guard')).toEqual(['x']);
    expect(t.engine.list().map((v) => [v.id, v.state])).toEqual([['z', 'unacknowledged'], ['x', 'acknowledged'], ['y', 'shelved']]);
  });

  it('flood: more than 10 new alarms in 10 minutes, grouped by area', () => {
    const defs = Array.from({ length: 11 }, (_, i) => testDef({ id: `l${i}`, pointId: `hq/a/b1/r/s-${i}/leak`, area: i < 8 ? 'a/b1/pump-b101' : 'a/l01/lobby-101' }));
    const t = setup(defs);
    for (const d of defs.slice(0, 10)) t.set(d.pointId, true);
    expect(t.engine.summary()).toMatchObject({ flood: false, recentCount: 10, floodGroups: [] });
    t.set(defs[10].pointId, true);
    const s = t.engine.summary();
    expect(s.flood).toBe(true);
    expect(s.unacked.critical).toBe(11);
    expect(s.floodGroups.map((g) => [g.area, g.count])).toEqual([['a/b1/pump-b101', 8], ['a/l01/lobby-101', 3]]);
    t.advance(10 * MIN);
    expect(t.engine.summary().flood).toBe(false);
  });

  it('list is sorted by priority, then newest first; drainChanged reports each change once', () => {
    const defs = [testDef({ id: 'low', pointId: 'hq/a/b1/r/e/a', priority: 'low' }), testDef({ id: 'crit', pointId: 'hq/a/b1/r/e/b' }), testDef({ id: 'crit2', pointId: 'hq/a/b1/r/e/c' })];
    const t = setup(defs);
    t.set('hq/a/b1/r/e/a', true);
    t.advance(1000);
    t.set('hq/a/b1/r/e/b', true);
    t.advance(1000);
    t.set('hq/a/b1/r/e/c', true);
    expect(t.engine.list().map((v: AlarmView) => v.id)).toEqual(['crit2', 'crit', 'low']);
    expect(t.engine.drainChanged().sort()).toEqual(['crit', 'crit2', 'low']);
    expect(t.engine.drainChanged()).toEqual([]);
  });

  it('restores states from the journal; a shelve that expired while down ends on the first tick', () => {
    const t = setup([testDef()]);
    t.set(testDef().pointId, true);
    t.engine.shelve('leak', 'boss', 10 * MIN, 'repair');
    t.journal.close();
    const t2 = setup([testDef()], { dir: t.dir, start: t.now + 20 * MIN });
    expect(t2.engine.view('leak')!.state).toBe('shelved');
    t2.engine.tick();
    expect(t2.engine.view('leak')).toMatchObject({ state: 'unacknowledged', active: true });
  });
});
