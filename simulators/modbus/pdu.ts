// Modbus TCP framing (MBAP header) and the request → response logic for the function codes the
// simulated devices support: 01/02/03/04 reads, 05/06 single writes, 15/16 multiple writes.
// Pure: no sockets here, so every frame shape is table-tested.
import { EXCEPTION, ModbusException, type SimUnit } from './unit.js';

export interface Frame {
  transactionId: number;
  unitId: number;
  pdu: Buffer;
}

export interface Deframed {
  frames: Frame[];
  /** Bytes of an incomplete frame, to prepend to the next chunk. */
  rest: Buffer;
  /** Set when the stream is not Modbus TCP; the connection should be dropped. */
  error?: string;
}

const MBAP_LENGTH = 7;

/** Splits a TCP byte stream into Modbus TCP frames (several per chunk, or one split over chunks). */
export function deframe(buf: Buffer): Deframed {
  const frames: Frame[] = [];
  let at = 0;
  while (buf.length - at >= MBAP_LENGTH) {
    const protocolId = buf.readUInt16BE(at + 2);
    const length = buf.readUInt16BE(at + 4);
    if (protocolId !== 0) return { frames, rest: Buffer.alloc(0), error: `protocol id ${protocolId} is not Modbus (0)` };
    if (length < 2 || length > 254) return { frames, rest: Buffer.alloc(0), error: `MBAP length ${length} is outside 2..254` };
    if (buf.length - at < 6 + length) break;
    frames.push({ transactionId: buf.readUInt16BE(at), unitId: buf.readUInt8(at + 6), pdu: Buffer.from(buf.subarray(at + 7, at + 6 + length)) });
    at += 6 + length;
  }
  return { frames, rest: Buffer.from(buf.subarray(at)) };
}

export function frame(transactionId: number, unitId: number, pdu: Buffer): Buffer {
  const head = Buffer.alloc(MBAP_LENGTH);
  head.writeUInt16BE(transactionId, 0);
  head.writeUInt16BE(0, 2);
  head.writeUInt16BE(pdu.length + 1, 4);
  head.writeUInt8(unitId, 6);
  return Buffer.concat([head, pdu]);
}

export function exceptionPdu(functionCode: number, code: number): Buffer {
  return Buffer.from([(functionCode | 0x80) & 0xff, code]);
}

export interface Handled {
  response: Buffer;
  /** Field ids a write changed (empty for reads and exceptions). */
  written: string[];
  /** Why an exception was answered, for the debug log. */
  reason?: string;
}

function packBits(bits: boolean[]): Buffer {
  const out = Buffer.alloc(Math.ceil(bits.length / 8));
  bits.forEach((b, i) => {
    if (b) out[i >> 3] |= 1 << (i & 7);
  });
  return out;
}

function unpackBits(bytes: Buffer, count: number): boolean[] {
  return Array.from({ length: count }, (_, i) => (bytes[i >> 3] & (1 << (i & 7))) !== 0);
}

function need(pdu: Buffer, bytes: number): void {
  if (pdu.length !== bytes) throw new ModbusException(EXCEPTION.illegalDataValue, `request is ${pdu.length} bytes, expected ${bytes}`);
}

function checkQuantity(qty: number, max: number, start: number): void {
  if (qty < 1 || qty > max) throw new ModbusException(EXCEPTION.illegalDataValue, `quantity ${qty} is outside 1..${max}`);
  if (start + qty > 0x10000) throw new ModbusException(EXCEPTION.illegalDataAddress, `${start}+${qty} runs past address 65535`);
}

/** Answers one request PDU for a unit; `unit` undefined means no such unit behind this gateway. */
export function handlePdu(pdu: Buffer, unit: SimUnit | undefined): Handled {
  const fc = pdu.length ? pdu[0] : 0;
  try {
    if (!unit) throw new ModbusException(EXCEPTION.gatewayTargetFailed, 'no device with this unit id behind the gateway');
    switch (fc) {
      case 0x01:
      case 0x02: {
        need(pdu, 5);
        const start = pdu.readUInt16BE(1);
        const qty = pdu.readUInt16BE(3);
        checkQuantity(qty, 2000, start);
        const bits = packBits(unit.readBits(fc === 0x01 ? 'coil' : 'discrete', start, qty));
        return { response: Buffer.concat([Buffer.from([fc, bits.length]), bits]), written: [] };
      }
      case 0x03:
      case 0x04: {
        need(pdu, 5);
        const start = pdu.readUInt16BE(1);
        const qty = pdu.readUInt16BE(3);
        checkQuantity(qty, 125, start);
        const words = unit.readWords(fc === 0x03 ? 'holding' : 'input', start, qty);
        const out = Buffer.alloc(2 + qty * 2);
        out[0] = fc;
        out[1] = qty * 2;
        words.forEach((w, i) => out.writeUInt16BE(w, 2 + i * 2));
        return { response: out, written: [] };
      }
      case 0x05: {
        need(pdu, 5);
        const value = pdu.readUInt16BE(3);
        if (value !== 0xff00 && value !== 0x0000) throw new ModbusException(EXCEPTION.illegalDataValue, `coil value 0x${value.toString(16)} is neither 0xFF00 nor 0x0000`);
        const written = unit.writeCoils(pdu.readUInt16BE(1), [value === 0xff00]);
        return { response: Buffer.from(pdu), written };
      }
      case 0x06: {
        need(pdu, 5);
        const written = unit.writeRegisters(pdu.readUInt16BE(1), [pdu.readUInt16BE(3)]);
        return { response: Buffer.from(pdu), written };
      }
      case 0x0f: {
        if (pdu.length < 6) need(pdu, 6);
        const start = pdu.readUInt16BE(1);
        const qty = pdu.readUInt16BE(3);
        checkQuantity(qty, 1968, start);
        need(pdu, 6 + Math.ceil(qty / 8));
        if (pdu[5] !== Math.ceil(qty / 8)) throw new ModbusException(EXCEPTION.illegalDataValue, `byte count ${pdu[5]} does not match ${qty} coils`);
        const written = unit.writeCoils(start, unpackBits(pdu.subarray(6), qty));
        return { response: Buffer.from(pdu.subarray(0, 5)), written };
      }
      case 0x10: {
        if (pdu.length < 6) need(pdu, 6);
        const start = pdu.readUInt16BE(1);
        const qty = pdu.readUInt16BE(3);
        checkQuantity(qty, 123, start);
        need(pdu, 6 + qty * 2);
        if (pdu[5] !== qty * 2) throw new ModbusException(EXCEPTION.illegalDataValue, `byte count ${pdu[5]} does not match ${qty} registers`);
        const words = Array.from({ length: qty }, (_, i) => pdu.readUInt16BE(6 + i * 2));
        const written = unit.writeRegisters(start, words);
        return { response: Buffer.from(pdu.subarray(0, 5)), written };
      }
      default:
        throw new ModbusException(EXCEPTION.illegalFunction, `function code ${fc} is not supported`);
    }
  } catch (err) {
    if (err instanceof ModbusException) return { response: exceptionPdu(fc, err.code), written: [], reason: err.message };
    throw err;
  }
}
