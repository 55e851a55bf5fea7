// The hub's priority array passed through to a BACnet panel's own (issue 17): a real hub with the
// BACnet driver against the simulated panel on a free loopback UDP port. Commands at levels 8 and 5
// land in device slots 8 and 5; releasing 5 relinquishes slot 5 and the panel falls back to 8 by
// itself; releasing 8 leaves the panel at its Relinquish_Default. Every step is read back and audited.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBacnetSimulator, type BacnetSimulator } from '../../simulators/bacnet/index.js';
import { bacnetPoint } from '../../drivers/bacnet/test-support.js';
import { connectionSchema } from '../../drivers/bacnet/schema.js';
import type { BacObject } from '../../simulators/bacnet/objects.js';
import { hashPassword } from '../auth/password.js';
import { loadConfig } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import { createDrivers } from '../drivers.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { createControlModule } from './index.js';
import { schedulesFileSchema } from './schedule-schema.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const ROOM = 'hq/a/b1/plant-b105';
const SP = `${ROOM}/ahu-1/supply-temp-sp`;
const PW = 'pw';
const NO_SCHEDULES = schedulesFileSchema.parse({ calendar: { holidays: [], workdays: [] }, groups: [], schedules: [] });

let sim: BacnetSimulator;
let hub: Hub;
let dataDir: string;
let sp: BacObject;
const tokens: Record<string, string> = {};

