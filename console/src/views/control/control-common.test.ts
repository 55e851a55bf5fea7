import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLE_PERMISSIONS } from '../../../../contracts/auth.js';
import { ControlApiError, pointPath } from './control-api.js';
import { formatRemaining, present, todayIso, visibleTabs } from './control-common.js';
import { levelLabel, parseCommandValue } from './overrides-view.js';

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
