// Pure conversions between Modbus register words and engineering values, both ways.
import { DriverWriteError } from '../../contracts/driver.js';
import type { PointValue } from '../../contracts/point.js';
import type { ModbusValueType, ResolvedSource } from './schema.js';

const FLOAT32_MAX = 3.4028234663852886e38;

/** Raw integer range of each integer type. */
export const RAW_RANGE: Partial<Record<ModbusValueType, [number, number]>> = {
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

function swapBytes(word: number): number {
  return ((word & 0xff) << 8) | ((word >> 8) & 0xff);
}

/** Word order applies to multi-register numbers; a string is always in register order. */
const reorders = (src: ResolvedSource) => src.wordOrder === 'LE' && src.type !== 'string' && src.width > 1;

/** Words as the device sent them → words in big-endian byte order, high word first. */
function normalize(words: readonly number[], src: ResolvedSource): number[] {
  let w = words.slice(0, src.width).map((x) => x & 0xffff);
  if (src.byteOrder === 'LE') w = w.map(swapBytes);
  if (reorders(src)) w = w.reverse(); // LE word order: lowest word first (CDAB, GHEFCDAB)
  return w;
}

/** Inverse of normalize: big-endian high-word-first words → the device's layout. */
function denormalize(words: number[], src: ResolvedSource): number[] {
  let w = words.slice();
  if (reorders(src)) w = w.reverse();
  if (src.byteOrder === 'LE') w = w.map(swapBytes);
  return w;
}

function toBytes(words: number[]): Buffer {
  const b = Buffer.alloc(words.length * 2);
  words.forEach((x, i) => b.writeUInt16BE(x, i * 2));
  return b;
}

function toWords(b: Buffer): number[] {
  return Array.from({ length: b.length / 2 }, (_, i) => b.readUInt16BE(i * 2));
}

/** A device string: ASCII/UTF-8, two characters per register, padded with NUL or spaces. */
function decodeString(w: number[]): string {
  const b = toBytes(w);
  const end = b.indexOf(0);
  return (end >= 0 ? b.subarray(0, end) : b).toString('utf8').replace(/ +$/, '');
}

/**
 * Shortest decimal that is the same float32: 0.1f reads as 0.1, not 0.10000000149011612,
 * while 16777215 keeps all its digits.
 */
export function tidyFloat32(f: number): number {
  if (!Number.isFinite(f) || f === 0) return f;
  for (let p = 6; p < 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return candidate;
  }
  return Number(f.toPrecision(9));
}

/** raw * scale + offset without binary noise (3 * 0.1 → 0.3). */
function engineering(raw: number, src: ResolvedSource): number {
  if (src.scale === 1 && src.offset === 0) return raw;
  return Number((raw * src.scale + src.offset).toPrecision(12));
}

/** Decodes the register words of one point (width words, starting at the point's address). */
export function decodeRegisters(words: readonly number[], src: ResolvedSource): number | boolean | string {
  if (words.length < src.width) throw new Error(`need ${src.width} register(s), got ${words.length}`);
  const w = normalize(words, src);
  if (src.bit !== undefined) return ((w[0] >> src.bit) & 1) === 1;
  switch (src.type) {
    case 'bool':
      return w[0] !== 0;
    case 'uint16':
      return engineering(w[0], src);
    case 'int16':
      return engineering(w[0] >= 0x8000 ? w[0] - 0x10000 : w[0], src);
    case 'uint32':
      return engineering(w[0] * 0x10000 + w[1], src);
    case 'int32': {
      const u = w[0] * 0x10000 + w[1];
      return engineering(u >= 0x80000000 ? u - 0x100000000 : u, src);
    }
    case 'float32': {
      const view = new DataView(new ArrayBuffer(4));
      view.setUint16(0, w[0]);
      view.setUint16(2, w[1]);
      const f = view.getFloat32(0);
      if (!Number.isFinite(f)) return f; // NaN / ±Infinity: the caller turns these into quality bad
      return engineering(tidyFloat32(f), src);
    }
    case 'float64': {
      const f = toBytes(w).readDoubleBE(0);
      return Number.isFinite(f) ? engineering(f, src) : f;
    }
    // 64-bit integers: exact up to 2^53 (energy counters in Wh stay exact for 285 000 years of 1 MW);
    // beyond, the nearest double.
    case 'uint64':
      return engineering(Number(toBytes(w).readBigUInt64BE(0)), src);
    case 'int64':
      return engineering(Number(toBytes(w).readBigInt64BE(0)), src);
    case 'string':
      return decodeString(w);
  }
}

/** Accepts true/false and the numbers 0/1 for a boolean point. */
export function toBoolean(value: PointValue): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  throw new DriverWriteError('invalid_value', `expected true/false (or 1/0), got ${JSON.stringify(value)}`);
}

function fmt(n: number): string {
  return String(Number(n.toPrecision(12)));
}

/**
 * Encodes an engineering value into the words to write (whole-register types only; bits
 * inside a register go through setBit after reading the register).
 * Throws DriverWriteError('invalid_value') naming the accepted range.
 */
