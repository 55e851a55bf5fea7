// The control module in a real hub against the real simulators: schedules drive the OPC UA VAV
// setpoints through the priority array, an operator override survives the schedule and expires,
// the after-hours sweep switches Modbus lighting circuits off, a dark circuit raises a lamp fault.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModbusSimulator, type ModbusSimulator } from '../../simulators/modbus/index.js';
import { startOpcuaSimulator, type OpcuaSimulator } from '../../simulators/opcua/server.js';
import { hashPassword } from '../auth/password.js';
import { loadConfig } from '../config/load.js';
import { createDrivers } from '../drivers.js';
import { zonedToUtc } from '../../contracts/timezone.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { openControlDb, PriorityRepo } from './db.js';
import { createControlModule, type ControlModule } from './index.js';
import { lightingFileSchema } from './lighting-schema.js';
import { schedulesFileSchema } from './schedule-schema.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const TZ = 'Asia/Shanghai';
const SP = 'hq/a/l02/office-201/vav-201/zone-temp-sp';
const MODE = 'hq/a/l02/office-201/vav-201/occupancy-mode';
const CORRIDOR = 'hq/a/l02/weak-205/lighting-l02/corridor';
const OFFICE = 'hq/a/l02/weak-205/lighting-l02/office-201';
const OFFICE2 = 'hq/a/l02/weak-205/lighting-l02/office-202';
const RESTROOM = 'hq/a/l02/weak-205/lighting-l02/restroom';
const GW = 'modbus-gw-l02';
const PW = 'pw';
/** Monday 2026-03-16, local time. */
const local = (h: number, m = 0, day = 16) => zonedToUtc(TZ, 2026, 3, day, 0) + (h * 60 + m) * 60_000;

let clock = local(6);
let modbus: ModbusSimulator;
let opcua: OpcuaSimulator;
let hub: Hub;
let control: ControlModule;
let dataDir: string;
const tokens: Record<string, string> = {};

async function call<T = any>(method: string, url: string, body?: unknown, user?: string): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (user) headers.authorization = `Bearer ${tokens[user]}`;
  const res = await fetch(hub.url + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}
/**
 * Tests in this file share one hub (starting the simulators takes seconds) but never each other's
 * leftovers: each sets its own clock and, for lighting, starts from no slots on the l02 circuits.
 * (Order dependence here once made the lamp-fault test fail on a fresh clone: issue 11, item 14.)
 */
const RESET_ACTOR = { user: 'test-reset', role: 'admin' };
const CIRCUITS = [CORRIDOR, OFFICE, OFFICE2, RESTROOM];
async function resetLighting(): Promise<void> {
  // Releasing every level writes the relinquish default back (the state before the first command).
  for (const id of CIRCUITS) for (const level of [8, 13, 14, 16]) await control.priority().release(RESET_ACTOR, id, level, 'test reset');
  modbus.release(GW, 2, 'office-202-current');
  await control.priority().idle();
  // Settled: the hub's reading of each circuit is the device's own state again (no write in flight).
  const settled = (id: string) => {
    const got = hub.store.get(id);
    return got?.quality === 'good' && got.value === modbus.get(GW, 2, id.split('/').pop()!);
  };
  await until('l02 circuits settled', () => CIRCUITS.every(settled)).catch((err) => {
    const state = CIRCUITS.filter((id) => !settled(id)).map((id) => ({ id, device: modbus.get(GW, 2, id.split('/').pop()!), got: hub.store.get(id) }));
    throw new Error(`${(err as Error).message}: ${JSON.stringify(state)}`);
  });
}
/** The schedule engine at a given local time (re-asserts that period's values). */
async function at(h: number, m = 0): Promise<void> {
  clock = local(h, m);
  await control.tick();
}

