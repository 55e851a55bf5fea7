import { describe, expect, it } from 'vitest';
import type { Period } from './control-api.js';
import { addPeriod, draftPeriod, groupProblems, hhmm, minuteAt, minutesOf, periodAt, problemTarget, resizePeriod, unplacedProblems, periodLabelStyle } from './week-model.js';

const day: Period[] = [
  { start: '08:00', end: '12:00', mode: 'occupied' },
  { start: '13:30', end: '18:00', mode: 'occupied' },
];

describe('time conversions', () => {
  it.each([
    ['00:00', 0],
    ['08:30', 510],
    ['24:00', 1440],
  ])('%s is minute %i and back', (text, minutes) => {
    expect(minutesOf(text)).toBe(minutes);
    expect(hhmm(minutes)).toBe(text);
  });

  it.each([
    [0, 480, 0],
    [240, 480, 720],
    [241, 480, 720], // 723 snaps to 720
    [-10, 480, 0],
    [999, 480, 1440],
    [100, 0, 0],
  ])('offset %i of %i px is minute %i', (px, height, minute) => {
    expect(minuteAt(px, height)).toBe(minute);
  });
});

describe('drag to create', () => {
  it('creates in either drag direction', () => {
    expect(draftPeriod([], 600, 540, 'standby')).toEqual({ start: '09:00', end: '10:00', mode: 'standby' });
    expect(draftPeriod([], 540, 600, 'occupied')).toEqual({ start: '09:00', end: '10:00', mode: 'occupied' });
  });
  it('clips to the gap where the drag began, so no overlap is created', () => {
    expect(draftPeriod(day, 750, 1200, 'standby')).toEqual({ start: '12:30', end: '13:30', mode: 'standby' });
    expect(draftPeriod(day, 750, 300, 'standby')).toEqual({ start: '12:00', end: '12:30', mode: 'standby' });
  });
  it('makes a click at least one snap long', () => {
    expect(draftPeriod([], 600, 600, 'occupied')).toEqual({ start: '10:00', end: '10:15', mode: 'occupied' });
    expect(draftPeriod([], 1440, 1440, 'occupied')).toEqual({ start: '23:45', end: '24:00', mode: 'occupied' });
  });
  it('refuses to start inside a period or in a gap shorter than a snap', () => {
    expect(draftPeriod(day, 600, 700, 'standby')).toBeNull();
    expect(draftPeriod([{ start: '00:00', end: '10:00', mode: 'occupied' }, { start: '10:10', end: '12:00', mode: 'occupied' }], 600, 610, 'standby')).toBeNull();
  });
  it('finds the period under a minute', () => {
    expect(periodAt(day, 480)).toBe(0);
    expect(periodAt(day, 720)).toBe(-1);
    expect(periodAt(day, 900)).toBe(1);
  });
  it('keeps the list sorted when adding', () => {
    const added = addPeriod(day, { start: '12:00', end: '13:30', mode: 'standby' });
    expect(added.periods.map((p) => p.start)).toEqual(['08:00', '12:00', '13:30']);
    expect(added.index).toBe(1);
  });
});

describe('resize', () => {
  it('moves an edge, stopping at the neighbour', () => {
    expect(resizePeriod(day, 0, 'end', 900)[0].end).toBe('13:30');
    expect(resizePeriod(day, 1, 'start', 600)[1].start).toBe('12:00');
    expect(resizePeriod(day, 0, 'start', 420)[0].start).toBe('07:00');
  });
  it('keeps a period at least one snap long', () => {
    expect(resizePeriod(day, 0, 'end', 100)[0]).toEqual({ start: '08:00', end: '08:15', mode: 'occupied' });
    expect(resizePeriod(day, 0, 'start', 1000)[0]).toEqual({ start: '11:45', end: '12:00', mode: 'occupied' });
  });
  it('leaves the other periods untouched and an unknown index alone', () => {
    expect(resizePeriod(day, 0, 'end', 660)[1]).toBe(day[1]);
    expect(resizePeriod(day, 5, 'end', 660)).toEqual(day);
  });
});

describe('problems of the hub, routed to what they name', () => {
  it.each([
    [['schedules', 0, 'week', 'mon', 2], { kind: 'period', list: 'mon', index: 2 }],
    [['doc', 'schedules', 0, 'week', 'tue', 0, 'start'], { kind: 'period', list: 'tue', index: 0 }],
    [['schedules', 0, 'holiday', 1], { kind: 'period', list: 'holiday', index: 1 }],
    [['schedules', 0, 'exceptions', 3, 'periods', 0], { kind: 'period', list: 'exception:3', index: 0 }],
    [['schedules', 0, 'exceptions', 3, 'date'], { kind: 'exception', index: 3 }],
    [['schedules', 0, 'modes', 'standby', 'setpoint'], { kind: 'mode', mode: 'standby' }],
    [['schedules', 0, 'groups', 0], { kind: 'schedule' }],
    [['schedules', 1, 'week', 'mon', 0], null],
    [['body'], null],
  ] as const)('%j → %j', (path, target) => {
    expect(problemTarget(path, 0)).toEqual(target);
  });

  it('groups messages per target and keeps what belongs to no shown schedule', () => {
    const problems = [
      { path: ['schedules', 0, 'week', 'mon', 1], message: 'overlaps' },
      { path: ['schedules', 0, 'week', 'mon', 1], message: 'ends before it starts' },
      { path: ['schedules', 0, 'modes', 'occupied', 'setpoint'], message: 'outside limits' },
      { path: ['body'], message: 'bad body' },
    ];
    const grouped = groupProblems(problems, 0);
    expect(grouped.get('period:mon:1')).toEqual(['overlaps', 'ends before it starts']);
    expect(grouped.get('mode:occupied')).toEqual(['outside limits']);
    expect(unplacedProblems(problems, 1)).toEqual([{ path: ['body'], message: 'bad body' }]);
  });
});

describe('period labels', () => {
  it.each([
    ['08:00', '12:00', 'full'],
    ['12:00', '14:00', 'full'],
    ['12:00', '13:30', 'compact'], // the lunch standby QA saw cut off
    ['12:00', '12:30', 'compact'],
    ['08:00', '07:00', 'compact'], // inverted (refused by the hub): a sliver
  ] as const)('%s–%s → %s', (start, end, style) => {
    expect(periodLabelStyle({ start, end })).toBe(style);
  });
});
