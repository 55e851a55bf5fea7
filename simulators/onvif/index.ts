// startOnvifSimulator(): the simulated cameras a test run or the demo relies on.
import dgram from 'node:dgram';
import net from 'node:net';
import { SimCamera, type SimCameraOptions } from './camera.js';

export { SimCamera, TOPICS } from './camera.js';

export interface SimCameraSpec {
  id: string;
  name: string;
  width?: number;
  height?: number;
  fps?: number;
  codec?: 'H264' | 'H265';
  video?: boolean;
}

/** The demo's cameras (config/devices/cameras.yaml points at their demo ports). */
export const DEMO_CAMERAS: SimCameraSpec[] = [
  { id: 'cam-lobby', name: 'Lobby entrance' },
  { id: 'cam-parking', name: 'Car park B1' },
  { id: 'cam-archive', name: 'Archive corridor' },
  { id: 'cam-server', name: 'Server room' },
];
/** Demo ports: ONVIF 8081+i, RTSP 8554+i, RTP in 15000+2i. */
export const DEMO_PORTS = { onvif: 8081, rtsp: 8554, udp: 15000 } as const;
export const DEMO_CREDENTIALS = { username: 'admin', password: 'watchfloor' } as const;

export interface OnvifSimulatorOptions {
  cameras?: SimCameraSpec[];
  ports?: 'ephemeral' | 'demo';
  username?: string;
  password?: string;
}

export interface OnvifSimulator {
  cameras: Array<{ id: string; onvifPort: number; rtspUrl: string }>;
  camera(id: string): SimCamera;
  stopCamera(id: string): Promise<void>;
  startCamera(id: string): Promise<void>;
  triggerMotion(id: string, on: boolean): void;
  stop(): Promise<void>;
}

export async function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}

export async function startOnvifSimulator(opts: OnvifSimulatorOptions = {}): Promise<OnvifSimulator> {
  const specs = opts.cameras ?? DEMO_CAMERAS;
  const username = opts.username ?? DEMO_CREDENTIALS.username;
  const password = opts.password ?? DEMO_CREDENTIALS.password;
  const cams = new Map<string, SimCamera>();
  try {
    for (const [i, spec] of specs.entries()) {
      const ports = opts.ports === 'demo'
        ? { onvifPort: DEMO_PORTS.onvif + i, rtspPort: DEMO_PORTS.rtsp + i, udpPort: DEMO_PORTS.udp + 2 * i }
        : { onvifPort: await freeTcpPort(), rtspPort: await freeTcpPort(), udpPort: await freeUdpPort() };
      const o: SimCameraOptions = { ...spec, ...ports, username, password };
      const cam = new SimCamera(o);
      cams.set(spec.id, cam);
      await cam.start();
    }
  } catch (e) {
    await Promise.all([...cams.values()].map((c) => c.stop()));
    throw e;
  }
  const get = (id: string): SimCamera => {
    const c = cams.get(id);
    if (!c) throw new Error(`no simulated camera ${id} (have: ${[...cams.keys()].join(', ')})`);
    return c;
  };
  return {
    cameras: [...cams.values()].map((c) => ({ id: c.o.id, onvifPort: c.o.onvifPort, rtspUrl: c.rtspUrl })),
    camera: get,
    stopCamera: (id) => get(id).stop(),
    startCamera: (id) => get(id).start(),
    triggerMotion: (id, on) => get(id).setEvent('motion', on),
    async stop() {
      await Promise.all([...cams.values()].map((c) => c.stop()));
    },
  };
}
