// Patrol alarms as a rule source of the engine: raised and cleared only through
// setSourceConditions, surviving a restart (journal) and a rule reload, and synced by change only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AlarmEngine } from '../alarms/engine.js';
import { AlarmJournal } from '../alarms/journal.js';
import { PatrolAlarms, patrolAlarmDef, patrolAlarmId } from './alarms.js';
import { patrolsFileSchema } from './schema.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const n = (s: string) => ({ en: s, 'zh-CN': s });
const file = patrolsFileSchema.parse({
  shifts: [{ id: 'n', name: n('N'), from: '20:00', to: '08:00' }],
  checkpoints: [{ id: 'gate', name: n('Gate'), area: 'site/gate' }, { id: 'hall', name: n('Hall'), area: 'a/l01' }],
  tours: [{ id: 't', name: n('T'), area: 'a', maxGapMin: 5, assign: { user: 'g' }, runs: [{ shift: 'n', at: '22:00' }], checkpoints: [{ checkpoint: 'gate', atMin: 0, windowMin: 1 }, { checkpoint: 'hall', atMin: 2, windowMin: 1 }] }],
});
const tours = new Map(file.tours.map((t) => [t.id, t]));
const cps = new Map(file.checkpoints.map((c) => [c.id, c]));

function engineAt(dir: string, now: () => number) {
  const journal = new AlarmJournal(dir);
  return { journal, engine: new AlarmEngine({ compiled: { defs: [], timeWindows: {}, operatorPositions: 1 }, journal, point: () => undefined, timezone: 'Asia/Shanghai', now }) };
}

describe('patrol alarms in the ISA-18.2 engine', () => {
  it('defines ids, priorities, areas and messages per tour and checkpoint', () => {
    expect(patrolAlarmId('t', 'missed', 'gate')).toBe('src:patrols:t:gate:missed');
    expect(patrolAlarmId('t', 'order')).toBe('src:patrols:t:order');
    const d = patrolAlarmDef(file.tours[0], 'late', file.alarms, file.checkpoints[1]);
    expect(d).toMatchObject({ id: 'src:patrols:t:hall:late', priority: 'medium', area: 'a/l01', detector: { kind: 'source', source: 'patrols' }, message: { en: 'Patrol checkpoint late: Hall (T)' } });
  });

  it('raises, clears, survives a restart and a reload, and refuses non-source definitions', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-patrol-alarms-'));
    dirs.push(dir);
    let t = 1000;
    let { journal, engine } = engineAt(dir, () => t);
    const sink = { set: (items: Parameters<AlarmEngine['setSourceConditions']>[0]) => engine.setSourceConditions(items) };
    const state = new PatrolAlarms(tours, cps, file.alarms);
    const missed = patrolAlarmId('t', 'missed', 'gate');
    expect(state.sync(sink, new Set())).toBe(5); // first look: everything told once…
    expect(engine.list({ all: true })).toEqual([]); // …but the engine defines nothing never raised
    expect(state.sync(sink, new Set([missed]))).toBe(1);
    expect(state.sync(sink, new Set([missed]))).toBe(0); // no change, no call
    expect(engine.view(missed)).toMatchObject({ state: 'unacknowledged', priority: 'high', area: 'site/gate' });
    engine.replaceDefs({ defs: [], timeWindows: {}, operatorPositions: 1 });
    expect(engine.view(missed)?.state).toBe('unacknowledged');
    journal.close();

    t = 2000;
    ({ journal, engine } = engineAt(dir, () => t));
    expect(engine.view(missed)).toBeUndefined(); // defined again on first use, with the journal's state
    const after = new PatrolAlarms(tours, cps, file.alarms);
    expect(after.sync({ set: (items) => engine.setSourceConditions(items) }, new Set())).toBe(5);
    expect(engine.view(missed)?.state).toBe('rtn_unacknowledged'); // active before the restart, cleared now
    expect(engine.list({ all: true }).map((a) => a.id)).toEqual([missed]);
    engine.ack(missed, 'sup');
    expect(engine.view(missed)?.state).toBe('normal');
    expect(() => engine.setSourceConditions([{ def: { ...patrolAlarmDef(file.tours[0], 'order', file.alarms), id: 'plain' }, active: true }])).toThrow(/not a rule-source alarm/);
    journal.close();
  });
});
