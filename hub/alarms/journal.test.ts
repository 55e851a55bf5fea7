import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { AlarmEngine } from './engine.js';
import { AlarmJournal, journalCsv, type JournalInsert } from './journal.js';
import { initialState } from './machine.js';
import { testDef } from './test-fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-journal-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function entry(ts: number, alarmId: string, over: Partial<JournalInsert> = {}): JournalInsert {
  return {
    ts, alarmId, ruleId: alarmId, pointId: `hq/a/b1/pump-b101/${alarmId}/x`, priority: 'high', area: 'a/b1/pump-b101',
    kind: 'activate', state: 'unacknowledged', user: 'system', value: 1, snapshot: { ...initialState(alarmId, ts), active: true, acked: false },
    ...over,
  };
}

describe('alarm journal', () => {
  it('filters by time, priority, area, state, point and kind; newest first', () => {
    const j = new AlarmJournal(tmp());
    j.append([
      entry(1000, 'a'),
      entry(2000, 'b', { priority: 'critical', area: 'a/l03/archive-303', pointId: 'hq/a/l03/archive-303/leak-1/leak' }),
      entry(3000, 'a', { kind: 'ack', state: 'acknowledged', user: 'guard', comment: 'seen, "ok"' }),
      entry(4000, 'c', { area: 'a/b10/x' }),
    ]);
    expect(j.query().map((r) => r.ts)).toEqual([4000, 3000, 2000, 1000]);
    expect(j.query({ from: 2000, to: 3000 }).map((r) => r.ts)).toEqual([3000, 2000]);
    expect(j.query({ priority: ['critical'] }).map((r) => r.alarmId)).toEqual(['b']);
    expect(j.query({ area: 'a/b1' }).map((r) => r.ts)).toEqual([3000, 1000]); // not a/b10
    expect(j.query({ area: 'a/l03' }).map((r) => r.alarmId)).toEqual(['b']);
    expect(j.query({ state: ['acknowledged'] })[0]).toMatchObject({ user: 'guard', comment: 'seen, "ok"', kind: 'ack' });
    expect(j.query({ point: 'hq/a/l03/archive-303/leak-1/leak' }).map((r) => r.alarmId)).toEqual(['b']);
    expect(j.query({ kind: ['activate'], ascending: true, limit: 2 }).map((r) => r.ts)).toEqual([1000, 2000]);
    j.close();
  });

  it('exports CSV with quoting and formula-safe fields', () => {
    const j = new AlarmJournal(tmp());
    j.append([entry(0, 'a', { kind: 'comment', comment: '=HYPERLINK("x"), bad', user: 'guard' })]);
    const csv = journalCsv(j.query());
    const [head, line] = csv.split('\r\n');
    expect(head).toBe('seq,time,alarmId,ruleId,pointId,priority,area,kind,state,user,comment,value');
    expect(line).toBe(`1,1970-01-01T00:00:00.000Z,a,a,hq/a/b1/pump-b101/a/x,high,a/b1/pump-b101,comment,unacknowledged,guard,"'=HYPERLINK(""x""), bad",1`);
    j.close();
  });

  it('rebuilds the latest state of every alarm', () => {
    const dir = tmp();
    const j = new AlarmJournal(dir);
    j.append([entry(1, 'a'), entry(2, 'a', { kind: 'ack', snapshot: { ...initialState('a', 2), active: true, acked: true, ackedBy: 'g' } }), entry(3, 'b')], true);
    j.close();
    const again = new AlarmJournal(dir);
    const states = again.latestStates();
    expect(states.get('a')).toMatchObject({ active: true, acked: true, ackedBy: 'g' });
    expect(states.get('b')).toMatchObject({ active: true, acked: false });
    again.close();
  });

  it('a hub killed with SIGKILL loses no acknowledged state', async () => {
    const dir = tmp();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'crash-child.ts'), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((ok, fail) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ACKED') && ok());
      child.once('exit', (code) => fail(new Error(`child exited early (${code}): ${stderr}`)));
    });
    await new Promise((r) => setTimeout(r, 200)); // let it write chatter transitions while being killed
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;

    const journal = new AlarmJournal(dir);
    const leak = testDef();
    const engine = new AlarmEngine({ compiled: { defs: [leak], timeWindows: {}, operatorPositions: 1 }, journal, point: () => undefined, timezone: 'UTC' });
    expect(engine.view('leak')).toMatchObject({ state: 'acknowledged', active: true, ackedBy: 'guard-1' });
    const ack = journal.query({ alarm: 'leak', kind: ['ack'] });
    expect(ack).toHaveLength(1);
    expect(ack[0]).toMatchObject({ user: 'guard-1', comment: 'on my way', value: true });
    expect(journal.query({ alarm: 'chatter' }).length).toBeGreaterThan(0);
    journal.close();
  }, 30_000);
});
