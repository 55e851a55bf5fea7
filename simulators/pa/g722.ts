// G.722 decoding for the PA simulator, by ffmpeg (its raw `g722` demuxer): an amplifier that
// cannot decode what it is sent plays noise, so the simulator decodes and measures the level.
import { spawn } from 'node:child_process';

/** Raw G.722 bytes (64 kbit/s) → 16 kHz mono signed 16-bit samples. */
export function decodeG722(g722: Buffer): Promise<Int16Array> {
  return new Promise((ok, fail) => {
    const p = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'g722', '-i', 'pipe:0', '-f', 's16le', '-ar', '16000', '-ac', '1', 'pipe:1'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.stderr.on('data', (d: Buffer) => {
      if (err.length < 2000) err += d.toString();
    });
    p.stdin.on('error', () => undefined); // ffmpeg exiting early is reported by its exit code
    p.on('error', (e) => fail(new Error(`ffmpeg could not start: ${e.message}`)));
    p.on('close', (code) => {
      if (code !== 0) return fail(new Error(`ffmpeg (g722 decode) exited with ${code}: ${err.trim()}`));
      const b = Buffer.concat(out);
      const copy = Buffer.from(b.subarray(0, b.length - (b.length % 2)));
      ok(new Int16Array(copy.buffer, copy.byteOffset, copy.length / 2));
    });
    p.stdin.end(g722);
  });
}

/** Root mean square of linear samples (0..32768). */
export function rms(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  return Math.sqrt(sum / samples.length);
}