const until = async (what: string, f: () => boolean, timeoutMs = 10_000) => {
  const end = Date.now() + timeoutMs;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

async function call(user: string, url: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(hub.url + url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[user]}` }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** The panel's occupied slots, level → value. */
const slots = () => Object.fromEntries(sp.priority.flatMap((v, i) => (v === null ? [] : [[i + 1, v]])));
/** This point's audit entries of `action` since `from` (tests share the hub and run in any order), oldest first. */
const audit = (action: string, from: number) => hub.audit.query({ limit: 1000, from, action }).filter((e) => e.target === SP).reverse();

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-bacnet-priority-'));
  sim = await startBacnetSimulator({ port: 0, tickMs: 0 });
  sp = sim.obj('analog-value', 103); // AHU-1 supply temperature setpoint, Relinquish_Default 16 °C
  const loaded = loadConfig(path.join(REPO, 'config'));
  const point = bacnetPoint('supply-temp-sp', 'analog-value:103', { writable: true, device: 'ahu-1', connection: 'bacnet-b1', room: ROOM, limits: { min: 10, max: 30 } });
  // Only the BACnet panel: the other simulators are not needed here.
  const config: LoadedConfig = {
    ...loaded,
    connections: [{ id: 'bacnet-b1', protocol: 'bacnet', options: connectionSchema.parse({ host: '127.0.0.1', port: sim.port, localAddress: '127.0.0.1', pollMs: 250, timeoutMs: 500 }) }],
    devices: [{ id: 'ahu-1', connection: 'bacnet-b1', options: { instance: sim.instance }, name: { en: 'AHU-1', 'zh-CN': 'AHU-1' }, location: { building: 'a', floor: 'b1', room: 'plant-b105' }, file: 'devices/bacnet.yaml' }],
    points: [point],
    users: await Promise.all(['operator', 'supervisor'].map(async (role) => ({ username: role, role: role as 'operator', name: { en: role, 'zh-CN': role }, passwordHash: await hashPassword(PW, { N: 1024, r: 8, p: 1 }) }))),
  };
  config.hub = { ...config.hub, dataDir };
  const control = createControlModule({ schedules: NO_SCHEDULES, lighting: null, tickMs: 200 });
  hub = await createHub(config, { drivers: createDrivers(config), modules: [control], listen: { port: 0 }, log: silentLogger() });
  for (const user of ['operator', 'supervisor']) {
    const res = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: PW }) });
    tokens[user] = (await res.json()).token;
  }
  await until('the setpoint reads good', () => hub.store.get(SP)?.quality === 'good');
}, 60_000);

afterAll(async () => {
  await hub?.stop();
  await sim?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('BACnet priority pass-through from the hub', () => {
  it('commands land in the panel slot of their level and releases relinquish them, audited with read-back', async () => {
    const from = Date.now();
    await until('the setpoint at its default', () => hub.store.get(SP)?.value === 16);
    expect(slots()).toEqual({});

    // An operator's plain write goes through the pipeline's priority stage: level 8, panel slot 8.
    const w = await call('operator', `/api/points/${SP}/write`, { value: 21 });
    expect(w.status).toBe(200);
    expect(w.body).toMatchObject({ confirmed: true, readBack: 21 });
    expect(slots()).toEqual({ 8: 21 });

    // A supervisor at level 5 (critical equipment control): both slots on the panel, 5 wins.
    const c5 = await call('supervisor', `/api/control/points/${SP}/command`, { value: 26, level: 5 });
    expect(c5.status).toBe(200);
    expect(c5.body).toMatchObject({ level: 5, effective: { value: 26, level: 5 }, written: true, confirmed: true, readBack: 26 });
    expect(slots()).toEqual({ 5: 26, 8: 21 });
    expect(sp.presentValue()).toBe(26);

    // Releasing 5: the panel drops slot 5 and falls back to slot 8 on its own.
    const r5 = await call('supervisor', `/api/control/points/${SP}/release`, { level: 5 });
    expect(r5.status).toBe(200);
    expect(r5.body).toMatchObject({ effective: { value: 21, level: 8 }, written: true, confirmed: true, readBack: 21 });
    expect(slots()).toEqual({ 8: 21 });
    expect(sp.presentValue()).toBe(21);

    // Releasing 8: nothing left in the hub's array or the panel's; the panel is at Relinquish_Default.
    const r8 = await call('operator', `/api/control/points/${SP}/release`, { level: 8 });
    expect(r8.status).toBe(200);
    expect(r8.body).toMatchObject({ effective: { value: 16, level: null }, written: true, confirmed: true, readBack: 16 });
    expect(slots()).toEqual({});
    expect(sp.presentValue()).toBe(sp.relinquishDefault);
    await until('the hub reads the fallback', () => hub.store.get(SP)?.value === 16);

    expect(audit('point.command', from).map((e) => e.details)).toEqual([
      expect.objectContaining({ level: 8, requested: 21, outcome: 'written', confirmed: true, readBack: 21, deviceLevel: 8 }),
      expect.objectContaining({ level: 5, requested: 26, outcome: 'written', confirmed: true, readBack: 26, deviceLevel: 5 }),
    ]);
    expect(audit('point.command', from).map((e) => e.user)).toEqual(['operator', 'supervisor']);
    expect(audit('point.release', from).map((e) => [e.user, e.details])).toEqual([
      ['supervisor', expect.objectContaining({ level: 5, released: 26, fallback: 21, fallbackLevel: 8, relinquished: true, confirmed: true, readBack: 21 })],
      ['operator', expect.objectContaining({ level: 8, released: 21, fallback: 16, fallbackLevel: null, relinquished: true, confirmed: true, readBack: 16 })],
    ]);
    expect(audit('point.write', from).at(-1)?.details).toMatchObject({ requested: 21, outcome: 'written', confirmed: true, readBack: 21 });
  });

  it('a weaker level waits in the hub; when the stronger one goes, the panel gets it in its own slot', async () => {
    const from = Date.now();
    const c8 = await call('operator', `/api/control/points/${SP}/command`, { value: 22, level: 8 });
    expect(c8.body).toMatchObject({ written: true, confirmed: true });
    // Level 12 does not win: stored in the hub only, the panel is not written.
    const writesBefore = sim.device.counts.get('15') ?? 0;
    const c12 = await call('operator', `/api/control/points/${SP}/command`, { value: 19, level: 12 });
    expect(c12.body).toMatchObject({ level: 12, effective: { value: 22, level: 8 }, written: false });
    expect(sim.device.counts.get('15') ?? 0).toBe(writesBefore);
    expect(slots()).toEqual({ 8: 22 });

    // Releasing 8 relinquishes slot 8 and writes level 12's value into slot 12.
    const r8 = await call('operator', `/api/control/points/${SP}/release`, { level: 8 });
    expect(r8.body).toMatchObject({ effective: { value: 19, level: 12 }, written: true, confirmed: true, readBack: 19 });
    expect(slots()).toEqual({ 12: 19 });
    expect(audit('point.release', from).at(-1)?.details).toMatchObject({ level: 8, fallback: 19, fallbackLevel: 12, relinquished: true, confirmed: true, readBack: 19 });

    // Releasing 12, the winner now, empties the panel again.
    const r12 = await call('operator', `/api/control/points/${SP}/release`, { level: 12 });
    expect(r12.body).toMatchObject({ written: true, confirmed: true, readBack: 16 });
    expect(slots()).toEqual({});
  });

  it('releasing a level below the winner relinquishes that slot on the panel and leaves the winner', async () => {
    await call('operator', `/api/control/points/${SP}/command`, { value: 23, level: 10 });
    await call('supervisor', `/api/control/points/${SP}/command`, { value: 25, level: 5 });
    expect(slots()).toEqual({ 5: 25, 10: 23 });
    const r10 = await call('operator', `/api/control/points/${SP}/release`, { level: 10 });
    expect(r10.body).toMatchObject({ effective: { value: 25, level: 5 }, written: true, confirmed: true, readBack: 25 });
    expect(slots()).toEqual({ 5: 25 }); // without the relinquish, slot 10 would resurface when 5 goes
    await call('supervisor', `/api/control/points/${SP}/release`, { level: 5 });
    expect(slots()).toEqual({});
    expect(sp.presentValue()).toBe(16);
  });

  it('refuses level 6, which the panel keeps for its minimum on/off algorithm, before storing it', async () => {
    const from = Date.now();
    const writes = sim.device.counts.get('15') ?? 0;
    const c6 = await call('supervisor', `/api/control/points/${SP}/command`, { value: 20, level: 6 });
    expect(c6.status).toBe(400);
    expect(JSON.stringify(c6.body)).toContain('minimum on/off');
    expect(sim.device.counts.get('15') ?? 0).toBe(writes);
    expect(slots()).toEqual({});
    expect(audit('point.command', from).map((e) => e.details)).toEqual([expect.objectContaining({ level: 6, outcome: 'refused' })]);
    const view = await (await fetch(`${hub.url}/api/control/points/${SP}/priority`, { headers: { authorization: `Bearer ${tokens.supervisor}` } })).json();
    expect(view.levels[5]).toMatchObject({ level: 6, empty: true });
  });

  it('a panel that reboots without its commands gets the winner back in the slot of its level', async () => {
    const from = Date.now();
    await call('operator', `/api/control/points/${SP}/command`, { value: 20, level: 8 });
    const c5 = await call('supervisor', `/api/control/points/${SP}/command`, { value: 27, level: 5 });
    expect(c5.body).toMatchObject({ written: true, confirmed: true });
    expect(slots()).toEqual({ 5: 27, 8: 20 });
    await sim.kill({ forgetCommands: true });
    await until('the hub sees the outage', () => hub.store.get(SP)?.quality === 'comm_fail');
    await sim.revive();
    await until('the winner re-asserted in slot 5', () => sp.priority[4] === 27);
    expect(slots()).toEqual({ 5: 27 }); // only the winner: level 8 waits in the hub, as after any fallback
    await until('the audit entry', () => audit('point.reassert', from).length > 0);
    expect(audit('point.reassert', from).map((e) => e.details)).toEqual([
      expect.objectContaining({ reason: 'reconnect', level: 5, value: 27, deviceValue: 16, outcome: 'written', confirmed: true, readBack: 27 }),
    ]);
    // Releasing 5 now writes level 8 into its own slot (the panel forgot it), then 8 empties the panel.
    const r5 = await call('supervisor', `/api/control/points/${SP}/release`, { level: 5 });
    expect(r5.body).toMatchObject({ effective: { value: 20, level: 8 }, confirmed: true, readBack: 20 });
    expect(slots()).toEqual({ 8: 20 });
    await call('operator', `/api/control/points/${SP}/release`, { level: 8 });
    expect(slots()).toEqual({});
    await until('the hub reads the default again', () => hub.store.get(SP)?.value === 16);
  });
});
