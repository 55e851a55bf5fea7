// The ONVIF driver against the simulated cameras (real SOAP over HTTP on loopback, real onvif client).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoundPoint, ConnectionConfig, DeviceConfig } from '../../contracts/driver.js';
import type { PointInfo, PointKind } from '../../contracts/point.js';
import { RecordingContext } from '../../test/conformance/run.js';
import { startOnvifSimulator, type OnvifSimulator } from '../../simulators/onvif/index.js';
import { OnvifDriver, onvifFactory } from './index.js';
import { CameraRegistry, PtzRangeError } from './registry.js';
import type { OnvifConnectionOptions, OnvifSource } from './schema.js';

const ROOT = 'hq/a/l01/lobby-101/cam-1';

function point(id: string, kind: PointKind, source: OnvifSource, writable = false): BoundPoint<OnvifSource> {
  const info: PointInfo = { id: `${ROOT}/${id}`, name: { en: id, 'zh-CN': id }, kind, writable, device: 'cam-1', protocol: 'onvif', intervalMs: 500 };
  return { info, device: 'cam-1', connection: 'cam-lobby', source };
}

const POINTS = [
  point('status', 'multistate', { kind: 'status' }),
  point('motion', 'binary', { kind: 'event', topic: 'tns1:VideoSource/MotionAlarm' }),
  point('tamper', 'binary', { kind: 'event', topic: 'tns1:VideoSource/GlobalSceneChange/ImagingService' }),
  point('door-input', 'binary', { kind: 'event', topic: 'tns1:Device/Trigger/DigitalInput', sourceValue: 'DI1' }),
  point('pan', 'analog', { kind: 'ptz', axis: 'pan' }),
  point('preset', 'string', { kind: 'preset' }, true),
];

function rig(sim: OnvifSimulator, password: string, registry: CameraRegistry) {
  const options = onvifFactory.connectionSchema.parse({
    host: '127.0.0.1', port: sim.cameras[0].onvifPort, username: 'admin', password, pollMs: 300, timeoutMs: 2000,
    backoff: { initialMs: 100, maxMs: 400, authFailedMs: 60_000 },
  }) as OnvifConnectionOptions;
  const conns: ConnectionConfig<OnvifConnectionOptions>[] = [{ id: 'cam-lobby', protocol: 'onvif', options }];
  const devs: DeviceConfig[] = [{ id: 'cam-1', connection: 'cam-lobby', options: {} }];
  return new OnvifDriver(conns, devs as never, POINTS, registry);
}

