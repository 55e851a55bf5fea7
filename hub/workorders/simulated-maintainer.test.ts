// The simulator drives the whole loop through the REST API: faults reported, a simulated
// maintainer accepts and completes every order, the requester's statistics see the repairs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../contracts/api.js';
import type { WorkOrder, WorkOrderStats } from '../../contracts/workorders.js';
import { reportFaults, SimulatedMaintainer } from '../../simulators/dispatch/maintainer.js';
import { hashPassword } from '../auth/password.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { testSiteConfig } from '../test-support.js';
import { waitUntil } from '../notify/test-peers.js';
import { createDispatchModule } from './index.js';
import { dispatchFileSchema } from './schema.js';

const PW = 'pw-for-tests';
let hub: Hub;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wf-wo-sim-'));
  const hash = await hashPassword(PW, { N: 1024, r: 8, p: 1 });
  const config = testSiteConfig({ floors: 2, pointsPerFloor: 2, dataDir, users: [['e1', 'maintainer'], ['sup', 'supervisor'], ['viewer', 'viewer']].map(([username, role]) => ({ username, role: role as 'viewer', passwordHash: hash })) });
  const file = dispatchFileSchema.parse({
    people: [{ user: 'e1' }, { user: 'sup' }],
    trades: [{ id: 'electrical', areas: ['a'] }],
    roster: { entries: [{ trade: 'electrical', workday: ['e1'], weekend: ['e1'], holiday: ['e1'], night: ['e1'], supervisor: 'sup', manager: 'sup' }] },
    notify: { policies: [{ channels: ['console'] }] },
  });
  hub = await createHub(config, { drivers: [], modules: [createDispatchModule({ file, tickMs: 0 })], log: silentLogger(), listen: { port: 0 }, consoleDir: join(dataDir, 'none') });
});

afterAll(async () => {
  await hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('simulated maintainer', () => {
  it('accepts and completes every reported fault through the REST API', async () => {
    const login = async (u: string) => ((await (await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: PW }) })).json()) as SessionInfo).token;
    const sim = new SimulatedMaintainer({ hubUrl: hub.url, username: 'e1', password: PW, stepMs: 1, pollMs: 30 });
    await sim.start();
    try {
      const ids = await reportFaults({ hubUrl: hub.url, token: await login('viewer'), count: 4, areas: ['a/l01', 'a/l02'] });
      await waitUntil(() => (sim.finished.length >= 4 ? true : undefined), 20_000, 'four repairs');
      expect([...sim.finished].sort()).toEqual(ids);
      const sup = await login('sup');
      const orders = (await (await fetch(`${hub.url}/api/workorders?state=done`, { headers: { authorization: `Bearer ${sup}` } })).json()) as WorkOrder[];
      expect(orders.map((o) => o.id).sort()).toEqual(ids);
      expect(orders.every((o) => o.workDone?.startsWith('checked and repaired') && o.parts.length === 1)).toBe(true);
      const stats = (await (await fetch(`${hub.url}/api/workorders/stats?by=person`, { headers: { authorization: `Bearer ${sup}` } })).json()) as WorkOrderStats;
      expect(stats.rows[0]).toMatchObject({ key: 'e1', orders: 4, partsUsed: 4 });
      expect(stats.repeatFaults.map((r) => r.device)).toContain('sim-device-0');
    } finally {
      sim.stop();
    }
  });
});
