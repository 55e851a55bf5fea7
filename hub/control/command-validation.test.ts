// The validate stage in front of the priority array (issue 11, items 2 and 11): a value the device's
// wire type cannot hold (1.5 on a uint16 holding register) is refused with `invalid` (→ 400) at
// every priority level, before anything is stored, so releasing a higher level can never make it
// the effective value. Real Modbus driver (its checkWrite needs no I/O), real PriorityService on
// SQLite in a temp dir, real CommandService.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PointInfo } from '../../contracts/point.js';
import { modbusFactory } from '../../drivers/modbus/index.js';
import { toApiError } from '../api/errors.js';
import { CommandService } from '../commands.js';
import { DomainError } from '../errors.js';
import { silentLogger } from '../log.js';
import type { AuditEntry } from '../module.js';
import { PointStore } from '../state.js';
import { openControlDb, PriorityRepo, type ControlDb } from './db.js';
import { PriorityService } from './priority-service.js';

const SP: PointInfo = {
  id: 'hq/a/l02/office-201/ahu-1/sp', name: { en: 'sp', 'zh-CN': 'sp' }, kind: 'analog', unit: '°C',
  limits: { min: 0, max: 200 }, writable: true, device: 'ahu-1', protocol: 'modbus', intervalMs: 1000,
};

let dir: string;
let db: ControlDb;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-cmdval-'));
  db = openControlDb(dir);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function rig() {
  const connections = [{ id: 'gw', protocol: 'modbus', options: modbusFactory.connectionSchema.parse({ host: '192.0.2.1' }) }];
  const devices = [{ id: 'ahu-1', connection: 'gw', options: modbusFactory.deviceSchema.parse({}) }];
  const source = modbusFactory.sourceSchema.parse({ table: 'holding', address: 10, type: 'uint16' });
  const driver = modbusFactory.create(connections, devices, [{ info: SP, device: 'ahu-1', connection: 'gw', source }]);
  const store = new PointStore([SP], silentLogger());
  store.apply([{ pointId: SP.id, value: 100, quality: 'good', readTs: 1 }]);
  const audit: AuditEntry[] = [];
  const auditLog = { record: (e: Omit<AuditEntry, 'ts'>) => void audit.push({ ts: 0, ...e }) };
  const commands = new CommandService(store, [driver], auditLog, silentLogger());
  const written: Array<number | boolean | string | null> = [];
  const priority = new PriorityService({
    points: new Map([[SP.id, SP]]), store, repo: new PriorityRepo(db), audit: auditLog, log: silentLogger(), now: () => 1_000,
    defaultManualExpiryMin: 60, roleOf: () => 'admin',
    // The device side is a recorder: this test is about what reaches it, not Modbus I/O.
    device: async (cmd) => (written.push(cmd.value), { confirmed: true, readBack: cmd.value }),
    check: (p, v) => commands.check(p, v),
  });
  commands.attach('priority', priority.stage);
  return { driver, commands, priority, written, audit };
}

describe('validate before the priority array', () => {
  it('the Modbus driver knows its wire type without I/O', () => {
    const { driver } = rig();
    expect(driver.checkWrite?.(SP.id, 21)).toBeNull();
    expect(driver.checkWrite?.(SP.id, 1.5)).toMatch(/not representable as uint16/);
  });

  it.each(Array.from({ length: 16 }, (_, i) => i + 1))('refuses 1.5 on a uint16 point at level %i with invalid (400), storing nothing', async (level) => {
    const { priority, written, audit } = rig();
    // command() refuses synchronously (before queueing); either way nothing may be stored.
    const err = await Promise.resolve().then(() => priority.command({ actor: { user: 'admin', role: 'admin' }, pointId: SP.id, value: 1.5, level })).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect([(err as DomainError).kind, (err as DomainError).code, toApiError(err).status]).toEqual(['invalid', 'invalid_value', 400]);
    expect((err as DomainError).message).toMatch(/uint16/);
    expect(priority.view(SP.id).levels.every((l) => l.empty)).toBe(true);
    expect(written).toEqual([]);
    expect(audit.at(-1)?.details).toMatchObject({ level, outcome: 'refused' });
  });

  it('a refused value at level 9 never becomes effective when level 8 is released (issue 11, item 11)', async () => {
    const { priority, written } = rig();
    const admin = { user: 'admin', role: 'admin' };
    await priority.command({ actor: admin, pointId: SP.id, value: 120, level: 8 });
    await expect(Promise.resolve().then(() => priority.command({ actor: admin, pointId: SP.id, value: 1.5, level: 9 }))).rejects.toThrow(/uint16/);
    const out = await priority.release(admin, SP.id, 8);
    expect(out.effective).toEqual({ value: 100, level: null }); // the relinquish default, not 1.5
    expect(written).toEqual([120, 100]);
  });

  it('a plain point write of 1.5 is refused by the pipeline before the priority stage', async () => {
    const { commands, priority, written } = rig();
    await expect(commands.write('operator', SP.id, 1.5)).rejects.toMatchObject({ kind: 'invalid', code: 'invalid_value' });
    expect(priority.view(SP.id).levels.every((l) => l.empty)).toBe(true);
    const ok = await commands.write('operator', SP.id, 21);
    expect(ok).toMatchObject({ confirmed: true, readBack: 21 });
    expect(written).toEqual([21]);
    expect(priority.view(SP.id).effective).toEqual({ value: 21, level: 8 });
  });
});
