// The sitemap module inside a real hub: the map and coverage over REST, nearest cameras indoors
// (room centroid placed by the building) and outdoors, PTZ aiming through the camera registry,
// and the camera pose PATCH (permission, 4xx naming the field, audit, written back to the file).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildingPlan } from '../../contracts/geometry.js';
import type { PtzCommand } from '../../contracts/cameras.js';
import type { CoverageReport, NearestResult } from '../../contracts/sitemap.js';
import { hashPassword, DEFAULT_SCRYPT } from '../auth/password.js';
import { createHub, type Hub } from '../server.js';
import { testSiteConfig } from '../test-support.js';
import { formatSiteMap } from './format.js';
import { createSitemapModule, type SitemapModule } from './module.js';

const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent };
const name = (s: string) => ({ en: s, 'zh-CN': s });
const ring = (x0: number, y0: number, x1: number, y1: number) => [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]];

export function smallSiteMap() {
  return {
    type: 'FeatureCollection',
    watchfloor: { version: 1, site: 'hq', name: name('HQ'), frame: 'local' },
    features: [
      { type: 'Feature', id: 'tower-a', geometry: { type: 'Polygon', coordinates: ring(0, 0, 20, 10) }, properties: { kind: 'building', name: name('Tower A'), height: 20, building: 'a', planOrigin: [0, 0] } },
      { type: 'Feature', id: 'street', geometry: { type: 'LineString', coordinates: [[-20, -10], [60, -10]] }, properties: { kind: 'road', name: name('Street'), width: 8 } },
      { type: 'Feature', id: 'cam-street', geometry: { type: 'Point', coordinates: [10, -16] }, properties: { kind: 'camera', name: name('Street camera'), height: 6, heading: 90, fov: 60, range: 60 } },
      { type: 'Feature', id: 'cam-dome', geometry: { type: 'Point', coordinates: [30, 20] }, properties: { kind: 'camera', name: name('Dome'), height: 8, heading: 180, fov: 50, range: 80, connection: 'cam-ptz', ptz: { pan: [-180, 180], tilt: [-90, 0], presets: [{ token: 'p-east', pan: -90 }] } } },
      { type: 'Feature', id: 'gate-1', geometry: { type: 'Point', coordinates: [40, -10] }, properties: { kind: 'gate', name: name('Gate'), device: 'gate-contact' } },
    ],
  };
}

const plan: BuildingPlan = {
  version: 1, site: 'hq', building: 'a', name: { en: 'Tower A', 'zh-CN': 'A座' },
  floors: [{
    id: 'l01', name: { en: 'L1', 'zh-CN': '一层' }, elevation: 0, height: 4, outline: [[0, 0], [20, 0], [20, 10], [0, 10]],
    rooms: [{ id: 'room-101', polygon: [[0, 0], [10, 0], [10, 10], [0, 10]] }], doors: [], windows: [],
    devices: [{ room: 'room-101', equipment: 'camera-101', at: [1, 1], z: 2.8, kind: 'camera' }],
  }],
};

