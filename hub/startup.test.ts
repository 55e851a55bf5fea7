// The hub listens before its modules start (cold start, docs/performance.md): health answers at once
// and says the hub is still starting; module routes answer 503 until their module runs; Socket.IO
// handshakes made meanwhile complete once the modules are up; a module that fails closes the port.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Router from '@koa/router';
import { io as connectClient } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthResponse } from '../contracts/api.js';
import { silentLogger } from './log.js';
import type { HubModule } from './module.js';
import { createHub, type Hub } from './server.js';
import { ScriptedDriver, testSiteConfig } from './test-support.js';

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => ok(port));
    });
  });
}

/** Polls until the hub answers /api/health (the port is open). */
async function health(base: string): Promise<HealthResponse> {
  for (let i = 0; i < 400; i++) {
    const r = await fetch(`${base}/api/health`).catch(() => undefined);
    if (r?.ok) return (await r.json()) as HealthResponse;
    await sleep(25);
  }
  throw new Error('health never answered');
}

/** A module whose start waits until the test releases it (or fails it). */
function gatedModule() {
  let release!: () => void;
  let fail!: (err: Error) => void;
  const gate = new Promise<void>((ok, no) => ((release = ok), (fail = no)));
  const module: HubModule = {
    name: 'gated',
    start: () => gate,
    routes() {
      const r = new Router();
      r.get('/gated/hello', (ctx) => { ctx.body = { hello: 'world' }; });
      return r;
    },
  };
  return { module, release, fail };
}

let dir: string | undefined;
let hub: Hub | undefined;
afterEach(async () => {
  await hub?.stop();
  hub = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('hub start-up', () => {
  it('answers health while a module is starting, module routes after it started', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wf-startup-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const gated = gatedModule();
    const config = testSiteConfig({ floors: 1, pointsPerFloor: 2, dataDir: dir, intervalMs: 60_000, users: [] });
    const starting = createHub(config, { drivers: [new ScriptedDriver()], modules: [gated.module], log: silentLogger(), listen: { port }, consoleDir: join(dir, 'console') });

    const early = await health(base);
    expect(early.status).toBe('degraded');
    expect(early.components.startup).toEqual({ ok: false });
    const route = await fetch(`${base}/api/gated/hello`);
    expect(route.status).toBe(503);
    expect(((await route.json()) as { error: { code: string } }).error.code).toBe('starting');
    // A Socket.IO handshake made now is held until the modules run: its answer (here the refusal of
    // a client without a session) comes only after the release.
    const events: string[] = [];
    const client = connectClient(base, { transports: ['websocket'], reconnection: false, forceNew: true });
    const answered = new Promise<void>((ok) => {
      client.once('connect', () => (events.push('connected'), ok()));
      client.once('connect_error', (e) => (events.push(`refused: ${e.message}`), ok()));
    });
    await new Promise<void>((ok) => client.io.engine.once('open', () => ok()));
    await health(base); // one more round trip: an ungated handshake would have been answered by now
    events.push('released');
    gated.release();
    hub = await starting;
    expect((await health(base)).components.startup).toEqual({ ok: true });
    const after = await fetch(`${base}/api/gated/hello`);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ hello: 'world' });
    await answered;
    expect(events).toEqual(['released', expect.stringMatching(/^refused: authentication required/)]);
    client.close();
  });

  it('closes the port when a module fails to start after the hub listened', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wf-startup-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const gated = gatedModule();
    const config = testSiteConfig({ floors: 1, pointsPerFloor: 2, dataDir: dir, intervalMs: 60_000, users: [] });
    const starting = createHub(config, { drivers: [new ScriptedDriver()], modules: [gated.module], log: silentLogger(), listen: { port }, consoleDir: join(dir, 'console') });
    await health(base);
    gated.fail(new Error('journal unreadable'));
    await expect(starting).rejects.toThrow('journal unreadable');
    await expect(fetch(`${base}/api/health`)).rejects.toThrow();
  });
});
