// Modbus RTU framing for the simulated serial slave: CRC-16 (poly 0xA001, init 0xFFFF, low byte
// first — Modbus over Serial Line V1.02 §6.2.2), request lengths by function code, and the PDU
// logic of a plain register bank (FC 1-6, 15, 16, 22, 23). Written from the spec, shared with
// no driver code. Pure: no ports here.

/** CRC-16/MODBUS, computed bit by bit like the spec's flowchart (no table, on purpose). */
export function crc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

export function withCrc(body: Buffer): Buffer {
  const crc = crc16(body);
  return Buffer.concat([body, Buffer.from([crc & 0xff, crc >> 8])]);
}

export function crcOk(frame: Buffer): boolean {
  if (frame.length < 4) return false;
  const crc = crc16(frame.subarray(0, frame.length - 2));
  return frame[frame.length - 2] === (crc & 0xff) && frame[frame.length - 1] === crc >> 8;
}

/**
 * Length of the request frame at the start of `buf` (address + PDU + CRC), null when more bytes are
 * needed, or -1 for a function code this slave cannot frame (the line is then resynchronised).
 */
export function requestLength(buf: Buffer): number | null {
  if (buf.length < 2) return null;
  const fc = buf[1];
  switch (fc) {
    case 1: case 2: case 3: case 4: case 5: case 6:
      return 8;
    case 15: case 16:
      return buf.length < 7 ? null : 9 + buf[6];
    case 22:
      return 10;
    case 23:
      return buf.length < 11 ? null : 13 + buf[10];
    default:
      return -1;
  }
}

export class RegisterBank {
  readonly holding = new Uint16Array(65536);
  readonly input = new Uint16Array(65536);
  readonly coils = new Uint8Array(65536);
  readonly discrete = new Uint8Array(65536);
  /** Highest valid address + 1 of each table (addresses past it answer exception 2). */
  constructor(readonly size = 1000) {}

  setWords(table: 'holding' | 'input', address: number, words: number[]): void {
    this[table].set(words, address);
  }
  words(table: 'holding' | 'input', address: number, count: number): number[] {
    return [...this[table].subarray(address, address + count)];
  }
}

const ex = (fc: number, code: number) => Buffer.from([fc | 0x80, code]);

/** Answers one request PDU against a register bank (exception codes per the Modbus spec §7). */
export function handle(pdu: Buffer, bank: RegisterBank): Buffer {
  const fc = pdu[0];
  const u16 = (at: number) => pdu.readUInt16BE(at);
  const inRange = (start: number, qty: number) => start + qty <= bank.size;
  switch (fc) {
    case 1: case 2: {
      const start = u16(1), qty = u16(3);
      if (qty < 1 || qty > 2000) return ex(fc, 3);
      if (!inRange(start, qty)) return ex(fc, 2);
      const src = fc === 1 ? bank.coils : bank.discrete;
      const out = Buffer.alloc(Math.ceil(qty / 8));
      for (let i = 0; i < qty; i++) if (src[start + i]) out[i >> 3] |= 1 << (i & 7);
      return Buffer.concat([Buffer.from([fc, out.length]), out]);
    }
    case 3: case 4: {
      const start = u16(1), qty = u16(3);
      if (qty < 1 || qty > 125) return ex(fc, 3);
      if (!inRange(start, qty)) return ex(fc, 2);
      const src = fc === 3 ? bank.holding : bank.input;
      const out = Buffer.alloc(2 + qty * 2);
      out[0] = fc;
      out[1] = qty * 2;
      for (let i = 0; i < qty; i++) out.writeUInt16BE(src[start + i], 2 + i * 2);
      return out;
    }
    case 5: {
      const v = u16(3);
      if (v !== 0xff00 && v !== 0) return ex(fc, 3);
      if (!inRange(u16(1), 1)) return ex(fc, 2);
      bank.coils[u16(1)] = v ? 1 : 0;
      return Buffer.from(pdu);
    }
    case 6:
      if (!inRange(u16(1), 1)) return ex(fc, 2);
      bank.holding[u16(1)] = u16(3);
      return Buffer.from(pdu);
    case 15: {
      const start = u16(1), qty = u16(3);
      if (qty < 1 || qty > 1968 || pdu[5] !== Math.ceil(qty / 8)) return ex(fc, 3);
      if (!inRange(start, qty)) return ex(fc, 2);
      for (let i = 0; i < qty; i++) bank.coils[start + i] = (pdu[6 + (i >> 3)] >> (i & 7)) & 1;
      return pdu.subarray(0, 5);
    }
    case 16: {
      const start = u16(1), qty = u16(3);
      if (qty < 1 || qty > 123 || pdu[5] !== qty * 2) return ex(fc, 3);
      if (!inRange(start, qty)) return ex(fc, 2);
      for (let i = 0; i < qty; i++) bank.holding[start + i] = u16(6 + i * 2);
      return pdu.subarray(0, 5);
    }
    case 22: {
      // Result = (Current AND And_Mask) OR (Or_Mask AND (NOT And_Mask)) — spec §6.16.
      const at = u16(1);
      if (!inRange(at, 1)) return ex(fc, 2);
      const and = u16(3), or = u16(5);
      bank.holding[at] = ((bank.holding[at] & and) | (or & ~and)) & 0xffff;
      return Buffer.from(pdu);
    }
    case 23: {
      // Read/Write Multiple registers: the write is performed before the read (§6.17).
      const readAt = u16(1), readQty = u16(3), writeAt = u16(5), writeQty = u16(7);
      if (readQty < 1 || readQty > 125 || writeQty < 1 || writeQty > 121 || pdu[9] !== writeQty * 2) return ex(fc, 3);
      if (!inRange(readAt, readQty) || !inRange(writeAt, writeQty)) return ex(fc, 2);
      for (let i = 0; i < writeQty; i++) bank.holding[writeAt + i] = u16(10 + i * 2);
      const out = Buffer.alloc(2 + readQty * 2);
      out[0] = fc;
      out[1] = readQty * 2;
      for (let i = 0; i < readQty; i++) out.writeUInt16BE(bank.holding[readAt + i], 2 + i * 2);
      return out;
    }
    default:
      return ex(fc, 1);
  }
}
