// The video module in a real hub puts the cameras of alarm rules' camera actions on standby (from
// the loaded alarms.yaml section), capped by hub.yaml `video.standbyMax`, once the ONVIF driver has
// their stream URI; a live reload of the rules moves the standby set; the health entry says which.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnvifSimulator, type OnvifSimulator } from '../../simulators/onvif/index.js';
import { OnvifDriver, onvifFactory } from '../../drivers/onvif/index.js';
import { CameraRegistry } from '../../drivers/onvif/registry.js';
import { alarmsFileSchema } from '../alarms/schema.js';
import { ALARMS_FILE } from '../alarms/rules.js';
import type { LoadedConfig } from '../config/types.js';
import type { ConfigDiff } from '../reload/diff.js';
import { createHub, type Hub } from '../server.js';
import { testSiteConfig } from '../test-support.js';
import { createVideoModule, type VideoModule } from './module.js';

const silent = { info() {}, warn() {}, error() {}, debug() {}, child: () => silent };
const msg = { en: 'm', 'zh-CN': 'm' };

function alarms(rules: Array<[string, 'critical' | 'high' | 'low', string]>) {
  return alarmsFileSchema.parse({
    rules: rules.map(([id, priority, camera]) => ({ id, type: 'state', point: 'hq/a/l01/room-101/dev-0/p-0', activeWhen: true, priority, message: msg, actions: [{ type: 'camera-snapshot', camera }] })),
  });
}

async function until(what: string, pred: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('video module: alarm cameras on standby', () => {
  let sim: OnvifSimulator;
  let hub: Hub;
  let video: VideoModule;
  let config: LoadedConfig;

  beforeAll(async () => {
    sim = await startOnvifSimulator({
      cameras: [
        { id: 'lobby', name: 'Lobby', width: 320, height: 240, fps: 10 },
        { id: 'yard', name: 'Yard', width: 320, height: 240, fps: 10 },
      ],
    });
    config = testSiteConfig({ floors: 1, pointsPerFloor: 1 });
    config.hub.video = { standbyMax: 1 };
    const ids = ['lobby', 'yard'];
    const conns = ids.map((id, i) => ({ id: `cam-${id}`, protocol: 'onvif', options: onvifFactory.connectionSchema.parse({ host: '127.0.0.1', port: sim.cameras[i].onvifPort, username: 'admin', password: 'watchfloor', pollMs: 1000 }) }));
    const devs = ids.map((id) => ({ id: `camera-${id}`, connection: `cam-${id}`, options: {} }));
    config.connections.push(...conns);
    config.devices.push(...devs.map((d) => ({ ...d, name: { en: d.id, 'zh-CN': d.id }, location: { building: 'a', floor: 'l01', room: 'room-101' }, file: 'cameras.yaml' })));
    // The yard rule is critical: it wins the one standby place though the lobby rule comes first.
    config.sections = new Map([[ALARMS_FILE, alarms([['lobby-open', 'low', 'camera-lobby'], ['yard-gate', 'critical', 'cam-yard']])]]);
    const registry = new CameraRegistry();
    const driver = new OnvifDriver(conns, devs, [], registry);
    video = createVideoModule({ registry, graceMs: 300, standbyRetryMs: 200 });
    hub = await createHub(config, { drivers: [driver], modules: [video], log: silent, listen: { port: 0 } });
  }, 60_000);

  afterAll(async () => {
    await hub?.stop();
    await sim?.stop();
  });

  it('keeps the most urgent alarm camera streaming with no viewer, up to the cap, and follows a rules reload', async () => {
    // The cameras connect after the hub started: standby waits for their stream URI.
    await until('yard on standby and live', () => video.standby().includes('cam-yard') && video.gateway?.status('cam-yard')?.state === 'live');
    expect(video.standby()).toEqual(['cam-yard']);
    expect(video.gateway?.status('cam-yard')?.viewers).toBe(0);
    expect(video.gateway?.status('cam-lobby')).toBeUndefined();
    expect(hub.health.components().video).toMatchObject({ ok: true, standby: ['cam-yard'] });

    // Reload: the yard rule is gone, the lobby rule (named by its device id) now the only one.
    const next = { ...config, sections: new Map([[ALARMS_FILE, alarms([['lobby-open', 'high', 'camera-lobby']])]]) };
    await video.reload!(next, {} as ConfigDiff);
    await until('lobby live', () => video.gateway?.status('cam-lobby')?.state === 'live');
    expect(video.standby()).toEqual(['cam-lobby']);
    await until('yard stopped after the grace period', () => video.gateway?.status('cam-yard')?.state === 'idle');
  }, 60_000);
});