const until = async (what: string, f: () => boolean, timeoutMs = 20_000) => {
  const end = Date.now() + timeoutMs;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-control-'));
  [modbus, opcua] = await Promise.all([
    startModbusSimulator({ ports: 'ephemeral' }),
    startOpcuaSimulator({ pkiDir: path.join(dataDir, 'sim-pki'), securityModes: ['None'], startHour: 10 }),
  ]);
  const config = loadConfig(path.join(REPO, 'config'));
  for (const c of config.connections) {
    if (c.protocol === 'modbus') (c.options as { port: number }).port = modbus.ports[c.id];
    if (c.protocol === 'opcua') (c.options as { endpointUrl: string }).endpointUrl = opcua.endpointUrl;
  }
  config.hub.dataDir = dataDir;
  const hash = await hashPassword(PW, { N: 1024, r: 8, p: 1 });
  config.users = (['operator', 'energy_officer', 'supervisor'] as const).map((role) => ({ username: role, role, name: { en: role, 'zh-CN': role }, passwordHash: hash }));
  const schedules = schedulesFileSchema.parse(YAML.parse(fs.readFileSync(path.join(REPO, 'config/schedules.yaml'), 'utf8')));
  for (const s of schedules.schedules) s.optimalStart.enabled = false; // deterministic boundaries
  const lighting = lightingFileSchema.parse(YAML.parse(fs.readFileSync(path.join(REPO, 'config/lighting.yaml'), 'utf8')));
  // The sweep runs when a test asks for it (POST …/sweep), never as a side effect of another test moving the clock.
  lighting.sweep.enabled = false;
  control = createControlModule({ schedules, lighting, now: () => clock, timers: false, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 100))) });
  hub = await createHub(config, { drivers: createDrivers(config), modules: [control], listen: { port: 0 }, log: silentLogger() });
  // The module put the priority array in front of hub.commands when it started.
  for (const u of ['operator', 'energy_officer', 'supervisor']) tokens[u] = (await call('POST', '/api/auth/login', { username: u, password: PW })).body.token;
  await until('HVAC and lighting values', () => hub.store.get(SP)?.quality === 'good' && CIRCUITS.every((id) => hub.store.get(id)?.quality === 'good'), 40_000);
}, 90_000);

