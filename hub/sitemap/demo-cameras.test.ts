// The demo's outdoor cameras stream: the site map's 17 cameras are connections of
// config/devices/cameras.yaml, served on demand by the camera simulator (its domes with the site
// map's presets), and not recorded (nothing pulls them all the time). End to end on the real
// simulators: a gate barrier forced (Modbus) → the alarm of config/alarms.yaml → `camera: nearest`
// picks the outdoor camera that sees the gate (a dome is turned to its preset) → its on-demand
// picture starts, the hub captures a snapshot and a clip from it → once the hub lets go, the
// simulator's picture stops.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startModbusSimulator, type ModbusSimulator } from '../../simulators/modbus/index.js';
import { DEMO_OUTDOOR_CAMERAS, DEMO_OUTDOOR_PORTS, startOnvifSimulator, type OnvifSimulator } from '../../simulators/onvif/index.js';
import { domePresets } from '../../simulators/onvif/outdoor.js';
import { createAlarmsModule } from '../alarms/index.js';
import { loadConfig } from '../config/load.js';
import { sectionOf } from '../config/section-key.js';
import { cameraConfig, RECORDING_SECTION } from '../recording/config.js';
import { createDrivers } from '../drivers.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { createVideoModule } from '../video/module.js';
import { checkSiteMap, SITEMAP_FILE } from './load.js';
import { createSitemapModule } from './module.js';
import { toNormalised } from './nearest.js';
import { whereIsPoint } from './place.js';

const config = loadConfig(path.resolve('config'));
const map = checkSiteMap(config, path.join(config.dir, SITEMAP_FILE)).map!;
const GATE_RULE = 'gate-forced-south';

describe('the demo outdoor cameras are wired', () => {
  it('every site-map camera streams: a connection of the same id, served by the simulator; domes answer ONVIF with the map presets', () => {
    expect(map.cameras).toHaveLength(17);
    expect(DEMO_OUTDOOR_CAMERAS.map((c) => c.id).sort()).toEqual(map.cameras.map((c) => c.id).sort());
    const domes = DEMO_OUTDOOR_CAMERAS.filter((c) => c.dome);
    for (const cam of map.cameras) {
      const sim = DEMO_OUTDOOR_CAMERAS.find((c) => c.id === cam.id)!;
      const conn = config.connections.find((c) => c.id === cam.connection);
      expect(cam.connection, cam.id).toBe(cam.id);
      if (cam.ptz) {
        expect(conn, cam.id).toMatchObject({ protocol: 'onvif', options: { host: '127.0.0.1', port: DEMO_OUTDOOR_PORTS.onvif + domes.indexOf(sim) } });
        // The preset the map aims with is the one the camera has, at the angle the map gives it.
        const onCamera = domePresets(sim);
        expect(onCamera.map((p) => p.token), cam.id).toEqual(cam.ptz.presets.map((p) => p.token));
        for (const p of cam.ptz.presets) {
          expect(onCamera.find((q) => q.token === p.token)!.position, `${cam.id} ${p.token}`).toMatchObject({ pan: toNormalised(p.pan, cam.ptz.pan), tilt: toNormalised(p.tilt ?? 0, cam.ptz.tilt) });
        }
      } else {
        expect(sim.dome, cam.id).toBeUndefined();
        expect(conn, cam.id).toMatchObject({ protocol: 'rtsp', options: { url: `rtsp://127.0.0.1:${DEMO_OUTDOOR_PORTS.rtsp}/${cam.id}` } });
      }
    }
  });

  it('recording is off for them (a recorder, even in mode event, would pull all 17 all the time)', () => {
    const rec = sectionOf(config.sections, RECORDING_SECTION)!;
    for (const cam of map.cameras) expect(cameraConfig(rec, cam.id).mode, cam.id).toBe('off');
  });
});

