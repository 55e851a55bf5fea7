// The video gateway end to end on loopback: simulated camera (gst-rtsp-server) → real ffmpeg remux →
// WebSocket viewers authenticated by the hub's real session check.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DEFAULT_ROLE_PERMISSIONS } from '../../contracts/auth.js';
import { startOnvifSimulator, type OnvifSimulator } from '../../simulators/onvif/index.js';
import { Auth } from '../auth/auth.js';
import { hashPassword, DEFAULT_SCRYPT } from '../auth/password.js';
import { testSiteConfig } from '../test-support.js';
import { VideoGateway } from './gateway.js';
import { moofStartsWithKeyframe, Mp4Splitter } from './mp4.js';
import { upgradeAuthorizer } from './module.js';

const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent };

/** A test viewer: collects binary frames and JSON status messages. */
class TestViewer {
  readonly ws: WebSocket;
  binaries: Buffer[] = [];
  statuses: Array<{ status: string }> = [];
  closed = false;
  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (data, isBinary) => {
      if (isBinary) this.binaries.push(data as Buffer);
      else this.statuses.push(JSON.parse(String(data)));
    });
    this.ws.on('close', () => (this.closed = true));
  }
  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      this.ws.once('error', reject);
    });
  }
  close(): void {
    this.ws.close();
  }
}

