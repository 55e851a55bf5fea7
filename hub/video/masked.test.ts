// Live privacy masks end to end: a simulated camera (gst-rtsp-server) → the hub's real gateway →
// real ffmpeg → WebSocket viewers signed in with real sessions. A guard (role masked in
// recording.yaml) gets the masked stream, whose mask rectangle is blurred (decoded with ffmpeg and
// measured: share of sharp edges), an operator the plain `-c copy` stream; snapshots likewise; audited.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startOnvifSimulator, type OnvifSimulator } from '../../simulators/onvif/index.js';
import { hashPassword, DEFAULT_SCRYPT } from '../auth/password.js';
import { recordingFileSchema } from '../recording/config.js';
import { rtspCameras, silentLog, until } from '../recording/test-support.js';
import { createHub, type Hub } from '../server.js';
import { testSiteConfig } from '../test-support.js';
import { maskFilter } from '../recording/ffmpeg-args.js';
import { remuxArgs } from './ffmpeg.js';
import { createVideoModule, type VideoModule } from './module.js';

const W = 320;
const H = 240;
const MASK = { x: 0.55, y: 0.45, w: 0.4, h: 0.45 };
/** Inside the mask, off its border (the overlay's edge is a real edge). */
const INSIDE = { x0: 0.6, y0: 0.5, x1: 0.9, y1: 0.85 };
/** Outside the mask (below the burnt-in clock): must look the same in both streams. */
const OUTSIDE = { x0: 0.05, y0: 0.5, x1: 0.45, y1: 0.9 };

/**
 * Share of a region's pixels on a sharp edge (a step of more than 24 grey levels to the right or
 * below neighbour): the stripes and digits of the test picture are sharp, a blurred area has none.
 */
function sharpEdges(gray: Buffer, r: { x0: number; y0: number; x1: number; y1: number }): number {
  let sharp = 0;
  let n = 0;
  for (let y = Math.round(r.y0 * H); y < Math.round(r.y1 * H) - 1; y++) {
    for (let x = Math.round(r.x0 * W); x < Math.round(r.x1 * W) - 1; x++) {
      const p = gray[y * W + x];
      if (Math.abs(p - gray[y * W + x + 1]) + Math.abs(p - gray[(y + 1) * W + x]) > 24) sharp++;
      n++;
    }
  }
  return sharp / n;
}

/** The first picture of an MP4 or JPEG, decoded by ffmpeg to W×H 8-bit grey. */
function decodeGray(media: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const ff = spawn('/usr/bin/ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-frames:v', '1', '-vf', `scale=${W}:${H}`, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1']);
    const out: Buffer[] = [];
    let err = '';
    ff.stdout.on('data', (d: Buffer) => out.push(d));
    ff.stderr.on('data', (d: Buffer) => (err += d));
    ff.stdin.on('error', () => {}); // ffmpeg may stop reading once it has its frame
    ff.on('close', (code) => {
      const gray = Buffer.concat(out);
      if (gray.length === W * H) resolve(gray);
      else reject(new Error(`ffmpeg exit ${code}, ${gray.length} bytes: ${err}`));
    });
    ff.stdin.end(media);
  });
}

/** ffmpeg processes reading this RTSP port, by kind (masked = the one with the mask filter). */
function ffmpegsOf(port: string): { masked: number; copy: number } {
  const n = { masked: 0, copy: 0 };
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (!cmd.includes('ffmpeg') || !cmd.includes(`:${port}/`) || !cmd.includes('frag_keyframe')) continue;
    if (cmd.includes('boxblur')) n.masked++;
    else if (cmd.includes('-c:v copy')) n.copy++;
  }
  return n;
}

