// The OPC UA driver's fixture for the shared conformance test (drivers/conformance.ts):
// the HVAC simulator on a free port, a few subscribed points and a polled one, a setpoint to write.
import path from 'node:path';
import type { ConformanceFixture } from './run.js';
import { startOpcuaSimulator } from '../../simulators/opcua/server.js';
import { connectionSchema } from '../../drivers/opcua/schema.js';
import { point } from '../../drivers/opcua/test-support.js';

export const opcuaConformanceFixture: ConformanceFixture = {
  protocol: 'opcua',
  patienceMs: 20_000,
  async start(dataDir: string) {
    const sim = await startOpcuaSimulator({ pkiDir: path.join(dataDir, 'opcua-sim', 'pki'), tickMs: 250 });
    const options = connectionSchema.parse({ endpointUrl: sim.endpointUrl, publishingIntervalMs: 200, backoff: { initialMs: 250, maxMs: 2000 } });
    const points = [
      point('zone-temp', 'VAV-201.ZoneTemp', { connection: 'opcua-conf' }),
      point('fan-status', 'AHU-1.FanStatus', { kind: 'binary', connection: 'opcua-conf' }),
      point('chw-supply', 'Chiller-1.SupplyWaterTemp', { connection: 'opcua-conf', source: { mode: 'poll', pollMs: 500 } }),
      point('setpoint', 'VAV-201.ZoneTempSetpoint', { writable: true, limits: { min: 16, max: 30 }, connection: 'opcua-conf' }),
    ];
    return {
      connections: [{ id: 'opcua-conf', protocol: 'opcua', options }],
      devices: [{ id: 'vav-201', connection: 'opcua-conf', options: {} }],
      points,
      write: { pointId: points[3].info.id, value: 26.5 },
      kill: () => sim.kill(),
      revive: () => sim.revive(),
      stop: () => sim.stop(),
    };
  },
};
