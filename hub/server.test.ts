// Integration over real loopback: Koa + Socket.IO + a real in-process driver.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Router from '@koa/router';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiError, HealthResponse, PointsPage, PointView, SessionInfo, WriteResponse } from '../contracts/api.js';
import type { ClientToServerEvents, ServerToClientEvents, SubscribeAck } from '../contracts/live.js';
import type { PointState } from '../contracts/point.js';
import { hashPassword } from './auth/password.js';
import { silentLogger } from './log.js';
import type { HubModule } from './module.js';
import { createHub, type Hub } from './server.js';
import { ScriptedDriver, testPointId, testSiteConfig } from './test-support.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const PW = 'pw-for-tests';
const W = testPointId(0, 0); // writable, floor l01, limits 0..100
const R = testPointId(0, 1); // read-only, floor l01
const OTHER = testPointId(1, 1); // floor l02
const STILL = testPointId(0, 2); // read-only, floor l01: only read, never changed by any test
const LIVE = testPointId(0, 3); // read-only, floor l01: only the coalescing test publishes it

let hub: Hub;
let driver: ScriptedDriver;
let dataDir: string;
let consoleDir: string;
const moduleEvents: string[] = [];
const clients: Client[] = [];

async function api<T = unknown>(path: string, init: RequestInit & { token?: string } = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  const res = await fetch(hub.url + path, { ...init, headers });
  const text = await res.text();
  return { status: res.status, body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T, headers: res.headers };
}
const post = <T>(path: string, body: unknown, token?: string) =>
  api<T>(path, { method: 'POST', token, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
async function login(username: string): Promise<SessionInfo> {
  const r = await post<SessionInfo>('/api/auth/login', { username, password: PW });
  expect(r.status).toBe(200);
  return r.body;
}
function connect(auth: Record<string, string> = {}, extraHeaders: Record<string, string> = {}): Client {
  const c: Client = connectClient(hub.url, { auth, extraHeaders, transports: ['websocket'], reconnection: false, forceNew: true });
  clients.push(c);
  return c;
}
const connected = (c: Client) => new Promise<void>((ok, fail) => { c.once('connect', ok); c.once('connect_error', fail); });
const subscribe = (c: Client, sub: Parameters<ClientToServerEvents['subscribe']>[0]) =>
  new Promise<SubscribeAck>((ok) => c.emit('subscribe', sub, ok));
const nextUpdate = (c: Client) => new Promise<PointState[]>((ok) => c.once('points:update', ok));

/** A hub with a probe module that records its start and stop (each describe's own, so none depends on another's). */
async function startTestHub(dir: string, events: string[]): Promise<{ hub: Hub; driver: ScriptedDriver }> {
  const hash = await hashPassword(PW, { N: 1024, r: 8, p: 1 });
  const config = testSiteConfig({
    // Points go stale only after an hour: the values the tests publish stay good, whenever a test reads them.
    floors: 2, pointsPerFloor: 20, dataDir: dir, intervalMs: 1_200_000,
    users: [
      { username: 'viewer', role: 'viewer', passwordHash: hash },
      { username: 'op', role: 'operator', passwordHash: hash },
      { username: 'boss', role: 'supervisor', passwordHash: hash },
      { username: 'victim', role: 'viewer', passwordHash: hash },
    ],
  });
  const testModule: HubModule = {
    name: 'probe',
    async start(ctx) {
      events.push('start');
      ctx.health.register('probe', () => ({ ok: true }));
    },
    routes() {
      const r = new Router();
      r.get('/probe/hello', (ctx) => { ctx.body = { hello: 'world' }; });
      return r;
    },
    async stop() { events.push('stop'); },
  };
  const driver = new ScriptedDriver();
  const hub = await createHub(config, { drivers: [driver], modules: [testModule], log: silentLogger(), listen: { port: 0 }, consoleDir: join(dir, 'console') });
  return { hub, driver };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wf-hub-int-'));
  consoleDir = join(dataDir, 'console');
  ({ hub, driver } = await startTestHub(dataDir, moduleEvents));
  driver.publish([{ pointId: W, value: 20, quality: 'good', readTs: Date.now() }, { pointId: STILL, value: 20, quality: 'good', readTs: Date.now() }]);
}, 30_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('REST', () => {
  it('health is public and shows drivers and components, no users or secrets', async () => {
    const r = await api<HealthResponse>('/api/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', points: 40, components: { probe: { ok: true } } });
    expect(r.body.drivers.map((d) => d.state)).toEqual(['online']);
    expect(JSON.stringify(r.body)).not.toMatch(/scrypt|password|viewer/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
  });

  it('health shows failure details (hosts, errors) only to signed-in users', async () => {
    driver.status('offline', 'connect to 10.9.8.7:502 failed');
    const anon = await api<HealthResponse>('/api/health');
    expect(JSON.stringify(anon.body)).not.toContain('10.9.8.7');
    expect(anon.body.drivers[0]).toMatchObject({ state: 'offline' });
    const { token } = await login('viewer');
    const signedIn = await api<HealthResponse>('/api/health', { token });
    expect(signedIn.body.drivers[0].detail).toContain('10.9.8.7');
    driver.status('online');
  });

  it('refuses points without a session, in the one error shape', async () => {
    const r = await api<ApiError>('/api/points');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthorized');
    expect(r.body.error.message).toMatch(/sign in/);
  });

  it('logs in with an httpOnly SameSite=Strict cookie that works for /me', async () => {
    const r = await post<SessionInfo>('/api/auth/login', { username: 'viewer', password: PW });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ user: 'viewer', role: 'viewer', permissions: ['points:read', 'cameras:view', 'workorders:create'] });
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^wf_session=[^;]+;/);
    expect(cookie.toLowerCase()).toContain('httponly');
    expect(cookie.toLowerCase()).toContain('samesite=strict');
    const me = await api<SessionInfo>('/api/auth/me', { headers: { cookie: cookie.split(';')[0] } });
    expect(me.body.user).toBe('viewer');
    // The display name comes in both languages, so a zh-CN console does not show the English one.
    expect(Object.keys(me.body.displayName ?? {}).sort()).toEqual(['en', 'zh-CN']);
    expect(me.body.displayName?.en).toBe(me.body.name);
    const out = await api('/api/auth/logout', { method: 'POST', token: r.body.token });
    expect(out.status).toBe(204);
    expect((await api('/api/auth/me', { token: r.body.token })).status).toBe(401);
  });

  it('gives one message for a wrong password and an unknown user, then rate-limits the name', async () => {
    const wrong = await post<ApiError>('/api/auth/login', { username: 'victim', password: 'nope' });
    const unknown = await post<ApiError>('/api/auth/login', { username: 'nobody', password: 'nope' });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
    for (let i = 0; i < 4; i++) await post('/api/auth/login', { username: 'victim', password: 'nope' });
    const limited = await post<ApiError>('/api/auth/login', { username: 'victim', password: PW });
    expect(limited.status).toBe(429);
    expect(limited.body.error.message).toMatch(/try again in \d+ s/);
    expect((await post('/api/auth/login', { username: 'viewer', password: PW })).status).toBe(200); // other names unaffected
  });

  it('lists points with filters and paging; refuses bad params naming them', async () => {
    const { token } = await login('viewer');
    const all = await api<PointsPage>('/api/points?limit=1000', { token });
    expect(all.body.total).toBe(40);
    const page = await api<PointsPage>('/api/points?floor=l02&writable=true&limit=1&offset=1', { token });
    expect(page.body).toMatchObject({ total: 2, offset: 1, limit: 1 });
    expect(page.body.items[0].id).toBe(testPointId(1, 10));
    // STILL: no other test changes its value.
    const withState = await api<PointsPage>(`/api/points?prefix=${encodeURIComponent(STILL)}`, { token });
    expect(withState.body.items[0].state).toMatchObject({ value: 20, quality: 'good' });
    for (const [q, param] of [['limit=5000', 'limit'], ['offset=x', 'offset'], ['kind=foo', 'kind'], ['flor=l01', 'flor']]) {
      const bad = await api<ApiError>(`/api/points?${q}`, { token });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain(param);
    }
  });

  it('gets one point by slash path or encoded id; unknown → 404', async () => {
    const { token } = await login('viewer');
    const a = await api<PointView>(`/api/points/${STILL}`, { token });
    const b = await api<PointView>(`/api/points/${encodeURIComponent(STILL)}`, { token });
    expect(a.status).toBe(200);
    expect(a.body).toEqual(b.body);
    expect(a.body).toMatchObject({ id: STILL, writable: false, state: { value: 20 } });
    const missing = await api<ApiError>('/api/points/hq/a/l01/room-101/dev-0/nope', { token });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({ code: 'unknown_point', message: 'no point hq/a/l01/room-101/dev-0/nope' });
    expect((await api<ApiError>('/api/nowhere', { token })).body.error.code).toBe('not_found');
  });

  it('viewer write → 403 naming the permission, nothing reaches the driver', async () => {
    const { token } = await login('viewer');
    const before = driver.writes.length;
    const r = await post<ApiError>(`/api/points/${W}/write`, { value: 30 }, token);
    expect(r.status).toBe(403);
    expect(r.body.error.message).toContain('points:write');
    expect(driver.writes.length).toBe(before);
  });

  it('operator write → driver called, audit line with old/new/confirmed', async () => {
    const { token } = await login('op');
    const before = driver.writes.length;
    const r = await post<WriteResponse>(`/api/points/${W}/write`, { value: 42 }, token);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ pointId: W, requested: 42, previous: 20, confirmed: true, readBack: 42 });
    expect(driver.writes.slice(before)).toEqual([[W, 42]]);
    const lines = readdirSync(join(dataDir, 'audit')).flatMap((f) => readFileSync(join(dataDir, 'audit', f), 'utf8').trim().split('\n')).map((l) => JSON.parse(l));
    const write = lines.find((l) => l.action === 'point.write' && l.details?.outcome === 'written');
    expect(write).toMatchObject({ user: 'op', target: W, details: { previous: 20, requested: 42, confirmed: true, readBack: 42, outcome: 'written' } });
    // The audit API needs audit:read: operator no, supervisor yes.
    expect((await api('/api/audit', { token })).status).toBe(403);
    const boss = await login('boss');
    const audit = await api<Array<{ action: string }>>('/api/audit?action=point.write', { token: boss.token });
    expect(audit.body.length).toBeGreaterThan(0);
    expect(audit.body.every((e) => e.action === 'point.write')).toBe(true);
  });

  it('refuses bad writes before the driver: bad JSON, bad body, over limit, read-only, unknown', async () => {
    const { token } = await login('op');
    const before = driver.writes.length;
    const badJson = await api<ApiError>(`/api/points/${W}/write`, { method: 'POST', token, headers: { 'content-type': 'application/json' }, body: '{"value": ' });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.code).toBe('invalid_json');
    const badBody = await post<ApiError>(`/api/points/${W}/write`, { val: 1 }, token);
    expect(badBody.status).toBe(400);
    const over = await post<ApiError>(`/api/points/${W}/write`, { value: 120 }, token);
    expect(over.body.error.message).toBe(`value 120 is above the limit 100 of ${W}`);
    expect((await post<ApiError>(`/api/points/${R}/write`, { value: 1 }, token)).status).toBe(409);
    expect((await post<ApiError>('/api/points/hq/a/l01/x/y/z/write', { value: 1 }, token)).status).toBe(404);
    expect(driver.writes.length).toBe(before);
  });

  it('mounts module routes under /api', async () => {
    expect((await api<{ hello: string }>('/api/probe/hello')).body).toEqual({ hello: 'world' });
  });

  it('serves the console with SPA fallback, or 503 saying how to build it', async () => {
    const missing = await api<ApiError>('/');
    expect(missing.status).toBe(503);
    expect(missing.body.error.message).toContain('npm run build:console');
    mkdirSync(join(consoleDir, 'assets'), { recursive: true });
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>wf</title>');
    writeFileSync(join(consoleDir, 'assets', 'app.js'), 'console.log(1)');
    expect((await api<string>('/')).body).toContain('<title>wf</title>');
    expect((await api<string>('/floors/l01')).body).toContain('<title>wf</title>');
    const js = await api<string>('/assets/app.js');
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await api('/assets/missing.js')).status).toBe(404);
  });
});

