// BACnet tag encoding for the simulated device, written from ASHRAE 135 clause 20.2 — on purpose
// NOT the driver's npm stack, so a decoding bug on either side shows up as a failing test instead
// of being shared by both. Covers the application types a building controller serves.

/** Application tag numbers (135 clause 20.2.1.4). */
export const APP = {
  NULL: 0, BOOLEAN: 1, UNSIGNED: 2, SIGNED: 3, REAL: 4, DOUBLE: 5, OCTETS: 6, CHARSTRING: 7,
  BITSTRING: 8, ENUMERATED: 9, DATE: 10, TIME: 11, OBJECT_ID: 12,
} as const;

/** One application-tagged value as the simulator holds it. */
export type AppValue =
  | { t: 'null' }
  | { t: 'bool'; v: boolean }
  | { t: 'unsigned'; v: number }
  | { t: 'signed'; v: number }
  | { t: 'real'; v: number }
  | { t: 'double'; v: number }
  | { t: 'string'; v: string }
  | { t: 'bits'; v: boolean[] }
  | { t: 'enum'; v: number }
  | { t: 'oid'; type: number; instance: number };

export class Writer {
  private bytes: number[] = [];
  u8(...b: number[]): this {
    for (const x of b) this.bytes.push(x & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >> 8, v);
  }
  raw(b: Uint8Array | number[]): this {
    for (const x of b) this.bytes.push(x);
    return this;
  }
  get length(): number {
    return this.bytes.length;
  }
  toBuffer(): Buffer {
    return Buffer.from(this.bytes);
  }

  /** Tag header: number, class (context?), length/value/type. */
  tag(num: number, context: boolean, lvt: number): this {
    const cls = context ? 0x08 : 0;
    const head = (num <= 14 ? num << 4 : 0xf0) | cls | (lvt <= 4 ? lvt : 5);
    this.u8(head);
    if (num > 14) this.u8(num);
    if (lvt > 4) {
      if (lvt < 254) this.u8(lvt);
      else if (lvt < 65536) this.u8(254).u16(lvt);
      else this.u8(255).u16(lvt >>> 16).u16(lvt & 0xffff);
    }
    return this;
  }
  open(num: number): this {
    return this.u8((num << 4) | 0x0e);
  }
  close(num: number): this {
    return this.u8((num << 4) | 0x0f);
  }
  /** Context-tagged unsigned / enumerated. */
  ctxUnsigned(num: number, v: number): this {
    const b = unsignedBytes(v);
    return this.tag(num, true, b.length).raw(b);
  }
  ctxOid(num: number, type: number, instance: number): this {
    return this.tag(num, true, 4).raw(oidBytes(type, instance));
  }
  ctxBool(num: number, v: boolean): this {
    return this.tag(num, true, 1).u8(v ? 1 : 0);
  }
  app(value: AppValue): this {
    switch (value.t) {
      case 'null':
        return this.u8(0x00);
      case 'bool':
        return this.u8(0x10 | (value.v ? 1 : 0));
      case 'unsigned':
      case 'enum': {
        const b = unsignedBytes(value.v);
        return this.tag(value.t === 'unsigned' ? APP.UNSIGNED : APP.ENUMERATED, false, b.length).raw(b);
      }
      case 'signed': {
        const b = signedBytes(value.v);
        return this.tag(APP.SIGNED, false, b.length).raw(b);
      }
      case 'real': {
        const b = Buffer.alloc(4);
        b.writeFloatBE(value.v);
        return this.tag(APP.REAL, false, 4).raw(b);
      }
      case 'double': {
        const b = Buffer.alloc(8);
        b.writeDoubleBE(value.v);
        return this.tag(APP.DOUBLE, false, 8).raw(b);
      }
      case 'string': {
        const s = Buffer.from(value.v, 'utf8');
        // Leading byte 0 = ISO 10646 UTF-8 (135 clause 20.2.9).
        return this.tag(APP.CHARSTRING, false, s.length + 1).u8(0).raw(s);
      }
      case 'bits': {
        const n = value.v.length;
        const bytes = new Array<number>(Math.ceil(n / 8)).fill(0);
        value.v.forEach((on, i) => {
          if (on) bytes[i >> 3] |= 0x80 >> (i & 7);
        });
        const unused = bytes.length * 8 - n;
        return this.tag(APP.BITSTRING, false, bytes.length + 1).u8(unused).raw(bytes);
      }
      case 'oid':
        return this.tag(APP.OBJECT_ID, false, 4).raw(oidBytes(value.type, value.instance));
    }
  }
}

export function unsignedBytes(v: number): number[] {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`unsigned out of range: ${v}`);
  if (v < 0x100) return [v];
  if (v < 0x10000) return [v >> 8, v & 0xff];
  if (v < 0x1000000) return [v >> 16, (v >> 8) & 0xff, v & 0xff];
  return [v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
}

