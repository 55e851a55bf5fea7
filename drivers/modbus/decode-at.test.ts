import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAt, decodeRegisters, sameBytes } from './decode.js';
import { TYPE_WIDTH, type ModbusValueType, type ResolvedSource } from './schema.js';

interface CaseSource extends Partial<Omit<ResolvedSource, 'width'>> { length?: number }
const cases = JSON.parse(readFileSync(new URL('./cases/decode.json', import.meta.url), 'utf8')) as {
  decode: Array<{ name: string; source: CaseSource; words: number[] }>;
};

function src(s: CaseSource): ResolvedSource {
  const type = s.type ?? 'uint16';
  return { table: 'holding', address: 0, wordOrder: 'BE', byteOrder: 'BE', scale: 1, offset: 0, ...s, type, width: type === 'string' ? s.length ?? 1 : TYPE_WIDTH[type] };
}

/** The words placed at a register offset inside a bigger answer, as they come off the wire. */
function answer(words: number[], at: number): Buffer {
  const b = Buffer.alloc((at + words.length + 3) * 2, 0xa5);
  words.forEach((w, i) => b.writeUInt16BE(w & 0xffff, (at + i) * 2));
  return b;
}

describe('decodeAt decodes in place exactly as decodeRegisters (cases/decode.json)', () => {
  it.each(cases.decode)('$name', (c) => {
    const s = src(c.source);
    expect(decodeAt(answer(c.words, 5), 10, s)).toEqual(decodeRegisters(c.words, s));
  });
});

describe('decodeAt property: every type, word and byte order, scale', () => {
  const types: ModbusValueType[] = ['uint16', 'int16', 'uint32', 'int32', 'float32', 'float64', 'int64', 'uint64', 'bool'];
  it('matches decodeRegisters', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...types), fc.constantFrom<'BE' | 'LE'>('BE', 'LE'), fc.constantFrom<'BE' | 'LE'>('BE', 'LE'),
        fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 4, maxLength: 4 }), fc.constantFrom(1, 0.1, -2), fc.integer({ min: 0, max: 20 }),
        (type, wordOrder, byteOrder, words, scale, at) => {
          const s = src({ type, wordOrder, byteOrder, scale });
          const w = words.slice(0, s.width);
          expect(decodeAt(answer(w, at), at * 2, s)).toEqual(decodeRegisters(w, s));
        },
      ),
    );
  });
  it('reads bits of a register', () => {
    for (let bit = 0; bit < 16; bit++) expect(decodeAt(answer([1 << bit], 0), 0, src({ bit }))).toBe(true);
    expect(decodeAt(answer([0xfffe], 0), 0, src({ bit: 0 }))).toBe(false);
  });
});

describe('sameBytes', () => {
  it('compares only the given span', () => {
    const a = Buffer.from([1, 2, 3, 4]);
    const b = Buffer.from([9, 2, 3, 8]);
    expect(sameBytes(a, b, 1, 2)).toBe(true);
    expect(sameBytes(a, b, 0, 2)).toBe(false);
    expect(sameBytes(a, b, 2, 2)).toBe(false);
  });
});
