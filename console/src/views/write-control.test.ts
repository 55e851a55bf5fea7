import { describe, expect, it } from 'vitest';
import type { PointState } from '../../../contracts/point.js';
import { checkAnalogInput, lockReason } from './write-control.js';

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