describe('sitemap module in the hub', () => {
  let hub: Hub;
  let sitemap: SitemapModule;
  let dir: string;
  let config: ReturnType<typeof testSiteConfig>;
  const tokens: Record<string, string> = {};
  const ptz: PtzCommand[] = [];

  const api = async <T = any>(method: string, url: string, who: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${hub.url}/api${url}`, { method, headers: { authorization: `Bearer ${tokens[who]}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as T };
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'wf-sitemap-'));
    writeFileSync(path.join(dir, 'sitemap.geojson'), formatSiteMap(smallSiteMap()));
    const hash = await hashPassword('pw', DEFAULT_SCRYPT);
    config = testSiteConfig({ floors: 1, pointsPerFloor: 1, users: [{ username: 'viewer', role: 'viewer', passwordHash: hash }, { username: 'sup', role: 'supervisor', passwordHash: hash }] });
    config.dir = dir;
    config.connections.push({ id: 'cam-ptz', protocol: 'onvif', options: {} }, { id: 'cam-in', protocol: 'onvif', options: {} });
    config.devices.push(
      { id: 'camera-101', connection: 'cam-in', options: {}, name: name('Room camera'), location: { building: 'a', floor: 'l01', room: 'room-101' }, file: 'cameras.yaml' },
      { id: 'gate-contact', connection: 'test-gw', options: {}, name: name('Gate contact'), location: { building: 'a', floor: 'l01', room: 'room-101' }, file: 'modbus.yaml' },
    );
    sitemap = createSitemapModule({ plans: () => new Map([['a', plan]]) });
    hub = await createHub(config, { drivers: [], modules: [sitemap], log: silent, listen: { port: 0 } });
    hub.registries.cameras.register({
      id: 'cam-ptz',
      info: () => ({ id: 'cam-ptz', devices: [], state: 'online', since: 0, ptz: true, limits: { pan: [-1, 1], tilt: [-1, 1], zoom: [0, 1] } }),
      ptz: async (cmd) => {
        ptz.push(cmd);
        return { ok: true };
      },
    });
    for (const who of ['viewer', 'sup']) {
      const res = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: who, password: 'pw' }) });
      tokens[who] = ((await res.json()) as { token: string }).token;
    }
  }, 30_000);

  afterAll(async () => {
    await hub?.stop();
  });

  it('serves the map and the coverage figures; no session is 401', async () => {
    const map = await api('GET', '/sitemap', 'viewer');
    expect(map.status).toBe(200);
    expect(map.body.cameras.map((c: { id: string }) => c.id)).toEqual(['cam-street', 'cam-dome']);
    const cov = await api<CoverageReport>('GET', '/sitemap/coverage', 'viewer');
    expect(cov.status).toBe(200);
    expect(cov.body.roads).toEqual([expect.objectContaining({ id: 'street', area: expect.any(Number) })]);
    expect(cov.body.overall.fraction).toBeGreaterThan(0);
    expect(cov.body.overall.fraction).toBeLessThan(1);
    expect(cov.body.cones.find((c) => c.camera === 'cam-dome')!.reach).toBeDefined();
    expect(cov.body.blindSpots.length).toBeGreaterThan(0);
    expect((await fetch(`${hub.url}/api/sitemap/coverage`)).status).toBe(401);
  });

  it('nearest: outdoors by x/y and by a device drawn on the map; indoors by the room centroid', async () => {
    const xy = await api<NearestResult>('GET', '/sitemap/nearest?x=40&y=-10', 'viewer');
    expect(xy.body.cameras.map((c) => c.camera)).toEqual(['cam-street', 'cam-dome']);
    expect(xy.body.cameras[1]).toMatchObject({ connection: 'cam-ptz', seesNow: true, aim: { pan: -18.4 } });
    const gate = await api<NearestResult>('GET', '/sitemap/nearest?point=hq/a/l01/room-101/gate-contact/state', 'viewer');
    expect(gate.body.at).toEqual([40, -10]);
    const room = await api<NearestResult>('GET', '/sitemap/nearest?room=a/l01/room-101', 'viewer');
    expect(room.body).toMatchObject({ at: [5, 5], indoor: { building: 'a', floor: 'l01', room: 'room-101' }, cameras: [{ camera: 'camera-101', connection: 'cam-in', seesNow: true, indoor: true }] });
    expect((await api('GET', '/sitemap/nearest?x=abc&y=1', 'viewer')).status).toBe(400);
    expect((await api('GET', '/sitemap/nearest', 'viewer')).status).toBe(400);
    expect((await api('GET', '/sitemap/nearest?device=nope', 'viewer')).status).toBe(404);
  });

  it('pickCamera turns the PTZ dome onto an outdoor alarm, and audits it', async () => {
    ptz.length = 0;
    const res = await sitemap.pickCamera('hq/a/l01/room-101/gate-contact/state', { aim: true, alarm: 'al-1' });
    expect(res.camera).toBe('cam-ptz');
    expect(ptz).toHaveLength(1);
    expect(ptz[0]).toMatchObject({ type: 'absolute' });
    // Bearing from (30,20) to (40,-10) is 161.6°: 18.4° right of south... pan -18.4° of 360 → -0.102.
    expect((ptz[0] as { pan: number }).pan).toBeCloseTo(-18.4 / 180, 2);
    expect(hub.audit.query({}).some((e) => e.action === 'sitemap.aim' && e.target === 'cam-ptz')).toBe(true);
    const indoor = await sitemap.pickCamera('hq/a/l01/room-101/x/y');
    expect(indoor.camera).toBe('cam-in');
  });

  it('camerasViewing: the streaming cameras whose view takes in a point or a room as they point now', () => {
    // The gate contact is drawn on the map: the dome's cone (heading 180°, 50°) takes it in; the
    // street camera sees it too but does not stream.
    expect(sitemap.camerasViewing('hq/a/l01/room-101/gate-contact/open')).toEqual(['cam-ptz']);
    // Indoors: the camera drawn in the room on its floor plan.
    expect(sitemap.camerasViewing('a/l01/room-101')).toEqual(['cam-in']);
    expect(sitemap.camerasViewing('hq/a/l01/room-101/dev-0/p-0')).toEqual(['cam-in']);
    expect(sitemap.camerasViewing('a/l01/nowhere')).toEqual([]);
    expect(sitemap.camerasViewing('a')).toEqual([]);
  });

  it('PATCH a camera pose: needs sitemap:edit, names the bad field, recomputes, audits and writes the file', async () => {
    expect((await api('PATCH', '/sitemap/cameras/cam-street', 'viewer', { heading: 270 })).status).toBe(403);
    const bad = await api('PATCH', '/sitemap/cameras/cam-street', 'sup', { heading: 400 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('heading');
    expect((await api('PATCH', '/sitemap/cameras/cam-street', 'sup', { at: [5, 5] })).body).toMatchObject({ error: { code: 'inside_building' } });
    expect((await api('PATCH', '/sitemap/cameras/nope', 'sup', { heading: 1 })).status).toBe(404);
    const before = (await api<CoverageReport>('GET', '/sitemap/coverage', 'viewer')).body.roads[0].covered;
    const ok = await api('PATCH', '/sitemap/cameras/cam-street', 'sup', { heading: 270, fov: 120 });
    expect(ok.status).toBe(200);
    expect(ok.body.recomputeMs).toEqual(expect.any(Number));
    const after = (await api<CoverageReport>('GET', '/sitemap/coverage', 'viewer')).body.roads[0].covered;
    expect(after).not.toBe(before);
    expect(hub.audit.query({}).some((e) => e.action === 'sitemap.camera_pose' && e.user === 'sup' && e.target === 'cam-street')).toBe(true);
    const saved = JSON.parse(readFileSync(path.join(dir, 'sitemap.geojson'), 'utf8'));
    expect(saved.features.find((f: { id: string }) => f.id === 'cam-street').properties).toMatchObject({ heading: 270, fov: 120 });
    // Back as it was: the other tests (any order) use this camera.
    expect((await api('PATCH', '/sitemap/cameras/cam-street', 'sup', { heading: 90, fov: 60 })).status).toBe(200);
  });

  it.each([
    ['GET', '/sitemap/nearest?x=1&x=2&y=3', undefined, 400],
    ['GET', '/sitemap/nearest?x=1e400&y=0', undefined, 400],
    ['GET', '/sitemap/nearest?point=a/b', undefined, 400],
    ['GET', '/sitemap/nearest?room=%00/%00/%00', undefined, 404],
    ['GET', '/sitemap/nearest?x=0&y=0&limit=0', undefined, 400],
    ['GET', '/sitemap/nearest?device=constructor', undefined, 404],
    ['PATCH', '/sitemap/cameras/constructor', { heading: 1 }, 404],
    ['PATCH', '/sitemap/cameras/cam-street', [1, 2], 400],
    ['PATCH', '/sitemap/cameras/cam-street', { at: [1e300, 0] }, 400],
    ['PATCH', '/sitemap/cameras/cam-street', { at: ['x', 0] }, 400],
    ['PATCH', '/sitemap/cameras/cam-street', { heading: 10, extra: 1 }, 400],
    ['PATCH', '/sitemap/cameras/cam-street', {}, 400],
    ['PATCH', '/sitemap/cameras/cam-street', { __proto__: { heading: 5 } }, 400],
  ] as Array<[string, string, unknown, number]>)('hostile %s %s %j → %d with a reason', async (method, url, body, status) => {
    const res = await api(method, url, 'sup', body);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toEqual(expect.any(String));
  });

  it('a config reload that only moves a camera redoes that camera; a changed road rebuilds the grid', async () => {
    const file = path.join(dir, 'sitemap.geojson');
    const original = readFileSync(file, 'utf8');
    try {
      const model = sitemap.coverage();
      const raw = smallSiteMap();
      raw.features[2].properties.heading = 0;
      writeFileSync(file, formatSiteMap(raw));
      await sitemap.reload!(config, {} as never);
      expect(sitemap.coverage()).toBe(model);
      expect(sitemap.map()!.cameras.find((c) => c.id === 'cam-street')!.heading).toBe(0);
      expect(sitemap.coverage()!.cone('cam-street')!.polygon.every(([, y]) => y >= -16 - 1e-6)).toBe(true);
      raw.features[1].properties.width = 12;
      writeFileSync(file, formatSiteMap(raw));
      await sitemap.reload!(config, {} as never);
      expect(sitemap.coverage()).not.toBe(model);
      // A broken map is refused whole: the running one stays.
      raw.features[2].properties.fov = 0;
      writeFileSync(file, formatSiteMap(raw));
      expect(() => sitemap.reload!(config, {} as never)).toThrow(/properties\.fov/);
      expect(sitemap.map()!.roads[0].width).toBe(12);
    } finally {
      writeFileSync(file, original);
      await sitemap.reload!(config, {} as never);
    }
  });
});

describe('alarm rules name `camera: nearest`', () => {
  it('the action schema takes nearest + aim, and the config check does not call nearest an unknown camera', async () => {
    const { actionSchema } = await import('../alarms/schema.js');
    const { cameraActionProblems } = await import('../config/sections.js');
    expect(actionSchema.parse({ type: 'camera-snapshot', camera: 'nearest', aim: true })).toEqual({ type: 'camera-snapshot', camera: 'nearest', aim: true });
    expect(() => actionSchema.parse({ type: 'camera-snapshot', camera: 'nearest', aim: 'yes' })).toThrow();
    const rules = { rules: [{ actions: [{ type: 'camera-snapshot', camera: 'nearest' }, { type: 'camera-snapshot', camera: 'cam-nope' }] }] };
    expect(cameraActionProblems(rules, new Set(['cam-lobby'])).map((p) => p.path)).toEqual([['rules', 0, 'actions', 1, 'camera']]);
  });
});
