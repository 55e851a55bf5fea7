// The subsystem files that used to need a restart, applied live: a real hub on a temp copy of the
// demo config/ (and of floorplans/), one file changed per test, POST /api/config/reload as an admin
// (Bearer token: the CSRF guard lets it through, as for every API client), then the effect and the
// audit entry. Each test restores its file and reloads again, so tests pass alone and in any order.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../contracts/api.js';
import { createBroadcastModule, type BroadcastModule } from '../broadcast/index.js';
import { validateConfigFolder } from '../config/validate.js';
import { createControlModule, type ControlModule } from '../control/index.js';
import { createFloorplansModule } from '../api/floorplans.js';
import { silentLogger } from '../log.js';
import type { HubModule } from '../module.js';
import { createPatrolsModule, type PatrolsModule } from '../patrols/index.js';
import { createRecordingModule, type RecordingModule } from '../recording/module.js';
import { createReportsModule } from '../reports/index.js';
import { createHub, REPO_ROOT, type Hub } from '../server.js';
import { createDispatchModule, type DispatchModule } from '../workorders/index.js';

let hub: Hub;
let root: string;
let dir: string;
let plansDir: string;
let token: string;
const control: ControlModule = createControlModule({ timers: false });
const broadcast: BroadcastModule = createBroadcastModule();
const dispatch: DispatchModule = createDispatchModule({ tickMs: 0, notifyTickMs: 0 });
const patrols: PatrolsModule = createPatrolsModule({ tickMs: 0, dispatch: () => dispatch.service });
const CAMERAS = ['cam-lobby', 'cam-archive', 'cam-server', 'cam-parking'];
// Cameras without a stream: recorders exist and report their mode, no ffmpeg runs.
const recording: RecordingModule = createRecordingModule({
  cameras: () => ({ ids: () => CAMERAS, get: () => ({}), view: () => undefined }),
  journal: () => undefined,
});
// The recording module needs a `video` module; the camera catalog is the stub above.
const videoStub: HubModule = { name: 'video' };

type Reloaded = { ok: true; summary: string; needsRestart: string[] };

