// QA's case against the real hub and the OPC UA simulator: an operator sets office-201's setpoint to
// 23.5 °C (level 8); the VAV controller reboots and comes back at its default 24 °C → the hub writes
// 23.5 again (read-back confirmed, audited as system:reassert). Then the hub restarts while the
// device drifted: the persisted slot is re-asserted once the point reads good.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpcuaSimulator, type OpcuaSimulator } from '../../simulators/opcua/server.js';
import { hashPassword } from '../auth/password.js';
import { loadConfig } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import { createDrivers } from '../drivers.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { createControlModule } from './index.js';
import { schedulesFileSchema } from './schedule-schema.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const SP = 'hq/a/l02/office-201/vav-201/zone-temp-sp';
const NODE = 'VAV-201.ZoneTempSetpoint';
const PW = 'pw';
const NO_SCHEDULES = schedulesFileSchema.parse({ calendar: { holidays: [], workdays: [] }, groups: [], schedules: [] });

let opcua: OpcuaSimulator;
let config: LoadedConfig;
let dataDir: string;
let hub: Hub | null = null;

const until = async (what: string, f: () => boolean, timeoutMs = 30_000) => {
  const end = Date.now() + timeoutMs;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** A hub with only the OPC UA driver (the other simulators are not needed here) and control with real timers. */
async function startHub(): Promise<Hub> {
  const opcuaOnly: LoadedConfig = {
    ...config,
    connections: config.connections.filter((c) => c.protocol === 'opcua'),
    devices: config.devices.filter((d) => config.connections.some((c) => c.id === d.connection && c.protocol === 'opcua')),
    points: config.points.filter((p) => p.info.protocol === 'opcua'),
  };
  const control = createControlModule({ schedules: NO_SCHEDULES, lighting: null, tickMs: 200 });
  return createHub(config, { drivers: createDrivers(opcuaOnly), modules: [control], listen: { port: 0 }, log: silentLogger() });
}

const reasserts = (h: Hub) => h.audit.query({ limit: 1000 }).filter((e) => e.action === 'point.reassert' && e.target === SP);

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-reassert-opcua-'));
  opcua = await startOpcuaSimulator({ pkiDir: path.join(dataDir, 'sim-pki'), securityModes: ['None'], startHour: 10 });
  config = loadConfig(path.join(REPO, 'config'));
  for (const c of config.connections) if (c.protocol === 'opcua') (c.options as { endpointUrl: string }).endpointUrl = opcua.endpointUrl;
  config.hub.dataDir = dataDir;
  config.users = [{ username: 'operator', role: 'operator', name: { en: 'operator', 'zh-CN': 'operator' }, passwordHash: await hashPassword(PW, { N: 1024, r: 8, p: 1 }) }];
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  await opcua?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('commands are re-asserted', () => {
  it('after the device reboots at its default, and after a hub restart with persisted slots', async () => {
    hub = await startHub();
    const h1 = hub;
    await until('the setpoint reads good', () => h1.store.get(SP)?.quality === 'good');
    const token = (await (await fetch(`${h1.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', password: PW }) })).json()).token;
    const w = await fetch(`${h1.url}/api/points/${SP}/write`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ value: 23.5 }) });
    expect(w.status).toBe(200);
    expect(opcua.get(NODE)).toBe(23.5);

    // The controller reboots: the server goes away and comes back with its default setpoint.
    await opcua.kill();
    await until('the hub sees the outage', () => h1.store.get(SP)?.quality === 'comm_fail');
    opcua.set(NODE, 24);
    await opcua.revive();
    await until('the setpoint re-asserted on the device', () => opcua.get(NODE) === 23.5 && reasserts(h1).length > 0);
    expect(reasserts(h1)).toEqual([
      expect.objectContaining({ user: 'system:reassert', details: expect.objectContaining({ reason: 'reconnect', level: 8, value: 23.5, deviceValue: 24, outcome: 'written', confirmed: true, readBack: 23.5 }) }),
    ]);
    await until('the hub reads 23.5 back', () => h1.store.get(SP)?.value === 23.5);

    // The hub goes down; meanwhile the device loses the setpoint. The slot persisted in SQLite.
    await h1.stop();
    hub = null;
    opcua.set(NODE, 24);
    hub = await startHub();
    const h2 = hub;
    // (The audit log persists too: the reboot's entry is still there.)
    const atStart = () => reasserts(h2).filter((e) => e.details?.reason === 'start');
    await until('the persisted override re-asserted after the hub restart', () => opcua.get(NODE) === 23.5 && atStart().length > 0);
    expect(atStart()).toEqual([expect.objectContaining({ details: expect.objectContaining({ reason: 'start', value: 23.5, deviceValue: 24, confirmed: true }) })]);
    const arr = await (await fetch(`${h2.url}/api/control/points/${SP}/priority`, { headers: { authorization: `Bearer ${(await (await fetch(`${h2.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', password: PW }) })).json()).token}` } })).json();
    expect(arr.effective).toEqual({ value: 23.5, level: 8 });
  }, 90_000);
});
