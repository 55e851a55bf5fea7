// The simulator over real OPC UA: address space, writes, physics at scaled time, scenarios.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttributeIds, DataType, OPCUACertificateManager, OPCUAClient, type ClientSession } from 'node-opcua';
import { startOpcuaSimulator, HVAC_NAMESPACE_URI, type OpcuaSimulator } from './server.js';

let tmp: string;
let sim: OpcuaSimulator;
let client: OPCUAClient;
let session: ClientSession;
let ns: number;
const read = async (p: string) => (await session.read({ nodeId: `ns=${ns};s=${p}`, attributeId: AttributeIds.Value })).value.value;
const until = async (fn: () => Promise<boolean> | boolean, what: string, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opcua-sim-'));
  // 600 simulated seconds per real second: ten minutes of plant time per second.
  sim = await startOpcuaSimulator({ pkiDir: path.join(tmp, 'sim-pki'), timeScale: 600, tickMs: 100, startHour: 10 });
  client = OPCUAClient.create({ endpointMustExist: false, clientCertificateManager: new OPCUACertificateManager({ rootFolder: path.join(tmp, 'client-pki') }) });
  await client.connect(sim.endpointUrl);
  session = await client.createSession();
  ns = (await session.readNamespaceArray()).indexOf(HVAC_NAMESPACE_URI);
}, 60_000);

afterAll(async () => {
  await session?.close();
  await client?.disconnect();
  await sim?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('OPC UA HVAC simulator', () => {
  it('serves the HVAC namespace on loopback with units and typed variables', async () => {
    expect(sim.endpointUrl).toMatch(/^opc\.tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(ns).toBeGreaterThan(0);
    expect(fs.existsSync(sim.certificateFile)).toBe(true);
    const dt = await session.read({ nodeId: `ns=${ns};s=VAV-201.OccupancyMode`, attributeId: AttributeIds.DataType });
    expect(dt.value.value.value).toBe(DataType.Int16);
    const eu = await session.read({ nodeId: `ns=${ns};s=AHU-1.SupplyAirTemp`, attributeId: AttributeIds.Value });
    expect(typeof eu.value.value).toBe('number');
    const refs = await session.browse(`ns=${ns};s=HVAC`);
    const folders = refs.references!.map((r) => r.browseName.name);
    expect(folders).toEqual(expect.arrayContaining(['Chiller-1', 'AHU-1', 'AHU-2', 'VAV-103', 'VAV-505', 'Env-Archive-B103', 'Env-Weak-502', 'Env-Server-501', 'Env-Meeting-204']));
  });

  it('accepts client writes of setpoints and refuses writes to measurements', async () => {
    const ok = await session.write({ nodeId: `ns=${ns};s=VAV-302.ZoneTempSetpoint`, attributeId: AttributeIds.Value, value: { value: { dataType: DataType.Double, value: 22.5 } } });
    expect(ok.name).toBe('Good');
    await until(() => sim.get('VAV-302.ZoneTempSetpoint') === 22.5, 'setpoint in plant');
    const outOfRange = await session.write({ nodeId: `ns=${ns};s=VAV-302.ZoneTempSetpoint`, attributeId: AttributeIds.Value, value: { value: { dataType: DataType.Double, value: 45 } } });
    expect(outOfRange.name).toBe('BadOutOfRange');
    const ro = await session.write({ nodeId: `ns=${ns};s=VAV-302.ZoneTemp`, attributeId: AttributeIds.Value, value: { value: { dataType: DataType.Double, value: 10 } } });
    expect(ro.name).toMatch(/BadNotWritable|BadUserAccessDenied/);
    // OccupancyMode, a MultiStateDiscrete, takes its Int16 state index and refuses one past its EnumStrings.
    const occ = (value: number) => session.write({ nodeId: `ns=${ns};s=VAV-302.OccupancyMode`, attributeId: AttributeIds.Value, value: { value: { dataType: DataType.Int16, value } } });
    expect((await occ(3)).name).toBe('BadOutOfRange');
    expect((await occ(2)).name).toBe('Good');
    await until(() => sim.get('VAV-302.OccupancyMode') === 2, 'occupancy mode in plant');
  });

  it('raising a setpoint makes the zone warm within scaled minutes', async () => {
    // Let the zone settle at its 24 °C setpoint first (≈ 1.5 simulated hours).
    await until(async () => Math.abs((await read('VAV-301.ZoneTemp')) - 24) < 0.6, 'zone settles', 30_000);
    const before = (await read('VAV-301.ZoneTemp')) as number;
    await session.write({ nodeId: `ns=${ns};s=VAV-301.ZoneTempSetpoint`, attributeId: AttributeIds.Value, value: { value: { dataType: DataType.Double, value: 28 } } });
    await until(async () => ((await read('VAV-301.ZoneTemp')) as number) > before + 1, 'zone warms by 1 K', 30_000);
    expect((await read('VAV-301.Airflow')) as number).toBeLessThan(300);
  }, 70_000);

  it('runs the chiller-trip scenario', async () => {
    const done = sim.runScenario('chiller-trip');
    await until(async () => (await read('Chiller-1.Status')) === false, 'chiller stopped');
    expect(await read('Chiller-1.Power')).toBe(0);
    await done;
    await until(async () => (await read('Chiller-1.Status')) === true, 'chiller back');
  }, 30_000);

  it('counts monitored items on the server', async () => {
    expect(sim.monitoredItemCount()).toBe(0);
    const sub = await session.createSubscription2({ requestedPublishingInterval: 100, publishingEnabled: true });
    await sub.monitorItems([{ nodeId: `ns=${ns};s=AHU-1.FanStatus`, attributeId: AttributeIds.Value }, { nodeId: `ns=${ns};s=AHU-2.FanStatus`, attributeId: AttributeIds.Value }], { samplingInterval: 100, queueSize: 1 }, 2);
    expect(sim.monitoredItemCount()).toBe(2);
    await sub.terminate();
    expect(sim.monitoredItemCount()).toBe(0);
  });
});
