// The walking skeleton end to end over real loopback sockets, without a browser:
// Modbus simulator → Modbus driver → hub state → Socket.IO → a socket.io-client,
// and back: REST write → driver → device → read-back → audit.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo, WriteResponse } from '../../contracts/api.js';
import type { ClientToServerEvents, ServerToClientEvents, SubscribeAck } from '../../contracts/live.js';
import type { PointState } from '../../contracts/point.js';
import { startDemoStack, type DemoStack, REPO_ROOT } from '../e2e/harness.js';

const LEAK = 'hq/a/b1/pump-b101/leak-1/leak';
const LIGHT = 'hq/a/b1/weak-b104/lighting-b1/parking-b';
const B1 = 'hq/a/b1';

let stack: DemoStack;

async function login(username: string): Promise<SessionInfo> {
  const res = await fetch(`${stack.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: `${username}-demo` }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as SessionInfo;
}

/** A live client that keeps the latest state of every point it was sent. */
class Watcher {
  latest = new Map<string, PointState>();
  updates = 0;
  private waiters: Array<() => void> = [];
  constructor(public socket: Socket<ServerToClientEvents, ClientToServerEvents>) {
    socket.on('points:update', (batch) => {
      this.updates++;
      for (const s of batch) this.latest.set(s.id, s);
      for (const w of this.waiters.splice(0)) w();
    });
  }
  async until(what: string, pred: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 250);
        this.waiters.push(() => (clearTimeout(t), r()));
      });
    }
  }
}

async function watchFloor(token: string, floor: string): Promise<Watcher> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(stack.url, { auth: { token }, transports: ['websocket'], reconnection: false });
  const watcher = new Watcher(socket);
  const ack = await new Promise<SubscribeAck>((resolve, reject) => {
    socket.on('connect_error', reject);
    socket.on('connect', () => socket.emit('subscribe', { floors: [floor] }, resolve));
  });
  if (!ack.ok) throw new Error(ack.error);
  for (const s of ack.snapshot) watcher.latest.set(s.id, s);
  return watcher;
}

async function write(token: string, pointId: string, value: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${stack.url}/api/points/${pointId}/write`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ value }),
  });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  stack = await startDemoStack();
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

describe('backbone: simulator → driver → hub → socket.io client', () => {
  it('delivers a simulated leak to a subscribed client as a coalesced update', async () => {
    const guard = await login('guard');
    const w = await watchFloor(guard.token, B1);
    await w.until('a good sample of the leak sensor', () => w.latest.get(LEAK)?.quality === 'good');
    expect(w.latest.get(LEAK)?.value).toBe(false);

    const unit = 3; // pump-b101 leak sensor behind modbus-gw-b1 (simulators/modbus/demo.yaml)
    stack.sim.set('modbus-gw-b1', unit, 'leak', true);
    await w.until('the leak to arrive', () => w.latest.get(LEAK)?.value === true);
    expect(w.latest.get(LEAK)?.quality).toBe('good');
    stack.sim.set('modbus-gw-b1', unit, 'leak', false);
    await w.until('the leak to clear', () => w.latest.get(LEAK)?.value === false);
    w.socket.close();
  });

  it('refuses an unauthenticated socket', async () => {
    const socket = io(stack.url, { transports: ['websocket'], reconnection: false });
    const err = await new Promise<Error>((resolve) => socket.on('connect_error', resolve));
    expect(err.message).toMatch(/auth|session|token/i);
    socket.close();
  });

  it('writes a light through the driver, confirmed by read-back, and audits it', async () => {
    const operator = await login('operator');
    const w = await watchFloor(operator.token, B1);
    await w.until('a good light state', () => w.latest.get(LIGHT)?.quality === 'good');
    const before = w.latest.get(LIGHT)!.value as boolean;

    const { status, body } = await write(operator.token, LIGHT, !before);
    expect(status).toBe(200);
    const res = body as WriteResponse;
    expect(res).toMatchObject({ pointId: LIGHT, requested: !before, previous: before, confirmed: true, readBack: !before });
    expect(stack.sim.get('modbus-gw-b1', 2, 'parking-b')).toBe(!before);
    await w.until('the new light state on the live channel', () => w.latest.get(LIGHT)?.value === !before);

    const auditDir = path.join(stack.config.hub.dataDir, 'audit');
    const lines = fs.readdirSync(auditDir).flatMap((f) => fs.readFileSync(path.join(auditDir, f), 'utf8').trim().split('\n')).map((l) => JSON.parse(l));
    const entry = lines.find((l) => l.action === 'point.write' && l.target === LIGHT && l.user === 'operator');
    expect(entry?.details).toMatchObject({ previous: before, requested: !before, confirmed: true });
    w.socket.close();
  });

  it('refuses a write from a viewer (403) and sends nothing to the device', async () => {
    const viewer = await login('viewer');
    const before = stack.sim.get('modbus-gw-b1', 2, 'parking-b');
    const { status, body } = await write(viewer.token, LIGHT, !before);
    expect(status).toBe(403);
    expect(body.error.message).toMatch(/points:write/);
    expect(stack.sim.get('modbus-gw-b1', 2, 'parking-b')).toBe(before);
  });

  it('refuses an out-of-range value before anything is sent (400 naming the limit)', async () => {
    const operator = await login('operator');
    const dimmer = stack.config.points.find((p) => p.info.writable && p.info.kind === 'analog' && p.info.limits?.max !== undefined)!;
    const { status, body } = await write(operator.token, dimmer.info.id, dimmer.info.limits!.max! + 1);
    expect(status).toBe(400);
    expect(body.error.message).toContain(String(dimmer.info.limits!.max));
  });

  it('turns a dead gateway comm_fail, then recovers by itself', async () => {
    const guard = await login('guard');
    const w = await watchFloor(guard.token, B1);
    await w.until('good samples', () => w.latest.get(LEAK)?.quality === 'good');
    const lastGood = w.latest.get(LEAK)!.value;
    await stack.sim.gateway('modbus-gw-b1').stop();
    await w.until('comm_fail on B1', () => w.latest.get(LEAK)?.quality === 'comm_fail');
    // The last known value stays, marked as not live.
    expect(w.latest.get(LEAK)?.value).toBe(lastGood);
    await stack.sim.gateway('modbus-gw-b1').start();
    await w.until('recovery on B1', () => w.latest.get(LEAK)?.quality === 'good', 30_000);
    w.socket.close();
  }, 60_000);
});

describe('a bad config stops start-up with its path', () => {
  it('npm run check-config names the file, the path inside it and the reason', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-badcfg-'));
    try {
      fs.cpSync(path.join(REPO_ROOT, 'config'), dir, { recursive: true });
      const file = path.join(dir, 'devices', 'modbus.yaml');
      const text = fs.readFileSync(file, 'utf8');
      // Break the first register address in the file.
      fs.writeFileSync(file, text.replace(/address: \d+/, 'address: 70000'));
      const tsx = path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
      const r = spawnSync(process.execPath, [tsx, path.join(REPO_ROOT, 'scripts', 'check-config.ts'), dir], { encoding: 'utf8', cwd: REPO_ROOT });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/devices\/modbus\.yaml: devices\[\d+\]\.points\[\d+\]\.source\.address: must be 0\.\.65535/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
