import { describe, expect, it } from 'vitest';
import { checkAnalogInput } from './write-control.js';

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
