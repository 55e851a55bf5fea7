// A simulated camera's video: ffmpeg draws a test picture with the camera's name, the wall-clock
// time (ms) and a 24-bit barcode of that time (for glass-to-glass latency measurement), encodes
// it and sends RTP to a loopback UDP port; rtsp_server.py (gst-rtsp-server) serves it as RTSP.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { lowerPriority } from '../../lib/priority.js';

export const FONT_FILE = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const BARCODE_BITS = 24;
/** Barcode geometry, shared with the latency decoder in bench/video.ts via these exports. */
export const BARCODE = { x0: 4, y: 2, pitch: 12, size: 10 } as const;

export interface VideoSourceOptions {
  name: string;
  width: number;
  height: number;
  fps: number;
  codec: 'H264' | 'H265';
  /** Where the RTP goes; `'{port}'`: filled in by rtsp_on_demand.py with the socket it bound. */
  udpPort: number | '{port}';
  /**
   * Epoch ms of the UTC midnight before now: the burned-in clock shows time of day (ms). Omitted
   * for a picture started later, on demand: the clock is then the UTC wall clock (seconds).
   */
  midnightMs?: number;
}

/** The ffmpeg arguments of a camera's picture source (pure, for tests). */
export function videoSourceArgs(o: VideoSourceOptions): string[] {
  const bits: string[] = [];
  for (let k = 0; k < BARCODE_BITS; k++) {
    // `t` is the frame's timestamp in seconds, which setpts made the wall clock.
    bits.push(
      `drawbox=x=${BARCODE.x0 + k * BARCODE.pitch}:y=${BARCODE.y}:w=${BARCODE.size}:h=${BARCODE.size}:color=white:t=fill:enable='eq(mod(floor(t*1000/${2 ** k}),2),1)'`,
    );
  }
  const label = o.name.replace(/[':\\%]/g, ' ');
  const fontSize = Math.max(12, Math.round(o.height / 16));
  const clock = o.midnightMs === undefined ? '%{gmtime\\:%T}' : `%{pts\\:hms\\:${-o.midnightMs / 1000}}`;
  const vf = [
    'settb=1/1000',
    "setpts='RTCTIME/1000'",
    'format=yuv420p',
    `drawbox=x=0:y=0:w=${BARCODE.x0 * 2 + BARCODE_BITS * BARCODE.pitch}:h=${BARCODE.size + 4}:color=black:t=fill`,
    ...bits,
    `drawtext=fontfile=${FONT_FILE}:text='${label}  ${clock}':fontsize=${fontSize}:x=4:y=${BARCODE.size + 8}:fontcolor=white:box=1:boxcolor=black@0.6`,
  ].join(',');
  const gop = String(Math.max(1, Math.round(o.fps)));
  const encoder =
    o.codec === 'H265'
      ? ['-c:v', 'libx265', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', gop, '-x265-params', 'repeat-headers=1:log-level=error']
      : ['-c:v', 'libx264', '-profile:v', 'baseline', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', gop, '-x264-params', 'repeat-headers=1'];
  return [
    '-hide_banner', '-nostats', '-loglevel', 'error',
    '-re', '-f', 'lavfi', '-i', `testsrc=size=${o.width}x${o.height}:rate=${o.fps}`,
    '-vf', vf,
    ...encoder,
    // localaddr: ffmpeg's own RTP/RTCP sockets bind loopback, not 0.0.0.0 (issue 11 item 10).
    '-f', 'rtp', '-payload_type', '96', `rtp://127.0.0.1:${o.udpPort}?pkt_size=1200&localaddr=127.0.0.1`,
  ];
}

export interface CameraVideo {
  rtspUrl: string;
  stop(): Promise<void>;
}

/** RTSP authentication the simulated camera demands (none by default). */
export interface RtspAuth { method: 'basic' | 'digest'; username: string; password: string }

export interface CameraVideoOptions extends Omit<VideoSourceOptions, 'midnightMs' | 'udpPort'> {
  udpPort: number;
  rtspPort: number;
  mount: string;
  auth?: RtspAuth;
  /**
   * Niceness of the picture source, the ffmpeg encoder (lowerPriority); default 0. The RTSP server
   * keeps its priority: it is light, and the camera answers ONVIF only once it listens.
   */
  nice?: number;
}


const SERVER_SCRIPT = fileURLToPath(new URL('./rtsp_server.py', import.meta.url));

export function killAndWait(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Starts the RTSP server and the picture source; resolves once the server listens. */
export async function startCameraVideo(o: CameraVideoOptions): Promise<CameraVideo> {
  if (!existsSync(SYSTEM_PYTHON)) throw new Error(`${SYSTEM_PYTHON} not found: the camera simulator needs Debian's python3 with gi and gst-rtsp-server`);
  if (!existsSync(FONT_FILE)) throw new Error(`font ${FONT_FILE} not found: the camera simulator burns the name and time into the picture with it`);
  const server = spawn(SYSTEM_PYTHON, [SERVER_SCRIPT, String(o.rtspPort), o.mount, String(o.udpPort), o.codec], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // The password goes by environment, not argv (ps shows argv to every local user).
    env: { ...process.env, ...(o.auth ? { SIM_RTSP_AUTH: o.auth.method, SIM_RTSP_USER: o.auth.username, SIM_RTSP_PASS: o.auth.password } : { SIM_RTSP_AUTH: '' }) },
  });
  let stderr = '';
  server.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      if (d.toString().includes('ready')) {
        server.stdout!.off('data', onData);
        resolve();
      }
    };
    server.stdout!.on('data', onData);
    server.once('exit', (code) => reject(new Error(`rtsp_server.py for ${o.name} exited with ${code} before listening on ${o.rtspPort}: ${stderr.trim()}`)));
    server.once('error', reject);
  });
  const now = Date.now();
  const source = spawn('ffmpeg', videoSourceArgs({ ...o, midnightMs: now - (now % 86_400_000) }), { stdio: ['ignore', 'ignore', 'pipe'] });
  lowerPriority(source, o.nice);
  source.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  source.on('error', () => {});
  // ffmpeg does not notice its parent dying: if the process exits without stop() (a crash, an
  // uncaught error), take the children along instead of leaving cameras running.
  const killOnExit = () => {
    source.kill('SIGKILL');
    server.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  return {
    rtspUrl: `rtsp://127.0.0.1:${o.rtspPort}/${o.mount}`,
    async stop() {
      process.off('exit', killOnExit);
      await Promise.all([killAndWait(source), killAndWait(server)]);
    },
  };
}
