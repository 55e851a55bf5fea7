// Same-site request forgery (issue 11 item 7), against a real hub with the demo alarms: a page on
// another port of the same host must not acknowledge an alarm or open the live channels as the
// signed-in supervisor — neither by a text/plain form, nor by a no-cors fetch, nor by a WebSocket.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { io as connectClient } from 'socket.io-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlarmView } from '../../contracts/alarms.js';
import type { SessionInfo } from '../../contracts/api.js';
import { launchChromium } from '../../test/e2e/harness.js';
import { createAlarmsModule } from '../alarms/index.js';
import { loadConfig } from '../config/load.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { hashPassword } from './password.js';

const LEAK = 'leak-pump-b101';
const LEAK_POINT = 'hq/a/b1/pump-b101/leak-1/leak';
const dataDir = mkdtempSync(join(tmpdir(), 'wf-csrf-'));
let hub: Hub;
let attacker: Server;
let attackerUrl = '';
let browser: Browser | undefined;
let token = '';
let cookie = '';

async function alarm(): Promise<AlarmView> {
  const r = await fetch(`${hub.url}/api/alarms/${LEAK}`, { headers: { authorization: `Bearer ${token}` } });
  return (await r.json()) as AlarmView;
}

async function until(state: (v: AlarmView) => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (state(await alarm())) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`leak alarm never ${what}: ${JSON.stringify(await alarm())}`);
}

const publishLeak = (wet: boolean) => hub.ingest.contextFor('modbus').publish([{ pointId: LEAK_POINT, value: wet, quality: 'good', readTs: Date.now() }]);

/** The leak alarm raised and waiting for an ack, whatever an earlier test did (the browser test acks it). */
async function leakUnacknowledged(): Promise<void> {
  if ((await alarm()).state === 'unacknowledged') return;
  publishLeak(false);
  await until((v) => !v.active, 'cleared');
  if ((await alarm()).state !== 'normal') {
    // Latching: reset with an ack by bearer token (no cookie, so no CSRF question).
    await fetch(`${hub.url}/api/alarms/${LEAK}/ack`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
  }
  await until((v) => v.state === 'normal', 'back to normal');
  publishLeak(true);
  await until((v) => v.state === 'unacknowledged', 'raised');
}

beforeAll(async () => {
  const config = loadConfig(resolve('config'));
  config.hub.dataDir = dataDir;
  config.users = [{ username: 'sup', name: { en: 'Sup', 'zh-CN': '主管' }, role: 'supervisor', passwordHash: await hashPassword('pw', { N: 1024, r: 8, p: 1 }) }];
  hub = await createHub(config, { drivers: [], modules: [createAlarmsModule()], log: silentLogger(), listen: { host: '127.0.0.1', port: 0 }, consoleDir: join(dataDir, 'none') });
  const login = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sup', password: 'pw' }) });
  token = ((await login.json()) as SessionInfo).token;
  cookie = login.headers.get('set-cookie')!.split(';')[0];
  publishLeak(true);
  await until((v) => v.state === 'unacknowledged', 'raised');

  // The attacker's page: another port of the same host, so the browser sends the hub's cookie.
  attacker = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>attacker</title>'));
  await new Promise<void>((ok) => attacker.listen(0, '127.0.0.1', ok));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await new Promise((ok) => attacker?.close(ok));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('REST state changes authenticated by the cookie', () => {
  const ack = (headers: Record<string, string>, body?: string) => fetch(`${hub.url}/api/alarms/${LEAK}/ack`, { method: 'POST', headers, body });
  beforeEach(leakUnacknowledged);

  it('refuses a text/plain form POST from another port (415) and the alarm stays unacknowledged', async () => {
    const r = await ack({ cookie, origin: attackerUrl, 'content-type': 'text/plain' }, 'comment=pwned');
    expect(r.status).toBe(415);
    expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/Content-Type: application\/json/);
    expect((await alarm()).state).toBe('unacknowledged');
  });

  it('refuses JSON from a foreign origin, and a cookie POST without Origin/Referer (403)', async () => {
    const foreign = await ack({ cookie, origin: attackerUrl, 'content-type': 'application/json' }, '{}');
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('cross_origin');
    const none = await ack({ cookie, 'content-type': 'application/json' }, '{}');
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('origin_required');
    expect((await alarm()).state).toBe('unacknowledged');
  });
});

describe('in a real browser (Chromium)', () => {
  it('a page on another port can neither ack by form or no-cors fetch, nor open Socket.IO; the hub\'s own origin can', async () => {
    await leakUnacknowledged();
    browser = await launchChromium();
    const context = await browser.newContext();
    const page = await context.newPage();
    // Sign in on the hub's own origin: the browser now holds the HttpOnly session cookie.
    await page.goto(`${hub.url}/api/health`);
    const status = await page.evaluate(`fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sup', password: 'pw' }) }).then((r) => r.status)`);
    expect(status).toBe(200);

    await page.goto(`${attackerUrl}/`);
    // 1. no-cors fetch (an opaque response either way: the page cannot tell; the hub must refuse)
    await page.evaluate(`fetch(${JSON.stringify(`${hub.url}/api/alarms/${LEAK}/ack`)}, { method: 'POST', mode: 'no-cors', credentials: 'include', body: '{}' }).catch(() => null)`);
    // 2. a text/plain form, submitted into a frame
    await page.evaluate(`(() => {
      const f = document.createElement('iframe'); f.name = 'sink'; document.body.appendChild(f);
      const form = document.createElement('form');
      form.method = 'POST'; form.enctype = 'text/plain'; form.target = 'sink';
      form.action = ${JSON.stringify(`${hub.url}/api/alarms/${LEAK}/ack`)};
      const i = document.createElement('input'); i.name = '{"comment":"x","y'; i.value = '":1}'; form.appendChild(i);
      document.body.appendChild(form); form.submit();
    })()`);
    // 3. a WebSocket to Socket.IO: the handshake carries Origin: <attacker>
    const ws = await page.evaluate(`new Promise((resolve) => {
      const ws = new WebSocket(${JSON.stringify(`${hub.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`)});
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
    })`);
    expect(ws).toBe('refused');
    await page.waitForTimeout(500);
    expect((await alarm()).state).toBe('unacknowledged');

    // The control: the hub's own page acks with the cookie alone (Origin = the hub).
    await page.goto(`${hub.url}/api/health`);
    const own = await page.evaluate(`fetch(${JSON.stringify(`/api/alarms/${LEAK}/ack`)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ comment: 'on my way' }) }).then((r) => r.status)`);
    expect(own).toBe(200);
    expect((await alarm()).state).toBe('acknowledged');
    await context.close();
  });
});

describe('Socket.IO handshake Origin', () => {
  const tryConnect = (headers: Record<string, string>) => new Promise<string>((ok) => {
    const c = connectClient(hub.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: headers });
    c.on('connect', () => {
      c.close();
      ok('connected');
    });
    c.on('connect_error', (e) => {
      c.close();
      ok(`refused: ${e.message}`);
    });
  });

  it('refuses a foreign Origin even with a valid token; accepts its own origin and non-browser clients', async () => {
    expect(await tryConnect({ origin: attackerUrl })).toMatch(/^refused/);
    expect(await tryConnect({ origin: hub.url })).toBe('connected');
    expect(await tryConnect({})).toBe('connected');
  });
});
