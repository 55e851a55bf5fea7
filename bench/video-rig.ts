// What the video benches share: one simulated camera, a real gateway whose camera ids all play
// that camera's RTSP stream (N ids = N separate remuxes, as N real cameras would need, without
// N real encoders on this box), served over HTTP on a free loopback port; and CPU read from /proc.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { VideoGateway, type CameraDirectory, type GatewayOptions } from '../hub/video/gateway.js';
import { startOnvifSimulator, type OnvifSimulator, type OnvifSimulatorOptions, type SimCameraSpec } from '../simulators/onvif/index.js';
import { playerModuleJs } from '../test/video/player-page.js';

export const silent = { info() {}, warn() {}, error() {}, debug() {} };
const CLK_TCK = 100;

/** CPU seconds (user+system) of processes whose command line matches. */
export function cpuSeconds(match: (cmd: string) => boolean): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!match(readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' '))) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(f[11]) + Number(f[12])) / CLK_TCK;
    } catch {
      /* process ended */
    }
  }
  return total;
}

export interface VideoRigOptions {
  camera: SimCameraSpec;
  discovery?: OnvifSimulatorOptions['discovery'];
  /** Gateway camera ids, all on the simulated camera's stream. */
  ids: string[];
  /** The codec the directory reports (unset: the gateway learns it from the stream). */
  codec?: string;
  graceMs?: number;
  tmpPrefix: string;
  /** An HTML page to serve at every path but /player.js (the console's player module), for Chromium. */
  page?: string;
  /** More gateway options (masking, another authorizer), given the rig's camera directory. */
  gateway?: (cameras: CameraDirectory, gateway: () => VideoGateway | undefined) => Partial<GatewayOptions>;
}

export interface VideoRig {
  sim: OnvifSimulator;
  rtsp: string;
  /** The RTSP port, to tell this rig's ffmpeg processes by their command line. */
  rtspPort: string;
  gateway: VideoGateway;
  server: Server;
  /** host:port of the server. */
  base: string;
  close(): Promise<void>;
}

export async function startVideoRig(o: VideoRigOptions): Promise<VideoRig> {
  const sim = await startOnvifSimulator({ cameras: [o.camera], discovery: o.discovery });
  const rtsp = sim.cameras[0].rtspUrl;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), o.tmpPrefix));
  const cameras: CameraDirectory = { ids: () => o.ids, get: (id) => (o.ids.includes(id) ? { id, streamUri: rtsp, ...(o.codec ? { codec: o.codec } : {}) } : undefined) };
  let gateway: VideoGateway | undefined;
  const extra = o.gateway?.(cameras, () => gateway) ?? {};
  gateway = new VideoGateway({ cameras, dataDir, authorize: async () => ({ ok: true, user: 'bench' }), log: silent, graceMs: o.graceMs, ...extra });
  const page = o.page;
  const js = page === undefined ? '' : playerModuleJs();
  const server = createServer((req, res) => {
    if (page === undefined) return res.writeHead(404).end();
    if (req.url?.startsWith('/player.js')) return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    res.writeHead(200, { 'content-type': 'text/html' }).end(page);
  });
  gateway.attach(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const g = gateway;
  return {
    sim, rtsp, rtspPort: new URL(rtsp).port, gateway: g, server,
    base: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await g.close();
      server.close();
      await sim.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
