// `npm run bench -- recording`: (1) N cameras recorded continuously (`-c copy` into fMP4
// segments): CPU% of the recording ffmpegs and the disk write rate; (2) seek to first frame over
// the recorded range (the console's request: playback map + the first frame decoded from the
// range-served MP4); (3) a 10 min × 4 camera evidence export with its manifest, from segments
// synthesised quickly with ffmpeg. Env: REC_CAMERAS (16), REC_WIDTH×REC_HEIGHT (1920×1080), REC_SECONDS (30).
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startOnvifSimulator } from '../simulators/onvif/index.js';
import { hashPassword, DEFAULT_SCRYPT } from '../hub/auth/password.js';
import { createHub } from '../hub/server.js';
import { testSiteConfig } from '../hub/test-support.js';
import { createVideoModule } from '../hub/video/module.js';
import { recordingFileSchema } from '../hub/recording/config.js';
import { exportEvidence } from '../hub/recording/export.js';
import { FFMPEG } from '../hub/recording/ffmpeg-args.js';
import { RecordingIndex } from '../hub/recording/index-db.js';
import { verifyEvidence } from '../hub/recording/manifest.js';
import { createRecordingModule } from '../hub/recording/module.js';
import { probeDuration } from '../hub/recording/recover.js';
import { segmentNameTime } from '../hub/recording/segments.js';
import { rtspCameras, silentLog } from '../hub/recording/test-support.js';

const run = promisify(execFile);
const TICK = 100; // USER_HZ on Linux

function pidCpuSeconds(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / TICK;
  } catch {
    return 0;
  }
}

