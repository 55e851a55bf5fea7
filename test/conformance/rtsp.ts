// The RTSP-only camera driver's rig: a simulated camera's real RTSP server (GStreamer, with Digest
// auth) checked by RTSP OPTIONS. Its only point is the status, which stays good and says
// `unreachable` while the camera is away (the value is the information), and nothing is writable.
import type { BoundPoint } from '../../contracts/driver.js';
import type { ConformanceFixture } from './run.js';
import { startOnvifSimulator } from '../../simulators/onvif/index.js';
import { rtspConnectionSchema, type RtspSource } from '../../drivers/onvif/rtsp.js';

const ROOT = 'hq/a/l01/lobby-101/rtsp-conf';

export const rtspConformanceFixture: ConformanceFixture = {
  protocol: 'rtsp',
  patienceMs: 10_000,
  async start() {
    const sim = await startOnvifSimulator({ cameras: [{ id: 'rconf', name: 'RTSP conformance', video: true, rtspAuth: 'digest' }], username: 'admin', password: 'conf' });
    const options = rtspConnectionSchema.parse({ url: sim.cameras[0].rtspUrl, username: 'admin', password: 'conf', pollMs: 1000, timeoutMs: 2000 });
    const point: BoundPoint<RtspSource> = {
      info: { id: `${ROOT}/status`, name: { en: 'status', 'zh-CN': 'status' }, kind: 'string', writable: false, device: 'rtsp-conf', protocol: 'rtsp', intervalMs: 1000 },
      device: 'rtsp-conf', connection: 'rtsp-cam-conf', source: { kind: 'status' },
    };
    return {
      connections: [{ id: 'rtsp-cam-conf', protocol: 'rtsp', options }],
      devices: [{ id: 'rtsp-conf', connection: 'rtsp-cam-conf', options: {} }],
      points: [point],
      readOnly: 'an RTSP-only camera has only its status point',
      isDown: (s) => s.value === 'unreachable',
      kill: () => sim.stopCamera('rconf'),
      revive: () => sim.startCamera('rconf'),
      stop: () => sim.stop(),
    };
  },
};
