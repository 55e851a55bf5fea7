// `npm run bench -- pa`: paging RTP as the PA simulator receives it on loopback.
// - inter-packet jitter at the receiver: |arrival gap − 20 ms|, p99 over 10 announcements of 3 s
//   (target ≤ 5 ms), and the RFC 3550 jitter estimate;
// - "click → first packet": streamRtp() called (what the broadcast API does once a job is accepted)
//   → first RTP packet at the receiver, p95 over 20 starts (target ≤ 200 ms). Includes the ffmpeg
//   decode of the WAV; not the HTTP request or text-to-speech rendering (cached after first use).
// - the same stream while the main thread (the hub's event loop) is blocked 50 ms every 200 ms,
//   paced on the main thread (pacer.ts, the old way) vs on the pacing thread (pacer-worker.ts),
//   measured by a receiver on its own thread.
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { Worker } from 'node:worker_threads';
import { pace } from '../hub/broadcast/pacer.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PacerThread } from '../hub/broadcast/pacer-worker.js';
import { streamRtp } from '../hub/broadcast/player.js';
import { startPaSimulator } from '../simulators/pa/index.js';

// A receiver on its own thread, so stalls of the main thread (the "hub") do not shift arrival times.
const RECEIVER = `
const { parentPort } = require('node:worker_threads');
const sock = require('node:dgram').createSocket('udp4');
let last = 0; const dev = [];
sock.on('message', () => { const t = performance.now(); if (last) dev.push(Math.abs(t - last - 20)); last = t; });
parentPort.on('message', () => { parentPort.postMessage(dev.splice(0)); last = 0; });
sock.bind(0, '127.0.0.1', () => parentPort.postMessage(sock.address().port));
`;

/**
 * 150 packets while the main thread is blocked for 50 ms every 200 ms (a busy hub: GC, a report):
 * sent by pace() on the main thread (the old way) or by the pacing thread. Deviation p99 (ms).
 */
async function underStalls(pacer: PacerThread | null): Promise<number> {
  const rx = new Worker(RECEIVER, { eval: true });
  const port = await new Promise<number>((r) => rx.once('message', r));
  const packets = Array.from({ length: 150 }, () => Buffer.alloc(172));
  const stall = setInterval(() => {
    const end = performance.now() + 50;
    while (performance.now() < end) { /* the hub is busy */ }
  }, 200);
  try {
    if (pacer) await pacer.pace(packets, { host: '127.0.0.1', port, multicast: false }, 20, (m) => { throw new Error(m); }).done;
    else {
      const sock = dgram.createSocket('udp4');
      await pace(packets.length, 20, (i) => sock.send(packets[i], port, '127.0.0.1')).done;
      sock.close();
    }
  } finally {
    clearInterval(stall);
  }
  await new Promise((r) => setTimeout(r, 100));
  rx.postMessage('report');
  const dev = await new Promise<number[]>((r) => rx.once('message', r));
  await rx.terminate();
  return pct(dev, 99);
}

const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

export async function benchPa(): Promise<Record<string, number | string>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-pa-bench-'));
  const pa = await startPaSimulator({ zones: [{ id: 'z' }], gapMs: 200 });
  // As the broadcast manager does: one long-lived pacing thread, started before the first page.
  const pacer = new PacerThread().warm();
  try {
    const long = path.join(dir, 'long.wav');
    const short = path.join(dir, 'short.wav');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000:duration=3', '-ac', '1', long]);
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000:duration=0.2', '-ac', '1', short]);
    const endpoint = { host: '127.0.0.1', port: pa.ports.z };

    const deviations: number[] = [];
    const rfcJitter: number[] = [];
    const jitterP99: number[] = [];
    let lost = 0;
    for (let i = 0; i < 10; i++) {
      let last = 0;
      const off = pa.onPacket(() => {
        const t = performance.now();
        if (last) deviations.push(Math.abs(t - last - 20));
        last = t;
      });
      const s = streamRtp(long, 'z', endpoint, (m) => { throw new Error(m); }, pacer);
      await s.done;
      await new Promise((r) => setTimeout(r, 300));
      off();
      const p = pa.playbacks('z').at(-1)!;
      rfcJitter.push(p.jitterMs);
      jitterP99.push(p.jitterP99Ms);
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
      const s = streamRtp(short, 'z', endpoint, (m) => { throw new Error(m); }, pacer);
      firstPacket.push(await got);
      await s.done;
      await new Promise((r) => setTimeout(r, 250));
    }
    const stalledMain = await underStalls(null);
    const stalledThread = await underStalls(pacer);
    return {
      'packets measured': deviations.length + 10,
      'hub loop stalled 50 ms / 200 ms: p99, pacing on the main thread (ms)': stalledMain,
      'hub loop stalled 50 ms / 200 ms: p99, pacing thread (ms)': stalledThread,
      'inter-packet deviation from 20 ms p50 (ms)': pct(deviations, 50),
      'inter-packet deviation p99 (ms), target ≤ 5': pct(deviations, 99),
      'inter-packet deviation max (ms)': Math.max(...deviations),
      'RFC 3550 jitter, worst of 10 (ms)': Math.max(...rfcJitter),
      'packets lost': lost,
      'receiver jitter p99 as the simulator records it, worst of 10 (ms)': Math.max(...jitterP99),
      'start → first packet p50 (ms)': pct(firstPacket, 50),
      'start → first packet p95 (ms), target ≤ 200': pct(firstPacket, 95),
    };
  } finally {
    await pacer.close();
    await pa.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
