import { describe, expect, it } from 'vitest';
import type { JournalRow } from '../../contracts/alarms.js';
import type { TimelineEvent } from '../../contracts/recording.js';
import { auditEvent, auditKind, camerasSeeing, doorEvent, inArea, isDoorPoint, journalEvent, mergeTimeline, placeOfPoint } from './timeline.js';

const seen = new Map([['cam-archive', ['a/b1/corridor-b1', 'a/b1/archive-b103']], ['cam-lobby', ['a/l01/lobby-101']]]);
const T = Date.UTC(2026, 11, 2, 18, 10); // 02:10 in Shanghai

describe('places', () => {
  it.each([
    ['hq/a/b1/archive-b103/door-1/open', 'a/b1/archive-b103'],
    ['hq/a/b1', undefined],
    ['cam-lobby', undefined],
  ])('placeOfPoint(%s)', (id, place) => expect(placeOfPoint(id)).toBe(place));
  it.each([
    ['a/b1/archive-b103', 'a', true],
    ['a/b1/archive-b103', 'a/b1', true],
    ['a/b1/archive-b103', 'a/b1/archive-b103', true],
    ['a/b10/x', 'a/b1', false],
    [undefined, 'a', false],
  ])('inArea(%s, %s)', (place, area, ok) => expect(inArea(place, area)).toBe(ok));
  it.each([
    ['a/b1/archive-b103', ['cam-archive']],
    ['a/b1', ['cam-archive']],
    ['a', ['cam-archive', 'cam-lobby']],
    ['a/l05/server-501', []],
    [undefined, []],
  ])('cameras seeing %s', (place, cams) => expect(camerasSeeing(place, seen)).toEqual(cams));
});

describe('sources → events', () => {
  it.each([
    ['point.write', 'command'],
    ['point.command.confirmed', 'command'],
    ['broadcast.send', 'broadcast'],
    ['workorder.create', 'workorder'],
    ['patrol.scan', 'patrol'],
    ['recordings.export', 'recording'],
    ['incident.create', 'recording'],
    ['auth.login', undefined],
    ['config.reload', undefined],
  ])('audit %s → %s', (action, kind) => expect(auditKind(action)).toBe(kind));

  it('a command says who, what and where', () => {
    const e = auditEvent({ ts: T, user: 'op1', action: 'point.write', target: 'hq/a/b1/archive-b103/door-1/lock', details: { requested: 0, outcome: 'confirmed' } }, 0)!;
    expect(e).toMatchObject({ kind: 'command', place: 'a/b1/archive-b103', user: 'op1', title: 'op1: point.write hq/a/b1/archive-b103/door-1/lock = 0 (confirmed)' });
    expect(auditEvent({ ts: T, user: 'x', action: 'auth.login', target: 'x' }, 0)).toBeUndefined();
  });

  it('an alarm row', () => {
    const row: JournalRow = { seq: 7, ts: T, alarmId: 'door-forced', ruleId: 'door-forced', pointId: 'hq/a/b1/archive-b103/door-1/open', priority: 'high', area: 'a/b1/archive-b103', kind: 'activate', state: 'unacknowledged', user: 'system' };
    expect(journalEvent(row)).toMatchObject({ id: 'alarm:7', kind: 'alarm', place: 'a/b1/archive-b103', user: undefined, title: 'high alarm door-forced: activate → unacknowledged' });
  });

  it.each([
    ['hq/a/b1/archive-b103/door-1/open', 'binary', true],
    ['hq/a/b1/corridor-b1/camera-archive/door-contact', 'binary', true],
    ['hq/a/l03/office/window-2/state', 'binary', true],
    ['hq/a/b1/archive-b103/door-1/open', 'analog', false],
    ['hq/a/b1/archive-b103/env-1/humidity', 'binary', false],
  ])('door point %s (%s) → %s', (id, kind, yes) => expect(isDoorPoint(id, kind)).toBe(yes));

  it('door events say opened/closed', () => {
    expect(doorEvent('hq/a/b1/archive-b103/door-1/open', true, T).title).toBe('door-1/open opened');
    expect(doorEvent('hq/a/b1/archive-b103/door-1/open', 0, T).title).toBe('door-1/open closed');
  });
});

describe('mergeTimeline', () => {
  const ev = (id: string, ts: number, kind: TimelineEvent['kind'], place?: string, target?: string): TimelineEvent => ({ id, ts, kind, place, title: id, cameras: [], target });
  const alarms = [ev('alarm:1', T, 'alarm', 'a/b1/archive-b103'), ev('alarm:2', T + 60_000, 'alarm', 'a/l01/lobby-101')];
  const audit = [ev('audit:1', T + 30_000, 'command', 'a/b1/archive-b103'), ev('audit:2', T - 3600_000, 'broadcast')];
  const doors = [ev('door:1', T + 5000, 'door', 'a/b1/archive-b103'), ev('alarm:1', T, 'alarm', 'a/b1/archive-b103')];
  const q = { from: T - 60_000, to: T + 120_000 };
  it.each([
    ['time window, newest first, duplicates once', q, ['alarm:2', 'audit:1', 'door:1', 'alarm:1']],
    ['by kind', { ...q, kinds: ['alarm' as const] }, ['alarm:2', 'alarm:1']],
    ['by place', { ...q, place: 'a/b1' }, ['audit:1', 'door:1', 'alarm:1']],
    ['by camera', { ...q, camera: 'cam-lobby' }, ['alarm:2']],
    ['limit', { ...q, limit: 2 }, ['alarm:2', 'audit:1']],
    ['wider window', { from: T - 7200_000, to: T + 120_000, kinds: ['broadcast' as const] }, ['audit:2']],
  ])('%s', (_n, query, ids) => {
    expect(mergeTimeline([alarms, audit, doors], query, seen).map((e) => e.id)).toEqual(ids);
  });
  it('tags each event with the cameras that see its place (one click to video)', () => {
    const out = mergeTimeline([alarms], q, seen);
    expect(out.find((e) => e.id === 'alarm:1')!.cameras).toEqual(['cam-archive']);
    expect(out.find((e) => e.id === 'alarm:2')!.cameras).toEqual(['cam-lobby']);
  });
  it('adds the cameras whose view takes the event in (site map cones), asked with its point, else its room', () => {
    const asked: string[] = [];
    const viewing = (at: string) => (asked.push(at), at.includes('gate') ? ['cam-x-se-ptz'] : at === 'a/l01/lobby-101' ? ['cam-lobby', 'cam-plaza'] : []);
    const gate = ev('door:gate', T, 'door', 'site/gate', 'hq/a/site/gate-s/gate-south/open');
    const out = mergeTimeline([[gate, ...alarms]], q, seen, viewing);
    expect(out.find((e) => e.id === 'door:gate')!.cameras).toEqual(['cam-x-se-ptz']);
    expect(out.find((e) => e.id === 'alarm:2')!.cameras).toEqual(['cam-lobby', 'cam-plaza']);
    expect(asked).toContain('hq/a/site/gate-s/gate-south/open');
    expect(mergeTimeline([[gate, ...alarms]], { ...q, camera: 'cam-x-se-ptz' }, seen, viewing).map((e) => e.id)).toEqual(['door:gate']);
  });
});
