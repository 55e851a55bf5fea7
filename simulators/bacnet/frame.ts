// BVLC (Annex J), NPDU (clause 6) and APDU headers (clause 20.1) for the simulated device.
// Only what a B/IP device on one network needs: no routing, no segmentation (requests that
// need it are aborted with reason 4 "segmentation-not-supported").
import { DecodeError, Reader, Writer } from './codec.js';

export const PDU = { CONFIRMED: 0, UNCONFIRMED: 1, SIMPLE_ACK: 2, COMPLEX_ACK: 3, SEGMENT_ACK: 4, ERROR: 5, REJECT: 6, ABORT: 7 } as const;

/** A parsed incoming packet, up to the start of the service data. */
export interface Incoming {
  pduType: number;
  /** Confirmed requests only. */
  invokeId?: number;
  segmented?: boolean;
  service: number;
  /** The requester's network/MAC when it sits behind a router (SNET/SADR): replies go back to it. */
  source?: { net: number; adr: Buffer };
  /** For a request addressed to a remote network we do not serve. */
  dnet?: number;
  body: Reader;
}

/** Parses BVLC + NPDU + APDU header; null for things a device ignores (network messages, other BVLC functions). */
export function parsePacket(buf: Buffer): Incoming | null {
  const r = new Reader(buf);
  if (r.u8() !== 0x81) return null;
  const fn = r.u8();
  const len = r.u16();
  if (len !== buf.length) throw new DecodeError(`BVLC length ${len} != datagram ${buf.length}`);
  if (fn === 0x04) r.bytes(6); // Forwarded-NPDU: skip the original B/IP address
  else if (fn !== 0x0a && fn !== 0x0b) return null;
  if (r.u8() !== 0x01) throw new DecodeError('NPDU version must be 1');
  const control = r.u8();
  let dnet: number | undefined;
  if (control & 0x20) {
    dnet = r.u16();
    r.bytes(r.u8());
  }
  let source: Incoming['source'];
  if (control & 0x08) {
    const net = r.u16();
    source = { net, adr: Buffer.from(r.bytes(r.u8())) };
  }
  if (control & 0x20) r.u8(); // hop count
  if (control & 0x80) return null; // network layer message
  const first = r.u8();
  const pduType = first >> 4;
  if (pduType === PDU.CONFIRMED) {
    const segmented = (first & 0x08) !== 0;
    r.u8(); // max segments / max APDU accepted
    const invokeId = r.u8();
    if (segmented) r.bytes(2);
    return { pduType, invokeId, segmented, service: r.u8(), source, dnet: dnet === 0xffff ? undefined : dnet, body: r };
  }
  if (pduType === PDU.UNCONFIRMED) return { pduType, service: r.u8(), source, dnet: dnet === 0xffff ? undefined : dnet, body: r };
  // Acks to our confirmed notifications and the like: nothing to do.
  return null;
}

/** Wraps an APDU in NPDU + BVLC (unicast, or broadcast for I-Am). */
export function frame(apdu: Buffer, opts: { broadcast?: boolean; dest?: { net: number; adr: Buffer }; expectReply?: boolean } = {}): Buffer {
  const npdu = new Writer().u8(0x01);
  if (opts.dest) {
    npdu.u8(0x20 | (opts.expectReply ? 0x04 : 0)).u16(opts.dest.net).u8(opts.dest.adr.length).raw(opts.dest.adr).u8(0xff);
  } else npdu.u8(opts.expectReply ? 0x04 : 0);
  const body = Buffer.concat([npdu.toBuffer(), apdu]);
  return Buffer.concat([new Writer().u8(0x81, opts.broadcast ? 0x0b : 0x0a).u16(body.length + 4).toBuffer(), body]);
}

export const apdu = {
  simpleAck: (invokeId: number, service: number) => new Writer().u8(PDU.SIMPLE_ACK << 4, invokeId, service).toBuffer(),
  complexAck: (invokeId: number, service: number, body: Buffer) => Buffer.concat([new Writer().u8(PDU.COMPLEX_ACK << 4, invokeId, service).toBuffer(), body]),
  error: (invokeId: number, service: number, errorClass: number, errorCode: number) =>
    new Writer().u8(PDU.ERROR << 4, invokeId, service).app({ t: 'enum', v: errorClass }).app({ t: 'enum', v: errorCode }).toBuffer(),
  reject: (invokeId: number, reason: number) => new Writer().u8(PDU.REJECT << 4, invokeId, reason).toBuffer(),
  /** Server-sent abort (SRV bit set). */
  abort: (invokeId: number, reason: number) => new Writer().u8((PDU.ABORT << 4) | 1, invokeId, reason).toBuffer(),
  unconfirmed: (service: number, body: Buffer) => Buffer.concat([new Writer().u8(PDU.UNCONFIRMED << 4, service).toBuffer(), body]),
};
