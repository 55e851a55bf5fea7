// RTP for paging hardware (RFC 3550 header, RFC 3551 PCMU profile): 20 ms packets of 160 μ-law
// bytes, the marker bit on the first packet of a talk spurt, one SSRC per stream, sequence and
// timestamp starting at random values and advancing by 1 and 160. Pure, so it is table-tested.
import crypto from 'node:crypto';

export const PCMU = { payloadType: 0, clockRate: 8000, samplesPerPacket: 160, packetMs: 20 } as const;

/**
 * How a codec fills a 20 ms packet. G.722 (RFC 3551 §4.5.2): 16 kHz audio at 64 kbit/s = 160 bytes
 * per 20 ms, but its RTP clock is 8000 Hz by a historical error kept for compatibility, so the
 * timestamp also steps by 160. `padByte` completes a short last frame (μ-law silence); null means
 * the encoder already padded with real silence and a short tail is dropped (G.722 bytes are ADPCM
 * state, not samples, so there is no constant "silence byte").
 */
export interface RtpCodec {
  name: 'pcmu' | 'g722';
  payloadType: number;
  bytesPerPacket: number;
  timestampStep: number;
  padByte: number | null;
}
export const CODECS: Record<RtpCodec['name'], RtpCodec> = {
  pcmu: { name: 'pcmu', payloadType: 0, bytesPerPacket: 160, timestampStep: 160, padByte: 0xff },
  g722: { name: 'g722', payloadType: 9, bytesPerPacket: 160, timestampStep: 160, padByte: null },
};

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
 * Splits encoded audio into 20 ms packets (160 bytes for PCMU and G.722); a short last chunk is
 * padded (μ-law silence 0xFF) or, for G.722, dropped, so every packet is a whole 20 ms, as
 * fixed-frame IP speakers expect. Advances `state`.
 */
export function packetize(audio: Buffer, state: RtpStreamState, codec: RtpCodec = CODECS.pcmu): Buffer[] {
  const n = codec.bytesPerPacket;
  const out: Buffer[] = [];
  for (let i = 0; i < audio.length; i += n) {
    let chunk = audio.subarray(i, i + n);
    if (chunk.length < n) {
      if (codec.padByte === null) break;
      chunk = Buffer.concat([chunk, Buffer.alloc(n - chunk.length, codec.padByte)]);
    }
    out.push(rtpPacket(state, chunk, i === 0, codec.payloadType));
    state.sequence = (state.sequence + 1) & 0xffff;
    state.timestamp = (state.timestamp + codec.timestampStep) >>> 0;
  }
  return out;
}

/** An IPv4 multicast group (224.0.0.0/4): a zone group's address. */
export function isMulticast(host: string): boolean {
  const first = Number(host.split('.')[0]);
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) && first >= 224 && first <= 239;
}
