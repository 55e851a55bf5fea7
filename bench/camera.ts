// Camera benchmarks (issue 16), in Chromium with the console's LowLatencyPlayer:
// - `camera-open`: open a camera → first frame presented (requestVideoFrameCallback), p50/p95, with
//   a warm gateway (the camera's stream already running: init + GOP cache) and cold (ffmpeg starts).
// - `camera-wall`: 16 tiles of 1080p in one page: dropped frames per minute per tile
//   (video.getVideoPlaybackQuality()), Chromium CPU per tile (decode + compositing), and the CPU of
//   the 16 ffmpeg remuxes and of the gateway.
// Run: `npm run bench -- camera-open camera-wall` or `npx tsx bench/camera.ts`.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../test/video/player-page.js';
import { waitForExpression } from '../test/support/wait-for.js';
import { cpuSeconds, startVideoRig } from './video-rig.js';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A page that can open players on demand (window.openCam) and build a wall (window.wall). */
const PAGE = `<!doctype html><html><body style="margin:0;background:#000">
<div id="grid" style="display:grid;grid-template-columns:repeat(4,1fr);gap:2px;width:1920px;height:1080px"></div>
<script type="module">
  import { LowLatencyPlayer } from '/player.js';
  window.ready = true;
  window.openCam = (id) => new Promise((resolve) => {
    const v = document.createElement('video');
    v.muted = true; v.style.cssText = 'width:480px;height:270px';
    document.getElementById('grid').append(v);
    const t0 = performance.now();
    const p = new LowLatencyPlayer(v, 'ws://' + location.host + '/video/' + id);
    v.requestVideoFrameCallback(() => { const ms = performance.now() - t0; p.stop(); v.remove(); resolve(ms); });
    p.start();
  });
  window.wall = (ids) => { window.tiles = ids.map((id) => {
    const v = document.createElement('video');
    v.muted = true; v.style.cssText = 'width:100%;height:100%;object-fit:contain;background:#000';
    document.getElementById('grid').append(v);
    const p = new LowLatencyPlayer(v, 'ws://' + location.host + '/video/' + id);
    p.start();
    return v;
  }); };
  window.quality = () => window.tiles.map((v) => { const q = v.getVideoPlaybackQuality(); return { total: q.totalVideoFrames, dropped: q.droppedVideoFrames, t: v.currentTime }; });
</script></body></html>`;

async function openPage(base: string): Promise<{ page: Page; close(): Promise<void>; profile: string }> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'wf-cam-chrome-'));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--disable-renderer-backgrounding', '--disable-background-timer-throttling'], viewport: { width: 1920, height: 1080 } });
  const page = await ctx.newPage();
  await page.goto(`http://${base}/`);
  await waitForExpression(page, 'window.ready === true', undefined, { timeout: 20_000 });
  return { page, profile, close: async () => { await ctx.close(); rmSync(profile, { recursive: true, force: true }); } };
}

export async function benchCameraOpen(): Promise<Record<string, number | string>> {
  // A 1080p camera with a 2 s GOP (a common real setting): without the GOP cache a new viewer waits up to 2 s.
  const rig = await startVideoRig({
    camera: { id: 'open', name: 'Open test', width: 1280, height: 720, fps: 25 }, discovery: false,
    ids: ['warm', 'cold'], codec: 'H264', graceMs: 300, tmpPrefix: 'wf-bench-open-', page: PAGE,
  });
  const { gateway } = rig;
  const browser = await openPage(rig.base);
  try {
    // Warm: the gateway keeps the camera streaming (as for the top alarm's cameras, or another viewer).
    gateway.warm('warm', 600_000);
    for (let i = 0; i < 100 && gateway.status('warm')?.state !== 'live'; i++) await sleep(100);
    await sleep(1500);
    const warm: number[] = [];
    for (let i = 0; i < 30; i++) {
      warm.push((await browser.page.evaluate("window.openCam('warm')")) as number);
      await sleep(150 + Math.random() * 700); // land at random points of the GOP
    }
    const cold: number[] = [];
    for (let i = 0; i < 8; i++) {
      for (let k = 0; k < 50 && gateway.status('cold')?.state && gateway.status('cold')?.state !== 'idle'; k++) await sleep(100);
      cold.push((await browser.page.evaluate("window.openCam('cold')")) as number);
      await sleep(800);
    }
    return {
      'open → first frame, warm p50 (ms)': pct(warm, 50),
      'open → first frame, warm p95 (ms)': pct(warm, 95),
      'open → first frame, warm samples': warm.length,
      'open → first frame, cold p50 (ms)': pct(cold, 50),
      'open → first frame, cold p95 (ms)': pct(cold, 95),
      'open source': '1280x720@25 H.264 baseline, 1 s GOP, RTSP/TCP, loopback',
    };
  } finally {
    await browser.close();
    await rig.close();
  }
}

