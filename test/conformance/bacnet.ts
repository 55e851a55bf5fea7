// The BACnet driver's fixture for the shared conformance test: the simulated DDC panel on a free
// loopback port, COV points and a polled one, a setpoint (analog-value with a priority array) to write.
import type { ConformanceFixture } from './run.js';
import { startBacnetSimulator } from '../../simulators/bacnet/index.js';
import { bacnetPoint, bacnetRig } from '../../drivers/bacnet/test-support.js';

export const bacnetConformanceFixture: ConformanceFixture = {
  protocol: 'bacnet',
  patienceMs: 10_000,
  async start() {
    const sim = await startBacnetSimulator({ port: 0, tickMs: 500 });
    const points = [
      bacnetPoint('zone-temp', 'analog-input:1011'),
      bacnetPoint('fan-status', 'binary-input:107'),
      bacnetPoint('mode', 'multi-state-value:108'),
      bacnetPoint('return-temp', 'analog-input:102', { cov: false }),
      bacnetPoint('zone-temp-sp', 'analog-value:1012', { writable: true, limits: { min: 16, max: 30 } }),
    ];
    const rig = bacnetRig(sim.port, sim.instance, points);
    return {
      ...rig,
      write: { pointId: points[4].info.id, value: 26.5 },
      kill: () => sim.kill(),
      revive: () => sim.revive(),
      stop: () => sim.stop(),
    };
  },
};
