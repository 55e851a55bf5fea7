import { describe, expect, it } from 'vitest';
import { alarmConditions, judgeRun, overdue, runBounds, statusOf, type TourPlan } from './evaluate.js';

const MIN = 60_000;
const T0 = Date.parse('2026-03-04T22:00:00+08:00');
const plan: TourPlan = {
  maxGapMin: 16,
  checkpoints: [
    { checkpoint: 'a', atMin: 0, windowMin: 2 },
    { checkpoint: 'b', atMin: 5, windowMin: 2 },
    { checkpoint: 'c', atMin: 20, windowMin: 3 },
  ],
};
const at = (m: number) => T0 + m * MIN;
const scan = (checkpoint: string, m: number, user = 'g') => ({ checkpoint, serverTs: at(m), user });

describe('statusOf (window edges)', () => {
  it.each([
    [at(-3), 'early'], [at(-2), 'on_time'], [at(0), 'on_time'], [at(2), 'on_time'], [at(2) + 1, 'late'],
  ])('%s → %s', (ts, status) => {
    expect(statusOf(ts, at(-2), at(2))).toBe(status);
  });
});

describe('judgeRun', () => {
  it.each([
    ['nothing yet, before any window closed', [], 1, ['pending', 'pending', 'pending'], { missed: [], late: [], order: false }],
    ['first window closed unscanned', [], 2.5, ['missed', 'pending', 'pending'], { missed: ['a'], late: [], order: false }],
    ['all on time', [scan('a', 0), scan('b', 5), scan('c', 19)], 30, ['on_time', 'on_time', 'on_time'], { missed: [], late: [], order: false }],
    ['b late, c missed', [scan('a', 1), scan('b', 8)], 24, ['on_time', 'late', 'missed'], { missed: ['c'], late: ['b'], order: false }],
    ['b before a: a is out of order', [scan('b', 3.5), scan('a', 4)], 5, ['late', 'on_time', 'pending'], { missed: [], late: ['a'], order: true }],
    ['c scanned early', [scan('a', 0), scan('b', 5), scan('c', 10)], 30, ['on_time', 'on_time', 'early'], { missed: [], late: [], order: false }],
    ['gap over maxGap marks c late even in its window', [scan('a', 0), scan('b', 5), scan('c', 21.5)], 30, ['on_time', 'on_time', 'on_time'], { missed: [], late: ['c'], order: false }],
    ['unknown checkpoint ignored', [scan('zz', 0), scan('a', 0)], 1, ['on_time', 'pending', 'pending'], { missed: [], late: [], order: false }],
  ])('%s', (_n, scans, nowMin, statuses, alarms) => {
    const j = judgeRun(plan, T0, scans, at(nowMin));
    expect(j.checkpoints.map((c) => c.status)).toEqual(statuses);
    const c = alarmConditions(j.checkpoints);
    expect({ missed: [...c.missed], late: [...c.late], order: c.order }).toEqual(alarms);
  });

  it('a checkpoint visited twice takes the scans in order', () => {
    const loop: TourPlan = { maxGapMin: 60, checkpoints: [{ checkpoint: 'a', atMin: 0, windowMin: 2 }, { checkpoint: 'b', atMin: 5, windowMin: 2 }, { checkpoint: 'a', atMin: 10, windowMin: 2 }] };
    const j = judgeRun(loop, T0, [scan('a', 0), scan('b', 5), scan('a', 10)], at(20));
    expect(j.checkpoints.map((c) => [c.checkpoint, c.status, c.outOfOrder ?? false])).toEqual([['a', 'on_time', false], ['b', 'on_time', false], ['a', 'on_time', false]]);
  });

  it('counts statuses and computes bounds', () => {
    const j = judgeRun(plan, T0, [scan('a', 0)], at(24));
    expect(j.counts).toEqual({ pending: 0, on_time: 1, early: 0, late: 0, missed: 2 });
    expect(runBounds(plan, T0)).toEqual({ end: at(23), graceEnd: at(39) });
  });

  it('overdue: windows closed unscanned, and open ones past their planned time', () => {
    const j = judgeRun(plan, T0, [], at(5.5));
    expect(overdue(j.checkpoints, at(5.5))).toEqual(['a', 'b']);
    expect(overdue(j.checkpoints, at(4))).toEqual(['a']);
  });
});
