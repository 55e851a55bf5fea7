// How the simulated devices lay values out in 16-bit registers. This is the simulator's own
// encoder, written from the datasheets in README.md; it deliberately shares nothing with
// drivers/modbus, so a decoding bug in the driver shows up as a wrong reading in its tests.

export type RegisterType = 'bool' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32';
export type WordOrder = 'BE' | 'LE';

export interface Encoding {
  type: RegisterType;
  /** BE: high word at the lower address (ABCD). LE: low word first (CDAB). 32-bit types only. */
  wordOrder?: WordOrder;
  /** Engineering value = raw × scale + offset. */
  scale?: number;
  offset?: number;
}

/** Number of 16-bit registers a type occupies (bool: one bit, counted as one slot). */
export function wordCount(type: RegisterType): number {
  return type === 'int32' || type === 'uint32' || type === 'float32' ? 2 : 1;
}

const RAW_RANGE: Record<Exclude<RegisterType, 'bool' | 'float32'>, [number, number]> = {
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
};

/** Engineering value → raw number before packing (rounded for integer types, clamped to the type's range). */
export function toRaw(value: number, enc: Encoding): number {
  const raw = (value - (enc.offset ?? 0)) / (enc.scale ?? 1);
  if (enc.type === 'float32' || enc.type === 'bool') return raw;
  const [lo, hi] = RAW_RANGE[enc.type];
  return Math.min(hi, Math.max(lo, Math.round(raw)));
}

/** Raw number → engineering value. */
export function fromRaw(raw: number, enc: Encoding): number {
  const value = raw * (enc.scale ?? 1) + (enc.offset ?? 0);
  // Keep 0.1-scaled values tidy (231.20000000000002 → 231.2) without hiding real precision.
  return enc.type === 'float32' ? value : Number(value.toPrecision(12));
}

/** Packs an engineering value into registers, in address order. */
export function encodeValue(value: number, enc: Encoding): number[] {
  const raw = toRaw(value, enc);
  const buf = Buffer.alloc(4);
  switch (enc.type) {
    case 'bool':
      throw new Error('bool values live in coils/discrete inputs or as a bit of a register, not as a word');
    case 'int16':
      return [raw & 0xffff];
    case 'uint16':
      return [raw];
    case 'int32':
      buf.writeInt32BE(raw);
      break;
    case 'uint32':
      buf.writeUInt32BE(raw);
      break;
    case 'float32':
      buf.writeFloatBE(raw);
      break;
  }
  const high = buf.readUInt16BE(0);
  const low = buf.readUInt16BE(2);
  return enc.wordOrder === 'LE' ? [low, high] : [high, low];
}

/** Unpacks registers (in address order) into an engineering value; used for client writes. */
export function decodeWords(words: number[], enc: Encoding): number {
  if (words.length !== wordCount(enc.type)) {
    throw new Error(`${enc.type} needs ${wordCount(enc.type)} register(s), got ${words.length}`);
  }
  if (enc.type === 'bool') throw new Error('bool values are not decoded from words');
  if (enc.type === 'uint16') return fromRaw(words[0], enc);
  if (enc.type === 'int16') return fromRaw(words[0] >= 0x8000 ? words[0] - 0x10000 : words[0], enc);
  const [high, low] = enc.wordOrder === 'LE' ? [words[1], words[0]] : [words[0], words[1]];
  const buf = Buffer.alloc(4);
  buf.writeUInt16BE(high, 0);
  buf.writeUInt16BE(low, 2);
  const raw = enc.type === 'int32' ? buf.readInt32BE() : enc.type === 'uint32' ? buf.readUInt32BE() : buf.readFloatBE();
  return fromRaw(raw, enc);
}
