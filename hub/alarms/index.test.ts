// The alarm module inside the real hub (Koa, auth, Socket.IO) over loopback, with a fake clock
// for timers. Role checks and the 400/403/404 paths go through the hub's real requirePermission.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmEscalation, AlarmKpis, AlarmsSubscribeAck, AlarmsUpdate, AlarmView, JournalRow } from '../../contracts/alarms.js';
import type { ApiError, SessionInfo } from '../../contracts/api.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/live.js';
import { hashPassword } from '../auth/password.js';
import type { LoadedConfig } from '../config/types.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { ScriptedDriver, testPointId, testSiteConfig } from '../test-support.js';
import { createAlarmsModule, type AlarmsModule } from './index.js';
import { compileRules } from './rules.js';
import { alarmsFileSchema } from './schema.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const PW = 'pw-for-tests';
const T1 = testPointId(0, 1); // floor l01, room-101
const T2 = testPointId(1, 1); // floor l02, room-201
const MIN = 60_000;
const msg = { en: 'Temperature {value}', 'zh-CN': '温度 {value}' };

let now = Date.parse('2025-03-03T01:00:00Z');
let config: LoadedConfig;
let hub: Hub;
let driver: ScriptedDriver;
let alarms: AlarmsModule;
let dataDir: string;
const tokens: Record<string, string> = {};
const clients: Client[] = [];

function compiled() {
  const file = alarmsFileSchema.parse({
    defaults: { maxShelveMin: 60 },
    rules: [
      { id: 'hot-101', type: 'limit', point: T1, priority: 'critical', escalateAfterMin: 2, limits: { high: { value: 50 } }, message: msg },
      { id: 'hot-201', type: 'limit', point: T2, priority: 'low', limits: { high: { value: 50 } }, message: msg },
    ],
  });
  return compileRules(file, new Map(config.points.map((p) => [p.info.id, p.info])));
}

async function startHub() {
  driver = new ScriptedDriver();
  alarms = createAlarmsModule({ compiled: compiled(), now: () => now, tickMs: 0, pushWindowMs: 20 });
  hub = await createHub(config, { drivers: [driver], modules: [alarms], log: silentLogger(), listen: { port: 0 }, consoleDir: join(dataDir, 'no-console') });
  for (const u of ['viewer', 'guard', 'boss']) {
    const r = await post<SessionInfo>('/api/auth/login', { username: u, password: PW });
    tokens[u] = r.body.token;
  }
}

