// `npm run bench -- pa`: paging RTP as the PA simulator receives it on loopback.
// - inter-packet jitter at the receiver: |arrival gap − 20 ms|, p99 over 10 announcements of 3 s
//   (target ≤ 5 ms), and the RFC 3550 jitter estimate;
// - "click → first packet": streamRtp() called (what the broadcast API does once a job is accepted)
//   → first RTP packet at the receiver, p95 over 20 starts (target ≤ 200 ms). Includes the ffmpeg
//   decode of the WAV; not the HTTP request or text-to-speech rendering (cached after first use).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { streamRtp } from '../hub/broadcast/player.js';
import { startPaSimulator } from '../simulators/pa/index.js';

const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

export async function benchPa(): Promise<Record<string, number | string>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-pa-bench-'));
  const pa = await startPaSimulator({ zones: [{ id: 'z' }], gapMs: 200 });
  try {
    const long = path.join(dir, 'long.wav');
    const short = path.join(dir, 'short.wav');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000:duration=3', '-ac', '1', long]);
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000:duration=0.2', '-ac', '1', short]);
    const endpoint = { host: '127.0.0.1', port: pa.ports.z };

    const deviations: number[] = [];
    const rfcJitter: number[] = [];
    let lost = 0;
    for (let i = 0; i < 10; i++) {
      let last = 0;
      const off = pa.onPacket(() => {
        const t = performance.now();
        if (last) deviations.push(Math.abs(t - last - 20));
        last = t;
      });
      const s = streamRtp(long, 'z', endpoint, (m) => { throw new Error(m); });
      await s.done;
      await new Promise((r) => setTimeout(r, 300));
      off();
      const p = pa.playbacks('z').at(-1)!;
      rfcJitter.push(p.jitterMs);
      lost += p.lost;
    }

    const firstPacket: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const got = new Promise<number>((resolve) => {
        const off = pa.onPacket(() => {
          off();
          resolve(performance.now() - t0);
        });
      });
      const s = streamRtp(short, 'z', endpoint, (m) => { throw new Error(m); });
      firstPacket.push(await got);
      await s.done;
      await new Promise((r) => setTimeout(r, 250));
    }
    return {
      'packets measured': deviations.length + 10,
      'inter-packet deviation from 20 ms p50 (ms)': pct(deviations, 50),
      'inter-packet deviation p99 (ms), target ≤ 5': pct(deviations, 99),
      'inter-packet deviation max (ms)': Math.max(...deviations),
      'RFC 3550 jitter, worst of 10 (ms)': Math.max(...rfcJitter),
      'packets lost': lost,
      'start → first packet p50 (ms)': pct(firstPacket, 50),
      'start → first packet p95 (ms), target ≤ 200': pct(firstPacket, 95),
    };
  } finally {
    await pa.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
