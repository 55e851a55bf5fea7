// Issue 11 items 1–3: each defect found by attacking a running hub, as a test that failed before
// its fix. Item 4/5 (config) regressions are in config-regressions.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as ioClient } from 'socket.io-client';
import net from 'node:net';
import WebSocket from 'ws';
import { startFuzzHub, stackTraces, type FuzzHub } from './fixture.js';

let f: FuzzHub;
beforeAll(async () => {
  f = await startFuzzHub();
});
afterAll(async () => {
  await f?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${f.hub.url}${path}`, { headers });

describe('item 1: a malformed session cookie is no session, never a crash or a 500', () => {
  it('REST: /api/health answers 200 and a protected route 401, with no stack logged', async () => {
    for (const cookie of ['wf_session=%', 'wf_session=%E0%A4%A', 'a=b; wf_session=%zz; c', 'wf_session=%00%']) {
      const health = await get('/api/health', { cookie });
      expect(health.status).toBe(200);
      const site = await get('/api/site', { cookie });
      expect(site.status).toBe(401);
      expect((await site.json()).error.message).toMatch(/sign in/);
    }
    expect(stackTraces(f.log.entries)).toEqual([]);
  });

  it('Socket.IO: the handshake is refused cleanly and the hub keeps serving', async () => {
    const socket = ioClient(f.hub.url, { transports: ['websocket'], extraHeaders: { cookie: 'wf_session=%' }, reconnection: false, timeout: 5000 });
    const err = await new Promise<Error>((resolve, reject) => {
      socket.on('connect', () => reject(new Error('connected with a malformed cookie')));
      socket.on('connect_error', resolve);
    });
    socket.close();
    expect(err.message).toMatch(/authentication/);
    expect((await get('/api/health')).status).toBe(200);
    expect(stackTraces(f.log.entries)).toEqual([]);
  });

  it('a valid session still works when another cookie in the header is malformed', async () => {
    const res = await get('/api/site', { cookie: `junk=%; wf_session=${encodeURIComponent(f.token('viewer'))}` });
    expect(res.status).toBe(200);
  });
});

describe('item 2: 400/413 where a 500/502 was', () => {
  it('/api/audit with an out-of-range time is a 400 naming the parameter', async () => {
    const auth = { authorization: `Bearer ${f.token('admin')}` };
    for (const [q, param] of [['from=99999999999999999999999', 'from'], ['to=99999999999999999999999', 'to'], ['from=-5', 'from'], ['to=+275760-09-13T00:00:00.001Z', 'to']] as const) {
      const res = await get(`/api/audit?${q}`, auth);
      expect(res.status, q).toBe(400);
      const body = await res.json();
      expect(body.error.message).toContain(param);
    }
  });

  it('/api/history with a huge to or step is a 400 naming the parameter', async () => {
    const auth = { authorization: `Bearer ${f.token('admin')}` };
    const point = f.hub.store.infos().find((p) => p.kind === 'analog')!.id;
    for (const [q, param] of [
      ['to=100000000000000000000', 'to'],
      ['to=1e20', 'to'],
      ['step=100000000000000000000d', 'step'],
      ['step=1e20d', 'step'],
      ['from=0&to=253402300799999&step=99999999999d', 'step'],
    ] as const) {
      const res = await get(`/api/history?points=${encodeURIComponent(point)}&${q}`, auth);
      expect(res.status, q).toBe(400);
      expect((await res.json()).error.message, q).toContain(param);
    }
  });

  it('a 10 MB JSON body is 413, not 400', async () => {
    const body = JSON.stringify({ username: 'x', password: 'y'.repeat(10 * 1024 * 1024) });
    const res = await fetch(`${f.hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });
});

describe('item 3: prototype-chain ids are unknown cameras', () => {
  for (const id of ['constructor', 'tostring', 'hasownproperty', '__proto__']) {
    it(`/video/${id} is refused with 404`, async () => {
      const ws = new WebSocket(`${f.hub.url.replace('http', 'ws')}/video/${id}?token=${encodeURIComponent(f.token('admin'))}`);
      const status = await new Promise<number>((resolve) => {
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
        ws.on('error', () => resolve(-1));
      });
      ws.terminate();
      // __proto__ does not match the id pattern: not a video path at all, so nobody upgrades it.
      expect(status === 404 || (id === '__proto__' && status !== 101)).toBe(true);
    });
  }
});

describe('hostile WebSocket upgrades never reach an unhandled rejection', () => {
  it('an upgrade with an unparsable URL, or one reset mid-check, leaves the hub serving', async () => {
    const port = Number(new URL(f.hub.url).port);
    const raw = (text: string, reset: boolean) =>
      new Promise<string>((resolve) => {
        const sock = net.connect(port, '127.0.0.1', () => {
          sock.write(text);
          if (reset) sock.resetAndDestroy();
        });
        let got = '';
        sock.on('data', (d) => (got += d.toString()));
        sock.on('error', () => resolve(got));
        sock.on('close', () => resolve(got));
        setTimeout(() => sock.destroy(), 3000);
      });
    const upgrade = (target: string) => `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;
    await raw(upgrade('http://[::1'), false);
    await raw(upgrade('//'), false);
    await raw(upgrade(`/video/cam-lobby?token=${encodeURIComponent(f.token('admin'))}`), true);
    await raw(upgrade('/video/%'), false);
    await new Promise((r) => setTimeout(r, 200));
    expect((await get('/api/health')).status).toBe(200);
    expect(stackTraces(f.log.entries)).toEqual([]);
  });
});
