import { describe, expect, it } from 'vitest';
import { mulawLevel, mulawToLinear, parseRtp } from './rtp.js';

const header = (pt: number, seq: number, ssrc: number, payload: number[], extra: { cc?: number; padding?: number } = {}) => {
  const cc = extra.cc ?? 0;
  const b = Buffer.alloc(12 + 4 * cc + payload.length + (extra.padding ?? 0));
  b[0] = 0x80 | cc | (extra.padding ? 0x20 : 0);
  b[1] = pt;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(1234, 4);
  b.writeUInt32BE(ssrc, 8);
  Buffer.from(payload).copy(b, 12 + 4 * cc);
  if (extra.padding) b[b.length - 1] = extra.padding;
  return b;
};

describe('parseRtp', () => {
  it.each([
    ['PCMU', header(0, 7, 0xdeadbeef, [1, 2, 3]), { payloadType: 0, sequence: 7, ssrc: 0xdeadbeef, len: 3 }],
    ['with CSRCs', header(8, 1, 5, [9, 9], { cc: 2 }), { payloadType: 8, sequence: 1, ssrc: 5, len: 2 }],
    ['with padding', header(0, 2, 6, [1, 2, 3, 4], { padding: 4 }), { payloadType: 0, sequence: 2, ssrc: 6, len: 4 }],
  ])('%s', (_n, buf, want) => {
    const p = parseRtp(buf)!;
    expect({ payloadType: p.payloadType, sequence: p.sequence, ssrc: p.ssrc, len: p.payload.length }).toEqual(want);
  });
  it('refuses what is not RTP v2', () => {
    expect(parseRtp(Buffer.from([0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBeNull();
    expect(parseRtp(Buffer.from([0x80, 0]))).toBeNull();
  });
});

describe('μ-law', () => {
  it.each([[0xff, 0], [0x7f, 0], [0x80, 32124], [0x00, -32124]])('0x%s → %s', (u, lin) => {
    expect(mulawToLinear(u)).toBe(lin);
  });
  it('silence has level 0, a loud signal a high level', () => {
    expect(mulawLevel(Buffer.alloc(160, 0xff))).toBe(0);
    expect(mulawLevel(Buffer.alloc(160, 0x80))).toBeGreaterThan(30000);
  });
});
