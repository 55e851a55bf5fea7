// The committed demo config against the simulator spec and the device datasheets: they are read
// back from disk here, so a hand edit of either side, or a stale generated file, fails the build.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../hub/config/load.js';
import { MODELS } from '../models/index.js';
import { DEMO_SPEC_FILE, loadSimSpec } from '../spec.js';
import { demoSimSpec, hubFile, modbusDevicesFile, siteFile, sourceOf, toYaml, verifyPassword } from './generate.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');

interface ConfigPoint { id: string; kind: string; writable?: boolean; source: Record<string, unknown> }
interface ConfigDevice { id: string; location: string; connection: string; options: { unitId: number }; points: ConfigPoint[] }
const devicesYaml = parse(read('config/devices/modbus.yaml')) as {
  connections: Array<{ id: string; protocol: string; options: { host: string; port: number; pollMs: number } }>;
  devices: ConfigDevice[];
};
const allPoints = devicesYaml.devices.flatMap((d) => d.points);

describe('generated demo files', () => {
  it('are up to date with the tables (run npx tsx scripts/gen-demo-config.ts)', () => {
    expect(read('config/site.yaml')).toBe(toYaml(siteFile()));
    expect(read('config/devices/modbus.yaml')).toBe(toYaml(modbusDevicesFile()));
    expect(read('config/hub.yaml')).toBe(toYaml(hubFile()));
    expect(read('simulators/modbus/demo.yaml')).toBe(toYaml(demoSimSpec()));
  });

  it('has the demo users, each with password <username>-demo as an scrypt N=16384 hash', () => {
    const users = (parse(read('config/users.yaml')) as { users: Array<{ username: string; role: string; password: string }> }).users;
    expect(users.map((u) => [u.username, u.role])).toEqual([
      ['admin', 'admin'], ['supervisor', 'supervisor'], ['operator', 'operator'], ['guard', 'guard'], ['energy', 'energy_officer'], ['viewer', 'viewer'],
      // The on-call maintainers of config/dispatch.yaml.
      ['electrician', 'maintainer'], ['electrician2', 'maintainer'], ['hvac', 'maintainer'], ['plumber', 'maintainer'], ['itech', 'maintainer'], ['cleaner', 'maintainer'],
      // The leader (decision view, reports).
      ['leader', 'leader'],
      // The test engineer (test runs, faults, checkout).
      ['tester', 'tester'],
    ]);
    for (const u of users) {
      expect(u.password).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
      expect(verifyPassword(`${u.username}-demo`, u.password)).toBe(true);
      expect(verifyPassword(`${u.username}-wrong`, u.password)).toBe(false);
    }
  });

  it('has the floors and rooms the other simulators and floor plans rely on', () => {
    const site = (parse(read('config/site.yaml')) as ReturnType<typeof siteFile>).site;
    expect(site).toMatchObject({ id: 'hq', timezone: 'Asia/Shanghai' });
    const floors = site.buildings[0].floors;
    expect(Object.fromEntries(floors.map((f) => [f.id, [f.level, f.rooms.map((r) => `${r.id}:${r.type}`).join(' ')]]))).toEqual({
      b1: [-1, 'parking-b1:parking pump-b101:plant power-b102:plant archive-b103:archive weak-b104:weak-current plant-b105:plant corridor-b1:corridor'],
      l01: [1, 'lobby-101:lobby security-102:office meeting-103:meeting weak-104:weak-current corridor-l1:corridor restroom-l1:restroom'],
      l02: [2, 'office-201:office office-202:office office-203:office meeting-204:meeting weak-205:weak-current corridor-l2:corridor restroom-l2:restroom'],
      l03: [3, 'office-301:office office-302:office archive-303:archive meeting-304:meeting weak-305:weak-current corridor-l3:corridor restroom-l3:restroom'],
      l04: [4, 'office-401:office office-402:office office-403:office meeting-404:meeting weak-405:weak-current corridor-l4:corridor restroom-l4:restroom'],
      l05: [5, 'server-501:server weak-502:weak-current office-503:office meeting-505:meeting corridor-l5:corridor restroom-l5:restroom'],
    });
  });

  it('has at least 300 points with a mix of kinds, tables, types, word orders, scales, offsets and bits', () => {
    expect(allPoints.length).toBeGreaterThanOrEqual(300);
    const has = (pred: (p: ConfigPoint) => boolean) => allPoints.some(pred);
    expect(has((p) => p.kind === 'analog') && has((p) => p.kind === 'binary')).toBe(true);
    expect(has((p) => p.writable === true && p.source.table === 'coil')).toBe(true);
    expect(has((p) => p.writable === true && p.source.table === 'holding')).toBe(true);
    for (const type of ['int16', 'uint16', 'int32', 'uint32', 'float32']) expect(has((p) => p.source.type === type), type).toBe(true);
    expect(has((p) => p.source.wordOrder === 'BE') && has((p) => p.source.wordOrder === 'LE')).toBe(true);
    expect(has((p) => typeof p.source.scale === 'number') && has((p) => typeof p.source.offset === 'number')).toBe(true);
    expect(has((p) => typeof p.source.bit === 'number')).toBe(true);
    expect(has((p) => p.source.table === 'discrete') && has((p) => p.source.table === 'input')).toBe(true);
  });

  it('matches demo.yaml unit for unit and the model datasheets register for register', () => {
    const spec = loadSimSpec(DEMO_SPEC_FILE);
    const gateways = new Map(spec.gateways.map((g) => [g.id, g]));
    for (const c of devicesYaml.connections) {
      expect(c, c.id).toMatchObject({ protocol: 'modbus', options: { host: '127.0.0.1', port: gateways.get(c.id)?.port, pollMs: 1000 } });
    }
    const seen = new Set<string>();
    for (const d of devicesYaml.devices) {
      const g = gateways.get(d.connection);
      expect(g, `${d.id}: connection ${d.connection} is not a sim gateway`).toBeDefined();
      const u = g!.units.find((x) => x.unit === d.options.unitId);
      expect(u, `${d.location}/${d.id}: unit ${d.options.unitId} missing on ${d.connection}`).toBeDefined();
      expect(`a/${g!.floor}/${u!.room}/${u!.device}`).toBe(`${d.location}/${d.id}`);
      const sheet = MODELS[u!.model].datasheet(u!.options);
      expect(d.points.map((p) => p.id)).toEqual(sheet.map((f) => f.id));
      d.points.forEach((p, i) => expect(p.source, `${d.location}/${d.id}/${p.id}`).toEqual(sourceOf(sheet[i])));
      seen.add(`${d.connection}/${d.options.unitId}`);
    }
    const simUnits = spec.gateways.flatMap((g) => g.units.map((u) => `${g.id}/${u.unit}`));
    expect([...seen].sort()).toEqual(simUnits.sort());
  });

  it('loads with the hub config loader, Modbus driver schema and overlap checks included', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wf-demo-config-'));
    try {
      mkdirSync(path.join(dir, 'devices'));
      for (const f of ['site.yaml', 'users.yaml', 'hub.yaml', 'devices/modbus.yaml']) copyFileSync(path.join(root, 'config', f), path.join(dir, f));
      const cfg = loadConfig(dir);
      expect(cfg.points.length).toBe(allPoints.length);
      expect(cfg.points.every((p) => p.info.protocol === 'modbus')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
