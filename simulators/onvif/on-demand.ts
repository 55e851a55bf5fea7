// Cameras served on demand (the demo's outdoor cameras): one RTSP server for all of them
// (rtsp_on_demand.py, gst-rtsp-server), each mount's picture (an ffmpeg, as for the always-on
// cameras in video.ts) started by its first viewer and stopped when the last one leaves. A mount
// nobody watches costs no CPU: 17 always-on encoders would take the demo machine's two cores.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { lowerPriority } from '../../lib/priority.js';
import { FONT_FILE, killAndWait, SYSTEM_PYTHON, videoSourceArgs, type RtspAuth } from './video.js';

export interface OnDemandCamera {
  /** The mount path, = camera id: rtsp://127.0.0.1:<port>/<id>. */
  id: string;
  /** Burned into the picture with the UTC time, so an operator can tell the cameras apart. */
  name: string;
  /** Low by default (320×180 at 10 fps): a wall of them stays cheap. */
  width?: number;
  height?: number;
  fps?: number;
  codec?: 'H264' | 'H265';
}

export const ON_DEMAND_DEFAULTS = { width: 320, height: 180, fps: 10, codec: 'H264' } as const;

export interface OnDemandServer {
  port: number;
  url(id: string): string;
  /** Mounts whose picture runs now, with their ffmpeg pids. */
  active(): Map<string, number[]>;
  /** How many times a mount's picture has been started. */
  starts(id: string): number;
  stop(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./rtsp_on_demand.py', import.meta.url));

/** The ffmpeg arguments of an on-demand mount ('{port}' is filled in by the server). Pure. */
export function onDemandArgs(c: OnDemandCamera): string[] {
  const o = { ...ON_DEMAND_DEFAULTS, ...c };
  return ['ffmpeg', ...videoSourceArgs({ name: o.name, width: o.width, height: o.height, fps: o.fps, codec: o.codec, udpPort: '{port}' })];
}

export async function startOnDemandServer(o: { port: number; cameras: OnDemandCamera[]; auth?: RtspAuth; nice?: number }): Promise<OnDemandServer> {
  if (!existsSync(SYSTEM_PYTHON)) throw new Error(`${SYSTEM_PYTHON} not found: the camera simulator needs Debian's python3 with gi and gst-rtsp-server`);
  if (!existsSync(FONT_FILE)) throw new Error(`font ${FONT_FILE} not found: the camera simulator burns the name and time into the picture with it`);
  const child = spawn(SYSTEM_PYTHON, [SCRIPT, String(o.port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...(o.auth ? { SIM_RTSP_AUTH: o.auth.method, SIM_RTSP_USER: o.auth.username, SIM_RTSP_PASS: o.auth.password } : { SIM_RTSP_AUTH: '' }) },
  });
  lowerPriority(child, o.nice); // the ffmpeg it starts per watched mount inherits it
  child.stdin!.end(JSON.stringify({ mounts: o.cameras.map((c) => ({ path: c.id, codec: c.codec ?? ON_DEMAND_DEFAULTS.codec, ffmpeg: onDemandArgs(c) })) }));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const active = new Map<string, number[]>();
  const starts = new Map<string, number>();
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`rtsp_on_demand.py exited with ${code} before listening on ${o.port}: ${stderr.trim()}`));
    child.once('exit', onExit);
    child.once('error', reject);
    lines.on('line', (line) => {
      if (line === 'ready') {
        child.off('exit', onExit);
        return resolve();
      }
      let ev: { start?: string; stop?: string; pid?: number };
      try { ev = JSON.parse(line); } catch { return; }
      if (ev.start && ev.pid) {
        active.set(ev.start, [...(active.get(ev.start) ?? []), ev.pid]);
        starts.set(ev.start, (starts.get(ev.start) ?? 0) + 1);
      } else if (ev.stop && ev.pid) {
        const left = (active.get(ev.stop) ?? []).filter((p) => p !== ev.pid);
        if (left.length) active.set(ev.stop, left);
        else active.delete(ev.stop);
      }
    });
  });
  // The server takes its ffmpegs along (PDEATHSIG); make sure the server goes with this process.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return {
    port: o.port,
    url: (id) => `rtsp://127.0.0.1:${o.port}/${id}`,
    active: () => new Map([...active].map(([k, v]) => [k, [...v]])),
    starts: (id) => starts.get(id) ?? 0,
    async stop() {
      process.off('exit', killOnExit);
      await killAndWait(child);
    },
  };
}
