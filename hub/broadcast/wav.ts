// In-process WAV → μ-law for the common case (8 kHz mono 16-bit PCM, which the audio library
// renders for chimes and sequences), so a page starts without waiting for an ffmpeg process;
// anything else returns null and goes through ffmpeg. G.711 μ-law encoder per ITU-T G.711.

/** 8 kHz mono s16le PCM samples of a WAV, or null when the file is in any other format. */
export function pcm8kMono(buf: Buffer): Int16Array | null {
  if (buf.length < 44 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') return null;
  let at = 12;
  let fmt: { format: number; channels: number; rate: number; bits: number } | null = null;
  while (at + 8 <= buf.length) {
    const id = buf.toString('ascii', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') fmt = { format: buf.readUInt16LE(body), channels: buf.readUInt16LE(body + 2), rate: buf.readUInt32LE(body + 4), bits: buf.readUInt16LE(body + 14) };
    if (id === 'data') {
      if (!fmt || fmt.format !== 1 || fmt.channels !== 1 || fmt.rate !== 8000 || fmt.bits !== 16) return null;
      const end = Math.min(buf.length, body + (size === 0xffffffff || size === 0 ? buf.length : size));
      const n = Math.floor((end - body) / 2);
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = buf.readInt16LE(body + i * 2);
      return out;
    }
    at = body + size + (size & 1);
  }
  return null;
}

/** Linear 16-bit sample → G.711 μ-law byte (bias 0x84, clip 32635). */
export function linearToMulaw(sample: number): number {
  const BIAS = 0x84;
  const CLIP = 32635;
  const sign = sample < 0 ? 0x80 : 0;
  let s = Math.min(CLIP, Math.abs(sample)) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  s = ~(sign | (exponent << 4) | mantissa) & 0xff;
  return s;
}

export function encodeMulaw(samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = linearToMulaw(samples[i]);
  return out;
}
