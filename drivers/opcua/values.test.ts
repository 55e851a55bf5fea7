import { describe, expect, it } from 'vitest';
import { checkWriteValue, qualityOf, sameValue, toPointValue } from './values.js';
import { reconnectDelay } from '../backoff.js';

describe('qualityOf', () => {
  it.each([
    [{ value: 0, name: 'Good' }, { quality: 'good' }],
    [{ value: 0x40920000, name: 'UncertainSensorNotAccurate' }, { quality: 'uncertain', detail: 'UncertainSensorNotAccurate' }],
    [{ value: 0x408f0000, name: 'UncertainLastUsableValue' }, { quality: 'uncertain', detail: 'UncertainLastUsableValue' }],
    [{ value: 0x808a0000, name: 'BadNotConnected' }, { quality: 'bad', detail: 'BadNotConnected' }],
    [{ value: 0x80340000, name: 'BadNodeIdUnknown' }, { quality: 'bad', detail: 'BadNodeIdUnknown' }],
    [{ value: 0x00a20000, name: 'GoodLocalOverride' }, { quality: 'good' }],
  ])('%j → %j', (status, expected) => expect(qualityOf(status)).toEqual(expected));
});

describe('toPointValue', () => {
  it.each([
    [21.5, 'analog', 21.5],
    [true, 'analog', 1],
    [1, 'binary', true],
    [0, 'binary', false],
    [false, 'binary', false],
    [[1, 5], 'analog', 2 ** 32 + 5],
    [2, 'multistate', 2],
    [12.5, 'string', '12.5'],
    [{ text: 'Auto', locale: 'en' }, 'string', 'Auto'],
    [null, 'analog', null],
    [undefined, 'binary', null],
    ['x', 'analog', null],
  ] as const)('%j as %s → %j', (raw, kind, expected) => expect(toPointValue(raw, kind)).toEqual(expected));
  it('turns DateTime into ms', () => expect(toPointValue(new Date(5000), 'analog')).toBe(5000));
});

describe('checkWriteValue', () => {
  it.each([
    ['Double', 21.5, undefined, { ok: true, value: 21.5 }],
    ['Int32', 7, undefined, { ok: true, value: 7 }],
    ['Int16', -32768, undefined, { ok: true, value: -32768 }],
    ['Byte', 255, undefined, { ok: true, value: 255 }],
    ['Boolean', true, undefined, { ok: true, value: true }],
    ['Boolean', 0, undefined, { ok: true, value: false }],
    ['String', 'auto', undefined, { ok: true, value: 'auto' }],
    ['Float', 1.5, undefined, { ok: true, value: 1.5 }],
    ['Double', 22, { min: 16, max: 30 }, { ok: true, value: 22 }],
  ] as const)('%s accepts %j', (type, value, limits, expected) => expect(checkWriteValue(type, value, limits)).toEqual(expected));

  it.each([
    ['Int32', 3.5, undefined, 'Int32: 3.5 is not an integer (range -2147483648..2147483647)'],
    ['Int16', 40000, undefined, 'Int16: 40000 is outside -32768..32767'],
    ['UInt16', -1, undefined, 'UInt16: -1 is outside 0..65535'],
    ['SByte', 128, undefined, 'SByte: 128 is outside -128..127'],
    ['Float', 1e39, undefined, 'Float: 1e+39 is outside'],
    ['Double', Number.NaN, undefined, 'NaN is not a finite number'],
    ['Double', 'warm', undefined, 'expected a number, got "warm"'],
    ['Boolean', 2, undefined, 'expected true/false (or 0/1), got 2'],
    ['String', 5, undefined, 'expected text'],
    ['Double', 35, { min: 16, max: 30 }, "35 is above the point's maximum 30 (limits 16..30)"],
    ['Double', 10, { min: 16, max: 30 }, "10 is below the point's minimum 16 (limits 16..30)"],
    ['Int64', 2 ** 60, undefined, 'is outside'],
    ['Double', null, undefined, 'null cannot be written'],
  ] as const)('%s refuses %j', (type, value, limits, reason) => {
    const r = checkWriteValue(type, value, limits);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(reason);
  });
  it('checks multistate values against the state keys', () => {
    const states = { '0': 'Schedule', '1': 'Occupied', '2': 'Unoccupied' };
    expect(checkWriteValue('Int16', 2, undefined, states)).toEqual({ ok: true, value: 2 });
    expect(checkWriteValue('Int16', 5, undefined, states)).toEqual({ ok: false, reason: "5 is not one of the point's states (0, 1, 2)" });
  });
});

describe('sameValue', () => {
  it('compares Float at float32 precision', () => {
    expect(sameValue('Float', 0.1, Math.fround(0.1))).toBe(true);
    expect(sameValue('Double', 0.1, Math.fround(0.1))).toBe(false);
  });
  it('compares Int64 words', () => expect(sameValue('Int64', 2 ** 32 + 1, [1, 1])).toBe(true));
});

describe('reconnect delay (the shared policy, drivers/backoff.ts, with OPC UA defaults; no jitter at random 0.5)', () => {
  it.each([
    [0, 1000],
    [1, 2000],
    [3, 8000],
    [10, 30000],
    [100, 30000],
  ])('attempt %i → %i ms', (attempt, ms) => expect(reconnectDelay(attempt, { initialMs: 1000, maxMs: 30000 }, 0.5)).toBe(ms));
});
