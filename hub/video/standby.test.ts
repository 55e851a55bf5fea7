// Standby streams: which cameras (alarm rules' camera actions, by priority, capped), and what a
// viewer of a standby camera gets over the real WebSocket from real ffmpeg and the GStreamer RTSP
// simulator: the init segment and a keyframe-starting fragment from the cache, before the
// gateway's hello (so nothing waited for the camera); a camera needing transcoding is never kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startOnvifSimulator, type OnvifSimulator } from '../../simulators/onvif/index.js';
import { alarmsFileSchema } from '../alarms/schema.js';
import type { CameraSourceInfo, VideoGateway } from './gateway.js';
import { moofStartsWithKeyframe } from './mp4.js';
import { alarmCameraRefs, pickStandby, videoSettingsSchema } from './standby.js';
import { silentLog, startGatewayServer, until, type GatewayServer } from './test-support.js';

const msg = { en: 'm', 'zh-CN': 'm' };
const rule = (id: string, extra: Record<string, unknown>) => ({ id, type: 'state', point: 'hq/a/b1/r/d/p', activeWhen: true, message: msg, ...extra });

describe('which cameras go on standby', () => {
  it('camera actions of enabled rules, most urgent first, no duplicates, no `nearest`', () => {
    const file = alarmsFileSchema.parse({
      defaults: { priority: 'low' },
      rules: [
        rule('a', { actions: [{ type: 'camera-snapshot', camera: 'cam-low' }] }), // defaults: low
        rule('b', { priority: 'high', actions: [{ type: 'camera-snapshot', camera: 'cam-high' }, { type: 'camera-snapshot', camera: 'cam-low' }] }),
        rule('c', { priority: 'critical', actions: [{ type: 'camera-snapshot', camera: 'nearest' }] }),
        rule('d', { priority: 'critical', disabled: true, actions: [{ type: 'camera-snapshot', camera: 'cam-off' }] }),
        { id: 'e', type: 'limit', point: 'hq/a/b1/r/d/t', message: msg, limits: { high: { value: 30 }, highHigh: { value: 40, priority: 'critical' } }, actions: [{ type: 'camera-snapshot', camera: 'cam-hot' }] },
        rule('f', { priority: 'critical', actions: [{ type: 'broadcast', zones: ['b1'] }] }),
      ],
    });
    expect(alarmCameraRefs(file)).toEqual(['cam-hot', 'cam-high', 'cam-low']);
    expect(alarmCameraRefs(undefined)).toEqual([]);
  });

  it('resolves refs, keeps the first `max` and reports unknown and over-the-cap cameras', () => {
    const resolve = (ref: string) => ({ 'camera-lobby': 'cam-lobby', 'cam-lobby': 'cam-lobby', 'cam-yard': 'cam-yard', 'cam-gate': 'cam-gate' })[ref];
    expect(pickStandby(['camera-lobby', 'cam-lobby', 'ghost', 'cam-yard', 'cam-gate'], resolve, 2)).toEqual({ ids: ['cam-lobby', 'cam-yard'], unknown: ['ghost'], overCap: ['cam-gate'] });
    expect(pickStandby(['cam-yard'], resolve, 0)).toEqual({ ids: [], unknown: [], overCap: ['cam-yard'] });
    expect(videoSettingsSchema.parse({})).toEqual({ standbyMax: 4 });
    expect(videoSettingsSchema.safeParse({ standbyMax: 100 }).success).toBe(false);
  });
});

describe('standby streams through the real gateway', () => {
  let sim: OnvifSimulator;
  let served: GatewayServer;
  let gateway: VideoGateway;
  let base: string;
  const cams = new Map<string, CameraSourceInfo>();

  beforeAll(async () => {
    sim = await startOnvifSimulator({
      cameras: [
        { id: 'door', name: 'Door', width: 320, height: 240, fps: 10 },
        { id: 'vault', name: 'Vault', width: 320, height: 240, fps: 10, codec: 'H265' },
      ],
    });
    cams.set('cam-door', { id: 'cam-door', streamUri: sim.camera('door').rtspUrl });
    // Reports H.264 but sends H.265: the gateway learns it from the stream.
    cams.set('cam-vault', { id: 'cam-vault', streamUri: sim.camera('vault').rtspUrl });
    cams.set('cam-h265', { id: 'cam-h265', streamUri: sim.camera('vault').rtspUrl, codec: 'H265' });
    cams.set('cam-connecting', { id: 'cam-connecting' });
    served = await startGatewayServer({ cameras: { ids: () => [...cams.keys()], get: (id) => cams.get(id) }, log: silentLog, graceMs: 300 }, 'wf-standby-');
    ({ gateway, base } = served);
  }, 60_000);

  afterAll(async () => {
    await served?.close();
    await sim?.stop();
  });

  it('a viewer of a standby camera gets init + a keyframe fragment from the cache, before the hello, with no new ffmpeg', async () => {
    // A camera still connecting (no stream URI) and one known to need transcoding are not kept.
    expect(gateway.setStandby(['cam-door', 'cam-connecting', 'cam-h265'])).toEqual(['cam-door']);
    await until('standby stream live', () => gateway.status('cam-door')?.state === 'live');
    expect(gateway.status('cam-door')?.viewers).toBe(0);
    expect(gateway.status('cam-h265')).toBeUndefined();
    // Mid-GOP, so the cached GOP has a keyframe and more.
    const stream = gateway.stream('cam-door')!;
    await until('a fragment after a keyframe', () => (stream.recording(0)?.length ?? 0) > 0 && stream.latestKeyframe() !== undefined);
    const spawned = gateway.counters.spawned;

    const order: string[] = [];
    const binaries: Buffer[] = [];
    const ws = new WebSocket(`ws://${base}/video/cam-door`);
    ws.on('message', (d, bin) => {
      if (bin) binaries.push(d as Buffer);
      order.push(bin ? 'binary' : String(JSON.parse(String(d)).status));
    });
    await until('hello', () => order.includes('hello'));
    ws.close();
    // The gateway sends the cache synchronously when the viewer is added, then the hello: binaries
    // before the hello came from the cache, not from ffmpeg after the join.
    const cached = order.indexOf('hello');
    expect(cached).toBeGreaterThanOrEqual(2);
    expect(binaries[0].toString('latin1', 4, 8)).toBe('ftyp');
    expect(binaries[1].toString('latin1', 4, 8)).toBe('moof');
    expect(moofStartsWithKeyframe(binaries[1].subarray(0, binaries[1].readUInt32BE(0)))).toBe(true);
    expect(gateway.counters.spawned).toBe(spawned);
    // The viewer left; standby keeps the stream running past the grace period.
    await new Promise((r) => setTimeout(r, 600));
    expect(gateway.status('cam-door')).toMatchObject({ state: 'live', viewers: 0 });
  }, 60_000);

  it('a camera found to send H.265 is let go; one dropped from the set stops after the grace period', async () => {
    expect(gateway.setStandby(['cam-door', 'cam-vault'])).toEqual(['cam-door', 'cam-vault']);
    await until('vault let go', () => !gateway.standbyCameras().includes('cam-vault'));
    expect(gateway.status('cam-vault')?.transcoding).toBe(true);
    await until('vault stream stopped', () => gateway.status('cam-vault')?.state === 'idle');
    expect(gateway.setStandby([])).toEqual([]);
    await until('door stream stopped', () => gateway.status('cam-door')?.state === 'idle');
    expect(gateway.counters.running).toBe(0);
  }, 60_000);
});