export async function benchCameraWall(): Promise<Record<string, number | string>> {
  const TILES = 16;
  const SECONDS = 30;
  // CAMERA_WALL_SIZE=1280x720 for a lighter run (the simulated camera's 1080p encoder needs most of a core).
  const [width, height] = (process.env.CAMERA_WALL_SIZE ?? '1920x1080').split('x').map(Number);
  // 16 camera ids on one RTSP source: 16 separate remuxes as 16 cameras need (16 real 1080p encoders would not fit this box).
  const ids = Array.from({ length: TILES }, (_, i) => `road-${i + 1}`);
  const rig = await startVideoRig({ camera: { id: 'hd', name: 'Wall', width, height, fps: 15 }, discovery: false, ids, codec: 'H264', tmpPrefix: 'wf-bench-wall-', page: PAGE });
  const { gateway } = rig;
  const browser = await openPage(rig.base);
  const isRemux = (cmd: string) => cmd.includes('frag_keyframe') && cmd.includes(`:${rig.rtspPort}/`);
  const isChromium = (cmd: string) => cmd.includes('chromium') && cmd.includes(browser.profile);
  try {
    // Start the 16 remuxes first (as a warm gateway would have them), then open the wall.
    for (const id of ids) gateway.warm(id, 600_000);
    for (let i = 0; i < 120 && !ids.every((id) => gateway.status(id)?.state === 'live'); i++) await sleep(1000);
    await browser.page.evaluate(`window.wall(${JSON.stringify(ids)})`);
    // On a loaded 2-core box not every tile may start: measure anyway and say how many play.
    await waitForExpression(browser.page, 'window.quality().some((q) => q.t > 0)', undefined, { timeout: 120_000 });
    for (let i = 0; i < 30 && !(await browser.page.evaluate('window.quality().every((q) => q.t > 0)')); i++) await sleep(1000);
    await sleep(3000);
    type Q = Array<{ total: number; dropped: number; t: number }>;
    const q0 = (await browser.page.evaluate('window.quality()')) as Q;
    const c0 = { remux: cpuSeconds(isRemux), chrome: cpuSeconds(isChromium), node: process.cpuUsage() };
    const t0 = Date.now();
    await sleep(SECONDS * 1000);
    const secs = (Date.now() - t0) / 1000;
    const q1 = (await browser.page.evaluate('window.quality()')) as Q;
    const remux = ((cpuSeconds(isRemux) - c0.remux) / secs) * 100;
    const chrome = ((cpuSeconds(isChromium) - c0.chrome) / secs) * 100;
    const nodeUse = process.cpuUsage(c0.node);
    const node = ((nodeUse.user + nodeUse.system) / 1e6 / secs) * 100;
    const perTile = q1.map((q, i) => ({ dropped: q.dropped - q0[i].dropped, total: q.total - q0[i].total }));
    const droppedPerMin = perTile.map((p) => (p.dropped / secs) * 60);
    const shownFps = perTile.map((p) => (p.total - p.dropped) / secs);
    return {
      'tiles playing at the end': q1.filter((q, i) => q.t > q0[i].t).length,
      'wall tiles × source': `${TILES} × ${width}x${height}@15 H.264 (one shared source)`,
      'measured (s)': secs,
      'dropped frames/min per tile, mean': droppedPerMin.reduce((a, b) => a + b, 0) / TILES,
      'dropped frames/min per tile, worst': Math.max(...droppedPerMin),
      'frames shown per tile (fps), mean': shownFps.reduce((a, b) => a + b, 0) / TILES,
      'Chromium CPU, 16 tiles (% of a core)': chrome,
      'Chromium decode+paint per tile (% of a core)': chrome / TILES,
      'ffmpeg remux CPU, 16 streams (%)': remux,
      'gateway node CPU, 16 streams (%)': node,
      'ffmpeg processes': gateway.counters.running,
    };
  } finally {
    await browser.close();
    await rig.close();
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  console.log(`machine: ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const [name, run] of [['camera-open', benchCameraOpen], ['camera-wall', benchCameraWall]] as const) {
    if (process.argv.length > 2 && !process.argv.includes(name)) continue;
    console.log(`=== ${name} ===`);
    for (const [k, v] of Object.entries(await run())) console.log(`  ${k.padEnd(48)} ${typeof v === 'number' ? +v.toFixed(2) : v}`);
  }
  process.exit(0);
}
