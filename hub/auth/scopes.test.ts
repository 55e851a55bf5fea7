// Permission scopes enforced by the hub (issue 11 item 9): points:write no longer lets the energy
// officer release a door lock; areas narrow a role to buildings/floors; a door release needs
// confirm + reason, which the audit log keeps.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, SessionInfo } from '../../contracts/api.js';
import type { PointInfo } from '../../contracts/point.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { ScriptedDriver, testSiteConfig } from '../test-support.js';
import { hashPassword } from './password.js';

const LOCK = 'hq/a/b1/archive-b103/door-1/lock-release';
const SETPOINT = 'hq/a/l02/office-201/vav-201/zone-temp-sp';
let hub: Hub;
let driver: ScriptedDriver;
let dataDir = '';
const tokens: Record<string, string> = {};

beforeAll(async () => {
  const hash = await hashPassword('pw', { N: 1024, r: 8, p: 1 });
  const config = testSiteConfig({
    floors: 1, pointsPerFloor: 10,
    users: [
      { username: 'energy', role: 'energy_officer', passwordHash: hash },
      { username: 'op', role: 'operator', passwordHash: hash },
      { username: 'sup', role: 'supervisor', passwordHash: hash },
    ],
  });
  const extra: PointInfo[] = [
    { id: LOCK, name: { en: 'Lock release', 'zh-CN': '电锁释放' }, kind: 'binary', brick: 'On_Off_Command', writable: true, device: 'door-1', protocol: 'test', intervalMs: 1000 },
    { id: SETPOINT, name: { en: 'Setpoint', 'zh-CN': '设定' }, kind: 'analog', brick: 'Zone_Air_Temperature_Setpoint', limits: { min: 10, max: 30 }, writable: true, device: 'vav-201', protocol: 'test', intervalMs: 1000 },
  ];
  for (const info of extra) config.points.push({ info, device: info.device, connection: 'test-gw', source: {} });
  // Supervisors of this site may command building a floor b1 only.
  config.roleScopes = { supervisor: { pointClasses: 'all', areas: ['a/b1'] } };
  dataDir = config.hub.dataDir;
  driver = new ScriptedDriver();
  hub = await createHub(config, { drivers: [driver], log: silentLogger(), listen: { port: 0 } });
  for (const u of ['energy', 'op', 'sup']) {
    const r = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: 'pw' }) });
    tokens[u] = ((await r.json()) as SessionInfo).token;
  }
});

afterAll(async () => {
  await hub?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const write = async (user: string, pointId: string, body: unknown) => {
  const r = await fetch(`${hub.url}/api/points/${pointId}/write`, { method: 'POST', headers: { authorization: `Bearer ${tokens[user]}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: (await r.json()) as ApiError & Record<string, unknown> };
};
const audit = () => hub.audit.query({ limit: 1000 }) as Array<{ user: string; action: string; target: string; details?: Record<string, unknown> }>;

/** Door-lock writes the driver got so far (other tests may have sent some: compare before and after). */
const lockWrites = () => driver.writes.filter(([id]) => id === LOCK).length;

describe('scopes by point class', () => {
  it('the energy officer may not release a door lock (403, audited, nothing sent) but may set a setpoint', async () => {
    const locksBefore = lockWrites();
    const refused = await write('energy', LOCK, { value: true, confirm: true, reason: 'let the cleaner in' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('out_of_scope');
    expect(refused.body.error.message).toMatch(/class security, outside this role's classes \(hvac, lighting, power\)/);
    expect(lockWrites()).toBe(locksBefore);
    expect(audit().some((e) => e.action === 'point.command.refused' && e.user === 'energy' && e.target === LOCK)).toBe(true);
    const ok = await write('energy', SETPOINT, { value: 22 });
    expect(ok.status).toBe(200);
    expect(driver.writes).toContainEqual([SETPOINT, 22]);
  });

  it('tells the console the scope at login', async () => {
    const me = await fetch(`${hub.url}/api/auth/me`, { headers: { authorization: `Bearer ${tokens.energy}` } });
    expect(((await me.json()) as SessionInfo).scope).toEqual({ pointClasses: ['hvac', 'lighting', 'power'], areas: 'all' });
  });
});

describe('security commands need confirm + reason', () => {
  it('an operator\'s door release without them is refused (400 naming both); with them it is sent and the reason audited', async () => {
    const locksBefore = lockWrites();
    const bare = await write('op', LOCK, { value: true });
    expect(bare.status).toBe(400);
    expect(bare.body.error.code).toBe('confirmation_required');
    expect(bare.body.error.message).toMatch(/confirm must be true; reason must be a non-empty text/);
    expect((await write('op', LOCK, { value: true, confirm: true, reason: '   ' })).status).toBe(400);
    expect(lockWrites()).toBe(locksBefore);

    const ok = await write('op', LOCK, { value: true, confirm: true, reason: 'fire drill: archive evacuation' });
    expect(ok.status).toBe(200);
    expect(driver.writes).toContainEqual([LOCK, true]);
    const confirmed = audit().find((e) => e.action === 'point.command.confirmed' && e.target === LOCK && e.user === 'op');
    expect(confirmed).toMatchObject({ user: 'op', details: { reason: 'fire drill: archive evacuation' } });
  });
});

describe('scopes by area', () => {
  it('a supervisor scoped to a/b1 commands b1 but not a/l02', async () => {
    expect((await write('sup', LOCK, { value: false, confirm: true, reason: 'relock' })).status).toBe(200);
    const far = await write('sup', SETPOINT, { value: 21 });
    expect(far.status).toBe(403);
    expect(far.body.error.message).toMatch(/in a\/l02, outside this role's areas \(a\/b1\)/);
  });
});