describe('live privacy masks (recording.yaml maskLiveForRoles)', () => {
  let sim: OnvifSimulator;
  let hub: Hub;
  let port: string;
  let dataDir: string;
  let video: VideoModule;
  let config: ReturnType<typeof testSiteConfig>;
  const withPolicy = (roles: string[]) => ({ ...config, sections: new Map([...(config.sections ?? []), ['recording.yaml', recordingFileSchema.parse({ cameras: { 'cam-desk': { masks: [MASK], maskLiveForRoles: roles } } })]]) });
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    sim = await startOnvifSimulator({ cameras: [{ id: 'desk', name: 'Reception', width: W, height: H, fps: 10 }] });
    port = new URL(sim.cameras[0].rtspUrl).port;
    const hash = await hashPassword('pw', DEFAULT_SCRYPT);
    config = testSiteConfig({ floors: 1, pointsPerFloor: 1, users: ['guard', 'operator'].map((u) => ({ username: u, role: u as never, passwordHash: hash })) });
    dataDir = config.hub.dataDir;
    // The policy reaches the video module the way the loader hands it: the recording.yaml section.
    config = withPolicy(['guard']);
    video = createVideoModule({ registry: rtspCameras({ 'cam-desk': sim.cameras[0].rtspUrl }), graceMs: 300 });
    hub = await createHub(config, { drivers: [], modules: [video], log: silentLog, listen: { port: 0 } });
    for (const u of ['guard', 'operator']) {
      const res = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: 'pw' }) });
      tokens[u] = ((await res.json()) as { token: string }).token;
    }
  }, 60_000);

  afterAll(async () => {
    await hub?.stop();
    await sim?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Opens the live view as `who` and collects its MP4 until it holds a few fragments; the socket stays open. */
  const watch = async (who: string, extra = '') => {
    const ws = new WebSocket(`${hub.url.replace('http', 'ws')}/video/cam-desk?token=${tokens[who]}${extra}`, { headers: { origin: hub.url } });
    const parts: Buffer[] = [];
    const statuses: Array<{ status: string; stream?: { transcoding?: boolean } }> = [];
    ws.on('message', (d: Buffer, binary) => (binary ? parts.push(d) : statuses.push(JSON.parse(String(d)))));
    await until(`video for ${who}`, () => parts.length >= 6 && parts[0].toString('latin1', 4, 8) === 'ftyp', 30_000);
    return { ws, mp4: Buffer.concat(parts), statuses };
  };

  it('a guard (masked role) gets the masked stream, an operator the plain one; the masked rectangle is blurred', async () => {
    const plain = await watch('operator');
    // A client asking for the plain stream changes nothing: the role decides.
    const masked = await watch('guard', '&masked=0&role=operator');
    try {
      expect(ffmpegsOf(port)).toEqual({ masked: 1, copy: 1 });
      expect(masked.statuses[0]).toMatchObject({ status: 'hello', stream: { transcoding: true } });
      expect(plain.statuses[0]).toMatchObject({ status: 'hello', stream: { transcoding: false } });
      const [p, m] = [await decodeGray(plain.mp4), await decodeGray(masked.mp4)];
      const inside = { plain: sharpEdges(p, INSIDE), masked: sharpEdges(m, INSIDE) };
      const outside = { plain: sharpEdges(p, OUTSIDE), masked: sharpEdges(m, OUTSIDE) };
      expect(inside.plain).toBeGreaterThan(0.02); // the test picture has edges there to hide
      expect(inside.masked).toBeLessThan(inside.plain * 0.2);
      // The rest of the picture keeps its sharp stripes (three boundaries there: ~2 % of its pixels).
      expect(outside.plain).toBeGreaterThan(0.01);
      expect(outside.masked).toBeGreaterThan(0.01);
      // A second masked viewer shares the masked ffmpeg.
      const second = await watch('guard');
      expect(ffmpegsOf(port)).toEqual({ masked: 1, copy: 1 });
      second.ws.close();
    } finally {
      plain.ws.close();
      masked.ws.close();
    }
    // The last masked viewer gone, its ffmpeg stops (after the grace period).
    await until('masked ffmpeg stopped', () => ffmpegsOf(port).masked === 0, 15_000);
    const audit = hub.audit.query({ action: 'camera.live' });
    expect(audit).toEqual(expect.arrayContaining([
      expect.objectContaining({ user: 'guard', target: 'cam-desk', details: expect.objectContaining({ role: 'guard', masked: true }) }),
      expect.objectContaining({ user: 'operator', target: 'cam-desk', details: expect.objectContaining({ role: 'operator', masked: false }) }),
    ]));
  }, 90_000);

  it('snapshots: masked for the guard (fresh and stored), as taken for the operator; audited', async () => {
    const snap = async (who: string, url: string) => {
      const res = await fetch(`${hub.url}/api${url}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      return { file: res.headers.get('x-snapshot-file'), jpeg: Buffer.from(await res.arrayBuffer()) };
    };
    const ofGuard = await snap('guard', '/cameras/cam-desk/snapshot');
    const ofOperator = await snap('operator', '/cameras/cam-desk/snapshot');
    const stored = await snap('guard', `/cameras/cam-desk/snapshots/${ofOperator.file}`);
    const storedPlain = await snap('operator', `/cameras/cam-desk/snapshots/${ofOperator.file}`);
    const [g, o, s, sp] = await Promise.all([ofGuard, ofOperator, stored, storedPlain].map((x) => decodeGray(x.jpeg)));
    expect(sharpEdges(o, INSIDE)).toBeGreaterThan(0.02);
    expect(sharpEdges(g, INSIDE)).toBeLessThan(sharpEdges(o, INSIDE) * 0.2);
    expect(sharpEdges(s, INSIDE)).toBeLessThan(sharpEdges(sp, INSIDE) * 0.2);
    expect(sharpEdges(g, OUTSIDE)).toBeGreaterThan(0.01);
    const audit = hub.audit.query({ action: 'camera.snapshot' });
    expect(audit).toEqual(expect.arrayContaining([
      expect.objectContaining({ user: 'guard', target: 'cam-desk', details: expect.objectContaining({ masked: true }) }),
      expect.objectContaining({ user: 'operator', target: 'cam-desk', details: expect.objectContaining({ masked: false }) }),
    ]));
  }, 60_000);

  it('a reload that masks the operator too closes its plain view; reconnecting gives the masked stream', async () => {
    const plain = await watch('operator');
    const closed = new Promise<number>((r) => plain.ws.once('close', (code) => r(code)));
    try {
      await video.reload!(withPolicy(['guard', 'operator']), undefined as never);
      expect(await closed).toBe(1012);
      expect(plain.statuses.at(-1)).toMatchObject({ status: 'reconnecting', detail: expect.stringContaining('privacy masks of camera cam-desk changed') });
      const again = await watch('operator');
      expect(again.statuses[0]).toMatchObject({ status: 'hello', stream: { transcoding: true } });
      expect(ffmpegsOf(port).masked).toBe(1);
      again.ws.close();
    } finally {
      plain.ws.close();
      await video.reload!(withPolicy(['guard']), undefined as never);
    }
  }, 90_000);
});

describe('mask filter and masked remux arguments', () => {
  it('a filter always re-encodes, even if asked for a copy', () => {
    const { output } = remuxArgs({ url: 'rtsp://x/y', transport: 'tcp', transcode: false, filter: '[0:v]null[out]' });
    expect(output).toEqual(expect.arrayContaining(['-filter_complex', '[0:v]null[out]', '-map', '[out]', 'libx264']));
    expect(output).not.toContain('copy');
  });

  it.each([
    ['a small mask on a 320×240 picture', [{ x: 0.2, y: 0.2, w: 0.05, h: 0.05 }]],
    ['the sample config mask', [{ x: 0.7, y: 0.55, w: 0.25, h: 0.3 }]],
    ['a mask running off the picture, and two masks', [{ x: 0.9, y: 0.9, w: 0.5, h: 0.5 }, { x: 0, y: 0, w: 1, h: 0.1 }]],
  ])('ffmpeg accepts the filter: %s', async (_what, masks) => {
    const filter = maskFilter(masks)!;
    const code = await new Promise<number | null>((resolve) => {
      const ff = spawn('/usr/bin/ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc=size=${W}x${H}:rate=1`, '-frames:v', '1', '-filter_complex', filter, '-map', '[out]', '-f', 'null', '-']);
      ff.on('close', resolve);
    });
    expect(code).toBe(0);
  });
});
