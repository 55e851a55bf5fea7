// The ONVIF driver's rig for the shared conformance scenario (drivers/conformance.ts): a simulated
// camera without video (events, PTZ and a writable preset point; the status point is left out
// because it stays good while the camera is away, by design).
import type { BoundPoint } from '../../contracts/driver.js';
import type { PointKind } from '../../contracts/point.js';
import type { ConformanceFixture } from './run.js';
import { startOnvifSimulator } from '../../simulators/onvif/index.js';
import { connectionSchema, type OnvifSource } from '../../drivers/onvif/schema.js';

const ROOT = 'hq/a/l01/lobby-101/camera-conf';

function point(id: string, kind: PointKind, source: OnvifSource, writable = false): BoundPoint<OnvifSource> {
  return {
    info: { id: `${ROOT}/${id}`, name: { en: id, 'zh-CN': id }, kind, writable, device: 'camera-conf', protocol: 'onvif', intervalMs: 300 },
    device: 'camera-conf', connection: 'cam-conf', source,
  };
}

export const onvifConformanceFixture: ConformanceFixture = {
  protocol: 'onvif',
  patienceMs: 8000,
  async start() {
    const sim = await startOnvifSimulator({ cameras: [{ id: 'conf', name: 'Conformance', video: false }], username: 'admin', password: 'conf' });
    const options = connectionSchema.parse({
      host: '127.0.0.1', port: sim.cameras[0].onvifPort, username: 'admin', password: 'conf', pollMs: 300, timeoutMs: 2000,
      backoff: { initialMs: 100, maxMs: 500 },
    });
    return {
      connections: [{ id: 'cam-conf', protocol: 'onvif', options }],
      devices: [{ id: 'camera-conf', connection: 'cam-conf', options: {} }],
      points: [
        point('motion', 'binary', { kind: 'event', topic: 'tns1:VideoSource/MotionAlarm' }),
        point('pan', 'analog', { kind: 'ptz', axis: 'pan' }),
        point('preset', 'string', { kind: 'preset' }, true),
      ],
      write: { pointId: `${ROOT}/preset`, value: 'door' },
      kill: () => sim.stopCamera('conf'),
      revive: () => sim.startCamera('conf'),
      stop: () => sim.stop(),
    };
  },
};