describe('ONVIF driver against the simulated camera', () => {
  let sim: OnvifSimulator;
  beforeAll(async () => {
    sim = await startOnvifSimulator({ cameras: [{ id: 'lobby', name: 'Lobby entrance', video: false }], username: 'admin', password: 'right' });
  });
  afterAll(async () => sim?.stop());

  it('connects, reads profile and stream URI, moves PTZ, turns events into points, survives a restart', async () => {
    const registry = new CameraRegistry();
    const driver = rig(sim, 'right', registry);
    const ctx = new RecordingContext('/tmp');
    await driver.start(ctx);
    try {
      await ctx.until('camera online', () => ctx.latest(`${ROOT}/status`)?.value === 1, 10_000);
      const info = registry.get('cam-lobby')!.info();
      expect(info.streamUri).toBe(sim.cameras[0].rtspUrl);
      expect(info.snapshotUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/onvif\/snapshot\.jpg$/);
      expect(info).toMatchObject({ state: 'online', codec: 'H264', width: 320, height: 240, ptz: true, manufacturer: 'Watchfloor' });
      expect(info.presets!.map((p) => p.token)).toEqual(['home', 'door']);

      // Initialized event states arrive as good binary points.
      await ctx.until('motion initialized', () => ctx.latest(`${ROOT}/motion`)?.value === false, 5000);
      expect(ctx.latest(`${ROOT}/door-input`)).toMatchObject({ value: false, quality: 'good' });
      sim.triggerMotion('lobby', true);
      await ctx.until('motion true', () => ctx.latest(`${ROOT}/motion`)?.value === true, 5000);
      sim.camera('lobby').setEvent('input', true);
      await ctx.until('digital input true', () => ctx.latest(`${ROOT}/door-input`)?.value === true, 5000);
      expect(ctx.latest(`${ROOT}/tamper`)?.value).toBe(false);

      // Continuous move changes the simulated head's position; stop holds it.
      const cam = registry.get('cam-lobby')!;
      await cam.ptz({ type: 'move', pan: 1 });
      await new Promise((r) => setTimeout(r, 400));
      const stopped = await cam.ptz({ type: 'stop' });
      expect(stopped.position!.pan).toBeGreaterThan(0);
      expect(sim.camera('lobby').ptz.position().pan).toBeCloseTo(stopped.position!.pan, 5);
      await ctx.until('pan point follows', () => (ctx.latest(`${ROOT}/pan`)?.value as number) > 0, 5000);

      // Out of range: refused with the range, nothing sent.
      await expect(cam.ptz({ type: 'absolute', pan: 2 })).rejects.toThrow(/pan 2 is outside the camera's range -1\.\.1/);
      await expect(cam.ptz({ type: 'absolute', pan: 2 })).rejects.toBeInstanceOf(PtzRangeError);
      await expect(cam.ptz({ type: 'move', tilt: -3 })).rejects.toThrow(/velocity -3 is outside -1\.\.1/);
      const abs = await cam.ptz({ type: 'absolute', pan: -0.5, tilt: 0.25, zoom: 0.5 });
      expect(abs.position).toEqual({ pan: -0.5, tilt: 0.25, zoom: 0.5 });

      // Preset write goes through write() and is confirmed by the reported position.
      const w = await driver.write(`${ROOT}/preset`, 'door');
      expect(w).toMatchObject({ confirmed: true, readBack: 'door' });
      expect(sim.camera('lobby').ptz.position()).toEqual({ pan: 0.5, tilt: -0.2, zoom: 0.3 });
      await expect(driver.write(`${ROOT}/preset`, 'nowhere')).rejects.toThrow(/no preset nowhere \(has: home, door\)/);
      await expect(driver.write(`${ROOT}/motion`, true)).rejects.toThrow(/only preset points are writable/);

      // Camera gone: status unreachable (good quality), other points comm_fail; back: online again.
      await sim.stopCamera('lobby');
      await ctx.until('unreachable', () => ctx.latest(`${ROOT}/status`)?.value === 0, 10_000);
      expect(ctx.latest(`${ROOT}/motion`)).toMatchObject({ value: null, quality: 'comm_fail' });
      expect(registry.get('cam-lobby')!.info().state).toBe('offline');
      await sim.startCamera('lobby');
      await ctx.until('online again', () => ctx.latest(`${ROOT}/status`)?.value === 1, 10_000);
      await ctx.until('motion good again', () => ctx.latest(`${ROOT}/motion`)?.quality === 'good', 5000);
    } finally {
      await driver.stop();
    }
    const n = ctx.samples.length;
    await new Promise((r) => setTimeout(r, 700));
    expect(ctx.samples.length).toBe(n); // nothing after stop()
    expect(registry.get('cam-lobby')).toBeUndefined();
  }, 60_000);

  it('wrong password → auth_failed with a long backoff, not retries at full speed', async () => {
    const registry = new CameraRegistry();
    const driver = rig(sim, 'wrong', registry);
    const ctx = new RecordingContext('/tmp');
    const before = sim.camera('lobby').authFailures;
    await driver.start(ctx);
    try {
      await ctx.until('auth_failed', () => ctx.statuses.some((s) => s.state === 'auth_failed'), 10_000);
      expect(ctx.latest(`${ROOT}/status`)).toMatchObject({ value: 2, quality: 'good' });
      expect(ctx.latest(`${ROOT}/motion`)?.quality).toBe('comm_fail');
      const st = ctx.statuses.at(-1)!;
      expect(st.detail).toMatch(/refused the credentials of user admin/);
      const refusedSoFar = sim.camera('lobby').authFailures;
      await new Promise((r) => setTimeout(r, 1500));
      // With initialMs 100 a reconnect loop would have hit the camera many times by now.
      expect(sim.camera('lobby').authFailures).toBe(refusedSoFar);
      expect(refusedSoFar - before).toBeLessThanOrEqual(3);
    } finally {
      await driver.stop();
    }
  }, 30_000);
});

describe('onvifFactory schemas', () => {
  it('rejects unknown keys and bad values, with the path', () => {
    const bad = onvifFactory.connectionSchema.safeParse({ host: 'cam', port: 80, username: 'u', password: 'p', colour: 'red' });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error!.issues)).toMatch(/colour/);
    const port = onvifFactory.connectionSchema.safeParse({ host: 'cam', port: 70000, username: 'u', password: 'p' });
    expect(port.error!.issues[0].path).toEqual(['port']);
    expect(onvifFactory.sourceSchema.safeParse({ kind: 'event', topic: 'not a topic' }).success).toBe(false);
    expect(onvifFactory.sourceSchema.safeParse({ kind: 'ptz', axis: 'roll' }).success).toBe(false);
    expect(onvifFactory.sourceSchema.safeParse({ kind: 'status', extra: 1 }).success).toBe(false);
    expect(onvifFactory.deviceSchema.safeParse({ profile: 'x' }).success).toBe(false);
    expect(onvifFactory.connectionSchema.parse({ host: 'cam', username: 'u', password: 'p' })).toMatchObject({ port: 80, pollMs: 5000 });
  });
});
