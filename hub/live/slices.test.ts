// A big window is sent in slices (hub/live/live.ts): over a real hub and a real Socket.IO client, every
// state arrives exactly once, in messages of at most 1,000 states, in the order published, and a
// window that ends while the previous one is still being sent is coalesced, not lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents, SubscribeAck } from '../../contracts/live.js';
import type { PointState, Sample } from '../../contracts/point.js';
import { hashPassword } from '../auth/password.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { ScriptedDriver, testPointId, testSiteConfig } from '../test-support.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const POINTS = 2500;
let hub: Hub;
let driver: ScriptedDriver;
let dir: string;
let client: Client;
const messages: PointState[][] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wf-live-slices-'));
  const passwordHash = await hashPassword('pw', { N: 1024, r: 8, p: 1 });
  // An hour before anything goes stale: the published values stay as they are whenever the test reads them.
  const config = testSiteConfig({ floors: 1, pointsPerFloor: POINTS, dataDir: dir, intervalMs: 3_600_000, liveWindowMs: 20, users: [{ username: 'v', role: 'viewer', passwordHash }] });
  driver = new ScriptedDriver();
  hub = await createHub(config, { drivers: [driver], modules: [], log: silentLogger(), listen: { port: 0 }, consoleDir: join(dir, 'console') });
  const login = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'v', password: 'pw' }) });
  const { token } = (await login.json()) as { token: string };
  client = connectClient(hub.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((ok, fail) => (client.once('connect', ok), client.once('connect_error', fail)));
  const ack = await new Promise<SubscribeAck>((ok) => client.emit('subscribe', { floors: ['hq/a/l01'] }, ok));
  expect(ack.ok).toBe(true);
  client.on('points:update', (batch) => messages.push(batch));
}, 30_000);

afterAll(async () => {
  client?.close();
  await hub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const batchOf = (value: number): Sample[] =>
  Array.from({ length: POINTS }, (_, n) => ({ pointId: testPointId(0, n), value, quality: 'good' as const, readTs: 1_000_000 + value }));

describe('sliced live flush', () => {
  it('sends a window larger than one message as several, each state once, in order', async () => {
    messages.length = 0;
    driver.publish(batchOf(1));
    await vi.waitFor(() => expect(messages.flat().length).toBe(POINTS), { timeout: 5000 });
    expect(messages.length).toBeGreaterThanOrEqual(3);
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(1000);
    expect(messages.flat().map((s) => s.id)).toEqual(Array.from({ length: POINTS }, (_, n) => testPointId(0, n)));
    expect(messages.flat().every((s) => s.value === 1)).toBe(true);
  });

  it('windows published back to back end with the latest value of every point, never an older one after it', async () => {
    messages.length = 0;
    // Each publish in its own turn, so some windows end while the previous one is still being sent.
    for (let v = 2; v <= 6; v++) {
      driver.publish(batchOf(v));
      await new Promise((ok) => setTimeout(ok, 5));
    }
    const last = new Map<string, number>();
    await vi.waitFor(() => {
      for (const s of messages.flat()) {
        const prev = last.get(s.id) ?? 0;
        expect(s.value as number).toBeGreaterThanOrEqual(prev); // per point, values only go forward
        last.set(s.id, s.value as number);
      }
      messages.length = 0;
      expect(last.size).toBe(POINTS);
      expect([...last.values()].every((v) => v === 6)).toBe(true);
    }, { timeout: 5000 });
  });
});
