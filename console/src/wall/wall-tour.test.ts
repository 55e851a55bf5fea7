import { describe, expect, it } from 'vitest';
import type { AlarmView } from '../../../contracts/alarms.js';
import { floorOfArea, mostUrgent, tourStep, urgentAlarms } from './wall-tour.js';

const alarm = (id: string, priority: AlarmView['priority'], state: AlarmView['state'], area: string, since: number): AlarmView => ({
  id, ruleId: id, pointId: 'p', priority, area, state, active: true, acked: false, escalated: false,
  message: { en: id, 'zh-CN': id }, value: null, quality: 'good', triggerValue: null, activeSince: since, lastChange: since, ageMs: 0,
});
const FLOORS = ['l05', 'l04', 'l03', 'l02', 'l01', 'b1'];

describe('the wall tour', () => {
  it.each([
    ['no alarm: a tick moves on', 'l05', [], true, { floor: 'l04', holding: null }],
    ['no alarm: an alarm update without a tick stays', 'l05', [], false, { floor: 'l05', holding: null }],
    ['a critical on B1 while showing L5: jump at once, hold', 'l05', [alarm('c', 'critical', 'unacknowledged', 'a/b1/pump-b101', 1)], false, { floor: 'b1', holding: 'c' }],
    ['held: the tick does not move on', 'b1', [alarm('c', 'critical', 'unacknowledged', 'a/b1/pump-b101', 1)], true, { floor: 'b1', holding: 'c' }],
    ['acknowledged: resumes', 'b1', [alarm('c', 'critical', 'acknowledged', 'a/b1/pump-b101', 1)], true, { floor: null, holding: null }],
    ['a low waits too (ISA-18.2: every priority needs an operator)', null, [alarm('l', 'low', 'unacknowledged', 'a/l03/x', 1)], true, { floor: 'l03', holding: 'l' }],
    ['critical beats a newer high', 'l01', [alarm('c', 'critical', 'latched', 'a/b1/x', 1), alarm('h', 'high', 'unacknowledged', 'a/l04/y', 9)], false, { floor: 'b1', holding: 'c' }],
    ['an alarm on an unknown floor does not stop the tour', 'l05', [alarm('x', 'critical', 'unacknowledged', 'a/roof/x', 1)], true, { floor: 'l04', holding: null }],
  ] as const)('%s', (_name, current, alarms, tick, want) => {
    expect(tourStep(current, FLOORS, alarms, tick)).toEqual(want);
  });

  it('orders the strip by priority then newest, waiting ones only', () => {
    const list = [alarm('h1', 'high', 'unacknowledged', 'a/l01/x', 1), alarm('c1', 'critical', 'acknowledged', 'a/l01/x', 5),
      alarm('h2', 'high', 'unacknowledged', 'a/l01/x', 3), alarm('m', 'medium', 'rtn_unacknowledged', 'a/l01/x', 9)];
    expect(urgentAlarms(list, 3).map((a) => a.id)).toEqual(['h2', 'h1', 'm']);
    expect(mostUrgent(list)?.id).toBe('h2');
  });

  it('reads the floor of an area', () => {
    expect(floorOfArea('a/b1/pump-b101')).toBe('b1');
    expect(floorOfArea(undefined)).toBeNull();
  });
});
