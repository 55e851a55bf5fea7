import { beforeAll, describe, expect, it } from 'vitest';
import { setLocale } from '../../i18n.js';
import { ControlApiError, type Schedule, type SchedulesResponse, type ScheduleVersionInfo } from './control-api.js';
import { ScheduleEditor, TIME_RE, modeLimits, problemLines, type ScheduleClient } from './schedule-editor.js';
import { groupProblems } from './week-model.js';

const schedule = (id: string): Schedule => ({
  id, name: { en: id, 'zh-CN': id }, groups: ['g1'],
  modes: { occupied: { setpoint: 22, fan: true }, standby: { setpoint: 24, fan: true }, unoccupied: { setpoint: 28, fan: false } },
  week: { mon: [{ start: '08:00', end: '18:00', mode: 'occupied' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
  holiday: [], makeUpAs: 'mon', exceptions: [], optimalStart: { enabled: false, maxLeadMin: 60, defaultRatePerHour: 2 },
} as Schedule);
const response = (version: number, schedules = [schedule('office'), schedule('lab')]): SchedulesResponse => ({
  version, doc: { schedules }, user: 'energy', savedAt: 0,
  groups: [{ id: 'g1', name: { en: 'G1', 'zh-CN': 'G1' }, fans: [], zones: [
    { id: 'z1', setpoint: 'p1', limits: { min: 18, max: 27 }, loadKw: 1 }, { id: 'z2', setpoint: 'p2', limits: { min: 19, max: 26 }, loadKw: 1 }] }],
});

/** A fake hub: the stored document, its version, and what a save answers. */
function fakeClient(saveAnswer?: () => Error) {
  let current = response(3);
  const history: ScheduleVersionInfo[] = [{ version: 3, user: 'energy', savedAt: 0, comment: null }];
  const saves: Array<{ expected: number; comment?: string }> = [];
  const client: ScheduleClient = {
    schedules: async () => structuredClone(current),
    versions: async () => ({ items: [...history] }),
    saveSchedules: async (doc, expectedVersion, comment) => {
      saves.push({ expected: expectedVersion, comment });
      const err = saveAnswer?.();
      if (err) throw err;
      current = { ...current, version: current.version + 1, doc: structuredClone(doc) };
      return { version: current.version, user: 'energy', savedAt: 1 };
    },
  };
  return { client, saves, stored: () => current };
}

beforeAll(() => setLocale('en'));

describe('schedule editor view-model', () => {
  it.each([['08:00', true], ['24:00', true], ['23:59', true], ['24:01', false], ['8:00', false], ['12:60', false], ['', false]])('TIME_RE %s → %s', (text, ok) => {
    expect(TIME_RE.test(text)).toBe(ok);
  });

  it('takes the tightest zone limits of the schedule groups; none without zones', () => {
    expect(modeLimits(schedule('x'), response(1).groups)).toEqual({ min: 19, max: 26 });
    expect(modeLimits(schedule('x'), [])).toBeNull();
    expect(modeLimits(schedule('x'), undefined)).toBeNull();
  });

  it('lists period problems in words with their times, then schedule-wide and unplaced ones', () => {
    const problems = [
      { path: ['schedules', 0, 'week', 'mon', 0], message: 'overlaps' },
      { path: ['schedules', 0], message: 'whole schedule' },
      { path: ['somewhere'], message: 'odd' },
    ];
    const s = schedule('office');
    const lines = problemLines(groupProblems(problems, 0), (key) => (key === 'holiday' ? s.holiday : s.week[key as 'mon']), problems, 1);
    expect(lines[0]).toMatch(/^\S.* 08:00–18:00: overlaps$/);
    expect(lines).toContain('somewhere: odd');
    expect(lines.length).toBe(3);
  });

  it('loads a copy to edit; edits mark it unsaved and redraw; discard reloads', async () => {
    const { client, stored } = fakeClient();
    let draws = 0;
    const vm = new ScheduleEditor(client, () => draws++);
    await vm.load();
    expect([vm.loaded?.version, vm.versions.length, vm.dirty, vm.schedule()?.id]).toEqual([3, 1, false, 'office']);
    vm.select('mon', 0);
    expect(vm.setTime('start', '7:00')).toBe(false);
    expect(vm.dirty).toBe(false);
    expect(vm.setTime('start', '07:30')).toBe(true);
    expect(vm.listOf('mon')[0].start).toBe('07:30');
    expect(stored().doc.schedules[0].week.mon[0].start).toBe('08:00'); // the draft is a copy
    vm.setSetpoint('occupied', ' ');
    vm.setSetpoint('occupied', 'abc');
    expect(vm.schedule()!.modes.occupied.setpoint).toBe(22);
    vm.setSetpoint('occupied', '21.5');
    vm.setFan('standby', false);
    vm.setMakeUpAs('fri');
    expect(vm.schedule()!.modes.occupied.setpoint).toBe(21.5);
    expect([vm.schedule()!.modes.standby.fan, vm.schedule()!.makeUpAs, vm.dirty]).toEqual([false, 'fri', true]);
    expect(vm.status.text()).not.toBe('');
    expect(draws).toBeGreaterThan(5);
    await vm.load();
    expect([vm.dirty, vm.schedule()!.modes.occupied.setpoint, vm.selected]).toEqual([false, 22, null]);
  });

  it('setting a period to unoccupied removes it and clears the selection', async () => {
    const { client } = fakeClient();
    const vm = new ScheduleEditor(client, () => {});
    await vm.load();
    vm.select('mon', 0);
    vm.setMode('standby');
    expect(vm.listOf('mon')[0].mode).toBe('standby');
    vm.setMode('unoccupied');
    expect([vm.listOf('mon'), vm.selected]).toEqual([[], null]);
  });

  it('picking another schedule drops the selection; grid edits select the changed period', async () => {
    const { client } = fakeClient();
    const vm = new ScheduleEditor(client, () => {});
    await vm.load();
    vm.gridChanged('holiday', [{ start: '09:00', end: '12:00', mode: 'standby' }], 0);
    expect([vm.selected, vm.schedule()!.holiday.length, vm.dirty]).toEqual([{ list: 'holiday', index: 0 }, 1, true]);
    vm.pickSchedule(1);
    expect([vm.selected, vm.schedule()!.id]).toEqual([null, 'lab']);
  });

  it('saves against the loaded version and reloads the new one', async () => {
    const { client, saves } = fakeClient();
    const vm = new ScheduleEditor(client, () => {});
    await vm.load();
    vm.setSetpoint('occupied', '23');
    expect(await vm.save('warmer')).toBe(true);
    expect(saves).toEqual([{ expected: 3, comment: 'warmer' }]);
    expect([vm.loaded?.version, vm.dirty, vm.saving, vm.status.kind]).toEqual([4, false, false, 'ok']);
  });

  it.each<[string, () => Error, string, boolean, number]>([
    ['409: someone else saved → conflict, reload offered', () => new ControlApiError(409, 'conflict', 'version 4 is newer', []), 'warn', true, 0],
    ['400: refused with problems shown', () => new ControlApiError(400, 'invalid', 'bad period', [{ path: ['schedules', 0, 'week', 'mon', 0], message: 'end before start' }]), 'err', false, 1],
    ['network: refused without problems', () => new Error('offline'), 'err', false, 0],
  ])('a failed save: %s', async (_n, answer, kind, conflict, problems) => {
    const { client } = fakeClient(answer);
    const vm = new ScheduleEditor(client, () => {});
    await vm.load();
    vm.setSetpoint('occupied', '23');
    expect(await vm.save('')).toBe(false);
    expect([vm.status.kind, vm.conflict !== null, vm.problems.length, vm.saving, vm.dirty]).toEqual([kind, conflict, problems, false, true]);
  });

  it('a failed load says so; a load after unmount changes nothing', async () => {
    const broken: ScheduleClient = { ...fakeClient().client, schedules: async () => { throw new Error('down'); } };
    const vm = new ScheduleEditor(broken, () => {});
    await vm.load();
    expect([vm.status.kind, vm.loaded]).toEqual(['err', null]);
    const late = new ScheduleEditor(fakeClient().client, () => {});
    late.alive = false;
    await late.load();
    expect(late.loaded).toBeNull();
  });
});
