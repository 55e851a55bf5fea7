// Pure Modbus TCP framing (Modbus Messaging on TCP/IP Implementation Guide v1.0b, section 3.1.3):
// the 7-byte MBAP header, a framer that cuts a byte stream into frames, and the transaction table
// that matches answers to requests by transaction id, so several requests can be in flight on one
// socket and answers may come back in any order.

/** MBAP header: transaction id (2), protocol id 0 (2), length of unit id + PDU (2), unit id (1). */
export const MBAP_HEADER = 7;
/** Largest PDU the protocol allows (253 bytes), so the largest MBAP length field is 254. */
export const MAX_PDU = 253;

export function encodeFrame(tid: number, unitId: number, pdu: Buffer): Buffer {
  const out = Buffer.allocUnsafe(MBAP_HEADER + pdu.length);
  out.writeUInt16BE(tid, 0);
  out.writeUInt16BE(0, 2);
  out.writeUInt16BE(pdu.length + 1, 4);
  out[6] = unitId;
  pdu.copy(out, MBAP_HEADER);
  return out;
}

/** FC1..FC4 request: one allocation, header and PDU together. */
export function encodeReadFrame(tid: number, unitId: number, fc: number, start: number, count: number): Buffer {
  const out = Buffer.allocUnsafe(MBAP_HEADER + 5);
  out.writeUInt16BE(tid, 0);
  out.writeUInt16BE(0, 2);
  out.writeUInt16BE(6, 4);
  out[6] = unitId;
  out[7] = fc;
  out.writeUInt16BE(start, 8);
  out.writeUInt16BE(count, 10);
  return out;
}

export interface Frame {
  tid: number;
  unitId: number;
  /** Function code and data; a view into the received bytes (copy it to keep it past the callback). */
  pdu: Buffer;
}

/**
 * Cuts a TCP byte stream into MBAP frames. Bytes that cannot be a frame (protocol id ≠ 0, a length
 * outside 2..254) make `push` throw: the stream has lost its framing and the socket must be dropped.
 */
export class MbapFramer {
  private pending: Buffer | undefined;

  push(chunk: Buffer, onFrame: (f: Frame) => void): void {
    let buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let at = 0;
    while (buf.length - at >= MBAP_HEADER) {
      const protocol = buf.readUInt16BE(at + 2);
      const length = buf.readUInt16BE(at + 4);
      if (protocol !== 0) throw new Error(`not a Modbus TCP frame (protocol id ${protocol})`);
      if (length < 2 || length > MAX_PDU + 1) throw new Error(`bad MBAP length ${length}`);
      const end = at + 6 + length;
      if (buf.length < end) break;
      onFrame({ tid: buf.readUInt16BE(at), unitId: buf[at + 6], pdu: buf.subarray(at + MBAP_HEADER, end) });
      at = end;
    }
    if (at < buf.length) {
      // Keep a copy: the caller's chunk may be reused; partial frames are rare on loopback/LAN.
      buf = buf.subarray(at);
      this.pending = Buffer.from(buf);
    }
  }

  get buffered(): number {
    return this.pending?.length ?? 0;
  }
}

/**
 * Outstanding transactions by id. Ids count 1..65535 and wrap, skipping ids still in flight, so a
 * late answer to a timed-out request can never be taken for the answer to a newer one as long as
 * fewer than 65535 requests are sent in between (a timed-out entry is taken out, so its late answer
 * finds nothing and is dropped).
 */
export class TransactionTable<T> {
  private readonly open = new Map<number, T>();
  private next = 1;

  get size(): number {
    return this.open.size;
  }

  /** Reserves a fresh id for `entry`. */
  add(entry: T): number {
    if (this.open.size >= 0xffff) throw new Error('no free Modbus transaction id');
    while (this.open.has(this.next)) this.next = this.next === 0xffff ? 1 : this.next + 1;
    const tid = this.next;
    this.next = tid === 0xffff ? 1 : tid + 1;
    this.open.set(tid, entry);
    return tid;
  }

  /** The entry answered by `tid`, removed; undefined for an id we did not send (or already settled). */
  take(tid: number): T | undefined {
    const e = this.open.get(tid);
    if (e !== undefined) this.open.delete(tid);
    return e;
  }

  /** Every outstanding entry, removed (the socket went away). */
  drain(): T[] {
    const all = [...this.open.values()];
    this.open.clear();
    return all;
  }
}
