// The video module inside a real hub: cameras REST with roles, PTZ through the ONVIF driver to the
// simulated camera, snapshots, and the alarm camera action writing a snapshot and a clip.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnvifSimulator, type OnvifSimulator } from '../../simulators/onvif/index.js';
import { OnvifDriver, onvifFactory } from '../../drivers/onvif/index.js';
import { CameraRegistry } from '../../drivers/onvif/registry.js';
import { hashPassword, DEFAULT_SCRYPT } from '../auth/password.js';
import { createHub, type Hub } from '../server.js';
import { testSiteConfig } from '../test-support.js';
import { WebSocket } from 'ws';
import { createVideoModule, type VideoModule } from './module.js';

const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent };

describe('video module in the hub', () => {
  let sim: OnvifSimulator;
  let hub: Hub;
  let video: VideoModule;
  let registry: CameraRegistry;
  let guard: string;
  let energy: string;
  let dataDir: string;

  const api = async (method: string, url: string, token: string, body?: unknown) => {
    const res = await fetch(`${hub.url}/api${url}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, type, body: type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    sim = await startOnvifSimulator({ cameras: [{ id: 'lobby', name: 'Lobby entrance', width: 320, height: 240, fps: 15 }] });
    const hash = await hashPassword('pw', DEFAULT_SCRYPT);
    const config = testSiteConfig({ floors: 1, pointsPerFloor: 1, users: [{ username: 'guard', role: 'guard', passwordHash: hash }, { username: 'energy', role: 'energy_officer', passwordHash: hash }] });
    dataDir = config.hub.dataDir;
    const options = onvifFactory.connectionSchema.parse({ host: '127.0.0.1', port: sim.cameras[0].onvifPort, username: 'admin', password: 'watchfloor', pollMs: 1000 });
    config.connections.push({ id: 'cam-lobby', protocol: 'onvif', options });
    config.devices.push({ id: 'camera-lobby', connection: 'cam-lobby', options: {}, name: { en: 'Lobby camera', 'zh-CN': '大堂摄像机' }, location: { building: 'a', floor: 'l01', room: 'room-101' }, file: 'cameras.yaml' });
    registry = new CameraRegistry();
    const driver = new OnvifDriver([{ id: 'cam-lobby', protocol: 'onvif', options }], [{ id: 'camera-lobby', connection: 'cam-lobby', options: {} }], [], registry);
    video = createVideoModule({ registry, clipPreSeconds: 1, clipPostSeconds: 1, graceMs: 300, limits: { maxViewersPerCamera: 1 } });
    hub = await createHub(config, { drivers: [driver], modules: [video], log: silent, listen: { port: 0 } });
    const login = async (username: string) => {
      const res = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'pw' }) });
      return ((await res.json()) as { token: string }).token;
    };
    guard = await login('guard');
    energy = await login('energy');
    const deadline = Date.now() + 15_000;
    while (registry.get('cam-lobby')?.info().state !== 'online') {
      if (Date.now() > deadline) throw new Error('camera did not come online');
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);

  afterAll(async () => {
    await hub?.stop();
    await sim?.stop();
  });

  it('lists cameras with status and names; unknown camera is 404; no session is 401', async () => {
    const list = await api('GET', '/cameras', guard);
    expect(list.status).toBe(200);
    expect((list.body as any).items).toEqual([
      expect.objectContaining({ id: 'cam-lobby', name: { en: 'Lobby camera', 'zh-CN': '大堂摄像机' }, location: 'a/l01/room-101', state: 'online', codec: 'H264', ptz: true, videoPath: '/video/cam-lobby' }),
    ]);
    expect((await api('GET', '/cameras/nope', guard)).status).toBe(404);
    expect((await api('GET', '/cameras', 'bogus')).status).toBe(401);
  });

  it('PTZ: moves the simulated head, refuses out-of-range with the range, needs cameras:ptz', async () => {
    const ok = await api('POST', '/cameras/cam-lobby/ptz', guard, { type: 'absolute', pan: 0.3, tilt: -0.1 });
    expect(ok.status).toBe(200);
    expect((ok.body as any).position).toMatchObject({ pan: 0.3, tilt: -0.1 });
    expect(sim.camera('lobby').ptz.position()).toMatchObject({ pan: 0.3, tilt: -0.1 });
    const far = await api('POST', '/cameras/cam-lobby/ptz', guard, { type: 'absolute', pan: 5 });
    expect(far.status).toBe(400);
    expect((far.body as any).error).toMatchObject({ code: 'out_of_range', details: { axis: 'pan', range: [-1, 1] } });
    const bad = await api('POST', '/cameras/cam-lobby/ptz', guard, { type: 'spin' });
    expect(bad.status).toBe(400);
    expect((await api('POST', '/cameras/cam-lobby/ptz', energy, { type: 'stop' })).status).toBe(403);
    // Going to a preset is PTZ; saving one needs cameras:presets (supervisors, admins).
    const save = await api('POST', '/cameras/cam-lobby/ptz', guard, { type: 'preset', action: 'set', preset: 'gate', name: 'Gate' });
    expect(save.status).toBe(403);
    expect(JSON.stringify(save.body)).toContain('cameras:presets');
  });

  it('snapshot on demand is a JPEG and is stored', async () => {
    // Watching roles may not store evidence; guards and operators may.
    expect((await api('GET', '/cameras/cam-lobby/snapshot', energy)).status).toBe(403);
    // Counted before/after: the alarm camera action test stores snapshots of this camera too.
    const stored = async () => ((await api('GET', '/cameras/cam-lobby/snapshots', energy)).body as any).items as unknown[];
    const before = (await stored()).length;
    const snap = await api('GET', '/cameras/cam-lobby/snapshot', guard);
    expect(snap.status).toBe(200);
    expect(snap.type).toBe('image/jpeg');
    expect((snap.body as Buffer).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(await stored()).toHaveLength(before + 1);
  }, 30_000);

  it('an alarm with a camera action produces a snapshot file and a clip', async () => {
    const result = await video.handleCameraAction({ id: 'door-forced' }, { type: 'camera-snapshot', camera: 'camera-lobby' });
    expect(result.camera).toBe('cam-lobby');
    expect(result.errors).toEqual([]);
    expect(result.snapshot!.startsWith(path.join(dataDir, 'video', 'snapshots'))).toBe(true);
    expect(existsSync(result.snapshot!)).toBe(true);
    expect(readFileSync(result.snapshot!).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(readFileSync(result.clip!).toString('latin1', 4, 8)).toBe('ftyp');
    const clips = ((await api('GET', '/cameras/cam-lobby/clips', guard)).body as any).items as string[];
    expect(clips).toEqual([path.basename(result.clip!)]);
    const dl = await api('GET', `/cameras/cam-lobby/clips/${clips[0]}`, guard);
    expect(dl.type).toBe('video/mp4');
    await expect(video.handleCameraAction({ id: 'x' }, { type: 'camera-snapshot', camera: 'no-such-camera' })).rejects.toThrow(/unknown camera no-such-camera/);
  }, 60_000);

  it('viewer limit: admission answers 200, then 429 viewer_limit naming the camera once a viewer watches; no password in the API', async () => {
    const free = await api('GET', '/cameras/cam-lobby/admission', guard);
    expect(free.status).toBe(200);
    const ws = new WebSocket(`${hub.url.replace('http', 'ws')}/video/cam-lobby?token=${guard}`, { headers: { origin: hub.url } });
    try {
      await new Promise((resolve, reject) => {
        ws.once('message', resolve);
        ws.once('error', reject);
      });
      const full = await api('GET', '/cameras/cam-lobby/admission', guard);
      expect(full.status).toBe(429);
      expect((full.body as any).error).toMatchObject({ code: 'viewer_limit' });
      expect((full.body as any).error.message).toMatch(/camera cam-lobby already has 1 viewers/);
    } finally {
      ws.close();
    }
    expect(JSON.stringify((await api('GET', '/cameras', guard)).body)).not.toContain('watchfloor');
  }, 30_000);
});
