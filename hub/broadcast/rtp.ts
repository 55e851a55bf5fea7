// RTP for paging hardware (RFC 3550 header, RFC 3551 PCMU profile): 20 ms packets of 160 μ-law
// bytes, the marker bit on the first packet of a talk spurt, one SSRC per stream, sequence and
// timestamp starting at random values and advancing by 1 and 160. Pure, so it is table-tested.
import crypto from 'node:crypto';

export const PCMU = { payloadType: 0, clockRate: 8000, samplesPerPacket: 160, packetMs: 20 } as const;

export interface RtpStreamState {
  ssrc: number;
  sequence: number;
  timestamp: number;
}

export function newStreamState(rand: (n: number) => Buffer = crypto.randomBytes): RtpStreamState {
  const r = rand(10);
  return { ssrc: r.readUInt32BE(0), sequence: r.readUInt16BE(4), timestamp: r.readUInt32BE(6) };
}

/** One RTP packet: V=2, no padding/extension/CSRC, marker as given. */
export function rtpPacket(state: RtpStreamState, payload: Buffer, marker: boolean, payloadType: number = PCMU.payloadType): Buffer {
  const head = Buffer.alloc(12);
  head[0] = 0x80;
  head[1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
  head.writeUInt16BE(state.sequence & 0xffff, 2);
  head.writeUInt32BE(state.timestamp >>> 0, 4);
  head.writeUInt32BE(state.ssrc >>> 0, 8);
  return Buffer.concat([head, payload]);
}

/**
 * Splits μ-law audio into 160-byte (20 ms) packets; the last one is padded with μ-law silence
 * (0xFF) so every packet is a whole 20 ms, as fixed-frame IP speakers expect. Advances `state`.
 */
export function packetize(mulaw: Buffer, state: RtpStreamState): Buffer[] {
  const n = PCMU.samplesPerPacket;
  const out: Buffer[] = [];
  for (let i = 0; i < mulaw.length; i += n) {
    let chunk = mulaw.subarray(i, i + n);
    if (chunk.length < n) chunk = Buffer.concat([chunk, Buffer.alloc(n - chunk.length, 0xff)]);
    out.push(rtpPacket(state, chunk, i === 0));
    state.sequence = (state.sequence + 1) & 0xffff;
    state.timestamp = (state.timestamp + n) >>> 0;
  }
  return out;
}