export function encodeRegisters(value: PointValue, src: ResolvedSource): number[] {
  if (src.bit !== undefined) throw new Error('encodeRegisters: use setBit for bit points');
  if (src.type === 'bool') return denormalize([toBoolean(value) ? 1 : 0], src);
  if (src.type === 'string') {
    if (typeof value !== 'string') throw new DriverWriteError('invalid_value', `expected a string, got ${JSON.stringify(value)}`);
    const bytes = Buffer.from(value, 'utf8');
    if (bytes.length > src.width * 2) throw new DriverWriteError('invalid_value', `string of ${bytes.length} bytes does not fit ${src.width} registers (${src.width * 2} bytes)`);
    const padded = Buffer.alloc(src.width * 2); // NUL-padded, as most devices expect
    bytes.copy(padded);
    return denormalize(toWords(padded), src);
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DriverWriteError('invalid_value', `expected a finite number for ${src.type}, got ${JSON.stringify(value)}`);
  }
  const raw = (value - src.offset) / src.scale;
  if (src.type === 'float32') {
    if (!(Math.abs(raw) <= FLOAT32_MAX)) {
      throw new DriverWriteError('invalid_value', `value ${fmt(value)} does not fit a float32`);
    }
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, raw);
    return denormalize([view.getUint16(0), view.getUint16(2)], src);
  }
  if (src.type === 'float64') {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(raw);
    return denormalize(toWords(b), src);
  }
  if (src.type === 'int64' || src.type === 'uint64') {
    const rounded64 = Math.round(raw);
    if (Math.abs(raw - rounded64) > 1e-9 * Math.max(1, Math.abs(raw))) {
      throw new DriverWriteError('invalid_value', `value ${fmt(value)} is not representable as ${src.type}: must be a whole number of steps`);
    }
    if (!Number.isSafeInteger(rounded64) || (src.type === 'uint64' && rounded64 < 0)) {
      throw new DriverWriteError('invalid_value', `value ${fmt(value)} out of range for ${src.type}: must be ${src.type === 'uint64' ? '0' : '-9007199254740991'}..9007199254740991 (exact integers)`);
    }
    const b = Buffer.alloc(8);
    if (src.type === 'uint64') b.writeBigUInt64BE(BigInt(rounded64));
    else b.writeBigInt64BE(BigInt(rounded64));
    return denormalize(toWords(b), src);
  }
  const [min, max] = RAW_RANGE[src.type]!;
  const scaled = src.scale !== 1 || src.offset !== 0;
  const rounded = Math.round(raw);
  if (Math.abs(raw - rounded) > 1e-9 * Math.max(1, Math.abs(raw))) {
    const step = scaled ? ` (steps of ${fmt(Math.abs(src.scale))} from ${fmt(src.offset)})` : '';
    throw new DriverWriteError('invalid_value', `value ${fmt(value)} is not representable as ${src.type}${step}: must be a whole number of steps`);
  }
  if (rounded < min || rounded > max) {
    const a = min * src.scale + src.offset;
    const b = max * src.scale + src.offset;
    const how = scaled ? ` with scale ${fmt(src.scale)} and offset ${fmt(src.offset)}` : '';
    throw new DriverWriteError('invalid_value', `value ${fmt(value)} out of range for ${src.type}${how}: must be ${fmt(Math.min(a, b))}..${fmt(Math.max(a, b))}`);
  }
  const u = rounded < 0 ? rounded + (src.width === 2 ? 0x100000000 : 0x10000) : rounded;
  const words = src.width === 2 ? [Math.floor(u / 0x10000), u % 0x10000] : [u];
  return denormalize(words, src);
}

/** The register word with one bit set or cleared (read-modify-write of a bit point). */
export function setBit(word: number, src: ResolvedSource, on: boolean): number {
  if (src.bit === undefined) throw new Error('setBit: not a bit point');
  const [w] = normalize([word], src);
  const changed = on ? w | (1 << src.bit) : w & ~(1 << src.bit) & 0xffff;
  return denormalize([changed], src)[0];
}

/**
 * The poll path's decoder: the point's value straight from the answer's bytes (big-endian words at
 * `byteOffset`), with no array per register. Common layouts are read in place; anything unusual
 * (byte-swapped devices, low-word-first 64-bit, strings) goes through decodeRegisters.
 */
export function decodeAt(buf: Buffer, byteOffset: number, src: ResolvedSource): number | boolean | string {
  if (src.byteOrder === 'BE' && (src.width === 1 || src.wordOrder === 'BE')) {
    if (src.bit !== undefined) return ((buf.readUInt16BE(byteOffset) >> src.bit) & 1) === 1;
    switch (src.type) {
      case 'uint16':
        return engineering(buf.readUInt16BE(byteOffset), src);
      case 'int16':
        return engineering(buf.readInt16BE(byteOffset), src);
      case 'bool':
        return buf.readUInt16BE(byteOffset) !== 0;
      case 'uint32':
        return engineering(buf.readUInt32BE(byteOffset), src);
      case 'int32':
        return engineering(buf.readInt32BE(byteOffset), src);
      case 'float32': {
        const f = buf.readFloatBE(byteOffset);
        return Number.isFinite(f) ? engineering(tidyFloat32(f), src) : f;
      }
    }
  } else if (src.byteOrder === 'BE' && src.width === 2 && (src.type === 'uint32' || src.type === 'int32' || src.type === 'float32')) {
    // CDAB, the most common "swapped" layout: low word first.
    const hi = buf.readUInt16BE(byteOffset + 2);
    const lo = buf.readUInt16BE(byteOffset);
    if (src.type === 'uint32') return engineering(hi * 0x10000 + lo, src);
    if (src.type === 'int32') {
      const u = hi * 0x10000 + lo;
      return engineering(u >= 0x80000000 ? u - 0x100000000 : u, src);
    }
  }
  const words = new Array<number>(src.width);
  for (let i = 0; i < src.width; i++) words[i] = buf.readUInt16BE(byteOffset + i * 2);
  return decodeRegisters(words, src);
}

/** True when `count` bytes at `at` are equal in both buffers (a point's registers did not change). */
export function sameBytes(a: Buffer, b: Buffer, at: number, count: number): boolean {
  for (let i = at, end = at + count; i < end; i++) if (a[i] !== b[i]) return false;
  return true;
}