describe('live push', () => {
  it('refuses an unauthenticated socket with a message', async () => {
    const err = await connected(connect({ token: 'not-a-session' })).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/authentication required/);
  });

  it('closes a live socket when its session logs out', async () => {
    const { token } = await login('viewer');
    const c = connect({ token });
    await connected(c);
    const closed = new Promise<string>((ok) => c.once('disconnect', ok));
    const r = await api('/api/auth/logout', { method: 'POST', token });
    expect(r.status).toBe(204);
    expect(await closed).toBe('io server disconnect');
  });

  it('refuses an unknown floor in subscribe, naming it', async () => {
    const { token } = await login('viewer');
    const c = connect({ token });
    await connected(c);
    expect(await subscribe(c, { floors: ['hq/a/l99'] })).toEqual({ ok: false, error: 'unknown floor(s): hq/a/l99' });
  });

  it('subscribes to a floor (cookie auth), gets a snapshot, then coalesced updates for that floor only', async () => {
    const { token } = await login('viewer');
    const c = connect({}, { cookie: `wf_session=${token}` });
    const statuses = new Promise((ok) => c.once('drivers:status', ok));
    await connected(c);
    expect(await statuses).toMatchObject([{ connection: 'test-gw', state: 'online' }]);
    const ack = await subscribe(c, { floors: ['hq/a/l01'] });
    expect(ack.ok).toBe(true);
    expect(ack.ok && ack.snapshot.find((s) => s.id === W)).toBeTruthy();

    // Only LIVE's entries count: another test's write to W may still be on its way to this floor.
    const updates: PointState[][] = [];
    c.on('points:update', (b) => updates.push(b.filter((s) => s.id === LIVE || s.id === OTHER)));
    const liveBatches = () => updates.filter((b) => b.some((s) => s.id === LIVE));
    const t = Date.now();
    for (let v = 1; v <= 50; v++) driver.publish([{ pointId: LIVE, value: v, quality: 'good', readTs: t + v }]);
    driver.publish([{ pointId: OTHER, value: 99, quality: 'good', readTs: t }]); // floor l02: not watched
    await vi.waitFor(() => expect(liveBatches()).toHaveLength(1), { timeout: 5000 });
    expect(liveBatches()[0]).toEqual([{ id: LIVE, value: 50, quality: 'good', readTs: t + 50, changedTs: t + 50 }]);
    // A marker published after the first batch arrives in the next one: 50 samples → exactly one update.
    driver.publish([{ pointId: LIVE, value: 51, quality: 'good', readTs: t + 51 }]);
    await vi.waitFor(() => expect(liveBatches()).toHaveLength(2), { timeout: 5000 });
    expect(liveBatches()[1].map((s) => s.value)).toEqual([51]);
    expect(updates.flat().some((s) => s.id === OTHER)).toBe(false);
  });

  it('a point subscription receives only that point', async () => {
    const { token } = await login('viewer');
    const c = connect({ token });
    await connected(c);
    expect((await subscribe(c, { points: [OTHER] })).ok).toBe(true);
    const update = nextUpdate(c);
    driver.publish([{ pointId: R, value: 1000, quality: 'good', readTs: Date.now() }, { pointId: OTHER, value: 7, quality: 'bad', detail: 'x', readTs: Date.now() }]);
    expect((await update).map((s) => [s.id, s.value, s.quality])).toEqual([[OTHER, 7, 'bad']]);
  });
});

describe('stop', () => {
  it('stops drivers and modules and closes the server', async () => {
    // Its own hub: the other tests keep theirs running, whatever the order.
    const dir = mkdtempSync(join(tmpdir(), 'wf-hub-stop-'));
    const events: string[] = [];
    const own = await startTestHub(dir, events);
    try {
      await own.hub.stop();
      expect(own.driver.stopped).toBe(true);
      expect(events).toEqual(['start', 'stop']);
      expect(own.hub.http.listening).toBe(false);
      await own.hub.stop(); // idempotent
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