async function reload(): Promise<{ status: number; body: Reloaded & { error?: { code: string; details: { problems: string[] } } } }> {
  const res = await fetch(`${hub.url}/api/config/reload`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' });
  return { status: res.status, body: await res.json() };
}
async function get<T>(p: string): Promise<T> {
  const res = await fetch(hub.url + p, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}
const file = (name: string) => path.join(name.startsWith('floorplans/') ? path.dirname(plansDir) : dir, name);
const read = (name: string): any => YAML.parse(fs.readFileSync(file(name), 'utf8'));

/** Changes one file, reloads, runs the checks, then puts the file back and reloads again. */
async function withChange(name: string, change: (doc: any) => void, check: (r: Reloaded) => Promise<void> | void): Promise<void> {
  const original = fs.readFileSync(file(name), 'utf8');
  const doc = YAML.parse(original);
  change(doc);
  fs.writeFileSync(file(name), YAML.stringify(doc));
  try {
    const r = await reload();
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.summary).toContain(`changed: `);
    expect(r.body.summary).toContain(name);
    // Audited with a diff summary that names the file.
    const entry = hub.audit.query({ action: 'config.reload' })[0];
    expect(entry?.user).toBe('admin');
    expect(String(entry?.details?.summary)).toContain(name);
    expect(entry?.details?.sectionsChanged).toContain(name);
    await check(r.body);
  } finally {
    fs.writeFileSync(file(name), original);
    expect((await reload()).status).toBe(200);
  }
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-live-sections-'));
  dir = path.join(root, 'config');
  plansDir = path.join(root, 'floorplans');
  fs.cpSync(path.join(REPO_ROOT, 'config'), dir, { recursive: true });
  fs.mkdirSync(plansDir);
  fs.copyFileSync(path.join(REPO_ROOT, 'floorplans', 'a.yaml'), path.join(plansDir, 'a.yaml'));
  const validate = (d: string) => validateConfigFolder(d, { floorplansDir: plansDir });
  const config = validate(dir);
  hub = await createHub(config, {
    drivers: [],
    modules: [createFloorplansModule(), videoStub, broadcast, control, dispatch, patrols, recording, createReportsModule({ tickMs: 0 })],
    log: silentLogger(),
    listen: { port: 0 },
    validateConfig: validate,
  });
  const res = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-demo' }) });
  token = ((await res.json()) as SessionInfo).token;
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('live reload of the subsystem files', () => {
  it('schedules.yaml: a changed schedule becomes a new version and is re-evaluated at once', async () => {
    const before = await get<{ version: number }>('/api/control/schedules');
    let modes: Record<string, { setpoint: number }> = {};
    let id = '';
    await withChange('schedules.yaml', (doc) => {
      const s = doc.schedules[0];
      id = s.id;
      // Half a degree towards 23 °C: inside every zone's limits.
      for (const m of Object.values(s.modes) as Array<{ setpoint: number }>) m.setpoint += m.setpoint > 23 ? -0.5 : 0.5;
      modes = s.modes;
    }, async () => {
      const now = await get<{ version: number; user: string; doc: { schedules: Array<{ id: string; modes: typeof modes }> } }>('/api/control/schedules');
      expect(now.version).toBeGreaterThan(before.version);
      expect(now.user).toBe('config/schedules.yaml');
      expect(now.doc.schedules.find((s) => s.id === id)?.modes).toMatchObject(modes);
      // Evaluated right away (no schedule timer runs in this hub): every zone of the schedule has the new setpoint.
      const end = Date.now() + 5000;
      while (!control.engine().decisions.some((d) => d.schedule === id) && Date.now() < end) await new Promise((ok) => setTimeout(ok, 20));
      const mine = control.engine().decisions.filter((d) => d.schedule === id);
      expect(mine.length).toBeGreaterThan(0);
      for (const d of mine) expect([Math.min(28, Math.max(18, modes[d.mode].setpoint)), modes[d.mode].setpoint]).toContain(d.setpoint);
    });
  }, 20_000);

  it('lighting.yaml: a zone removed and a setting changed apply to the running controller', async () => {
    const zones = control.lighting()!.zoneList().map((z) => z.id);
    await withChange('lighting.yaml', (doc) => {
      doc.zones = doc.zones.slice(1);
      doc.fault.forSec = 45;
    }, async () => {
      const live = (await get<{ items: Array<{ id: string }> }>('/api/control/lighting/zones')).items.map((z) => z.id);
      expect(live).toEqual(zones.slice(1));
    });
    expect(control.lighting()!.zoneList().map((z) => z.id)).toEqual(zones);
  }, 20_000);

  it('broadcast.yaml: a new PA zone is usable at once', async () => {
    await withChange('broadcast.yaml', (doc) => {
      doc.zones.push({ id: 'annex', name: { en: 'Annex', 'zh-CN': '附楼' }, kind: 'area', endpoint: { host: '127.0.0.1', port: 16198 } });
    }, async () => {
      const zones = (await get<{ items: Array<{ id: string }> }>('/api/broadcast/zones')).items.map((z) => z.id);
      expect(zones).toContain('annex');
      expect(broadcast.manager()!.validate({ user: 'admin', role: 'admin' }, { zones: ['annex'], chime: true })).toEqual(['annex']);
    });
    expect(() => broadcast.manager()!.validate({ user: 'admin', role: 'admin' }, { zones: ['annex'], chime: true })).toThrow(/unknown broadcast zone "annex"/);
  }, 20_000);

  it('dispatch.yaml: a roster change applies to the next dispatch', async () => {
    const onCall = () => dispatch.service!.onCall('plumbing', 'a/b1/pump-b101')?.people;
    expect(onCall()?.[0]).not.toBe('hvac');
    await withChange('dispatch.yaml', (doc) => {
      const e = doc.roster.entries.find((x: { trade: string }) => x.trade === 'plumbing');
      for (const k of ['workday', 'weekend', 'holiday', 'night']) e[k] = ['hvac'];
    }, () => {
      expect(onCall()?.[0]).toBe('hvac');
    });
    expect(onCall()?.[0]).not.toBe('hvac');
  }, 20_000);

  it('dispatch.yaml: a roster naming an unknown person is refused whole, with file: path: reason, and changes nothing', async () => {
    const original = fs.readFileSync(file('dispatch.yaml'), 'utf8');
    const schedules = fs.readFileSync(file('schedules.yaml'), 'utf8');
    const version = (await get<{ version: number }>('/api/control/schedules')).version;
    try {
      const doc = YAML.parse(original);
      doc.roster.entries.find((x: { trade: string }) => x.trade === 'plumbing').workday = ['nobody'];
      fs.writeFileSync(file('dispatch.yaml'), YAML.stringify(doc));
      // A good change in the same reload is refused with it.
      const s = YAML.parse(schedules);
      s.schedules[0].modes.occupied.setpoint += 1;
      fs.writeFileSync(file('schedules.yaml'), YAML.stringify(s));
      const r = await reload();
      expect(r.status).toBe(422);
      expect(r.body.error?.code).toBe('config_refused');
      expect(r.body.error?.details.problems.join('\n')).toMatch(/dispatch\.yaml: roster\.entries\[2\]\.workday\[0\]: "nobody" is not in people/);
      expect(dispatch.service!.onCall('plumbing', 'a/b1/pump-b101')?.people).not.toContain('nobody');
      expect((await get<{ version: number }>('/api/control/schedules')).version).toBe(version);
      expect(hub.audit.query({ action: 'config.reload_refused' })[0]?.details?.problems).toBeDefined();
    } finally {
      fs.writeFileSync(file('dispatch.yaml'), original);
      fs.writeFileSync(file('schedules.yaml'), schedules);
    }
  }, 20_000);

  it('patrols.yaml: a new checkpoint and tour change apply to the running service', async () => {
    await withChange('patrols.yaml', (doc) => {
      doc.checkpoints.push({ id: 'a-lobby-east', name: { en: 'Lobby east', 'zh-CN': '大堂东' }, area: 'a/l01/lobby-101' });
      const last = doc.tours[0].checkpoints.at(-1);
      doc.tours[0].checkpoints.push({ checkpoint: 'a-lobby-east', atMin: last.atMin + 1, windowMin: last.windowMin });
    }, () => {
      expect(patrols.service!.checkpoints.has('a-lobby-east')).toBe(true);
      expect(patrols.service!.tours.get('night-a')?.checkpoints.map((c) => c.checkpoint)).toContain('a-lobby-east');
      expect(patrols.service!.codes().map((c) => c.checkpoint)).toContain('a-lobby-east');
    });
    expect(patrols.service!.checkpoints.has('a-lobby-east')).toBe(false);
  }, 20_000);

  it("recording.yaml: a camera's mode change restarts only that camera's recorder", async () => {
    const before = new Map(recording.store!.recorders);
    await withChange('recording.yaml', (doc) => {
      doc.cameras['cam-lobby'].mode = 'off';
    }, () => {
      const now = recording.store!.recorders;
      expect(now.get('cam-lobby')).not.toBe(before.get('cam-lobby'));
      expect(now.get('cam-lobby')!.status().mode).toBe('off');
      for (const c of CAMERAS.filter((x) => x !== 'cam-lobby')) expect(now.get(c)).toBe(before.get(c));
    });
    expect(recording.store!.recorders.get('cam-lobby')!.status().mode).toBe('continuous');
  }, 20_000);

  it('reports.yaml: a new schedule is listed at once', async () => {
    await withChange('reports.yaml', (doc) => {
      doc.schedules.push({ id: 'daily-en', kind: 'daily', lang: 'en', at: '07:45', recipients: ['admin'] });
    }, async () => {
      const items = await get<Array<{ id: string; lastRun: number | null }>>('/api/reports/schedules');
      // Started from its latest due time: no burst of past reports.
      expect(items.find((s) => s.id === 'daily-en')?.lastRun).toBeGreaterThan(0);
    });
  }, 20_000);

  it('floorplans/a.yaml: a changed plan is served after the reload', async () => {
    await withChange('floorplans/a.yaml', (doc) => {
      doc.name.en = 'Tower A (renovated)';
    }, async () => {
      expect((await get<{ name: { en: string } }>('/api/floorplans/a')).name.en).toBe('Tower A (renovated)');
    });
    expect((await get<{ name: { en: string } }>('/api/floorplans/a')).name.en).toBe('Tower A');
  }, 20_000);

  it('hub.yaml: a changed port is answered as "needs restart", not silently ignored', async () => {
    const original = fs.readFileSync(file('hub.yaml'), 'utf8');
    try {
      fs.writeFileSync(file('hub.yaml'), original.replace(/^port: \d+/m, 'port: 18181'));
      const r = await reload();
      expect(r.status).toBe(200);
      expect(r.body.needsRestart).toContain('needs restart: hub.yaml port');
      expect(r.body.summary).toContain('needs restart: hub.yaml port');
      expect(hub.audit.query({ action: 'config.reload' })[0]?.details?.needsRestart).toContain('needs restart: hub.yaml port');
    } finally {
      fs.writeFileSync(file('hub.yaml'), original);
      await reload();
    }
  }, 20_000);
});
