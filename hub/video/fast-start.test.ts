// A viewer joining a live camera gets the init segment and the current GOP at once (no wait for the
// camera's next keyframe); internal viewers (warm-up, clips) do not count against the viewer limit;
// a viewer over the limit is told why, naming the camera and the limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startOnvifSimulator, type OnvifSimulator } from '../../simulators/onvif/index.js';
import type { VideoGateway } from './gateway.js';
import { moofStartsWithKeyframe } from './mp4.js';
import { silentLog, startGatewayServer, until, type GatewayServer } from './test-support.js';

function viewer(url: string) {
  const v = { binaries: [] as Buffer[], statuses: [] as Array<Record<string, string>>, closeCode: 0, ws: new WebSocket(url) };
  v.ws.on('message', (d, bin) => (bin ? v.binaries.push(d as Buffer) : v.statuses.push(JSON.parse(String(d)))));
  v.ws.on('close', (code) => (v.closeCode = code));
  return v;
}

describe('fast first frame and viewer limit', () => {
  let sim: OnvifSimulator;
  let served: GatewayServer;
  let gateway: VideoGateway;
  let base: string;

  beforeAll(async () => {
    sim = await startOnvifSimulator({ cameras: [{ id: 'c', name: 'Crossing 1', width: 320, height: 240, fps: 10 }] });
    const rtsp = sim.cameras[0].rtspUrl;
    served = await startGatewayServer({
      cameras: { ids: () => ['cam-x1'], get: (id) => (id === 'cam-x1' ? { id, streamUri: rtsp, codec: 'H264' } : undefined) },
      log: silentLog, graceMs: 300, limits: { maxViewersPerCamera: 1 },
    }, 'wf-fast-');
    ({ gateway, base } = served);
  }, 60_000);

  afterAll(async () => {
    await served?.close();
    await sim?.stop();
  });

  it('a joiner gets init + the GOP from its keyframe immediately, and the second browser viewer is refused with the reason', async () => {
    const first = viewer(`ws://${base}/video/cam-x1`);
    // Wait until the stream is mid-GOP: at least one non-key fragment after a keyframe.
    await until('live stream', () => first.binaries.length >= 4);
    const stream = gateway.stream('cam-x1')!;
    const got: Array<{ kind: 'init' | 'frag'; data: Buffer }> = [];
    const release = stream.add({ sendInit: (d) => got.push({ kind: 'init', data: d }), sendFragment: (d) => got.push({ kind: 'frag', data: d }), sendStatus() {}, backlog: () => 0, internal: true });
    // Synchronously, before any new fragment from ffmpeg: init, then a keyframe fragment.
    expect(got[0]?.kind).toBe('init');
    expect(got[0].data.toString('latin1', 4, 8)).toBe('ftyp');
    expect(got.length).toBeGreaterThanOrEqual(2);
    expect(moofStartsWithKeyframe(got[1].data.subarray(0, got[1].data.readUInt32BE(0)))).toBe(true);
    expect(got.slice(2).every((g) => g.kind === 'frag')).toBe(true);
    // The internal viewer does not count: one browser viewer, still within the limit of 1.
    expect(stream.viewerCount()).toBe(1);
    expect(gateway.admission('cam-x1')?.code).toBe('viewer_limit');

    const second = viewer(`ws://${base}/video/cam-x1`);
    await until('refusal', () => second.closeCode !== 0);
    expect(second.closeCode).toBe(4429);
    expect(second.binaries).toHaveLength(0);
    expect(second.statuses[0]).toMatchObject({ status: 'refused', code: 'viewer_limit' });
    expect(second.statuses[0].detail).toMatch(/camera cam-x1 already has 1 viewers/);
    release();
    first.ws.close();
  });

  it('warm() keeps a stream live with no viewer, so an opening viewer starts from the cached GOP', async () => {
    await until('idle after the last viewer', () => gateway.status('cam-x1')?.state === 'idle', 10_000);
    expect(gateway.warm('cam-x1', 5000)).toBe(true);
    expect(gateway.warm('no-such-camera')).toBe(false);
    await until('warm stream live', () => gateway.status('cam-x1')?.state === 'live');
    expect(gateway.status('cam-x1')?.viewers).toBe(0);
    const v = viewer(`ws://${base}/video/cam-x1`);
    await until('first fragment', () => v.binaries.length >= 2);
    expect(v.binaries[0].toString('latin1', 4, 8)).toBe('ftyp');
    v.ws.close();
  });
});
