// Conformance rig for the Modbus driver: the demo Modbus simulator on ephemeral ports and the
// demo config's L02 gateway (meter, lighting panel, contacts, sensors) bound to it.
import type { ConformanceFixture } from './run.js';
import { loadConfig } from '../../hub/config/load.js';
import { startModbusSimulator } from '../../simulators/modbus/index.js';

const GATEWAY = 'modbus-gw-l02';
const LIGHTING_UNIT = 2;
const CIRCUIT = 'corridor';

export const modbusConformance: ConformanceFixture = {
  protocol: 'modbus',
  patienceMs: 10_000,
  async start() {
    const sim = await startModbusSimulator({ ports: 'ephemeral' });
    const config = loadConfig('config');
    const connections = config.connections
      .filter((c) => c.id === GATEWAY)
      .map((c) => ({ ...c, options: { ...(c.options as object), port: sim.ports[GATEWAY], pollMs: 250, timeoutMs: 500 } }));
    const devices = config.devices.filter((d) => d.connection === GATEWAY);
    const points = config.points.filter((p) => p.connection === GATEWAY);
    const circuit = points.find((p) => p.device === 'lighting-l02' && p.info.id.endsWith(`/${CIRCUIT}`));
    if (!circuit) throw new Error(`demo config has no lighting circuit ${CIRCUIT} on ${GATEWAY}`);
    return {
      connections,
      devices,
      points,
      write: { pointId: circuit.info.id, value: !sim.get(GATEWAY, LIGHTING_UNIT, CIRCUIT) },
      kill: () => sim.gateway(GATEWAY).stop(),
      revive: () => sim.gateway(GATEWAY).start(),
      stop: () => sim.stop(),
    };
  },
};
