// External alarm systems in the engine: a condition reported by a driver becomes an alarm with
// the same state machine, journal and summary as rule alarms; the source's own acknowledgement is
// journaled under the source's name; shelving here wins over it; rule reloads keep it; a new
// engine on the same journal resumes it; an operator's ack is sent to the source first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExternalCondition } from '../../contracts/alarms.js';
import { silentLogger } from '../log.js';
import { AlarmEngine } from './engine.js';
import { externalAlarmDef, externalAlarmId, ExternalConditions } from './external.js';
import { linkExternalAlarms, sourceUser } from './external-link.js';
import { AlarmJournal } from './journal.js';
import type { AuditEntry } from '../module.js';

const dirs: string[] = [];
const journals: AlarmJournal[] = [];
afterEach(() => {
  for (const j of journals.splice(0)) j.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function condition(over: Partial<ExternalCondition> = {}): ExternalCondition {
  return { id: 'plc:ns=1;s=FanFault', connection: 'plc', source: 'AHU-1.FanFault', area: 'a/l05', priority: 'critical', severity: 900, message: 'AHU-1 supply fan failure', active: true, acked: false, state: 'unacknowledged', ts: 1, ...over };
}

function engineOn(dir?: string) {
  const d = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wf-ext-'));
  if (!dir) dirs.push(d);
  const journal = new AlarmJournal(d);
  journals.push(journal);
  let now = 1_000_000;
  const audits: AuditEntry[] = [];
  const engine = new AlarmEngine({ compiled: { defs: [], timeWindows: {}, operatorPositions: 1 }, journal, point: () => undefined, timezone: 'Asia/Shanghai', now: () => now, audit: { record: (e) => void audits.push({ ts: now, ...e }) } });
  return { engine, journal, dir: d, audits, advance: (ms: number) => (now += ms) };
}

const report = (c: ExternalCondition) => ({ active: c.active, acked: c.acked, ackedBy: sourceUser(c) });
const ID = externalAlarmId(condition().id);

describe('external conditions in the alarm engine', () => {
  it('steps through the ISA-18.2 states as the source reports them, journaling each', () => {
    const { engine, journal, advance } = engineOn();
    const table: Array<[Partial<ExternalCondition>, string]> = [
      [{ active: true, acked: false }, 'unacknowledged'],
      [{ active: true, acked: true }, 'acknowledged'],
      [{ active: false, acked: true }, 'normal'],
      [{ active: true, acked: false }, 'unacknowledged'],
      [{ active: false, acked: false }, 'rtn_unacknowledged'],
      [{ active: false, acked: true }, 'normal'],
    ];
    for (const [over, state] of table) {
      advance(1000);
      const c = condition(over);
      engine.upsertExternal(externalAlarmDef(c), report(c));
      expect(engine.view(ID)?.state, JSON.stringify(over)).toBe(state);
    }
    const kinds = journal.query({ alarm: ID, ascending: true }).map((r) => [r.kind, r.user]);
    expect(kinds).toEqual([
      ['activate', 'system'], ['ack', 'plc (source)'], ['clear', 'system'],
      ['activate', 'system'], ['clear', 'system'], ['ack', 'plc (source)'],
    ]);
    const v = engine.view(ID)!;
    expect(v).toMatchObject({ priority: 'critical', area: 'a/l05', external: { connection: 'plc', source: 'AHU-1.FanFault', severity: 900 } });
    expect(v.message).toEqual({ en: 'AHU-1 supply fan failure', 'zh-CN': 'AHU-1 supply fan failure' });
  });

  it('counts in the summary, survives a rule reload, is skipped by an area ack, and resumes in a new engine', () => {
    const first = engineOn();
    const c = condition();
    first.engine.upsertExternal(externalAlarmDef(c), report(c));
    expect(first.engine.summary().unacked.critical).toBe(1);
    first.engine.replaceDefs({ defs: [], timeWindows: {}, operatorPositions: 1 });
    expect(first.engine.view(ID)?.state).toBe('unacknowledged');
    // An area ack must not acknowledge here what the source has not taken.
    expect(first.engine.ackArea('a', 'guard')).toEqual([]);
    expect(first.engine.externalAwaitingAck('a').map((d) => d.id)).toEqual([ID]);
    first.journal.close();
    journals.splice(journals.indexOf(first.journal), 1);

    const second = engineOn(first.dir);
    // Restored from the journal when the driver reports it again (e.g. its ConditionRefresh).
    second.engine.upsertExternal(externalAlarmDef(c), report(c));
    expect(second.engine.view(ID)?.state).toBe('unacknowledged');
    expect(second.journal.query({ alarm: ID }).filter((r) => r.kind === 'activate')).toHaveLength(1);
  });

  it('a shelved alarm is not acknowledged by the source behind the operator’s back', () => {
    const { engine, journal } = engineOn();
    const c = condition();
    engine.upsertExternal(externalAlarmDef(c), report(c));
    engine.shelve(ID, 'supervisor', 30 * 60_000, 'maintenance');
    const acked = condition({ acked: true });
    engine.upsertExternal(externalAlarmDef(acked), report(acked));
    expect(engine.view(ID)?.state).toBe('shelved');
    expect(journal.query({ alarm: ID, kind: ['ack'] })).toEqual([]);
  });

  it('an operator ack goes to the source first; a refusal journals nothing', async () => {
    const { engine, journal, audits } = engineOn();
    const sent: string[][] = [];
    let refuse = false;
    const conditions = new ExternalConditions(async (conn, id, comment, user) => {
      if (refuse) throw new Error('BadConditionBranchAlreadyAcked');
      sent.push([conn, id, comment, user]);
    });
    const link = linkExternalAlarms(engine, conditions, silentLogger(), { record: (e) => void audits.push({ ts: 0, ...e }) });
    conditions.publish([condition()]);
    expect(link.owns(ID)).toBe(true);
    expect(link.owns('some-rule.h')).toBe(false);

    refuse = true;
    await expect(link.acknowledge(ID, 'guard', 'seen')).rejects.toThrow(/did not take the acknowledgement.*BadConditionBranchAlreadyAcked/);
    expect(journal.query({ alarm: ID, kind: ['ack'] })).toEqual([]);

    refuse = false;
    const v = await link.acknowledge(ID, 'guard', 'fan checked');
    expect(sent).toEqual([['plc', condition().id, 'fan checked', 'guard']]);
    expect(v).toMatchObject({ state: 'acknowledged', ackedBy: 'guard' });
    expect(journal.query({ alarm: ID, kind: ['ack'] }).map((r) => [r.user, r.comment])).toEqual([['guard', 'fan checked']]);
    expect(audits.filter((a) => a.action === 'alarm.ack').map((a) => [a.user, a.target])).toEqual([['guard', ID]]);
    await expect(link.acknowledge(ID, 'guard')).rejects.toThrow(/needs no acknowledgement/);
    link.stop();
  });
});
