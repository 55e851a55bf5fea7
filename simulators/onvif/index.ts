// startOnvifSimulator(): the simulated cameras a test run or the demo relies on.
import dgram from 'node:dgram';
import net from 'node:net';
import { createHash } from 'node:crypto';
import { SimCamera, type SimCameraOptions } from './camera.js';
import { startDiscovery, type DiscoverableCamera, type DiscoveryResponder } from './discovery.js';
import { ON_DEMAND_DEFAULTS, startOnDemandServer, type OnDemandServer } from './on-demand.js';
import { DEMO_OUTDOOR_PORTS, domePresets, type OutdoorCamera } from './outdoor.js';

export { SimCamera, TOPICS } from './camera.js';
export { DEMO_OUTDOOR_CAMERAS, DEMO_OUTDOOR_PORTS, type OutdoorCamera } from './outdoor.js';

export interface SimCameraSpec {
  id: string;
  name: string;
  width?: number;
  height?: number;
  fps?: number;
  codec?: 'H264' | 'H265';
  video?: boolean;
  /** RTSP auth this camera demands (overrides the simulator-wide option). */
  rtspAuth?: 'none' | 'basic' | 'digest';
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
  /** RTSP auth every camera demands, with the ONVIF user and password; default none. */
  rtspAuth?: 'none' | 'basic' | 'digest';
  /**
   * WS-Discovery: a unicast loopback port (default any free one) and the multicast group
   * 239.255.255.250:3702 (default on with demo ports, off with ephemeral ones); false: none.
   */
  discovery?: false | { unicastPort?: number; multicast?: boolean };
  /**
   * Cameras served on demand by one RTSP server (on-demand.ts; the demo passes DEMO_OUTDOOR_CAMERAS):
   * a mount's picture runs only while someone watches. Domes also answer ONVIF (with PTZ).
   */
  onDemand?: OutdoorCamera[];
  /**
   * Niceness of the cameras' ffmpeg encoders (and of the on-demand RTSP server, whose encoders
   * inherit it); default 0. The demo passes 10: four cameras starting take about a core, which then
   * goes first to the devices and the hub (cold start of `npm start`, docs/performance.md).
   */
  videoNice?: number;
}

export interface OnDemandCameras {
  rtspPort: number;
  /** Every on-demand camera; domes with their ONVIF port. */
  cameras: Array<{ id: string; rtspUrl: string; onvifPort?: number }>;
  /** Mounts whose picture runs now (camera id → ffmpeg pids). */
  active(): Map<string, number[]>;
  starts(id: string): number;
}

export interface OnvifSimulator {
  cameras: Array<{ id: string; onvifPort: number; rtspUrl: string }>;
  camera(id: string): SimCamera;
  stopCamera(id: string): Promise<void>;
  startCamera(id: string): Promise<void>;
  triggerMotion(id: string, on: boolean): void;
  /** Where the cameras answer WS-Discovery probes (undefined with `discovery: false`). */
  discovery?: { unicastPort: number; multicast: boolean; probes(): number };
  /** With `onDemand` cameras: their RTSP server. Their domes are also in `cameras`. */
  onDemand?: OnDemandCameras;
  stop(): Promise<void>;
}

/** What a simulated camera says about itself in WS-Discovery (stable endpoint per camera id). */
export function discoverable(cam: SimCamera): DiscoverableCamera {
  const h = createHash('sha1').update(`watchfloor-sim-${cam.o.id}`).digest('hex');
  return {
    endpoint: `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`,
    xaddr: `http://127.0.0.1:${cam.o.onvifPort}/onvif/device_service`,
    scopes: [
      'onvif://www.onvif.org/type/video_encoder', 'onvif://www.onvif.org/type/ptz', 'onvif://www.onvif.org/Profile/Streaming',
      `onvif://www.onvif.org/name/${encodeURIComponent(cam.o.name)}`, 'onvif://www.onvif.org/hardware/SimCam', 'onvif://www.onvif.org/location/watchfloor-sim',
    ],
  };
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
  let onDemand: OnDemandServer | undefined;
  const stopAll = async () => {
    await Promise.all([...cams.values()].map((c) => c.stop()));
    await onDemand?.stop();
  };
  try {
    for (const [i, spec] of specs.entries()) {
      const ports = opts.ports === 'demo'
        ? { onvifPort: DEMO_PORTS.onvif + i, rtspPort: DEMO_PORTS.rtsp + i, udpPort: DEMO_PORTS.udp + 2 * i }
        : { onvifPort: await freeTcpPort(), rtspPort: await freeTcpPort(), udpPort: await freeUdpPort() };
      const o: SimCameraOptions = { rtspAuth: opts.rtspAuth, videoNice: opts.videoNice, ...spec, ...ports, username, password };
      const cam = new SimCamera(o);
      cams.set(spec.id, cam);
      await cam.start();
    }
    onDemand = await startOnDemand(opts, cams, { username, password });
  } catch (e) {
    await stopAll();
    throw e;
  }
  let discovery: DiscoveryResponder | undefined;
  if (opts.discovery !== false) {
    discovery = await startDiscovery(() => [...cams.values()].filter((c) => c.running).map(discoverable), {
      unicastPort: opts.discovery?.unicastPort,
      multicast: opts.discovery?.multicast ?? opts.ports === 'demo',
    }).catch(async (e) => {
      await stopAll();
      throw e;
    });
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
    discovery: discovery && { unicastPort: discovery.unicastPort, multicast: discovery.multicast, probes: () => discovery!.probes },
    onDemand: onDemand && {
      rtspPort: onDemand.port,
      cameras: (opts.onDemand ?? []).map((c) => ({ id: c.id, rtspUrl: onDemand!.url(c.id), onvifPort: cams.get(c.id)?.o.onvifPort })),
      active: () => onDemand!.active(),
      starts: (id) => onDemand!.starts(id),
    },
    async stop() {
      await discovery?.stop();
      await stopAll();
    },
  };
}

/** The on-demand RTSP server, and an ONVIF device (video served by that server) per dome. */
async function startOnDemand(opts: OnvifSimulatorOptions, cams: Map<string, SimCamera>, login: { username: string; password: string }): Promise<OnDemandServer | undefined> {
  const list = opts.onDemand ?? [];
  if (!list.length) return undefined;
  const demo = opts.ports === 'demo';
  const auth = opts.rtspAuth && opts.rtspAuth !== 'none' ? { method: opts.rtspAuth, ...login } : undefined;
  const server = await startOnDemandServer({ port: demo ? DEMO_OUTDOOR_PORTS.rtsp : await freeTcpPort(), cameras: list, auth, nice: opts.videoNice });
  try {
    for (const [i, c] of list.filter((x) => x.dome).entries()) {
      if (cams.has(c.id)) throw new Error(`camera id ${c.id} is both an always-on and an on-demand camera`);
      const cam = new SimCamera({
        id: c.id, name: c.name, ...login, rtspAuth: opts.rtspAuth,
        onvifPort: demo ? DEMO_OUTDOOR_PORTS.onvif + i : await freeTcpPort(), rtspPort: server.port, udpPort: 0,
        width: c.width ?? ON_DEMAND_DEFAULTS.width, height: c.height ?? ON_DEMAND_DEFAULTS.height, fps: c.fps ?? ON_DEMAND_DEFAULTS.fps, codec: c.codec ?? ON_DEMAND_DEFAULTS.codec,
        streamUrl: server.url(c.id), presets: domePresets(c),
      });
      cams.set(c.id, cam);
      await cam.start();
    }
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}
