import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DriverWriteError } from '../../contracts/driver.js';
import type { PointValue } from '../../contracts/point.js';
import { decodeRegisters, encodeRegisters, setBit, tidyFloat32, toBoolean } from './decode.js';
import { TYPE_WIDTH, type ResolvedSource } from './schema.js';

interface CaseSource extends Partial<Omit<ResolvedSource, 'width'>> {}
interface DecodeCase { name: string; source: CaseSource; words: number[]; value: number | boolean; roundTrip?: boolean }
interface ErrorCase { name: string; source: CaseSource; value: PointValue; error: string }
const cases = JSON.parse(readFileSync(new URL('./cases/decode.json', import.meta.url), 'utf8')) as {
  decode: DecodeCase[];
  encodeErrors: ErrorCase[];
};

function src(s: CaseSource): ResolvedSource {
  const type = s.type ?? 'uint16';
  return { table: 'holding', address: 0, wordOrder: 'BE', byteOrder: 'BE', scale: 1, offset: 0, ...s, type, width: type === 'string' ? (s as { length?: number }).length ?? 1 : TYPE_WIDTH[type] };
}

describe('decodeRegisters (cases/decode.json)', () => {
  it.each(cases.decode)('$name', (c) => {
    expect(decodeRegisters(c.words, src(c.source))).toBe(c.value);
  });
});

describe('encodeRegisters round trip (cases/decode.json)', () => {
  const roundTrips = cases.decode.filter((c) => c.roundTrip !== false && c.source.bit === undefined);
  it.each(roundTrips)('$name', (c) => {
    expect(encodeRegisters(c.value, src(c.source))).toEqual(c.words);
  });
});

describe('encodeRegisters refuses bad values (cases/decode.json)', () => {
  it.each(cases.encodeErrors)('$name', (c) => {
    let caught: unknown;
    try {
      encodeRegisters(c.value, src(c.source));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DriverWriteError);
    expect((caught as DriverWriteError).code).toBe('invalid_value');
    expect((caught as DriverWriteError).message).toContain(c.error);
  });
});

describe('decode edge cases', () => {
  it('reads only the words of the point when given more', () => {
    expect(decodeRegisters([1, 2, 3], src({ type: 'uint16' }))).toBe(1);
  });
  it('throws when given too few words', () => {
    expect(() => decodeRegisters([1], src({ type: 'float32' }))).toThrow('need 2 register(s), got 1');
  });
  it('returns NaN for a NaN float32 so the driver can flag it', () => {
    expect(decodeRegisters([0x7fc0, 0], src({ type: 'float32' }))).toBeNaN();
  });
  it('encodes negative integers as two-complement words', () => {
    expect(encodeRegisters(-1, src({ type: 'int16' }))).toEqual([0xffff]);
    expect(encodeRegisters(-2, src({ type: 'int32', wordOrder: 'LE' }))).toEqual([0xfffe, 0xffff]);
  });
  it('tolerates binary noise when un-scaling (21.5 / 0.1)', () => {
    expect(encodeRegisters(21.5, src({ type: 'uint16', scale: 0.1 }))).toEqual([215]);
    expect(encodeRegisters(0.3, src({ type: 'uint16', scale: 0.1 }))).toEqual([3]);
  });
  it('tidyFloat32 gives the shortest decimal of the same float32', () => {
    expect(tidyFloat32(Math.fround(0.1))).toBe(0.1);
    expect(tidyFloat32(Math.fround(123.456))).toBe(123.456);
    expect(tidyFloat32(Math.fround(16777215))).toBe(16777215);
    expect(tidyFloat32(Math.fround(1.0000001))).toBe(1.0000001);
    expect(Math.fround(tidyFloat32(Math.fround(3.1415927)))).toBe(Math.fround(3.1415927));
  });
});

describe('setBit (read-modify-write of a bit point)', () => {
  it('sets and clears one bit, keeping the others', () => {
    expect(setBit(0b1010, src({ bit: 0 }), true)).toBe(0b1011);
    expect(setBit(0b1011, src({ bit: 1 }), false)).toBe(0b1001);
    expect(setBit(0xffff, src({ bit: 15 }), false)).toBe(0x7fff);
    expect(setBit(0, src({ bit: 15 }), true)).toBe(0x8000);
  });
  it('honours a byte-swapped device', () => {
    // bit 8 after swapping is the lowest bit of the word as sent
    expect(setBit(0, src({ bit: 8, byteOrder: 'LE' }), true)).toBe(1);
  });
});

describe('toBoolean', () => {
  it('accepts booleans and 0/1', () => {
    expect([toBoolean(true), toBoolean(false), toBoolean(1), toBoolean(0)]).toEqual([true, false, true, false]);
  });
  it('refuses anything else with invalid_value', () => {
    expect(() => toBoolean('true')).toThrow(DriverWriteError);
    expect(() => toBoolean(null)).toThrow('expected true/false');
  });
});
