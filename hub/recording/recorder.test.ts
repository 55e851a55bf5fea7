// Real recording from a simulated RTSP camera: segments indexed as ffmpeg closes them, a kill -9 of
// the recording process mid-segment loses at most the open segment (what of it plays is indexed on
// restart, earlier segments still play), the hole is indexed as a gap; a camera drop is a gap too.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnvifSimulator, type OnvifSimulator } from '../../simulators/onvif/index.js';
import { cameraConfig, DEFAULT_RECORDING } from './config.js';
import { RecordingIndex } from './index-db.js';
import { assemble } from './playback.js';
import { Recorder } from './recorder.js';
import { probeDuration } from './recover.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent } as never;

async function until<T>(what: string, f: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('recorder on a simulated RTSP camera', () => {
  let sim: OnvifSimulator;
  let url: string;
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'rec-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    sim = await startOnvifSimulator({ cameras: [{ id: 'cam', name: 'Archive', width: 320, height: 240, fps: 10 }] });
    url = sim.cameras[0].rtspUrl;
  }, 60_000);

  afterAll(async () => {
    await sim?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('survives kill -9 mid-segment: earlier segments play, the open one is recovered or dropped, the hole is a gap', async () => {
    const dir = tmp();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'crash-child.ts'), dir, url, '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const segs: Array<{ file: string; start: number; end: number }> = [];
    let ffmpegPid: number | undefined;
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      for (const line of out.split('\n').slice(0, -1)) {
        const m = JSON.parse(line) as { pid?: number; segment?: { file: string; start: number; end: number } };
        if (m.pid) ffmpegPid = m.pid;
        if (m.segment && !segs.some((s) => s.file === m.segment!.file)) segs.push(m.segment);
      }
      out = out.slice(out.lastIndexOf('\n') + 1);
    });
    try {
      await until('three finished segments', () => segs.length >= 3, 40_000);
      await new Promise((r) => setTimeout(r, 900)); // mid-segment
      // The hub dies with its ffmpeg (kill -9 of both, like a power cut of the process group).
      process.kill(ffmpegPid!, 'SIGKILL');
      child.kill('SIGKILL');
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    const killedAt = Date.now();
    const camDir = path.join(dir, 'cam');
    const onDisk = fs.readdirSync(camDir).filter((f) => f.endsWith('.mp4'));
    expect(onDisk.length).toBeGreaterThanOrEqual(segs.length);

    await new Promise((r) => setTimeout(r, 2000)); // the hub is down a while: that is a gap
    const index = new RecordingIndex(dir);
    const rec = new Recorder({ camera: 'cam', dir: camDir, index, config: cameraConfig(DEFAULT_RECORDING, 'cam'), segmentSeconds: 2, url: () => url, log: silent });
    try {
      await rec.start();
      // Every file left on disk is now indexed (played) or deleted (nothing playable in it).
      const indexedAfterRecovery = index.segments('cam').map((s) => s.file);
      for (const s of segs) expect(indexedAfterRecovery).toContain(s.file);
      expect(fs.readdirSync(camDir).filter((f) => f.endsWith('.mp4')).sort()).toEqual([...indexedAfterRecovery].sort());
      await until('two new segments after the restart', () => index.segments('cam').filter((s) => s.start > killedAt).length >= 2, 40_000);
    } finally {
      await rec.stop();
    }
    // Earlier segments still play.
    for (const s of segs) expect(await probeDuration(path.join(camDir, s.file))).toBeGreaterThan(1);
    const gaps = index.gaps('cam', 0, Date.now());
    expect(gaps).toEqual([expect.objectContaining({ reason: 'hub_down' })]);
    expect(gaps[0].to - gaps[0].from).toBeGreaterThan(1500);
    // One playable file across the gap.
    const all = index.segments('cam');
    const clip = await assemble({ index, cameraDir: camDir, camera: 'cam', from: all[0].start, to: all.at(-1)!.end, out: path.join(dir, 'clip.mp4') });
    expect(await probeDuration(clip.file)).toBeGreaterThan(4);
    expect(clip.pieces.length).toBe(all.length);
    index.close();
  }, 120_000);

  it('a camera drop is indexed as a gap (camera_offline) and recording resumes by itself', async () => {
    const dir = tmp();
    const index = new RecordingIndex(dir);
    const rec = new Recorder({ camera: 'cam', dir: path.join(dir, 'cam'), index, config: cameraConfig(DEFAULT_RECORDING, 'cam'), segmentSeconds: 2, url: () => url, log: silent });
    try {
      await rec.start();
      await until('a segment', () => index.segments('cam').length >= 1, 30_000);
      await sim.stopCamera('cam');
      const droppedAt = Date.now();
      await until('the recorder noticing', () => rec.status().state === 'failed' && rec.status().detail?.startsWith('camera_offline'), 30_000);
      // Holes under 1.5 s are reconnects, not gaps: keep the camera away long enough to be one.
      await new Promise((r) => setTimeout(r, 3000));
      await sim.startCamera('cam');
      // The segment open at the drop is listed (or recovered) after the drop, so "a segment that
      // starts after the drop" can be that one; the gap is written with the first segment after it.
      await until('a gap and a segment after it', () => {
        const g = index.gaps('cam', 0, Date.now());
        return g.length > 0 && index.segments('cam').some((s) => s.start >= g[0].to);
      }, 60_000);
      expect(index.gaps('cam', 0, Date.now())[0].to).toBeGreaterThan(droppedAt);
      expect(index.gaps('cam', 0, Date.now())).toEqual([expect.objectContaining({ reason: 'camera_offline' })]);
      expect(rec.status().state).toBe('recording');
    } finally {
      await rec.stop();
      index.close();
    }
  }, 150_000);
});
