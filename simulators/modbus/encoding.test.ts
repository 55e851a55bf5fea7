import { describe, expect, it } from 'vitest';
import { decodeWords, encodeValue, toRaw, wordCount } from './encoding.js';

describe('encodeValue', () => {
  // Expected words computed by hand from IEEE-754 / two's complement, not from the encoder.
  it.each([
    { value: 230.5, enc: { type: 'float32' as const }, words: [0x4366, 0x8000] },
    { value: 230.5, enc: { type: 'float32' as const, wordOrder: 'LE' as const }, words: [0x8000, 0x4366] },
    { value: -1, enc: { type: 'int16' as const }, words: [0xffff] },
    { value: -12.5, enc: { type: 'int16' as const, scale: 0.1 }, words: [0xff83] },
    { value: 0.92, enc: { type: 'int16' as const, scale: 0.001 }, words: [920] },
    { value: 50.02, enc: { type: 'uint16' as const, scale: 0.01 }, words: [5002] },
    { value: 12345.6, enc: { type: 'uint32' as const, scale: 0.1 }, words: [0x0001, 0xe240] },
    { value: 12345.6, enc: { type: 'uint32' as const, scale: 0.1, wordOrder: 'LE' as const }, words: [0xe240, 0x0001] },
    { value: -2, enc: { type: 'int32' as const, scale: 0.001 }, words: [0xffff, 0xf830] },
    { value: 12.5, enc: { type: 'uint16' as const, scale: 0.1, offset: -40 }, words: [525] },
  ])('$value as $enc.type $enc.wordOrder → $words', ({ value, enc, words }) => {
    expect(encodeValue(value, enc)).toEqual(words);
  });

  it('clamps integers to the type range instead of wrapping', () => {
    expect(encodeValue(70000, { type: 'uint16' })).toEqual([0xffff]);
    expect(encodeValue(-5, { type: 'uint16' })).toEqual([0]);
    expect(toRaw(40000, { type: 'int16' })).toBe(0x7fff);
  });

  it('refuses to pack a bool as a word', () => {
    expect(() => encodeValue(1, { type: 'bool' })).toThrow(/bool/);
  });
});

describe('decodeWords', () => {
  it.each([
    { words: [0x4366, 0x8000], enc: { type: 'float32' as const }, value: 230.5 },
    { words: [0x8000, 0x4366], enc: { type: 'float32' as const, wordOrder: 'LE' as const }, value: 230.5 },
    { words: [0xff83], enc: { type: 'int16' as const, scale: 0.1 }, value: -12.5 },
    { words: [0xe240, 0x0001], enc: { type: 'uint32' as const, scale: 0.1, wordOrder: 'LE' as const }, value: 12345.6 },
    { words: [0xffff, 0xf830], enc: { type: 'int32' as const, scale: 0.001 }, value: -2 },
    { words: [525], enc: { type: 'uint16' as const, scale: 0.1, offset: -40 }, value: 12.5 },
  ])('$words as $enc.type → $value', ({ words, enc, value }) => {
    expect(decodeWords(words, enc)).toBeCloseTo(value, 6);
  });

  it('says how many registers a type needs when given the wrong number', () => {
    expect(() => decodeWords([1], { type: 'float32' })).toThrow(/float32 needs 2 register/);
    expect(wordCount('int16')).toBe(1);
  });
});