async function api<T>(path: string, init: RequestInit & { as?: string } = {}): Promise<{ status: number; body: T; type: string }> {
  const headers = new Headers(init.headers);
  if (init.as) headers.set('authorization', `Bearer ${tokens[init.as]}`);
  const res = await fetch(hub.url + path, { ...init, headers });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, body: (type.includes('json') ? JSON.parse(text) : text) as T, type };
}
const post = <T>(path: string, body: unknown, as?: string) =>
  api<T>(path, { method: 'POST', as, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function connect(user: string): Promise<Client> {
  const c: Client = connectClient(hub.url, { auth: { token: tokens[user] }, transports: ['websocket'], reconnection: false, forceNew: true });
  clients.push(c);
  await new Promise<void>((ok, fail) => { c.once('connect', ok); c.once('connect_error', fail); });
  return c;
}
const subscribe = (c: Client) => new Promise<AlarmsSubscribeAck>((ok) => c.emit('alarms:subscribe', ok));
/** Resolves with the first update whose changes satisfy `pred`. */
const updateWhere = (c: Client, pred: (u: AlarmsUpdate) => boolean) =>
  new Promise<AlarmsUpdate>((ok) => {
    const on = (u: AlarmsUpdate) => {
      if (pred(u)) {
        c.off('alarms:update', on);
        ok(u);
      }
    };
    c.on('alarms:update', on);
  });
const publish = (id: string, value: number) => driver.publish([{ pointId: id, value, quality: 'good', readTs: Date.now() }]);

beforeAll(async () => {
  const hash = await hashPassword(PW, { N: 1024, r: 8, p: 1 });
  dataDir = mkdtempSync(join(tmpdir(), 'wf-alarms-hub-'));
  config = testSiteConfig({
    floors: 2, pointsPerFloor: 5, dataDir,
    users: [{ username: 'viewer', role: 'viewer', passwordHash: hash }, { username: 'guard', role: 'guard', passwordHash: hash }, { username: 'boss', role: 'supervisor', passwordHash: hash }],
  });
  await startHub();
}, 30_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

// One scenario in steps (raise → escalate → ack → shelve → out of service → journal/KPIs → restart):
// each step starts from the alarm states the step before left, on purpose. Declared in order so a
// shuffled run (`--sequence.shuffle`, issue 11 item 14) keeps the scenario's order; the files and the
// other suites still shuffle.
describe('alarms in the hub', { shuffle: false }, () => {
  it('refuses the list without a session', async () => {
    const r = await api<ApiError>('/api/alarms');
    expect(r.status).toBe(401);
  });

  it('pushes a new alarm to a guard, who acknowledges it; a supervisor gets the escalation', async () => {
    const guard = await connect('guard');
    const boss = await connect('boss');
    expect(await subscribe(guard)).toMatchObject({ ok: true, alarms: [], summary: { flood: false } });
    // The supervisor never subscribed to the list: escalations reach them anyway.
    const raised = updateWhere(guard, (u) => u.changed.some((a) => a.id === 'hot-101.h'));
    publish(T1, 61);
    const u = await raised;
    expect(u.changed.find((a) => a.id === 'hot-101.h')).toMatchObject({ state: 'unacknowledged', priority: 'critical', area: 'a/l01/room-101', message: { en: 'Temperature 61 °C' }, value: 61 });
    expect(u.summary.unacked.critical).toBe(1);

    const escalated = new Promise<AlarmEscalation>((ok) => boss.once('alarms:escalation', ok));
    let guardGotEscalation = false;
    guard.on('alarms:escalation', () => (guardGotEscalation = true));
    now += 2 * MIN;
    alarms.tick();
    expect((await escalated).alarm).toMatchObject({ id: 'hot-101.h', escalated: true });

    const viewer = await post<ApiError>('/api/alarms/hot-101.h/ack', {}, 'viewer');
    expect(viewer.status).toBe(403);
    expect(viewer.body.error.message).toContain('alarms:ack');
    const acked = updateWhere(guard, (x) => x.changed.some((a) => a.state === 'acknowledged'));
    const r = await post<AlarmView>('/api/alarms/hot-101.h/ack', { comment: 'checking the CRAC' }, 'guard');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: 'acknowledged', ackedBy: 'guard', escalated: false });
    await acked;
    expect(guardGotEscalation).toBe(false);

    const journal = await api<JournalRow[]>('/api/alarms/journal?alarm=hot-101.h', { as: 'viewer' });
    expect(journal.body.map((j) => [j.kind, j.user])).toEqual([['ack', 'guard'], ['escalate', 'system'], ['activate', 'system']]);
    expect(journal.body[0]).toMatchObject({ comment: 'checking the CRAC', value: 61 });
    const audit = readdirSync(join(dataDir, 'audit')).map((f) => readFileSync(join(dataDir, 'audit', f), 'utf8')).join('');
    expect(audit).toContain('"action":"alarm.ack","target":"hot-101.h"');
  });

  it('answers 404 for an unknown alarm and 400 for bad input', async () => {
    expect((await api<ApiError>('/api/alarms/nope', { as: 'viewer' })).status).toBe(404);
    const ack = await post<ApiError>('/api/alarms/nope/ack', {}, 'guard');
    expect([ack.status, ack.body.error.message]).toEqual([404, 'unknown alarm "nope"']);
    const bad = await post<ApiError>('/api/alarms/hot-101.h/comments', { text: '' }, 'guard');
    expect(bad.status).toBe(400);
    const list = await api<ApiError>('/api/alarms?priority=urgent', { as: 'viewer' });
    expect([list.status, list.body.error.message]).toEqual([400, 'priority: unknown value "urgent" (one of critical, high, medium, low)']);
    const again = await post<ApiError>('/api/alarms/hot-101.h/ack', {}, 'guard');
    expect(again.status).toBe(409);
  });

  it('shelving needs a supervisor, a duration within the maximum and a reason', async () => {
    expect((await post<ApiError>('/api/alarms/hot-101.h/shelve', { durationMin: 10, reason: 'x' }, 'guard')).status).toBe(403);
    const none = await post<ApiError>('/api/alarms/hot-101.h/shelve', { reason: 'sensor swap' }, 'boss');
    expect(none.status).toBe(400);
    expect(none.body.error.message).toContain('at most 60 min');
    const long = await post<ApiError>('/api/alarms/hot-101.h/shelve', { durationMin: 61, reason: 'sensor swap' }, 'boss');
    expect([long.status, long.body.error.message]).toEqual([400, 'shelve duration must be more than 0 and at most 60 min for alarm hot-101.h']);
    expect((await post<ApiError>('/api/alarms/hot-101.h/shelve', { durationMin: 10 }, 'boss')).status).toBe(400);
    const ok = await post<AlarmView>('/api/alarms/hot-101.h/shelve', { durationMin: 10, reason: 'sensor swap' }, 'boss');
    expect(ok.body).toMatchObject({ state: 'shelved', shelved: { by: 'boss', reason: 'sensor swap', until: now + 10 * MIN } });
    now += 10 * MIN;
    alarms.tick(); // expires by itself; still hot → annunciated again
    expect((await api<AlarmView>('/api/alarms/hot-101.h', { as: 'viewer' })).body.state).toBe('unacknowledged');
  });

  it('out of service and back, comments, bulk acknowledge by area', async () => {
    expect((await post<ApiError>('/api/alarms/hot-201.h/out-of-service', { reason: 'x' }, 'guard')).status).toBe(403);
    expect((await post<ApiError>('/api/alarms/hot-201.h/out-of-service', {}, 'boss')).status).toBe(400);
    expect((await post<AlarmView>('/api/alarms/hot-201.h/out-of-service', { reason: 'sensor replaced' }, 'boss')).body.state).toBe('out_of_service');
    publish(T2, 70);
    expect((await api<AlarmView>('/api/alarms/hot-201.h', { as: 'viewer' })).body).toMatchObject({ state: 'out_of_service', active: true });
    expect((await post<AlarmView>('/api/alarms/hot-201.h/return-to-service', {}, 'boss')).body.state).toBe('unacknowledged');
    expect((await post<AlarmView>('/api/alarms/hot-201.h/comments', { text: 'new probe fitted' }, 'guard')).status).toBe(201);

    const bulk = await post<{ acknowledged: string[] }>('/api/alarms/ack', { area: 'a/l02', comment: 'floor 2 round' }, 'guard');
    expect(bulk.body.acknowledged).toEqual(['hot-201.h']);
    const list = await api<AlarmView[]>('/api/alarms', { as: 'viewer' });
    expect(list.body.map((a) => [a.id, a.state])).toEqual([['hot-101.h', 'unacknowledged'], ['hot-201.h', 'acknowledged']]);
    const filtered = await api<AlarmView[]>('/api/alarms?priority=low&area=a/l02', { as: 'viewer' });
    expect(filtered.body.map((a) => a.id)).toEqual(['hot-201.h']);
  });

  it('journal as CSV, and KPIs', async () => {
    const csv = await api<string>('/api/alarms/journal?format=csv&area=a/l02', { as: 'viewer' });
    expect(csv.type).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('seq,time,alarmId,ruleId,pointId,priority,area,kind,state,user,comment,value');
    expect(lines.slice(1).map((l) => l.split(',')[7])).toEqual(['ack', 'comment', 'return-to-service', 'activate', 'out-of-service']);
    const kpi = await api<AlarmKpis>(`/api/alarms/kpi?from=${now - 30 * MIN}&to=${now}`, { as: 'viewer' });
    expect(kpi.status).toBe(200);
    expect(kpi.body).toMatchObject({ periods: 3, top10: [{ alarmId: 'hot-101.h', count: 2 }, { alarmId: 'hot-201.h', count: 1 }] });
    expect((await api<ApiError>('/api/alarms/kpi?from=yesterday', { as: 'viewer' })).status).toBe(400);
  });

  it('after a restart the states come back, and a reconnecting console gets them on subscribe', async () => {
    await hub.stop();
    await startHub();
    const guard = await connect('guard');
    const ack = await subscribe(guard);
    expect(ack.ok && ack.alarms.map((a) => [a.id, a.state])).toEqual([['hot-101.h', 'unacknowledged'], ['hot-201.h', 'acknowledged']]);
    const health = await api<{ components: Record<string, { ok: boolean; rules: number }> }>('/api/health', { as: 'guard' });
    expect(health.body.components.alarms).toMatchObject({ ok: true, rules: 2 });
  });
});
