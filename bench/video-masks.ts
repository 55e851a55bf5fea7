// Live privacy masks benchmark (`npm run bench -- video-masks`): what a masked live stream costs.
// For each size (default 320×240 and 1280×720, 15 fps, simulated H.264 camera), a real gateway with
// one mask (the sample config's: 25 % × 30 % of the picture) gets one plain and one masked viewer;
// CPU of the masked ffmpeg (decode + blur + libx264 ultrafast) and of the plain `-c copy` one over
// 10 s, read from /proc. Env: MASK_SIZES (e.g. `320x240,1280x720,1920x1080`), MASK_SECONDS.
import os from 'node:os';
import { WebSocket } from 'ws';
import { LiveMasking } from '../hub/video/masked.js';
import { cpuSeconds, silent, startVideoRig } from './video-rig.js';

const MASK = { x: 0.7, y: 0.55, w: 0.25, h: 0.3 };

async function one(width: number, height: number, seconds: number): Promise<Record<string, number | string>> {
  let masking: LiveMasking | undefined;
  const rig = await startVideoRig({
    camera: { id: 'm', name: 'Masked', width, height, fps: 15 }, ids: ['cam'], codec: 'H264', tmpPrefix: 'wf-bench-masks-',
    gateway: (cameras, gateway) => {
      masking = new LiveMasking({ cameras, log: silent, budget: () => ({ busy: gateway()?.transcodingCameras() ?? [], max: gateway()?.limits.maxTranscodes ?? 0 }) });
      masking.setRules(new Map([['cam', { masks: [MASK], roles: ['guard'] }]]));
      // The bench's "session": the role comes from the socket's path query, as a test stand-in for the hub's session check.
      return { masking, authorize: async (req) => ({ ok: true, user: 'bench', role: new URL(req.url ?? '/', 'http://x').searchParams.get('as') ?? 'operator' }) };
    },
  });
  const port = rig.rtspPort;
  const base = `ws://${rig.base}/video/cam`;
  const open = (as: string) => {
    const ws = new WebSocket(`${base}?as=${as}`);
    const got = { bytes: 0, frames: 0 };
    ws.on('message', (d: Buffer, bin) => {
      if (!bin) return;
      got.bytes += d.length;
      got.frames++;
    });
    return { ws, got };
  };
  const isMasked = (cmd: string) => cmd.includes('boxblur') && cmd.includes(`:${port}/`);
  const isCopy = (cmd: string) => cmd.includes('frag_keyframe') && cmd.includes('-c:v copy') && cmd.includes(`:${port}/`);
  try {
    const plain = open('operator');
    const masked = open('guard');
    const deadline = Date.now() + 30_000;
    while ((plain.got.frames < 5 || masked.got.frames < 5) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 3000)); // past the start-up (probing) of each ffmpeg
    const m0 = cpuSeconds(isMasked);
    const c0 = cpuSeconds(isCopy);
    const b0 = { plain: plain.got.bytes, masked: masked.got.bytes };
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const secs = (Date.now() - t0) / 1000;
    const out = {
      [`${height}p: masked ffmpeg CPU (% of a core)`]: ((cpuSeconds(isMasked) - m0) / secs) * 100,
      [`${height}p: plain -c copy ffmpeg CPU (%)`]: ((cpuSeconds(isCopy) - c0) / secs) * 100,
      [`${height}p: masked stream bitrate (Mbit/s)`]: ((masked.got.bytes - b0.masked) * 8) / secs / 1e6,
      [`${height}p: plain stream bitrate (Mbit/s)`]: ((plain.got.bytes - b0.plain) * 8) / secs / 1e6,
    };
    plain.ws.close();
    masked.ws.close();
    return out;
  } finally {
    await rig.close();
    await masking?.close();
  }
}

export async function benchVideoMasks(): Promise<Record<string, number | string>> {
  const sizes = (process.env.MASK_SIZES ?? '320x240,1280x720').split(',').map((s) => s.split('x').map(Number) as [number, number]);
  const seconds = Number(process.env.MASK_SECONDS ?? 10);
  const out: Record<string, number | string> = { 'load at start': os.loadavg().map((l) => l.toFixed(2)).join(' ') };
  for (const [w, h] of sizes) Object.assign(out, await one(w, h, seconds));
  out['load at end'] = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  return out;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  console.log(await benchVideoMasks());
  process.exit(0);
}