describe('an outdoor alarm opens its nearest camera, which plays', () => {
  let modbus: ModbusSimulator | undefined;
  let cams: OnvifSimulator | undefined;
  let hub: Hub | undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wf-outdoor-'));

  afterAll(async () => {
    await hub?.stop();
    await cams?.stop();
    await modbus?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gate forced → alarm → nearest outdoor camera (a dome aimed) → snapshot and clip from its on-demand stream → stream stops after', async () => {
    modbus = await startModbusSimulator({ ports: 'ephemeral' });
    cams = await startOnvifSimulator({ cameras: [], onDemand: DEMO_OUTDOOR_CAMERAS, discovery: false });
    const cfg = loadConfig(path.resolve('config'));
    cfg.hub.dataDir = dataDir;
    const outdoor = new Set(map.cameras.map((c) => c.id));
    for (const c of cfg.connections) {
      if (c.protocol === 'modbus' && modbus.ports[c.id]) (c.options as { port: number }).port = modbus.ports[c.id];
      if (c.protocol === 'onvif' && outdoor.has(c.id)) (c.options as { port: number }).port = cams.cameras.find((x) => x.id === c.id)!.onvifPort;
      if (c.protocol === 'rtsp' && outdoor.has(c.id)) (c.options as { url: string }).url = cams.onDemand!.cameras.find((x) => x.id === c.id)!.rtspUrl;
    }
    const run = new Set(['modbus-gw-l01', ...outdoor]); // the gate contacts and the outdoor cameras
    const drivers = createDrivers({ ...cfg, connections: cfg.connections.filter((c) => run.has(c.id)), devices: cfg.devices.filter((d) => run.has(d.connection)), points: cfg.points.filter((p) => run.has(p.connection)) });
    const video = createVideoModule({ clipPreSeconds: 1, clipPostSeconds: 1, graceMs: 300, alarmWarmMs: 1000 });
    const sitemap = createSitemapModule();
    const alarms = createAlarmsModule();
    const captures: Array<{ camera: string; snapshot?: string; clip?: string; errors: string[] }> = [];
    const failures: string[] = [];
    // As hub/modules.ts wires it.
    alarms.registerAction('camera-snapshot', async (action, alarm) => {
      try {
        const camera = action.camera === 'nearest' ? (await sitemap.pickCamera(alarm.pointId, { aim: action.aim, alarm: alarm.id })).camera : action.camera;
        captures.push(await video.handleCameraAction(alarm, { ...action, camera }));
      } catch (e) {
        failures.push((e as Error).message);
        throw e;
      }
    });
    hub = await createHub(cfg, { drivers, modules: [sitemap, video, alarms], log: silentLogger(), listen: { port: 0 }, consoleDir: path.join(dataDir, 'none') });
    const rule = alarms.engine!.def(GATE_RULE)!;
    expect(rule.actions).toEqual([{ type: 'camera-snapshot', camera: 'nearest', aim: true }]);
    const expected = sitemap.nearest(whereIsPoint(rule.pointId)!, 10)!.cameras.find((c) => c.connection)!;
    // The demo's geometry: the south gate is seen best by the SE junction dome, on its south-road preset.
    expect(expected).toMatchObject({ connection: 'cam-x-se-ptz', aim: { preset: 'south-road' } });
    await expect.poll(() => hub!.registries.cameras.get(expected.connection!)?.info().state, { timeout: 20_000, interval: 100 }).toBe('online');
    expect(cams.onDemand!.starts(expected.connection!)).toBe(0); // online (OPTIONS / ONVIF) costs no picture

    modbus.set('modbus-gw-l01', 7, 'forced', true); // the south gate barrier
    await expect.poll(() => captures.length + failures.length, { timeout: 30_000, interval: 200 }).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    const [cap] = captures;
    expect(cap.camera).toBe(expected.connection);
    expect(cap.errors).toEqual([]);
    expect(readFileSync(cap.snapshot!).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8])); // a JPEG
    expect(existsSync(cap.clip!)).toBe(true);
    expect(cams.onDemand!.starts(cap.camera)).toBeGreaterThanOrEqual(1);
    const preset = cams.camera(cap.camera).presets().find((p) => p.token === 'south-road')!;
    expect(cams.camera(cap.camera).ptz.position()).toMatchObject({ pan: preset.position.pan, tilt: preset.position.tilt });
    expect(hub.audit.query({}).some((e) => e.action === 'sitemap.aim' && e.target === cap.camera)).toBe(true);
    // Nobody watches any more (warm-up over, gateway grace over): the simulator's picture stops.
    await expect.poll(() => cams!.onDemand!.active().size, { timeout: 20_000, interval: 200 }).toBe(0);
  }, 120_000);
});