afterAll(async () => {
  await hub?.stop();
  await Promise.all([modbus?.stop(), opcua?.stop()]);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('schedules drive the simulated HVAC through the priority array', () => {
  it('changes setpoints at the period boundary; an override survives the schedule and expires', async () => {
    clock = local(6);
    await control.tick();
    expect(opcua.get('VAV-201.ZoneTempSetpoint')).toBe(28); // unoccupied
    expect(opcua.get('VAV-201.OccupancyMode')).toBe(2);
    expect(opcua.get('AHU-1.Enable')).toBe(false);

    clock = local(8);
    await control.tick();
    expect(opcua.get('VAV-201.ZoneTempSetpoint')).toBe(24); // occupied from 08:00
    expect(opcua.get('VAV-201.OccupancyMode')).toBe(1);
    expect(opcua.get('AHU-1.Enable')).toBe(true);

    // A plain point write is an operator override at level 8 with the default 2 h expiry.
    const w = await call('POST', `/api/points/${SP}/write`, { value: 22 }, 'operator');
    expect(w.status).toBe(200);
    expect(w.body.confirmed).toBe(true);
    expect(opcua.get('VAV-201.ZoneTempSetpoint')).toBe(22);
    const arr = await call('GET', `/api/control/points/${SP}/priority`, undefined, 'operator');
    expect(arr.body.effective).toEqual({ value: 22, level: 8 });
    expect(arr.body.levels[7]).toMatchObject({ value: 22, user: 'operator', setAt: local(8), expiresAt: local(10) });
    expect(arr.body.levels[14]).toMatchObject({ value: 24, user: 'system:schedule' });
    const overrides = await call('GET', '/api/control/overrides', undefined, 'operator');
    expect(overrides.body.items).toContainEqual(expect.objectContaining({ pointId: SP, level: 8, user: 'operator', expiresAt: local(10) }));

    // Lunch standby at 12:00 would be 26, but at 09:00 the schedule re-asserts 24: the override still wins.
    clock = local(9);
    await control.tick();
    expect(opcua.get('VAV-201.ZoneTempSetpoint')).toBe(22);

    // 10:30: the override expired; the schedule's value is written back and confirmed.
    clock = local(10, 30);
    await control.tick();
    expect(opcua.get('VAV-201.ZoneTempSetpoint')).toBe(24);
    const after = await call('GET', `/api/control/points/${SP}/priority`, undefined, 'operator');
    expect(after.body.effective).toEqual({ value: 24, level: 15 });

    clock = local(12, 15);
    await control.tick();
    expect(opcua.get('VAV-201.ZoneTempSetpoint')).toBe(26); // standby
  }, 60_000);

  it('commands and releases at a level; refuses levels and values the role may not use', async () => {
    await at(12, 15); // lunch standby: the schedule holds 26 at level 15
    const c = await call('POST', `/api/control/points/${SP}/command`, { value: 21, level: 8, expiresInMin: 30 }, 'supervisor');
    expect(c.status).toBe(200);
    expect(opcua.get('VAV-201.ZoneTempSetpoint')).toBe(21);
    const rel = await call('POST', `/api/control/points/${SP}/release`, { level: 8 }, 'supervisor');
    expect(rel.body).toMatchObject({ effective: { value: 26, level: 15 }, written: true, confirmed: true });
    expect(opcua.get('VAV-201.ZoneTempSetpoint')).toBe(26);

    const cases: Array<[string, unknown, number, string]> = [
      ['operator', { value: 22, level: 15 }, 403, 'role operator may not write at priority 15'],
      ['operator', { value: 22, level: 1 }, 403, 'manual life safety'],
      ['energy_officer', { value: 22, level: 8 }, 403, 'allowed: 10-16'],
      ['supervisor', { value: 35, level: 8 }, 400, 'above the limit 30'],
      ['supervisor', { value: 22, level: 8, expiresInMin: -5 }, 400, 'expiresInMin'],
      ['supervisor', { value: 22, level: 8, extra: 1 }, 400, 'command body'],
    ];
    for (const [user, body, status, msg] of cases) {
      const r = await call('POST', `/api/control/points/${SP}/command`, body, user);
      expect([user, r.status]).toEqual([user, status]);
      expect(r.body.error.message).toContain(msg);
    }
    expect(opcua.get('VAV-201.ZoneTempSetpoint')).toBe(26); // nothing half-applied
    const mode = await call('POST', `/api/control/points/${MODE}/command`, { value: 7, level: 8 }, 'supervisor');
    expect(mode.status).toBe(400);
  }, 30_000);

  it('saves versioned schedules, refuses bad ones with the reason, previews a day', async () => {
    await at(12, 15);
    const cur = await call('GET', '/api/control/schedules', undefined, 'operator');
    const v0: number = cur.body.version;
    expect(Number.isInteger(v0)).toBe(true);
    const doc = cur.body.doc;
    const bad = structuredClone(doc);
    bad.schedules[0].week.mon = [{ start: '08:00', end: '12:00', mode: 'occupied' }, { start: '11:00', end: '13:00', mode: 'standby' }];
    bad.schedules[0].modes.occupied.setpoint = 15;
    const r = await call('PUT', '/api/control/schedules', { doc: bad }, 'energy_officer');
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('overlaps 08:00-12:00');
    expect(r.body.error.message).toContain('outside the limits 18..28');
    expect((await call('PUT', '/api/control/schedules', { doc }, 'operator')).status).toBe(403);

    const good = structuredClone(doc);
    good.schedules[0].modes.standby.setpoint = 25;
    const preview = await call('POST', '/api/control/schedules/preview', { doc: good, date: '2026-02-14' }, 'energy_officer');
    const zone = preview.body.zones.find((z: { zone: string }) => z.zone === 'office-201');
    expect(zone.day).toMatchObject({ type: 'makeup-workday' });
    expect(zone.segments).toContainEqual({ from: '12:00', to: '13:30', mode: 'standby', setpoint: 25, fan: true });
    const holiday = await call('POST', '/api/control/schedules/preview', { date: '2026-02-16' }, 'energy_officer');
    expect(holiday.body.zones[0].segments).toEqual([{ from: '00:00', to: '24:00', mode: 'unoccupied', setpoint: 28, fan: false }]);
    expect((await call('POST', '/api/control/schedules/preview', { date: '2026-02-30' }, 'energy_officer')).status).toBe(400);

    const saved = await call('PUT', '/api/control/schedules', { doc: good, expectedVersion: v0, comment: 'warmer lunch' }, 'energy_officer');
    expect(saved.body).toMatchObject({ version: v0 + 1, user: 'energy_officer' });
    const stale = await call('PUT', '/api/control/schedules', { doc: good, expectedVersion: v0 }, 'energy_officer');
    expect(stale.status).toBe(409);
    await until('new standby setpoint', () => opcua.get('VAV-201.ZoneTempSetpoint') === 25);
    const versions = await call('GET', '/api/control/schedules/versions', undefined, 'operator');
    expect(versions.body.items[0]).toMatchObject({ version: v0 + 1, user: 'energy_officer', comment: 'warmer lunch' });
    // Put the original schedule back (a newer version with the old content) for the other tests.
    const restored = await call('PUT', '/api/control/schedules', { doc, expectedVersion: v0 + 1, comment: 'test: restore' }, 'energy_officer');
    expect(restored.status).toBe(200);
    await until('standby setpoint restored', () => opcua.get('VAV-201.ZoneTempSetpoint') === 26);
  }, 30_000);
});

describe('lighting', () => {
  it('the after-hours sweep flashes, then switches corridor and office circuits off; re-enable lasts its time', async () => {
    await resetLighting();
    clock = local(19, 0);
    for (const id of [CORRIDOR, OFFICE, RESTROOM]) {
      const r = await call('POST', `/api/control/points/${id}/command`, { value: true, level: 16 }, 'supervisor');
      expect(r.status).toBe(200);
    }
    expect([modbus.get(GW, 2, 'corridor'), modbus.get(GW, 2, 'office-201'), modbus.get(GW, 2, 'restroom')]).toEqual([true, true, true]);
    await until('panel polled', () => hub.store.get(CORRIDOR)?.value === true && hub.store.get(OFFICE)?.value === true);
    clock = local(20, 0);
    const sweep = await call('POST', '/api/control/lighting/sweep', {}, 'energy_officer');
    expect(sweep.status).toBe(200);
    expect(sweep.body.zones).toEqual(expect.arrayContaining(['l02-corridor', 'l02-office-201']));
    expect(sweep.body.zones).not.toContain('l02-restroom');
    expect([modbus.get(GW, 2, 'corridor'), modbus.get(GW, 2, 'office-201'), modbus.get(GW, 2, 'restroom')]).toEqual([false, false, true]);
    // The warning flash: off, on, off — each a confirmed write at the sweep level.
    const flash = hub.audit.query({ limit: 1000 }).filter((e) => e.action === 'point.command' && e.target === CORRIDOR && e.user === 'system:lighting');
    expect(flash.slice(0, 3).reverse().map((e) => [e.details?.requested, e.details?.confirmed])).toEqual([[false, true], [true, true], [false, true]]);
    const arr = await call('GET', `/api/control/points/${CORRIDOR}/priority`, undefined, 'operator');
    expect(arr.body.levels[13]).toMatchObject({ value: false, user: 'system:lighting', expiresAt: local(6, 0, 17) });

    const re = await call('POST', '/api/control/lighting/zones/l02-corridor/reenable', {}, 'operator');
    expect(re.status).toBe(200);
    expect(modbus.get(GW, 2, 'corridor')).toBe(true);
    clock = local(21, 1);
    await control.tick();
    expect(modbus.get(GW, 2, 'corridor')).toBe(false);
    expect((await call('POST', '/api/control/lighting/zones/l09-nowhere/reenable', {}, 'operator')).status).toBe(404);
    await resetLighting();
  }, 40_000);

  it('a circuit that is on but draws no current raises a lamp fault', async () => {
    await resetLighting();
    // After hours, and less than the 15 min vacancy timeout before the checks below (an occupancy
    // switch-off of office 202 would hide the fault).
    clock = local(21, 5);
    await control.tick();
    const events: string[] = [];
    control.onLampFault((e) => events.push(`${e.zone}:${e.fault}`));
    await call('POST', `/api/control/points/${OFFICE2}/command`, { value: true, level: 8 }, 'supervisor');
    modbus.set(GW, 2, 'office-202-current', 0);
    await until('dark circuit polled', () => hub.store.get(OFFICE2)?.value === true && hub.store.get(`${OFFICE2}-current`)?.value === 0);
    clock = local(21, 10);
    await control.tick();
    expect(events).toEqual([]);
    clock = local(21, 10) + 31_000;
    await control.tick();
    expect(events).toEqual(['l02-office-202:true']);
    // …and the derived point of config/devices/derived.yaml follows, for alarm rules and history.
    await until('the derived lamp-fault point', () => hub.store.get('hq/a/l02/weak-205/lamp-faults/office-202')?.value === true);
    const faults = await call('GET', '/api/control/lighting/faults', undefined, 'operator');
    expect(faults.body.items).toEqual([expect.objectContaining({ zone: 'l02-office-202', pointId: `${OFFICE2}-lamp-fault`, fault: true })]);
    await resetLighting();
  }, 30_000);
});

describe('persistence', () => {
  it('priority slots survive a restart (SQLite in <dataDir>/control)', async () => {
    await at(21, 10); // unoccupied: the schedule holds 28 at level 15
    expect((await call('POST', `/api/control/points/${CORRIDOR}/command`, { value: false, level: 16 }, 'supervisor')).status).toBe(200);
    await control.priority().idle();
    const db = openControlDb(dataDir);
    try {
      const arrays = new PriorityRepo(db).loadAll();
      expect(arrays.get(CORRIDOR)?.slots).toContainEqual(expect.objectContaining({ level: 16, value: false, user: 'supervisor' }));
      expect(arrays.get(SP)?.slots).toContainEqual(expect.objectContaining({ level: 15, value: 28, user: 'system:schedule' }));
    } finally {
      db.close();
    }
    await resetLighting();
  });
});
