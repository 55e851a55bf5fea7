import { describe, expect, it } from 'vitest';
import { encodeFrame, encodeReadFrame, MbapFramer, TransactionTable, type Frame } from './mbap.js';

const frames = (chunks: Buffer[]) => {
  const f = new MbapFramer();
  const out: Array<{ tid: number; unitId: number; pdu: number[] }> = [];
  for (const c of chunks) f.push(c, (x: Frame) => out.push({ tid: x.tid, unitId: x.unitId, pdu: [...x.pdu] }));
  return { out, buffered: f.buffered };
};

describe('MBAP encoding', () => {
  it('writes a read request as the spec example (tid, protocol 0, length 6, unit, FC, start, count)', () => {
    expect([...encodeReadFrame(0x0102, 17, 3, 0x006b, 3)]).toEqual([0x01, 0x02, 0, 0, 0, 6, 17, 3, 0x00, 0x6b, 0x00, 0x03]);
  });
  it('frames any PDU with its length + 1 for the unit id', () => {
    expect([...encodeFrame(65535, 1, Buffer.from([6, 0, 1, 0, 3]))]).toEqual([0xff, 0xff, 0, 0, 0, 6, 1, 6, 0, 1, 0, 3]);
  });
});

describe('MbapFramer', () => {
  const a = encodeFrame(1, 1, Buffer.from([3, 4, 0, 10, 0, 20]));
  const b = encodeFrame(2, 7, Buffer.from([0x83, 2]));
  const both = Buffer.concat([a, b]);
  const cases: Array<[string, Buffer[]]> = [
    ['two frames in one chunk', [both]],
    ['split inside the header', [both.subarray(0, 3), both.subarray(3)]],
    ['split inside the PDU', [both.subarray(0, 10), both.subarray(10)]],
    ['one byte at a time', [...both].map((x) => Buffer.from([x]))],
    ['split between the frames', [a, b]],
  ];
  it.each(cases)('%s', (_name, chunks) => {
    const { out, buffered } = frames(chunks);
    expect(out).toEqual([
      { tid: 1, unitId: 1, pdu: [3, 4, 0, 10, 0, 20] },
      { tid: 2, unitId: 7, pdu: [0x83, 2] },
    ]);
    expect(buffered).toBe(0);
  });
  it('keeps a partial frame until the rest arrives', () => {
    expect(frames([a.subarray(0, 9)])).toEqual({ out: [], buffered: 9 });
  });
  it('refuses a stream whose protocol id is not 0 or whose length is impossible', () => {
    expect(() => frames([Buffer.from([0, 1, 0, 1, 0, 6, 1, 3, 0, 0, 0, 1])])).toThrow(/protocol id 1/);
    expect(() => frames([Buffer.from([0, 1, 0, 0, 0x01, 0x00, 1, 3])])).toThrow(/bad MBAP length 256/);
    expect(() => frames([Buffer.from([0, 1, 0, 0, 0, 1, 1])])).toThrow(/bad MBAP length 1/);
  });
});

describe('TransactionTable', () => {
  it('matches answers by id in any order, once', () => {
    const t = new TransactionTable<string>();
    const x = t.add('x');
    const y = t.add('y');
    expect(x).not.toBe(y);
    expect(t.take(y)).toBe('y');
    expect(t.take(y)).toBeUndefined(); // a duplicate answer finds nothing
    expect(t.take(x)).toBe('x');
    expect(t.size).toBe(0);
  });
  it('wraps 65535 → 1 and skips ids still in flight', () => {
    const t = new TransactionTable<number>();
    const first = t.add(0); // 1, stays open
    for (let i = 2; i <= 65535; i++) t.take(t.add(i));
    expect(first).toBe(1);
    expect(t.add(99)).toBe(2); // 1 is still open: skipped
  });
  it('drains everything outstanding when the socket goes', () => {
    const t = new TransactionTable<string>();
    t.add('a');
    t.add('b');
    expect(t.drain().sort()).toEqual(['a', 'b']);
    expect(t.size).toBe(0);
  });
});
