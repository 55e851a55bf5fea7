// A drill's whole journal is marked: the activation and every later entry of an alarm raised
// while its point was under test (hub/testruns marks) carry `[test: tag]`; a real alarm's don't.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PointState } from '../../contracts/point.js';
import { AlarmEngine } from './engine.js';
import { AlarmJournal } from './journal.js';
import { testDef } from './test-fixtures.js';

const dirs: string[] = [];
const journals: AlarmJournal[] = [];
afterEach(() => {
  for (const j of journals.splice(0)) j.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-testtag-'));
  dirs.push(dir);
  const journal = new AlarmJournal(dir);
  journals.push(journal);
  const def = testDef();
  const states = new Map<string, PointState>();
  const marks = new Map<string, string>();
  let now = 1_000_000;
  const engine = new AlarmEngine({
    compiled: { defs: [def], timeWindows: {}, operatorPositions: 1 },
    journal, point: (id) => states.get(id), timezone: 'Asia/Shanghai', now: () => now,
    testTag: (id) => marks.get(id),
  });
  const set = (value: boolean) => {
    now += 1000;
    const s: PointState = { id: def.pointId, value, quality: 'good', readTs: now, changedTs: now };
    states.set(def.pointId, s);
    engine.onChanged([s]);
  };
  return { engine, journal, def, marks, set };
}

describe('test tags in the alarm journal', () => {
  it('tags every entry of a drill, then none of the real alarm after it', () => {
    const t = setup();
    t.marks.set(t.def.pointId, 'drill-7');
    t.set(true);
    expect(t.engine.view(t.def.id)!.test).toBe('drill-7');
    t.engine.ack(t.def.id, 'guard', 'on site');
    t.set(false);
    expect(t.journal.query({ ascending: true }).map((r) => [r.kind, r.comment])).toEqual([
      ['activate', '[test: drill-7]'], ['ack', '[test: drill-7] on site'], ['clear', '[test: drill-7]'],
    ]);
    // The run is over: the next activation is real, untagged everywhere.
    t.marks.clear();
    t.set(true);
    t.engine.ack(t.def.id, 'guard', 'real one');
    expect(t.engine.view(t.def.id)!.test).toBeUndefined();
    expect(t.journal.query({ ascending: true }).slice(3).map((r) => [r.kind, r.comment ?? null])).toEqual([['activate', null], ['ack', 'real one']]);
  });
});
