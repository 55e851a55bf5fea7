import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLE_PERMISSIONS } from '../../../../contracts/auth.js';
import { ControlApiError, pointPath } from './control-api.js';
import { setLocale, translate } from '../../i18n.js';
import { formatRemaining, present, scheduleVersionText, todayIso, visibleTabs } from './control-common.js';
import { checkCommandForm, levelLabel, parseCommandValue } from './overrides-view.js';

describe('tabs per role', () => {
  it.each([
    ['viewer', ['schedules', 'overrides', 'lighting', 'energy']],
    ['energy_officer', ['schedules', 'overrides', 'lighting', 'energy']],
    ['operator', ['schedules', 'overrides', 'lighting', 'energy', 'broadcast']],
    ['admin', ['schedules', 'overrides', 'lighting', 'energy', 'broadcast']],
  ] as const)('%s sees %j', (role, tabs) => {
    expect(visibleTabs(DEFAULT_ROLE_PERMISSIONS[role]).map((x) => x.id)).toEqual(tabs);
  });
});

describe('display helpers', () => {
  const now = Date.UTC(2026, 0, 1);
  it.each([
    [null, 'no end'],
    [now - 1, 'ended'],
    [now + 29 * 60_000 + 1, 'in 30 min'],
    [now + 60_000, 'in 1 min'],
    [now + 125 * 60_000, 'in 2 h 5 min'],
  ])('remaining until %s is %j', (until, text) => {
    expect(formatRemaining(until, now)).toBe(text);
  });
  it('gives the local date', () => {
    expect(todayIso(new Date(2026, 1, 3, 12).getTime())).toBe('2026-02-03');
  });
  it('drops nulls for DOM append', () => {
    expect(present('a', null, false, undefined, 'b')).toEqual(['a', 'b']);
  });
  it('keeps slashes of point ids and encodes the rest', () => {
    expect(pointPath('hq/a/b1/x y')).toBe('hq/a/b1/x%20y');
  });
  it('keeps the problems of a refusal', () => {
    const err = new ControlApiError(400, 'invalid_schedule', 'refused', [{ path: ['schedules', 0], message: 'bad' }]);
    expect(err.status).toBe(400);
    expect(err.problems).toHaveLength(1);
    expect(err).toBeInstanceOf(Error);
  });
});

describe('the priority inspector', () => {
  it.each([
    ['true', true],
    ['OFF', false],
    ['22.5', 22.5],
    ['22,5', 22.5],
    ['1', 1],
    ['auto', 'auto'],
  ])('reads %j as %j', (raw, value) => {
    expect(parseCommandValue(raw)).toBe(value);
  });
  it('names the levels the hub uses', () => {
    expect(levelLabel(8)).toBe('8 · operator override');
    expect(levelLabel(3)).toBe('3');
  });
});

describe('the command form is checked in the console\'s language', () => {
  const setpoint = { kind: 'analog' as const, limits: { min: 16, max: 30 } };
  const mode = { kind: 'multistate' as const, states: { 0: { en: 'Schedule', 'zh-CN': '按时间表' }, 1: { en: 'Occupied', 'zh-CN': '使用' } } };
  const form = (value: string, level = '8', expiry = '120') => ({ value, level, expiry });
  it.each([
    ['a setpoint in range', setpoint, form('23.5'), { value: 23.5, level: 8, expiresInMin: 120 }],
    ['QA: above the range → the range, not the browser\'s pop-up', setpoint, form('35'), { error: 'Outside the range 16 – 30.' }],
    ['below the range', setpoint, form('10'), { error: 'Outside the range 16 – 30.' }],
    ['no value', setpoint, form(' '), { error: 'Enter a value.' }],
    ['text for a number', setpoint, form('warm'), { error: 'Enter a number.' }],
    ['level 17', setpoint, form('22', '17'), { error: 'The priority level must be a whole number from 1 to 16.' }],
    ['level 8.5', setpoint, form('22', '8.5'), { error: 'The priority level must be a whole number from 1 to 16.' }],
    ['duration 0', setpoint, form('22', '8', '0'), { error: 'The duration must be between 1 and 10080 minutes.' }],
    ['no duration: the hub\'s default', setpoint, form('22', '8', ''), { value: 22, level: 8 }],
    ['binary on', { kind: 'binary' as const }, form('on'), { value: true, level: 8, expiresInMin: 120 }],
    ['binary 23', { kind: 'binary' as const }, form('23'), { error: 'Enter on or off (true or false).' }],
    ['a state by number', mode, form('1'), { value: 1, level: 8, expiresInMin: 120 }],
    ['a state by name', mode, form('occupied'), { value: 1, level: 8, expiresInMin: 120 }],
    ['not a state', mode, form('7'), { error: '7 is not a state of this point (states: 0 Schedule, 1 Occupied).' }],
    ['point not known yet: only the form is checked', undefined, form('35'), { value: 35, level: 8, expiresInMin: 120 }],
  ] as const)('%s', (_n, point, raw, expected) => {
    expect(checkCommandForm(point, raw)).toEqual(expected);
  });
  it('says it in Chinese for a zh-CN user', () => {
    setLocale('zh-CN');
    try {
      expect(checkCommandForm(setpoint, form('35'))).toEqual({ error: '超出范围 16 – 30。' });
    } finally {
      setLocale('en');
    }
  });
});

describe('schedules page wording', () => {
  it('version 0 is the config file, not "saved by config/schedules.yaml · —"', () => {
    expect(scheduleVersionText({ version: 0, user: 'config/schedules.yaml', savedAt: 0 })).toBe('From config (not yet edited)');
    expect(translate('zh-CN', 'ctl.sch.fromConfig')).toBe('来自配置（尚未编辑）');
    expect(scheduleVersionText({ version: 3, user: 'energy', savedAt: Date.UTC(2026, 2, 16, 2) })).toMatch(/^Version 3 · saved by energy · /);
  });
  it.each(['ctl.sch.makeUpAs', 'ctl.pv.source.makeup', 'ctl.cal.makeup'] as const)('%s: "make-up working day" in English, 调休 in Chinese', (key) => {
    expect(translate('en', key)).not.toMatch(/\p{Script=Han}/u);
    expect(translate('en', key).toLowerCase()).toContain('make-up working day');
    expect(translate('zh-CN', key)).toContain('调休');
  });
});
