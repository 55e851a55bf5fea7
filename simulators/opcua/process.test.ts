// The OPC UA simulator in its own process (process.ts + child.ts), as `npm start` runs it: a real
// client sees what the proxy sets, the proxy sees the plant move, kill/revive take the port down
// and up, and stop leaves no process behind.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttributeIds, OPCUACertificateManager, OPCUAClient } from 'node-opcua';
import { HVAC_NAMESPACE_URI } from './address-space.js';
import { startOpcuaSimulatorProcess, type OpcuaSimulatorProcess } from './process.js';

let tmp: string;
let sim: OpcuaSimulatorProcess;
const until = async (fn: () => Promise<boolean> | boolean, what: string, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
const refused = (port: number) =>
  new Promise<boolean>((ok) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), ok(false)));
    s.once('error', () => ok(true));
  });

/** Reads one plant variable over OPC UA with a fresh client (the server may have been restarted). */
async function readOverOpcua(p: string): Promise<unknown> {
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager: new OPCUACertificateManager({ rootFolder: path.join(tmp, 'client-pki') }) });
  await client.connect(sim.endpointUrl);
  try {
    const session = await client.createSession();
    const ns = (await session.readNamespaceArray()).indexOf(HVAC_NAMESPACE_URI);
    const dv = await session.read({ nodeId: `ns=${ns};s=${p}`, attributeId: AttributeIds.Value });
    await session.close();
    return dv.value.value;
  } finally {
    await client.disconnect();
  }
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opcua-proc-'));
  sim = await startOpcuaSimulatorProcess({ port: 0, dataDir: tmp, timeScale: 600, tickMs: 100 });
}, 120_000);

afterAll(async () => {
  await sim?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('OPC UA simulator in its own process', () => {
  it('listens on loopback and serves what the proxy sets', async () => {
    expect(sim.port).toBeGreaterThan(0);
    expect(sim.endpointUrl).toBe(`opc.tcp://127.0.0.1:${sim.port}`);
    sim.set('VAV-201.ZoneTempSetpoint', 21.5);
    expect(sim.get('VAV-201.ZoneTempSetpoint')).toBe(21.5); // at once, before the child's next snapshot
    await until(async () => (await readOverOpcua('VAV-201.ZoneTempSetpoint')) === 21.5, 'setpoint served');
    // Later snapshots keep it (they were read after the set reached the child).
    await new Promise((r) => setTimeout(r, 400));
    expect(sim.get('VAV-201.ZoneTempSetpoint')).toBe(21.5);
  }, 60_000);

  it("follows the plant's own changes through the child's snapshots", async () => {
    sim.set('VAV-202.ZoneTemp', 35);
    // 600× time: the zone cools towards its setpoint within a few steps.
    await until(() => (sim.get('VAV-202.ZoneTemp') as number) < 35, 'zone temperature moving');
  });

  it('names an unknown variable, like the in-process simulator', () => {
    expect(() => sim.get('VAV-999.Nothing')).toThrow('simulator: unknown variable "VAV-999.Nothing"');
    expect(() => sim.set('VAV-999.Nothing', 1)).toThrow('simulator: unknown variable "VAV-999.Nothing"');
  });

  it('kill takes the port down and revive brings it back; a failed call names the reason', async () => {
    await sim.kill();
    expect(await refused(sim.port)).toBe(true);
    await sim.revive();
    expect(await refused(sim.port)).toBe(false);
    expect(typeof (await readOverOpcua('AHU-1.SupplyAirTemp'))).toBe('number');
    await expect(sim.runScenario('no-such-scenario')).rejects.toThrow(/no-such-scenario/);
  }, 60_000);
});

describe('stopping', () => {
  it('stops the server and its process', async () => {
    const other = await startOpcuaSimulatorProcess({ port: 0, dataDir: tmp });
    const port = other.port;
    await other.stop();
    expect(await refused(port)).toBe(true);
    await expect(other.kill()).rejects.toThrow('the OPC UA simulator process is gone');
  }, 120_000);
});
