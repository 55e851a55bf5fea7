import { describe, expect, it } from 'vitest';
import type { PointState } from '../../../contracts/point.js';
import { checkAnalogInput, lockReason, stateToShow } from './write-control.js';

describe('checkAnalogInput', () => {
  it.each([
    ['21.5', { min: 10, max: 30 }, { value: 21.5 }],
    [' 21,5 ', { min: 10, max: 30 }, { value: 21.5 }],
    ['10', { min: 10, max: 30 }, { value: 10 }],
    ['-4', undefined, { value: -4 }],
    ['', { min: 0 }, { error: 'Enter a number.' }],
    ['abc', undefined, { error: 'Enter a number.' }],
    ['Infinity', undefined, { error: 'Enter a number.' }],
    ['31', { min: 10, max: 30 }, { error: 'Outside the range 10 – 30.' }],
    ['-1', { min: 0 }, { error: 'Outside the range 0 – ∞.' }],
  ])('%j with limits %j → %j', (raw, limits, expected) => {
    expect(checkAnalogInput(raw, limits)).toEqual(expected);
  });
});

describe('lockReason', () => {
  const state = (over: Partial<PointState>): PointState => ({ id: 'hq/a/b1/r/l/on', value: true, quality: 'good', readTs: 1, changedTs: 1, ...over });
  it.each([
    ['binary', state({}), true, null],
    ['binary', state({ quality: 'comm_fail', value: null }), true, 'comm_fail'],
    ['analog', state({ quality: 'comm_fail', value: null }), 20, 'comm_fail'],
    ['binary', state({ quality: 'stale', value: null }), true, 'unknown'],
    ['binary', null, undefined, 'unknown'],
    ['analog', null, undefined, null], // a setpoint is absolute: it does not need the present value
    ['analog', state({ quality: 'stale' }), 20, null],
  ] as const)('%s with %j → %s', (kind, st, shown, expected) => {
    expect(lockReason(kind, { state: st, shown })).toBe(expected);
  });
});

describe('stateToShow (the multistate picker follows the live value)', () => {
  const modes = { 0: 'Schedule', 1: 'Occupied', 2: 'Unoccupied' };
  it.each([
    ['QA: the point is Occupied → Occupied, not the first option', 1, { editing: false, chosen: '0' }, '1'],
    ['the value changed to Unoccupied', 2, { editing: false, chosen: '1' }, '2'],
    ['the user is choosing: their choice stays', 2, { editing: true, chosen: '0' }, '0'],
    ['no live value yet → the unknown placeholder', undefined, { editing: false, chosen: '' }, ''],
    ['comm_fail keeps the last value', 1, { editing: false, chosen: '' }, '1'],
    ['a value that is no state of the point → placeholder', 7, { editing: false, chosen: '1' }, ''],
    ['null → placeholder', null, { editing: false, chosen: '1' }, ''],
  ] as const)('%s', (_n, shown, edit, expected) => {
    expect(stateToShow(modes, shown, edit)).toBe(expected);
  });
});
