// Live reload against a real hub on loopback: a config folder on disk, `tick` drivers publishing
// a counter per point, REST and Socket.IO clients. Untouched connections must keep publishing
// without a gap (no restart); a refused folder must change nothing.
import fs from 'node:fs';
import path from 'node:path';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../contracts/api.js';
import type { ClientToServerEvents, ServerToClientEvents, SiteChanged } from '../../contracts/live.js';
import { createAlarmsModule, type AlarmsModule } from '../alarms/index.js';
import { hashPassword } from '../auth/password.js';
import { validateConfigFolder } from '../config/validate.js';
import { createDriversWith } from '../driver-groups.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { TEST_VALIDATE_MODULE } from './test-validate.js';
import { devicesYaml, SITE_YAML, tickFactory, usersYaml, writeConfigDir, writeConfigFile } from './test-site.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const PW = 'pw-for-tests';
const A0 = 'hq/a/l01/room-101/dev-a/p-0';
const B0 = 'hq/a/l01/room-101/dev-b/p-0';

const ALARMS = (extra = '') => `
rules:
  - id: b-high
    type: limit
    point: ${B0}
    limits: { high: { value: 3 } }
    message: { en: B high, zh-CN: B高 }
${extra}`;

let hub: Hub;
let dir: string;
let alarms: AlarmsModule;
const factory = tickFactory();
const load = (d: string) => validateConfigFolder(d, { drivers: [factory], floorplansDir: false });
/** Sequence numbers seen per point, in arrival order. */
const seen = new Map<string, number[]>();
const clients: Client[] = [];

async function post<T>(p: string, body: unknown, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(hub.url + p, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as T };
}
async function login(username: string): Promise<string> {
  const r = await post<SessionInfo>('/api/auth/login', { username, password: PW });
  expect(r.status).toBe(200);
  return r.body.token;
}
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** True when the point's sequence has no gap and no repeat from its first sample on. */
function contiguous(id: string): boolean {
  const s = seen.get(id) ?? [];
  return s.length > 0 && s.every((v, i) => i === 0 || v === s[i - 1] + 1);
}

beforeAll(async () => {
  const hash = await hashPassword(PW, { N: 1024, r: 8, p: 1 });
  dir = writeConfigDir({
    'site.yaml': SITE_YAML,
    'hub.yaml': 'port: 0\n',
    'users.yaml': usersYaml([{ username: 'admin', role: 'admin', hash }, { username: 'operator', role: 'operator', hash }, { username: 'temp', role: 'viewer', hash }]),
    'devices/a.yaml': devicesYaml('gw-a', 'dev-a', 5, 20),
    'devices/b.yaml': devicesYaml('gw-b', 'dev-b', 3, 20),
    'alarms.yaml': ALARMS(),
  });
  const config = load(dir);
  alarms = createAlarmsModule({ tickMs: 0, pushWindowMs: 10 });
  hub = await createHub(config, {
    drivers: createDriversWith(config, (p) => (p === 'tick' ? factory : undefined)),
    modules: [alarms],
    log: silentLogger(),
    listen: { port: 0 },
    driverLookup: (p) => (p === 'tick' ? factory : undefined),
    // The production path: validation and diff in the worker thread.
    validateModule: TEST_VALIDATE_MODULE,
  });
  hub.bus.subscribe(({ samples }) => {
    for (const s of samples) {
      const list = seen.get(s.pointId) ?? [];
      list.push(s.value as number);
      seen.set(s.pointId, list);
    }
  });
  // The validation worker compiles the config loader and every driver's schema once: start it here,
  // so a slow machine spends that in the hook, not in the first test's reload.
  await hub.reloadReady();
  await sleep(100);
}, 180_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await hub?.stop();
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});

