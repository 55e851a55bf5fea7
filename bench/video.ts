// Video benchmark: glass-to-glass latency (camera clock barcode → frame shown in Chromium), CPU of
// one remuxed stream, and the gateway's load for a 16-tile wall of 1080p streams.
// Run: `npx tsx bench/video.ts` (or via bench/run.ts once registered as `video`).
import os from 'node:os';
import { chromium } from 'playwright-core';
import { WebSocket } from 'ws';
import { CHROMIUM_ARGS, PLAYER_PAGE } from '../test/video/player-page.js';
import { BARCODE, BARCODE_BITS } from '../simulators/onvif/video.js';
import { waitForExpression } from '../test/support/wait-for.js';
import { cpuSeconds, startVideoRig } from './video-rig.js';

async function measureCpu(match: (cmd: string) => boolean, seconds: number): Promise<number> {
  const nodeBefore = process.cpuUsage();
  const before = cpuSeconds(match);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const after = cpuSeconds(match);
  const node = process.cpuUsage(nodeBefore);
  void node;
  return ((after - before) / seconds) * 100; // % of one core
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function latency(): Promise<Record<string, number | string>> {
  const rig = await startVideoRig({ camera: { id: 'lat', name: 'Latency', width: 640, height: 360, fps: 30 }, ids: ['lat'], tmpPrefix: 'wf-bench-', page: PLAYER_PAGE });
  const { base } = rig;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`http://${base}/?camera=lat`);
    await waitForExpression(page, () => (document.getElementById('v') as HTMLVideoElement).currentTime > 0, undefined, { timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 2000)); // settle at the live edge
    // A string, not a function: tsx would inject its __name helper, which the page does not have.
    const samples = (await page.evaluate(`new Promise((resolve) => {
      const bits = ${BARCODE_BITS}, x0 = ${BARCODE.x0}, y = ${BARCODE.y}, pitch = ${BARCODE.pitch}, size = ${BARCODE.size}, n = 300;
      const v = document.getElementById('v');
      const c = document.createElement('canvas');
      c.width = v.videoWidth; c.height = v.videoHeight;
      const g = c.getContext('2d', { willReadFrequently: true });
      const out = [];
      const onFrame = (now, meta) => {
        g.drawImage(v, 0, 0);
        const row = g.getImageData(0, y + size / 2, x0 + bits * pitch, 1).data;
        let value = 0;
        for (let k = 0; k < bits; k++) if (row[(x0 + k * pitch + size / 2) * 4] > 128) value += 2 ** k;
        const shownAt = performance.timeOrigin + meta.expectedDisplayTime;
        const mod = 2 ** bits;
        out.push((((Math.round(shownAt) % mod) - value) % mod + mod) % mod);
        if (out.length < n) v.requestVideoFrameCallback(onFrame); else resolve(out);
      };
      v.requestVideoFrameCallback(onFrame);
    })`)) as number[];
    const sorted = samples.filter((s) => s < 60_000).sort((a, b) => a - b);
    return { 'latency samples': sorted.length, 'glass-to-glass p50 (ms)': pct(sorted, 50), 'glass-to-glass p95 (ms)': pct(sorted, 95), 'latency source': '640x360@30 H.264, 1 s GOP, fMP4 100 ms fragments' };
  } finally {
    await browser.close();
    await rig.close();
  }
}

/** Headless viewers (node WebSocket) so the browser's decoding does not share the 2 cores being measured. */
function viewer(url: string): { close(): void; bytes: () => number } {
  const ws = new WebSocket(url);
  let bytes = 0;
  ws.on('message', (d: Buffer) => (bytes += d.length));
  return { close: () => ws.close(), bytes: () => bytes };
}

async function wall(): Promise<Record<string, number | string>> {
  const TILES = 16;
  // 16 camera ids on the same RTSP source (shared media): 16 separate remuxes, as 16 real cameras would need.
  const ids = Array.from({ length: TILES }, (_, i) => `hd-${i}`);
  const rig = await startVideoRig({ camera: { id: 'hd', name: 'Wall 1080p', width: 1920, height: 1080, fps: 15 }, ids, tmpPrefix: 'wf-bench-' });
  const { gateway, base, rtspPort: port } = rig;
  const isRemux = (cmd: string) => cmd.includes('frag_keyframe') && cmd.includes(`:${port}/`);
  const isSource = (cmd: string) => cmd.includes('testsrc=size=1920x1080') || cmd.includes(`rtsp_server.py ${port}`);
  try {
    const one = viewer(`ws://${base}/video/hd-0`);
    await new Promise((r) => setTimeout(r, 4000));
    const oneCpu = await measureCpu(isRemux, 8);
    const viewers = [one, ...ids.slice(1).map((id) => viewer(`ws://${base}/video/${id}`))];
    await new Promise((r) => setTimeout(r, 5000));
    const nodeBefore = process.cpuUsage();
    const t0 = Date.now();
    const bytes0 = viewers.reduce((n, v) => n + v.bytes(), 0);
    const [remuxCpu, sourceCpu] = await Promise.all([measureCpu(isRemux, 10), measureCpu(isSource, 10)]);
    const nodeUse = process.cpuUsage(nodeBefore);
    const secs = (Date.now() - t0) / 1000;
    const nodeCpu = ((nodeUse.user + nodeUse.system) / 1e6 / secs) * 100;
    const mbps = ((viewers.reduce((n, v) => n + v.bytes(), 0) - bytes0) * 8) / secs / 1e6;
    for (const v of viewers) v.close();
    const perStream = (remuxCpu + nodeCpu) / TILES;
    const budget = os.cpus().length * 100 * 0.8; // leave 20 % for the rest of the hub
    return {
      'remux CPU, one 1080p stream (% of a core)': oneCpu,
      'remux CPU, 16 × 1080p ffmpeg total (%)': remuxCpu,
      'gateway node CPU for 16 viewers (%)': nodeCpu,
      'gateway CPU per 1080p stream (%)': perStream,
      'delivered to the 16-tile wall (Mbit/s)': mbps,
      'simulated camera encode CPU (not gateway) (%)': sourceCpu,
      'est. max 1080p streams at 80 % of all cores': Math.floor(budget / perStream),
      'ffmpeg processes for 16 tiles': gateway.counters.running,
    };
  } finally {
    await rig.close();
  }
}

export async function benchVideo(): Promise<Record<string, number | string>> {
  const lat = await latency();
  const w = await wall();
  return { ...lat, ...w };
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const cpus = os.cpus();
  console.log(`machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const r = await benchVideo();
  for (const [k, v] of Object.entries(r)) console.log(`  ${k.padEnd(48)} ${typeof v === 'number' ? +v.toFixed(2) : v}`);
  process.exit(0);
}
