import { describe, expect, it } from 'vitest';
import type { AlarmView } from '../../contracts/alarms.js';
import { evaluate, isOfficeHours } from './expect.js';

const alarm = (o: Partial<AlarmView>): AlarmView => ({
  id: 'leak-pump-b101', ruleId: 'leak-pump-b101', pointId: 'p', priority: 'critical', area: 'a/b1/pump-b101', state: 'unacknowledged', active: true, acked: false, escalated: false,
  message: { en: 'm', 'zh-CN': 'm' }, value: true, quality: 'good', triggerValue: true, activeSince: 1, lastChange: 1, ageMs: 0, test: 'testrun:x', ...o,
});

describe('evaluate', () => {
  it.each([
    ['alarm raised with priority and tag', { alarm: { id: 'leak-pump-b101', priority: 'critical', test: true } }, { alarms: [alarm({})] }, true, /critical unacknowledged \[test/],
    ['alarm not raised', { alarm: { id: 'leak-pump-b101', test: true } }, { alarms: [alarm({ state: 'normal' })] }, false, /not raised/],
    ['wrong priority', { alarm: { id: 'leak-pump-b101', priority: 'high', test: true } }, { alarms: [alarm({})] }, false, /priority critical, expected high/],
    ['real event (no test tag) never passes', { alarm: { id: 'leak-pump-b101', test: true } }, { alarms: [alarm({ test: undefined })] }, false, /without the test tag/],
    ['limit level found by rule id', { alarm: { id: 'hum', test: true } }, { alarms: [alarm({ id: 'hum.hh', ruleId: 'hum' })] }, true, /hum\.hh/],
    ['state list', { alarm: { id: 'leak-pump-b101', state: ['latched', 'normal'], test: true } }, { alarms: [alarm({ state: 'latched' })] }, true, /latched/],
    ['after-hours rule in office hours: no alarm is right', { alarm: { id: 'leak-pump-b101', test: true, afterHoursOnly: true } }, { alarms: [], officeHours: true }, true, /rightly not raised/],
    ['after-hours rule in office hours: an alarm is wrong', { alarm: { id: 'leak-pump-b101', test: true, afterHoursOnly: true } }, { alarms: [alarm({})], officeHours: true }, false, /during office hours/],
    ['noAlarm', { noAlarm: { id: 'leak-pump-b101' } }, { alarms: [alarm({ state: 'normal' })] }, true, /not raised/],
    ['pa played in zone', { pa: { zone: 'b1' } }, { jobs: [{ id: 'j', user: 'u', zones: ['b1'], emergency: true, description: '', status: 'done', createdAt: 5, scheduledFor: null, startedAt: 5, endedAt: 6 }] }, true, /j done/],
    ['pa job before the step does not count', { pa: { zone: 'b1' } }, { jobs: [{ id: 'j', user: 'u', zones: ['b1'], emergency: true, description: '', status: 'done', createdAt: -5, scheduledFor: null, startedAt: 5, endedAt: 6 }] }, false, /no broadcast/],
    ['pa failed', { pa: { zone: 'b1' } }, { jobs: [{ id: 'j', user: 'u', zones: ['b1'], emergency: true, description: '', status: 'failed', createdAt: 5, scheduledFor: null, startedAt: 5, endedAt: 6, detail: 'no amp' }] }, false, /failed \(no amp\)/],
    ['snapshot new file', { snapshot: { camera: 'c' } }, { snapshots: { before: ['a.jpg'], now: ['a.jpg', 'b.jpg'] } }, true, /b\.jpg/],
    ['snapshot none new', { snapshot: { camera: 'c' } }, { snapshots: { before: ['a.jpg'], now: ['a.jpg'] } }, false, /no new snapshot/],
    ['notification', { notification: { user: 'plumber' } }, { deliveries: [{ user: 'plumber', channel: 'email', status: 'sent', updatedAt: 10 }] }, true, /email to plumber/],
    ['work order by level id', { workorder: { alarm: 'hum' } }, { workorders: [{ id: '7', alarmId: 'hum.h', createdAt: 1 }] }, true, /work order 7/],
    ['history short', { history: { point: 'hq/a/b/c/d/e', minSamples: 5 } }, { historySamples: 2 }, false, /2 samples, expected ≥5/],
    ['point quality and range', { point: { id: 'hq/a/b/c/d/e', quality: 'good', min: 1, max: 3 } }, { point: { id: 'p', value: 2, quality: 'good', readTs: 1, changedTs: 1 } }, true, /good 2/],
    ['point comm_fail', { point: { id: 'hq/a/b/c/d/e', quality: 'good' } }, { point: { id: 'p', value: 2, quality: 'comm_fail', readTs: 1, changedTs: 1 } }, false, /quality comm_fail, expected good/],
  ] as const)('%s', (_what, e, o, ok, detail) => {
    const v = evaluate(e as never, { since: 0, ...(o as object) });
    expect(v.ok).toBe(ok);
    expect(v.detail).toMatch(detail);
  });
});

describe('isOfficeHours (Asia/Shanghai)', () => {
  it.each([
    ['2026-12-03T02:00:00Z', true], // Thu 10:00
    ['2026-12-03T11:00:00Z', false], // Thu 19:00
    ['2026-12-05T02:00:00Z', false], // Sat 10:00
    ['2026-12-02T23:59:00Z', false], // Thu 07:59
  ])('%s → %s', (iso, want) => {
    expect(isOfficeHours(Date.parse(iso), 'Asia/Shanghai')).toBe(want);
  });
});