describe('POST /api/config/reload', () => {
  it('needs a session and the config:reload permission', async () => {
    expect((await post('/api/config/reload', {})).status).toBe(401);
    const op = await login('operator');
    const r = await post<{ error: { message: string } }>('/api/config/reload', {}, op);
    expect(r.status).toBe(403);
    expect(r.body.error.message).toContain('config:reload');
  });

  // One story: the connection gw-c is added, outlives a change of gw-b, then is removed; each step
  // needs the connections the step before left, so they are steps of one test, not tests in an order.
  it('a connection added, a neighbour changed, then the connection removed: only the connections concerned restart', async () => {
    { // Step: adds a connection with its points: they reach state and the consoles, untouched connections never restart
      const admin = await login('admin');
      const client: Client = connectClient(hub.url, { auth: { token: admin }, transports: ['websocket'], reconnection: false, forceNew: true });
      clients.push(client);
      await new Promise<void>((ok, fail) => { client.once('connect', ok); client.once('connect_error', fail); });
      const changed = new Promise<SiteChanged>((ok) => client.once('site:changed', ok));
      const before = factory.records.map((r) => ({ ...r }));

      writeConfigFile(dir, 'devices/c.yaml', devicesYaml('gw-c', 'dev-c', 20, 20, 'room-102'));
      const r = await post<{ ok: true; summary: string; started: string[]; stopped: string[] }>('/api/config/reload', {}, admin);
      expect(r.status).toBe(200);
      expect(r.body.summary).toContain('points +20');
      expect(r.body.started).toEqual(['gw-c']);
      expect(r.body.stopped).toEqual([]);
      const e = await changed;
      expect(e.pointsAdded).toHaveLength(20);
      expect(e.pointsAdded).toContain('hq/a/l01/room-102/dev-c/p-19');

      await sleep(150);
      // The first driver (gw-a + gw-b) was neither stopped nor started again; gw-c runs in a new one.
      expect(factory.records[0]).toEqual(before[0]);
      expect(factory.records[0].stopped).toBe(0);
      expect(factory.records.at(-1)).toMatchObject({ connections: ['gw-c'], started: 1, stopped: 0 });
      expect(hub.store.get('hq/a/l01/room-102/dev-c/p-19')?.quality).toBe('good');
      expect(contiguous(A0)).toBe(true);
      // A console can subscribe to the new point right away.
      const ack = await new Promise<{ ok: boolean }>((ok) => client.emit('subscribe', { points: ['hq/a/l01/room-102/dev-c/p-0'] }, ok));
      expect(ack.ok).toBe(true);
      const entry = hub.audit.query({ action: 'config.reload' })[0];
      expect(entry).toMatchObject({ user: 'admin', details: { trigger: 'api' } });
      expect(String(entry?.details?.summary)).toContain('points +20');
    }

    { // Step: a changed connection restarts; its points that left leave state; from then on a change restarts only its own connection
      // gw-b loses a point and changes period: the protocol's first driver splits once (gw-a restarts once).
      writeConfigFile(dir, 'devices/b.yaml', devicesYaml('gw-b', 'dev-b', 2, 25));
      let r = await hub.reload('admin', 'api');
      expect(r.ok).toBe(true);
      if (!r.ok) throw new Error(`reload refused: ${JSON.stringify(r)}`);
      expect(r.diff.points.removed).toEqual(['hq/a/l01/room-101/dev-b/p-2']);
      expect(r.diff.connections.changed).toEqual(['gw-b']);
      expect(hub.store.info('hq/a/l01/room-101/dev-b/p-2')).toBeUndefined();
      expect(hub.store.get('hq/a/l01/room-101/dev-b/p-2')).toBeUndefined();
      await sleep(100);
      const gwA = factory.records.filter((x) => x.connections.includes('gw-a'));
      const gwC = factory.records.filter((x) => x.connections.includes('gw-c'));
      expect(gwC).toHaveLength(1);
      expect(gwC[0]).toMatchObject({ started: 1, stopped: 0 });

      // Now gw-b alone changes again: gw-a and gw-c keep running, and their samples keep flowing without a gap.
      const aSeenBefore = (seen.get(A0) ?? []).length;
      seen.set('hq/a/l01/room-102/dev-c/p-0', []);
      await sleep(60);
      writeConfigFile(dir, 'devices/b.yaml', devicesYaml('gw-b', 'dev-b', 2, 30));
      r = await hub.reload('admin', 'api');
      expect(r.ok && r.stopped).toEqual(['gw-b']);
      expect(r.ok && r.started).toEqual(['gw-b']);
      await sleep(100);
      expect(factory.records.filter((x) => x.connections.includes('gw-a'))).toEqual(gwA);
      expect(gwC[0]).toMatchObject({ started: 1, stopped: 0 });
      expect((seen.get(A0) ?? []).length).toBeGreaterThan(aSeenBefore);
      expect(contiguous('hq/a/l01/room-102/dev-c/p-0')).toBe(true);
    }

    { // Step: removes a connection: its driver stops and its points leave state and the point list
      const admin = await login('admin');
      fs.rmSync(path.join(dir, 'devices/c.yaml'));
      const r = await hub.reload('admin', 'api');
      expect(r.ok && r.diff.connections.removed).toEqual(['gw-c']);
      expect(factory.records.find((x) => x.connections.join() === 'gw-c')?.stopped).toBe(1);
      expect(hub.store.info('hq/a/l01/room-102/dev-c/p-0')).toBeUndefined();
      const res = await fetch(`${hub.url}/api/points?limit=500`, { headers: { authorization: `Bearer ${admin}` } });
      const page = (await res.json()) as { items?: Array<{ id: string }>; points?: Array<{ id: string }> };
      const ids = (page.items ?? page.points ?? []).map((p) => p.id);
      expect(ids).toContain(A0);
      expect(ids.some((id) => id.includes('/dev-c/'))).toBe(false);
      expect(hub.ingest.statuses().map((s) => s.connection)).not.toContain('gw-c');
    }
  }, 90_000);

  it('refuses a bad folder whole, with file: path: reason lines, and changes nothing', async () => {
    const admin = await login('admin');
    const records = factory.records.length;
    const size = hub.store.size;
    // Restored at the end as found: another test may have reloaded a different alarms.yaml.
    const alarmsOnDisk = fs.readFileSync(path.join(dir, 'alarms.yaml'), 'utf8');
    writeConfigFile(dir, 'devices/d.yaml', devicesYaml('gw-d', 'dev-d', 2, 20).replace('source: { n: 1 }', 'source: { n: -1 }'));
    writeConfigFile(dir, 'alarms.yaml', ALARMS().replace(B0, 'hq/a/l01/room-101/dev-b/nope'));
    const r = await post<{ error: { code: string; details: { problems: string[] } } }>('/api/config/reload', {}, admin);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('config_refused');
    const problems = r.body.error.details.problems.join('\n');
    expect(problems).toMatch(/devices\/d\.yaml: devices\[0\]\.points\[1\]\.source\.n: /);
    expect(problems).toMatch(/alarms\.yaml: rules\[0\]\.point: unknown point/);
    expect(factory.records.length).toBe(records);
    expect(hub.store.size).toBe(size);
    expect(hub.store.info('hq/a/l01/room-101/dev-d/p-0')).toBeUndefined();
    expect(hub.audit.query({ action: 'config.reload_refused' }).length).toBeGreaterThan(0);
    fs.rmSync(path.join(dir, 'devices/d.yaml'));
    writeConfigFile(dir, 'alarms.yaml', alarmsOnDisk);
  });

  it('keeps the state of unchanged alarms and adds new rules', async () => {
    // B0 counts past 3 (again, if a restart of gw-b reset its counter): b-high is active and unacknowledged.
    const end = Date.now() + 10_000;
    while (!((hub.store.get(B0)?.value as number) > 3 && alarms.engine!.view('b-high.h')?.active) && Date.now() < end) await sleep(20);
    expect(alarms.engine!.view('b-high.h')?.state).toBe('unacknowledged');
    alarms.engine!.ack('b-high.h', 'operator');
    writeConfigFile(dir, 'alarms.yaml', ALARMS(`  - id: a-high
    type: limit
    point: ${A0}
    limits: { high: { value: 1000000000 } }
    message: { en: A high, zh-CN: A高 }
`));
    const r = await hub.reload('admin', 'api');
    expect(r.ok && r.summary).toContain('alarm rules +1 −0 ~0');
    expect(alarms.engine!.view('b-high.h')).toMatchObject({ state: 'acknowledged' });
    expect(alarms.engine!.view('a-high.h')).toMatchObject({ state: 'normal' });
  });


  it('ends the sessions of a removed user', async () => {
    const temp = await login('temp');
    const me = () => fetch(`${hub.url}/api/auth/me`, { headers: { authorization: `Bearer ${temp}` } }).then((x) => x.status);
    expect(await me()).toBe(200);
    const hash = await hashPassword(PW, { N: 1024, r: 8, p: 1 });
    writeConfigFile(dir, 'users.yaml', usersYaml([{ username: 'admin', role: 'admin', hash }, { username: 'operator', role: 'operator', hash }]));
    const r = await hub.reload('admin', 'api');
    expect(r.ok && r.diff.users.removed).toEqual(['temp']);
    expect(await me()).toBe(401);
    expect((await post('/api/auth/login', { username: 'temp', password: PW })).status).toBe(401);
  });

  it('a reload with nothing changed restarts nothing', async () => {
    const records = factory.records.map((x) => ({ ...x }));
    const r = await hub.reload('admin', 'api');
    expect(r.ok && r.summary).toBe('no change');
    expect(factory.records).toEqual(records);
  });
});