async function until(what: string, pred: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const boxType = (b: Buffer) => b.toString('latin1', 4, 8);

describe('video gateway', () => {
  let sim: OnvifSimulator;
  let server: Server;
  let gateway: VideoGateway;
  let base: string;
  let token: string;
  let viewerToken: string;
  let dataDir: string;

  beforeAll(async () => {
    sim = await startOnvifSimulator({ cameras: [{ id: 'cam1', name: 'Lobby entrance', width: 320, height: 240, fps: 15 }] });
    const hash = await hashPassword('pw', DEFAULT_SCRYPT);
    const config = testSiteConfig({ floors: 1, pointsPerFloor: 1, users: [{ username: 'guard', role: 'guard', passwordHash: hash }, { username: 'blind', role: 'viewer', passwordHash: hash }] });
    config.rolePermissions = { ...DEFAULT_ROLE_PERMISSIONS, viewer: ['points:read'] };
    const auth = new Auth(config, { record() {} }, silent);
    token = (await auth.login('guard', 'pw')).token;
    viewerToken = (await auth.login('blind', 'pw')).token;
    dataDir = mkdtempSync(path.join(tmpdir(), 'wf-video-'));
    const rtsp = sim.cameras[0].rtspUrl;
    gateway = new VideoGateway({
      cameras: { ids: () => ['cam1'], get: (id) => (id === 'cam1' ? { id, streamUri: rtsp, codec: 'H264' } : undefined) },
      dataDir, authorize: upgradeAuthorizer(auth.requirePermission), log: silent, graceMs: 400, bufferSeconds: 5,
      backoff: { initialMs: 200, maxMs: 1000 },
    });
    server = createServer((_req, res) => res.writeHead(404).end());
    gateway.attach(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    server?.close();
    await sim?.stop();
  });

  // A stream a sibling test left running stops after the grace period: every test starts from idle.
  beforeEach(async () => {
    await until('ffmpeg idle before the test', () => gateway.counters.running === 0);
  }, 30_000);

  it('refuses viewers without a session (401) or without cameras:view (403), and unknown cameras (404)', async () => {
    const spawned = gateway.counters.spawned;
    await expect(new TestViewer(`${base}/video/cam1`).opened()).rejects.toThrow('HTTP 401');
    await expect(new TestViewer(`${base}/video/cam1?token=nonsense`).opened()).rejects.toThrow('HTTP 401');
    await expect(new TestViewer(`${base}/video/cam1?token=${viewerToken}`).opened()).rejects.toThrow('HTTP 403');
    await expect(new TestViewer(`${base}/video/nope?token=${token}`).opened()).rejects.toThrow('HTTP 404');
    expect(gateway.counters.spawned).toBe(spawned); // no ffmpeg started for a refused viewer
  });

  it('streams fMP4 (ftyp/moov first), shares one ffmpeg between viewers, late joiner starts at a keyframe, stops after grace', async () => {
    const spawned = gateway.counters.spawned;
    const a = new TestViewer(`${base}/video/cam1?token=${token}`);
    await a.opened();
    await until('init + 3 fragments for viewer A', () => a.binaries.length >= 4);
    expect(boxType(a.binaries[0])).toBe('ftyp');
    expect(a.binaries[0].includes(Buffer.from('moov'))).toBe(true);
    expect(boxType(a.binaries[1])).toBe('moof');
    expect(moofStartsWithKeyframe(a.binaries[1])).toBe(true);

    const b = new TestViewer(`${base}/video/cam1?token=${token}`);
    await b.opened();
    await until('init + 1 fragment for viewer B', () => b.binaries.length >= 2);
    expect(boxType(b.binaries[0])).toBe('ftyp');
    expect(b.binaries[0].equals(a.binaries[0])).toBe(true); // same init segment, same ffmpeg
    expect(moofStartsWithKeyframe(b.binaries[1])).toBe(true);
    expect(gateway.counters).toEqual({ spawned: spawned + 1, running: 1 });
    expect(gateway.status('cam1')).toMatchObject({ state: 'live', viewers: 2, transcoding: false, transport: 'tcp' });

    a.close();
    await until('one viewer left', () => gateway.status('cam1')!.viewers === 1);
    expect(gateway.counters.running).toBe(1);
    b.close();
    await until('ffmpeg stopped after the grace period', () => gateway.counters.running === 0);
    expect(gateway.status('cam1')).toMatchObject({ state: 'idle', viewers: 0 });
  }, 60_000);

  it('camera gone mid-stream → {"status":"reconnecting"}, then a new init segment when it returns', async () => {
    const v = new TestViewer(`${base}/video/cam1?token=${token}`);
    await v.opened();
    await until('streaming', () => v.binaries.length >= 2);
    await sim.stopCamera('cam1');
    await until('reconnecting message', () => v.statuses.some((s) => s.status === 'reconnecting'));
    expect(gateway.status('cam1')!.state).toBe('reconnecting');
    const before = v.binaries.length;
    await sim.startCamera('cam1');
    await until('new init segment', () => v.binaries.slice(before).some((b) => boxType(b) === 'ftyp'), 30_000);
    await until('live again', () => v.statuses.some((s) => s.status === 'live'));
    v.close();
  }, 60_000);

  it('snapshots to a JPEG file and saves a clip of the seconds around now as MP4', async () => {
    const snap = await gateway.snapshot('cam1', 'test');
    const jpeg = readFileSync(snap.path);
    expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(snap.path.startsWith(path.join(dataDir, 'video', 'snapshots'))).toBe(true);

    const clip = await gateway.clip('cam1', { preSeconds: 1, postSeconds: 2, reason: 'test' });
    const pieces = new Mp4Splitter().push(readFileSync(clip.path));
    expect(pieces[0].type).toBe('init');
    const frags = pieces.filter((p) => p.type === 'fragment');
    expect(frags.length).toBeGreaterThan(1);
    expect(frags[0]).toMatchObject({ keyframe: true });
    expect(await gateway.files('clips', 'cam1')).toEqual([clip.file]);
  }, 60_000);
});

describe('video gateway with an H.265 camera', () => {
  it('notices hevc in the stream, transcodes to H.264 and says so in the status', async () => {
    const sim = await startOnvifSimulator({ cameras: [{ id: 'hevc', name: 'Server room', width: 320, height: 240, fps: 10, codec: 'H265' }] });
    const server = createServer((_req, res) => res.writeHead(404).end());
    const rtsp = sim.cameras[0].rtspUrl;
    // No codec hint: the gateway must find out from the stream itself.
    const gateway = new VideoGateway({
      cameras: { ids: () => ['hevc'], get: (id) => (id === 'hevc' ? { id, streamUri: rtsp } : undefined) },
      dataDir: mkdtempSync(path.join(tmpdir(), 'wf-video-')), authorize: async () => ({ ok: true, user: 't' }), log: silent, graceMs: 200,
    });
    gateway.attach(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const v = new TestViewer(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/video/hevc`);
      await v.opened();
      await until('init + fragment', () => v.binaries.length >= 2, 30_000);
      expect(boxType(v.binaries[0])).toBe('ftyp');
      expect(v.binaries[0].includes(Buffer.from('avcC'))).toBe(true);
      expect(v.binaries[0].includes(Buffer.from('hvcC'))).toBe(false);
      expect(gateway.status('hevc')).toMatchObject({ state: 'live', transcoding: true, detail: expect.stringMatching(/transcoding hevc → H\.264/) });
      v.close();
    } finally {
      await gateway.close();
      server.close();
      await sim.stop();
    }
  }, 60_000);
});

describe('video gateway without ffmpeg', () => {
  it('tells viewers and the status clearly, and keeps retrying', async () => {
    const server = createServer((_req, res) => res.writeHead(404).end());
    const gateway = new VideoGateway({
      cameras: { ids: () => ['c'], get: (id) => (id === 'c' ? { id, streamUri: 'rtsp://127.0.0.1:9/cam' } : undefined) },
      dataDir: mkdtempSync(path.join(tmpdir(), 'wf-video-')), authorize: async () => ({ ok: true, user: 't' }), log: silent,
      ffmpegPath: '/nonexistent/ffmpeg', backoff: { initialMs: 50, maxMs: 100 },
    });
    gateway.attach(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const v = new TestViewer(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/video/c`);
      await v.opened();
      await until('failed status', () => v.statuses.some((s) => s.status === 'failed'));
      expect(v.statuses.find((s) => s.status === 'failed')).toMatchObject({ detail: expect.stringContaining('ffmpeg not found at /nonexistent/ffmpeg') });
      expect(gateway.status('c')).toMatchObject({ state: 'failed' });
      await until('retried', () => gateway.status('c')!.restarts >= 3);
      v.close();
    } finally {
      await gateway.close();
      server.close();
    }
  });
});
