import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpcuaSimulator, type OpcuaSimulator } from '../../simulators/opcua/server.js';
import { browsedToYaml, kindOf, slug } from './browse-yaml.js';
import { browseServer } from './browse.js';
import { connectionSchema, sourceSchema } from './schema.js';

describe('browse → YAML (pure)', () => {
  it.each([
    ['SupplyAirTemp', 'supply-air-temp'],
    ['AHU-1', 'ahu-1'],
    ['CO2', 'co2'],
    ['CRACStatus', 'crac-status'],
    ['FilterDP', 'filter-dp'],
    ['Env-Archive-B103', 'env-archive-b103'],
  ])('slug(%s) = %s', (name, s) => expect(slug(name)).toBe(s));

  it.each([
    [{ dataType: 'Boolean' }, 'binary'],
    [{ dataType: 'Double' }, 'analog'],
    [{ dataType: 'Int16', enumerated: true }, 'multistate'],
    [{ dataType: 'Int16' }, 'analog'],
    [{ dataType: 'String' }, 'string'],
    [{ dataType: 'ns=2;i=3001' }, null],
  ])('kindOf(%j) = %s', (v, k) => expect(kindOf(v)).toBe(k));

  it('lists skipped variables in a comment', () => {
    const { yaml, skipped } = browsedToYaml('opc.tcp://h:1', [{ nodeId: 'ns=2;i=1', parent: 'X', browseName: 'Blob', dataType: 'ByteString', writable: false }]);
    expect(skipped).toHaveLength(1);
    expect(yaml).toContain('# Skipped 1 variable(s) with no matching point kind: ns=2;i=1 (ByteString)');
  });
});

describe('browseServer against the simulator', () => {
  let tmp: string;
  let sim: OpcuaSimulator;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opcua-browse-'));
    sim = await startOpcuaSimulator({ pkiDir: path.join(tmp, 'sim-pki') });
  }, 60_000);
  afterAll(async () => {
    await sim?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('prints valid point config with nsu= NodeIds, units, limits and writability', async () => {
    const vars = await browseServer(connectionSchema.parse({ endpointUrl: sim.endpointUrl }), path.join(tmp, 'data'));
    const { yaml } = browsedToYaml(sim.endpointUrl, vars);
    const doc = parse(yaml);
    const ahu = doc.devices.find((d: { id: string }) => d.id === 'ahu-1');
    expect(ahu.points.find((p: { id: string }) => p.id === 'supply-air-temp')).toEqual({
      id: 'supply-air-temp',
      name: { en: 'Supply air temperature', 'zh-CN': 'Supply air temperature' },
      kind: 'analog',
      unit: '°C',
      limits: { min: -10, max: 60 },
      writable: false,
      source: { nodeId: 'nsu=urn:watchfloor:hvac;s=AHU-1.SupplyAirTemp' },
    });
    const vav = doc.devices.find((d: { id: string }) => d.id === 'vav-201');
    expect(vav.points.find((p: { id: string }) => p.id === 'zone-temp-setpoint')).toMatchObject({ writable: true, unit: '°C', limits: { min: 16, max: 30 } });
    expect(vav.points.find((p: { id: string }) => p.id === 'occupancy-mode')).toMatchObject({
      kind: 'multistate', writable: true,
      states: { 0: { en: 'Schedule', 'zh-CN': 'Schedule' }, 1: { en: 'Occupied', 'zh-CN': 'Occupied' }, 2: { en: 'Unoccupied', 'zh-CN': 'Unoccupied' } },
    });
    // No metadata properties leak in as points, and every source passes the driver's schema.
    const all = doc.devices.flatMap((d: { points: { id: string; source: unknown }[] }) => d.points);
    expect(all.some((p: { id: string }) => p.id === 'eu-range' || p.id === 'engineering-units')).toBe(false);
    for (const p of all) expect(sourceSchema.safeParse(p.source).success).toBe(true);
    expect(all.length).toBeGreaterThan(100);
  }, 60_000);
});