function pidWriteBytes(pid: number): number {
  try {
    const m = /write_bytes: (\d+)/.exec(fs.readFileSync(`/proc/${pid}/io`, 'latin1'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

export async function benchRecording(): Promise<Record<string, number | string>> {
  const N = Number(process.env.REC_CAMERAS ?? 16);
  const W = Number(process.env.REC_WIDTH ?? 1920);
  const H = Number(process.env.REC_HEIGHT ?? 1080);
  const SECONDS = Number(process.env.REC_SECONDS ?? 30);
  const out: Record<string, number | string> = {};
  // One simulated 1080p camera, N camera ids on its RTSP stream (the simulator cannot encode 16
  // separate 1080p pictures on 2 cores; each recorder is still its own RTSP session and ffmpeg).
  const sim = await startOnvifSimulator({ cameras: [{ id: 'src', name: 'Bench 1080p', width: W, height: H, fps: 15 }] });
  const config = testSiteConfig({ floors: 1, pointsPerFloor: 1, users: [{ username: 'sup', role: 'supervisor', passwordHash: await hashPassword('pw', DEFAULT_SCRYPT) }] });
  const cams: Record<string, string> = {};
  for (let i = 0; i < N; i++) cams[`cam-${String(i + 1).padStart(2, '0')}`] = sim.cameras[0].rtspUrl;
  const video = createVideoModule({ registry: rtspCameras(cams) });
  const rec = createRecordingModule({ cameras: () => video.catalog, config: recordingFileSchema.parse({ store: { segmentSeconds: 4 } }) });
  const hub = await createHub(config, { drivers: [], modules: [video, rec], log: silentLog, listen: { port: 0 } });
  try {
    const token = ((await (await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sup', password: 'pw' }) })).json()) as { token: string }).token;
    const store = rec.store!;
    // Warm up: every recorder has written a segment.
    const deadline = Date.now() + 60_000;
    while ([...store.recorders.keys()].some((c) => !store.index.lastSegment(c))) {
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const pids = () => [...store.recorders.values()].map((r) => r.pid).filter((p): p is number => !!p);
    const cpu0 = pids().reduce((n, p) => n + pidCpuSeconds(p), 0);
    const wr0 = pids().reduce((n, p) => n + pidWriteBytes(p), 0);
    const bytes0 = store.index.totalBytes();
    const node0 = process.cpuUsage();
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const secs = (Date.now() - t0) / 1000;
    const cpu1 = pids().reduce((n, p) => n + pidCpuSeconds(p), 0);
    const wr1 = pids().reduce((n, p) => n + pidWriteBytes(p), 0);
    const node = process.cpuUsage(node0);
    out.cameras = `${N} × ${W}x${H} 15 fps H.264 (one simulated source, ${N} RTSP sessions)`;
    out['recording ffmpegs running'] = pids().length;
    out['record CPU % of one core (all ffmpegs)'] = ((cpu1 - cpu0) / secs) * 100;
    out['record CPU % per camera'] = ((cpu1 - cpu0) / secs / N) * 100;
    out['hub process CPU % (indexing etc.)'] = ((node.user + node.system) / 1e6 / secs) * 100;
    out['disk write MB/s (ffmpeg write_bytes)'] = (wr1 - wr0) / secs / 1e6;
    out['segment bytes indexed MB/s'] = (store.index.totalBytes() - bytes0) / secs / 1e6;

    // Seek: the console's request (playback map for a 10 min window) + first frame from the MP4 over HTTP ranges.
    const cam = 'cam-01';
    const segs = store.index.segments(cam);
    const from = segs[0].start;
    const to = segs.at(-1)!.end;
    const seeks: number[] = [];
    const mapMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = Math.round(from + ((i + 0.5) / 20) * (to - from));
      const w0 = t - 60_000;
      const w1 = Math.min(Date.now(), t + 540_000) + i; // +i: a new window each time (no cache hit)
      const s0 = performance.now();
      const res = await fetch(`${hub.url}/api/recordings/${cam}/clip.json?from=${w0}&to=${w1}`, { headers: { authorization: `Bearer ${token}` } });
      const map = (await res.json()) as { url: string; pieces: Array<{ media: number; wall: number; duration: number }> };
      mapMs.push(performance.now() - s0);
      const p = map.pieces.find((x) => t >= x.wall && t < x.wall + x.duration * 1000) ?? map.pieces[0];
      const offset = p.media + (t - p.wall) / 1000;
      await run(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-headers', `Authorization: Bearer ${token}\r\n`, '-ss', offset.toFixed(3), '-i', `${hub.url}${map.url}`, '-frames:v', '1', '-f', 'null', '-']);
      seeks.push(performance.now() - s0);
    }
    out['recorded range (s)'] = (to - from) / 1000;
    out['seek: playback map p50 ms'] = pct(mapMs, 50);
    out['seek to first frame p50 ms'] = pct(seeks, 50);
    out['seek to first frame p95 ms'] = pct(seeks, 95);
    console.log('  (recording + seek figures)', JSON.stringify(out));
  } finally {
    await hub.stop();
    await sim.stop();
    fs.rmSync(config.hub.dataDir, { recursive: true, force: true });
  }

  // Export: 10 min × 4 cameras of segments synthesised with ffmpeg (the same segment format).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rec-export-'));
  try {
    const src = path.join(dir, 'src');
    fs.mkdirSync(src);
    const g0 = Date.now();
    // One 4 s segment encoded, hard-linked 150 times per camera: 10 min of segments without
    // encoding 10 min of 1080p on a 2-core machine (the export is -c copy: bytes, not pictures).
    await new Promise<void>((resolve, reject) => {
      const p = spawn(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${W}x${H}:rate=15`, '-t', '4', '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '4M', '-g', '15', '-pix_fmt', 'yuv420p',
        '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', path.join(src, 'seg.mp4')], { stdio: 'ignore' });
      p.on('close', (c) => (c === 0 ? resolve() : reject(new Error(`ffmpeg synth exited ${c}`))));
    });
    out['synthesised source segment in s'] = (Date.now() - g0) / 1000;
    const index = new RecordingIndex(path.join(dir, 'store'));
    const base = Date.UTC(2026, 11, 2, 18, 0);
    const files = Array.from({ length: 150 }, () => 'seg.mp4');
    const segMs = Math.round((await probeDuration(path.join(src, 'seg.mp4'))) * 1000);
    for (let c = 0; c < 4; c++) {
      const camDir = path.join(dir, 'store', `cam-${c}`);
      fs.mkdirSync(camDir, { recursive: true });
      let t = base;
      for (const f of files) {
        const d = segMs;
        const name = new Date(t).toISOString().slice(0, 19).replace(/[-:]/g, '') + 'Z.mp4';
        if (segmentNameTime(name) === undefined) throw new Error('bad name');
        fs.linkSync(path.join(src, f), path.join(camDir, name));
        index.addSegment({ camera: `cam-${c}`, file: name, start: t, end: t + d, bytes: fs.statSync(path.join(src, f)).size });
        t += d;
      }
    }
    const clips = [0, 1, 2, 3].map((c) => ({ camera: `cam-${c}`, from: base, to: base + 150 * segMs }));
    const e0 = Date.now();
    const result = await exportEvidence({ index, cameraDir: (c) => path.join(dir, 'store', c), masks: () => [], outRoot: path.join(dir, 'out'), user: 'bench', reason: 'bench export', clips });
    out['export 10 min × 4 cameras + manifest (s)'] = (Date.now() - e0) / 1000;
    out['export size MB'] = result.manifest.files.reduce((n, f) => n + f.bytes, 0) / 1e6;
    const v0 = Date.now();
    const verified = await verifyEvidence(result.dir);
    out['verify export (s)'] = (Date.now() - v0) / 1000;
    out['verify problems'] = verified.problems.length;
    index.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  out.load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  return out;
}
