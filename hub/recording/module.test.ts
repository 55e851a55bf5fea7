// The recording module in a real hub on a simulated RTSP camera: playback with range requests and
// its audit, coverage, the timeline with event → cameras, incidents with a PDF report, evidence
// export with a verifiable manifest, and the permissions around them.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceManifest, Incident, PlaybackPiece, RecordingsOverview, TimelineEvent } from '../../contracts/recording.js';
import { startOnvifSimulator, type OnvifSimulator } from '../../simulators/onvif/index.js';
import { hashPassword, DEFAULT_SCRYPT } from '../auth/password.js';
import { createHub, type Hub } from '../server.js';
import { testSiteConfig } from '../test-support.js';
import { createVideoModule } from '../video/module.js';
import { recordingFileSchema } from './config.js';
import { MANIFEST_FILE, verifyEvidence } from './manifest.js';
import { createRecordingModule, type RecordingModule } from './module.js';
import { probeDuration } from './recover.js';
import { rtspCameras } from './test-support.js';

const run = promisify(execFile);

const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent };

describe('recording module in the hub', () => {
  let sim: OnvifSimulator;
  let hub: Hub;
  let rec: RecordingModule;
  let dataDir: string;
  const tokens: Record<string, string> = {};

  const api = async (method: string, url: string, who: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${hub.url}/api${url}`, {
      method, headers: { authorization: `Bearer ${tokens[who]}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, headers: res.headers, body: type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer()) } as { status: number; headers: Headers; body: any };
  };

  beforeAll(async () => {
    sim = await startOnvifSimulator({ cameras: [{ id: 'a', name: 'Archive door', width: 320, height: 240, fps: 10 }] });
    const hash = await hashPassword('pw', DEFAULT_SCRYPT);
    const config = testSiteConfig({ floors: 1, pointsPerFloor: 1, users: ['guard', 'supervisor', 'viewer'].map((u) => ({ username: u, role: u as never, passwordHash: hash })) });
    dataDir = config.hub.dataDir;
    const video = createVideoModule({ registry: rtspCameras({ 'cam-a': sim.cameras[0].rtspUrl }), graceMs: 300 });
    rec = createRecordingModule({
      cameras: () => video.catalog,
      config: recordingFileSchema.parse({ store: { segmentSeconds: 2 }, cameras: { 'cam-a': { sees: ['a/l01/room-101'], masks: [{ x: 0, y: 0, w: 0.5, h: 0.5 }] } } }),
    });
    hub = await createHub(config, { drivers: [], modules: [video, rec], log: silent, listen: { port: 0 } });
    for (const u of ['guard', 'supervisor', 'viewer']) {
      const res = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: 'pw' }) });
      tokens[u] = ((await res.json()) as { token: string }).token;
    }
    const deadline = Date.now() + 40_000;
    while (rec.store!.index.segments('cam-a').length < 3) {
      if (Date.now() > deadline) throw new Error(`no segments recorded: ${JSON.stringify(rec.store!.overview())}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 90_000);

  afterAll(async () => {
    await hub?.stop();
    await sim?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const recorded = () => {
    const segs = rec.store!.index.segments('cam-a');
    return { from: segs[0].start, to: segs.at(-1)!.end };
  };

  it('reports recorders and coverage; viewers without recordings:view are refused', async () => {
    const o = await api('GET', '/recordings', 'guard');
    expect(o.status).toBe(200);
    expect((o.body as RecordingsOverview).cameras).toEqual([expect.objectContaining({ camera: 'cam-a', mode: 'continuous', state: 'recording' })]);
    const { from, to } = recorded();
    const cov = await api('GET', `/recordings/cam-a/coverage?from=${from}&to=${to}`, 'guard');
    expect(cov.status).toBe(200);
    expect(cov.body.spans.length).toBeGreaterThan(0);
    expect((await api('GET', `/recordings/cam-a/coverage?from=${from}&to=${to}`, 'viewer')).status).toBe(403);
    expect((await api('GET', '/recordings', 'nobody')).status).toBe(401);
  });

  it('plays a range as MP4 with range requests, a playback map, and audits the viewing once', async () => {
    const { from, to } = recorded();
    const url = `/recordings/cam-a/clip.mp4?from=${new Date(from + 500).toISOString()}&to=${to}`;
    const full = await api('GET', url, 'guard');
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('video/mp4');
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    const pieces = JSON.parse(full.headers.get('x-recording-pieces')!) as PlaybackPiece[];
    expect(pieces[0]).toMatchObject({ media: 0, wall: from });
    const file = path.join(dataDir, 'play.mp4');
    fs.writeFileSync(file, full.body);
    expect(await probeDuration(file)).toBeGreaterThan(2);
    const part = await api('GET', url, 'guard', undefined, { range: 'bytes=100-199' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${full.body.length}`);
    expect(Buffer.compare(part.body, full.body.subarray(100, 200))).toBe(0);
    expect((await api('GET', url, 'guard', undefined, { range: 'bytes=999999999-' })).status).toBe(416);
    const views = hub.audit.query({ action: 'recordings.view' });
    expect(views).toEqual([expect.objectContaining({ user: 'guard', target: 'cam-a' })]);
  });

  it('refuses bad playback requests with a clear 4xx', async () => {
    const { from, to } = recorded();
    const bad = await api('GET', `/recordings/cam-a/clip.mp4?from=yesterday&to=${to}`, 'guard');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('from');
    expect((await api('GET', `/recordings/cam-a/clip.mp4?from=${to}&to=${from}`, 'guard')).status).toBe(400);
    expect((await api('GET', `/recordings/nope/clip.mp4?from=${from}&to=${to}`, 'guard')).status).toBe(404);
    expect((await api('GET', `/recordings/cam-a/clip.mp4?from=946684800000&to=946684900000`, 'guard')).status).toBe(404);
  });

  it('timeline: a command in the room the camera sees carries that camera (event → video)', async () => {
    const t = Date.now();
    hub.audit.record({ ts: t, user: 'op1', action: 'point.write', target: 'hq/a/l01/room-101/dev-0/p-0', details: { requested: 21, outcome: 'confirmed' } });
    hub.audit.record({ ts: t, user: 'op1', action: 'auth.login', target: 'op1' });
    const res = await api('GET', `/timeline?from=${t - 1000}&to=${t + 1000}&kinds=command`, 'guard');
    expect(res.status).toBe(200);
    const items = res.body.items as TimelineEvent[];
    expect(items).toEqual([expect.objectContaining({ kind: 'command', user: 'op1', place: 'a/l01/room-101', cameras: ['cam-a'] })]);
    expect((await api('GET', `/timeline?from=${t}&to=${t + 1}&kinds=weather`, 'guard')).status).toBe(400);
    const byPlace = await api('GET', `/timeline?from=${t - 1000}&to=${t + 1000}&place=a/l02`, 'guard');
    expect(byPlace.body.items).toEqual([]);
  });

  it('incidents: create, add, change status/owner, PDF report; all audited', async () => {
    const { from, to } = recorded();
    const created = await api('POST', '/incidents', 'guard', { title: '档案室门 02:10 被打开', items: [{ type: 'video', camera: 'cam-a', from, to }, { type: 'note', text: 'door found open' }] });
    expect(created.status).toBe(201);
    const inc = created.body as Incident;
    expect(inc).toMatchObject({ status: 'open', owner: 'guard', createdBy: 'guard' });
    const patched = await api('PATCH', `/incidents/${inc.id}`, 'guard', { status: 'investigating', owner: 'supervisor', add: [{ type: 'snapshot', camera: 'cam-a', ts: from + 1000 }] });
    expect(patched.status).toBe(200);
    expect((patched.body as Incident).history.map((h) => h.action)).toEqual(['created', 'status', 'owner', 'added snapshot']);
    expect((await api('PATCH', `/incidents/${inc.id}`, 'guard', { status: 'solved' })).status).toBe(400);
    expect((await api('POST', '/incidents', 'guard', { title: 'x', items: [{ type: 'video', camera: 'nope', from, to }] })).status).toBe(400);
    expect((await api('POST', '/incidents', 'viewer', { title: 'x' })).status).toBe(403);
    const pdf = await api('GET', `/incidents/${inc.id}/report.pdf`, 'guard');
    expect(pdf.status).toBe(200);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    expect(hub.audit.query({ action: 'incident.update' })).toEqual([expect.objectContaining({ user: 'guard', target: inc.id })]);
    // An incident's video is evidence: retention never prunes it.
    expect(rec.store!.index.evidence().some((e) => e.id === inc.id && e.camera === 'cam-a')).toBe(true);
  }, 60_000);

  it('exports evidence with recordings:export only: masked MP4 + manifest that verifies, audited', async () => {
    const { from, to } = recorded();
    const body = { reason: 'police request 2026-117', clips: [{ camera: 'cam-a', from, to: Math.min(to, from + 4000) }] };
    expect((await api('POST', '/recordings/export', 'guard', body)).status).toBe(403);
    expect((await api('POST', '/recordings/export', 'supervisor', { ...body, reason: '' })).status).toBe(400);
    const res = await api('POST', '/recordings/export', 'supervisor', body);
    expect(res.status).toBe(201);
    const manifest = res.body.manifest as EvidenceManifest;
    expect(manifest).toMatchObject({ exportedBy: 'supervisor', reason: 'police request 2026-117', clips: [expect.objectContaining({ camera: 'cam-a', masked: true })] });
    const dir = res.body.dir as string;
    expect(fs.existsSync(path.join(dir, MANIFEST_FILE))).toBe(true);
    expect(await probeDuration(path.join(dir, manifest.clips[0].file))).toBeGreaterThan(1);
    expect((await verifyEvidence(dir)).problems).toEqual([]);
    const ok = await run(process.execPath, ['--import', 'tsx', 'scripts/verify-evidence.ts', dir]);
    expect(ok.stdout).toContain('OK');
    fs.appendFileSync(path.join(dir, manifest.clips[0].file), 'x');
    const failed = await run(process.execPath, ['--import', 'tsx', 'scripts/verify-evidence.ts', dir]).then(() => 0, (e: { code: number; stdout: string }) => (e.stdout.includes('changed') ? e.code : -1));
    expect(failed).toBe(1);
    expect(hub.audit.query({ action: 'recordings.export' })).toEqual([expect.objectContaining({ user: 'supervisor', target: manifest.id, details: expect.objectContaining({ reason: 'police request 2026-117' }) })]);
    const dl = await api('GET', `/recordings/exports/${manifest.id}/${MANIFEST_FILE}`, 'supervisor');
    expect(dl.status).toBe(200);
  }, 60_000);
});
