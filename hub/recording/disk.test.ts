// A full or failing store never stops live video or the hub: with a tiny quota the oldest segments
// go first; with only evidence left recording pauses (disk_full) while snapshots and the API work;
// a write failure (the camera's folder vanishes) is a gap with its reason and recording resumes.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnvifSimulator, type OnvifSimulator } from '../../simulators/onvif/index.js';
import { hashPassword, DEFAULT_SCRYPT } from '../auth/password.js';
import { createHub, type Hub } from '../server.js';
import { testSiteConfig } from '../test-support.js';
import { createVideoModule } from '../video/module.js';
import { recordingFileSchema } from './config.js';
import { createRecordingModule, type RecordingModule } from './module.js';
import { WebSocket } from 'ws';
import { rtspCameras, silentLog, until } from './test-support.js';

/** Bytes of the first binary message of the live video WebSocket (the init segment). */
function firstLiveBytes(url: string, timeoutMs = 30_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('no live video within the timeout'));
    }, timeoutMs);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return;
      clearTimeout(timer);
      ws.close();
      resolve((data as Buffer).length);
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

describe('recording store under disk pressure', () => {
  let sim: OnvifSimulator;
  let hub: Hub;
  let rec: RecordingModule;
  let dataDir: string;
  let token: string;
  const QUOTA = 120_000;

  beforeAll(async () => {
    sim = await startOnvifSimulator({ cameras: [{ id: 'a', name: 'Store', width: 320, height: 240, fps: 10 }] });
    const config = testSiteConfig({ floors: 1, pointsPerFloor: 1, users: [{ username: 'guard', role: 'guard', passwordHash: await hashPassword('pw', DEFAULT_SCRYPT) }] });
    dataDir = config.hub.dataDir;
    const video = createVideoModule({ registry: rtspCameras({ 'cam-a': sim.cameras[0].rtspUrl }), graceMs: 300 });
    rec = createRecordingModule({ cameras: () => video.catalog, config: recordingFileSchema.parse({ store: { segmentSeconds: 1, quotaGb: QUOTA / 2 ** 30 } }) });
    hub = await createHub(config, { drivers: [], modules: [video, rec], log: silentLog, listen: { port: 0 } });
    const res = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'guard', password: 'pw' }) });
    token = ((await res.json()) as { token: string }).token;
  }, 60_000);

  afterAll(async () => {
    await hub?.stop();
    await sim?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const get = (url: string) => fetch(`${hub.url}/api${url}`, { headers: { authorization: `Bearer ${token}` } });

  it('prunes oldest first to stay under a tiny quota, then pauses on evidence only, while live video streams', async () => {
    const store = rec.store!;
    const seen = new Set<string>();
    await until('segments beyond the quota', () => {
      for (const s of store.index.allSegments()) seen.add(s.file);
      return seen.size >= 6 && store.overview().store.bytes <= QUOTA && store.index.allSegments().length < seen.size;
    }, 60_000);
    expect(store.overview().cameras[0].state).toBe('recording');
    const kept = store.index.allSegments();
    expect(Math.min(...kept.map((s) => s.start))).toBeGreaterThan(0);
    expect(fs.readdirSync(store.cameraDir('cam-a')).filter((f) => f.endsWith('.mp4')).length).toBeLessThanOrEqual(kept.length + 1); // + the open one

    // Everything recorded becomes evidence: nothing is prunable, so recording pauses.
    store.index.addEvidence('ev-test', undefined, 0, Number.MAX_SAFE_INTEGER);
    await until('disk_full', () => store.overview().cameras[0].state === 'disk_full', 30_000);
    expect(store.recorders.get('cam-a')!.pid).toBeUndefined();
    const health = await get('/health');
    expect(health.status).toBe(200);
    // Live video still starts and delivers its first fMP4 bytes (a separate ffmpeg from the recorder's).
    expect(await firstLiveBytes(hub.url.replace(/^http/, 'ws') + `/video/cam-a?token=${token}`)).toBeGreaterThan(0);
    expect((await get('/recordings')).status).toBe(200);
    // Evidence is never pruned, whatever the quota.
    for (const s of kept) expect(store.index.hasSegment(s.camera, s.file)).toBe(true);
  }, 120_000);

  it('a write failure is a gap with its reason, and recording resumes', async () => {
    const store = rec.store!;
    store.index.db.prepare('DELETE FROM evidence').run();
    store.prune();
    await until('recording again', () => store.overview().cameras[0].state === 'recording' && store.index.lastSegment('cam-a')!.end > Date.now() - 3000, 30_000);
    const before = Date.now();
    fs.rmSync(store.cameraDir('cam-a'), { recursive: true, force: true });
    await until('a segment after the folder came back', () => store.index.segments('cam-a').some((s) => s.start > before + 500 && fs.existsSync(path.join(store.cameraDir('cam-a'), s.file))), 60_000);
    const gaps = store.index.gaps('cam-a', before - 5000, Date.now());
    expect(gaps.map((g) => g.reason), JSON.stringify({ before, gaps, segments: store.index.segments('cam-a').slice(-6) })).toContain('write_failed');
    expect(store.overview().cameras[0].state).toBe('recording');
  }, 120_000);
});