export function signedBytes(v: number): number[] {
  if (v >= -128 && v <= 127) return [v & 0xff];
  if (v >= -32768 && v <= 32767) return [(v >> 8) & 0xff, v & 0xff];
  if (v >= -8388608 && v <= 8388607) return [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
  return [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
}

export function oidBytes(type: number, instance: number): number[] {
  const v = ((type & 0x3ff) * 0x400000 + (instance & 0x3fffff)) >>> 0;
  return [v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
}

/** A decoded tag header. */
export interface Tag {
  num: number;
  context: boolean;
  /** 'open' / 'close' for constructed context tags. */
  kind: 'prim' | 'open' | 'close';
  /** Content length (for application booleans: the value). */
  len: number;
}

/** Thrown on a malformed request; the device answers it with a Reject (invalid tag / missing parameter). */
export class DecodeError extends Error {}

export class Reader {
  constructor(private readonly buf: Buffer, public pos = 0, private readonly end = buf.length) {}
  get done(): boolean {
    return this.pos >= this.end;
  }
  u8(): number {
    if (this.pos >= this.end) throw new DecodeError('truncated');
    return this.buf[this.pos++];
  }
  u16(): number {
    return (this.u8() << 8) | this.u8();
  }
  bytes(n: number): Buffer {
    if (this.pos + n > this.end) throw new DecodeError('truncated');
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  peekTag(): Tag | null {
    if (this.done) return null;
    const save = this.pos;
    try {
      return this.tag();
    } finally {
      this.pos = save;
    }
  }
  tag(): Tag {
    const head = this.u8();
    let num = head >> 4;
    if (num === 15) num = this.u8();
    const context = (head & 0x08) !== 0;
    const lvt = head & 0x07;
    if (context && lvt === 6) return { num, context, kind: 'open', len: 0 };
    if (context && lvt === 7) return { num, context, kind: 'close', len: 0 };
    let len = lvt;
    if (lvt === 5) {
      len = this.u8();
      if (len === 254) len = this.u16();
      else if (len === 255) len = this.u16() * 65536 + this.u16();
    }
    return { num, context, kind: 'prim', len };
  }
  /** Next tag is context tag `num` (primitive)? */
  isContext(num: number, kind: Tag['kind'] = 'prim'): boolean {
    const t = this.peekTag();
    return !!t && t.context && t.num === num && t.kind === kind;
  }
  ctxUnsigned(num: number): number {
    const t = this.tag();
    if (!t.context || t.num !== num || t.kind !== 'prim') throw new DecodeError(`expected context tag ${num}`);
    return readUnsigned(this.bytes(t.len));
  }
  optCtxUnsigned(num: number): number | undefined {
    return this.isContext(num) ? this.ctxUnsigned(num) : undefined;
  }
  ctxOid(num: number): { type: number; instance: number } {
    const t = this.tag();
    if (!t.context || t.num !== num || t.len !== 4) throw new DecodeError(`expected object identifier in context tag ${num}`);
    return readOid(this.bytes(4));
  }
  ctxBool(num: number): boolean {
    const t = this.tag();
    if (!t.context || t.num !== num || t.len !== 1) throw new DecodeError(`expected boolean in context tag ${num}`);
    return this.u8() !== 0;
  }
  expectOpen(num: number): void {
    const t = this.tag();
    if (t.kind !== 'open' || t.num !== num) throw new DecodeError(`expected opening tag ${num}`);
  }
  expectClose(num: number): void {
    const t = this.tag();
    if (t.kind !== 'close' || t.num !== num) throw new DecodeError(`expected closing tag ${num}`);
  }
  /** One application-tagged value. */
  app(): AppValue {
    const t = this.tag();
    if (t.context) throw new DecodeError('expected an application tag');
    switch (t.num) {
      case APP.NULL:
        return { t: 'null' };
      case APP.BOOLEAN:
        return { t: 'bool', v: t.len !== 0 };
      case APP.UNSIGNED:
        return { t: 'unsigned', v: readUnsigned(this.bytes(t.len)) };
      case APP.ENUMERATED:
        return { t: 'enum', v: readUnsigned(this.bytes(t.len)) };
      case APP.SIGNED: {
        const b = this.bytes(t.len);
        return { t: 'signed', v: b.length ? b.readIntBE(0, b.length) : 0 };
      }
      case APP.REAL:
        if (t.len !== 4) throw new DecodeError('REAL must be 4 bytes');
        return { t: 'real', v: this.bytes(4).readFloatBE(0) };
      case APP.DOUBLE:
        if (t.len !== 8) throw new DecodeError('DOUBLE must be 8 bytes');
        return { t: 'double', v: this.bytes(8).readDoubleBE(0) };
      case APP.CHARSTRING: {
        const b = this.bytes(t.len);
        if (b[0] !== 0) throw new DecodeError(`character set ${b[0]} not supported (UTF-8 only)`);
        return { t: 'string', v: b.subarray(1).toString('utf8') };
      }
      case APP.BITSTRING: {
        const b = this.bytes(t.len);
        const n = (b.length - 1) * 8 - b[0];
        return { t: 'bits', v: Array.from({ length: n }, (_, i) => (b[1 + (i >> 3)] & (0x80 >> (i & 7))) !== 0) };
      }
      case APP.OBJECT_ID:
        return { t: 'oid', ...readOid(this.bytes(4)) };
      default:
        throw new DecodeError(`application tag ${t.num} not supported`);
    }
  }
}

export function readUnsigned(b: Buffer): number {
  let v = 0;
  for (const x of b) v = v * 256 + x;
  return v;
}

export function readOid(b: Buffer): { type: number; instance: number } {
  const v = b.readUInt32BE(0);
  return { type: Math.floor(v / 0x400000), instance: v & 0x3fffff };
}
