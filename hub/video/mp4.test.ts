import { describe, expect, it } from 'vitest';
import { moofStartsWithKeyframe, Mp4Splitter } from './mp4.js';

const box = (type: string, ...payload: Buffer[]) => {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
};
const u32 = (...n: number[]) => Buffer.concat(n.map((v) => { const b = Buffer.alloc(4); b.writeUInt32BE(v >>> 0); return b; }));
const fullbox = (type: string, flags: number, ...rest: Buffer[]) => box(type, u32(flags & 0xffffff), ...rest);

const SYNC = 0x0200_0000; // depends_on = 2 (I-frame), non-sync bit clear
const NON_SYNC = 0x0101_0000; // depends_on = 1, non-sync

/** moof with tfhd (optional default flags) and trun (first-sample flags, per-sample flags or none). */
function moof(o: { tfhdDefault?: number; first?: number; perSample?: number }): Buffer {
  const tfhd = o.tfhdDefault === undefined ? fullbox('tfhd', 0x020000, u32(1)) : fullbox('tfhd', 0x020020, u32(1), u32(o.tfhdDefault));
  let trun: Buffer;
  if (o.first !== undefined) trun = fullbox('trun', 0x000005, u32(2), u32(100), u32(o.first));
  else if (o.perSample !== undefined) trun = fullbox('trun', 0x000701, u32(1), u32(100), u32(3000), u32(500), u32(o.perSample));
  else trun = fullbox('trun', 0x000001, u32(1), u32(100));
  return box('moof', fullbox('mfhd', 0, u32(1)), box('traf', tfhd, fullbox('tfdt', 0, u32(0)), trun));
}

describe('moofStartsWithKeyframe', () => {
  it.each([
    ['first_sample_flags sync', { first: SYNC }, true],
    ['first_sample_flags non-sync', { first: NON_SYNC }, false],
    ['per-sample flags sync', { perSample: SYNC }, true],
    ['per-sample flags non-sync', { perSample: NON_SYNC }, false],
    ['tfhd default non-sync, no sample flags', { tfhdDefault: NON_SYNC }, false],
    ['tfhd default sync', { tfhdDefault: SYNC }, true],
    ['first sample overrides tfhd default', { tfhdDefault: NON_SYNC, first: SYNC }, true],
  ] as const)('%s', (_name, o, want) => {
    expect(moofStartsWithKeyframe(moof(o))).toBe(want);
  });
});

describe('Mp4Splitter', () => {
  const init = [box('ftyp', Buffer.from('isom')), box('moov', box('mvhd', Buffer.alloc(20)))];
  const frag1 = [moof({ first: SYNC }), box('mdat', Buffer.alloc(50, 1))];
  const frag2 = [moof({ first: NON_SYNC }), box('mdat', Buffer.alloc(30, 2))];
  const stream = Buffer.concat([...init, ...frag1, ...frag2]);

  it('yields init (ftyp+moov) then fragments (moof+mdat) with keyframe flags', () => {
    const out = new Mp4Splitter().push(stream);
    expect(out.map((p) => p.type)).toEqual(['init', 'fragment', 'fragment']);
    expect(out[0].data).toEqual(Buffer.concat(init));
    expect(out[1]).toMatchObject({ keyframe: true, data: Buffer.concat(frag1) });
    expect(out[2]).toMatchObject({ keyframe: false, data: Buffer.concat(frag2) });
  });

  it('gives the same pieces however the bytes are chunked', () => {
    for (const size of [1, 7, 64, 1000]) {
      const s = new Mp4Splitter();
      const out = [];
      for (let i = 0; i < stream.length; i += size) out.push(...s.push(stream.subarray(i, i + size)));
      expect(out.map((p) => [p.type, p.data.length])).toEqual([['init', Buffer.concat(init).length], ['fragment', Buffer.concat(frag1).length], ['fragment', Buffer.concat(frag2).length]]);
    }
  });

  it('refuses a corrupt box size, naming the box and offset', () => {
    const bad = Buffer.concat([u32(4), Buffer.from('moof')]);
    expect(() => new Mp4Splitter().push(bad)).toThrow("bad MP4 box 'moof' of size 4 at byte 0");
  });
});
