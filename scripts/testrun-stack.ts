// The demo as a test-run target, on free ports so it never clashes with a running `npm start`:
// the Modbus, OPC UA and PA simulators (cameras optional: they need ffmpeg and GStreamer), their
// control channel, and a full hub (every default module) with test runs enabled and an embedded
// history store in a temporary data folder. Used by `npm run testrun` without --hub and by the
// CI test of the shipped suite.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../hub/config/load.js';
import type { LoadedConfig } from '../hub/config/types.js';
import { createDrivers } from '../hub/drivers.js';
import { createLogger } from '../hub/log.js';
import { defaultModules } from '../hub/modules.js';
import { createHub } from '../hub/server.js';
import { testrunsFileSchema, TESTRUNS_SECTION } from '../hub/testruns/schema.js';
import { realAdapters, type RealSims } from '../simulators/control/adapters.js';
import { startSimControl, type SimControl } from '../simulators/control/server.js';
import { startProxiedHistory, type ProxiedHistory } from './history-proxy.js';
import { startModbusSimulator } from '../simulators/modbus/index.js';
import { DEMO_CAMERAS, startOnvifSimulator } from '../simulators/onvif/index.js';
import { startOpcuaSimulator } from '../simulators/opcua/server.js';
import { startPaSimulator } from '../simulators/pa/index.js';

export const REPO = fileURLToPath(new URL('..', import.meta.url));

export interface TestStack {
  url: string;
  config: LoadedConfig;
  control: SimControl;
  dataDir: string;
  /** The influxd behind its proxy, when started with `history: 'influxdb'`. */
  history: ProxiedHistory | null;
  hub: Awaited<ReturnType<typeof createHub>>;
  stop(): Promise<void>;
}

/** `history: 'influxdb'`: a private influxd behind the history proxy (the history-down fault works); default embedded. */
export async function startTestStack(opts: { cameras?: boolean; timeScale?: number; logLevel?: string; history?: 'embedded' | 'influxdb' } = {}): Promise<TestStack> {
  const log = createLogger({ name: 'testrun', level: opts.logLevel ?? process.env.LOG_LEVEL ?? 'error' });
  const cleanups: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch((err) => console.error('test stack cleanup:', err));
  };
  try {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-testrun-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const config = loadConfig(path.join(REPO, 'config'));
    config.hub.dataDir = dataDir;
    let history: ProxiedHistory | null = null;
    if (opts.history === 'influxdb') {
      history = await startProxiedHistory({ ...config.hub.history, backend: 'auto', url: undefined, localInfluxd: { ...config.hub.history.localInfluxd, enabled: true, port: 0 } }, dataDir);
      if (!history) throw new Error('the test stack\'s influxdb history needs influxd on PATH (Debian package influxdb)');
      const h = history;
      cleanups.push(() => h.stop());
      config.hub.history = history.settings;
    } else {
      config.hub.history = { ...config.hub.history, backend: 'embedded' };
    }
    const timeScale = opts.timeScale ?? 1;

    // The devices' clock runs at timeScale too, so office days, nights and weekends pass (soak).
    const t0 = Date.now();
    const now = timeScale === 1 ? Date.now : () => t0 + (Date.now() - t0) * timeScale;
    const modbus = await startModbusSimulator({ ports: 'ephemeral', timeScale, now });
    cleanups.push(() => modbus.stop());
    const opcua = await startOpcuaSimulator({ port: 0, dataDir, timeScale });
    cleanups.push(() => opcua.stop());
    const handles: RealSims = { modbus, opcua: { connectionId: 'opcua-hvac', set: (p, v) => opcua.set(p, v), get: (p) => opcua.get(p), kill: () => opcua.kill(), revive: () => opcua.revive() } };
    for (const c of config.connections) {
      if (c.protocol === 'modbus') (c.options as { port: number }).port = modbus.ports[c.id];
      if (c.protocol === 'opcua') (c.options as { endpointUrl: string }).endpointUrl = opcua.endpointUrl;
    }
    if (opts.cameras) {
      const ids = config.connections.filter((c) => c.protocol === 'onvif').map((c) => c.id);
      const cams = await startOnvifSimulator({ ports: 'ephemeral', cameras: ids.map((id) => ({ id, name: DEMO_CAMERAS.find((d) => d.id === id)?.name ?? id, width: 320, height: 240, fps: 5 })) });
      cleanups.push(() => cams.stop());
      handles.onvif = cams;
      for (const c of config.connections) {
        if (c.protocol !== 'onvif') continue;
        Object.assign(c.options as object, { host: '127.0.0.1', port: cams.cameras.find((x) => x.id === c.id)!.onvifPort });
      }
    } else {
      // Unreachable on purpose: the cameras show offline instead of finding a running demo's.
      for (const c of config.connections) if (c.protocol === 'onvif') Object.assign(c.options as object, { host: '127.0.0.1', port: 9 });
    }
    const broadcast = config.sections?.get('broadcast.yaml') as { zones: Array<{ id: string; endpoint?: { host: string; port: number } }> } | undefined;
    if (broadcast) {
      const pa = await startPaSimulator({ zones: broadcast.zones.map((z) => ({ id: z.id })), recordFile: path.join(dataDir, 'pa', 'record.jsonl') });
      cleanups.push(() => pa.stop());
      handles.pa = pa;
      for (const z of broadcast.zones) z.endpoint = { host: '127.0.0.1', port: pa.ports[z.id] };
    }
    const pa = handles.pa;
    const control = await startSimControl(realAdapters(handles), { port: 0, dataDir, history: history?.proxy, ...(pa ? { paRecord: (n: number) => pa.record(n) } : {}) });
    cleanups.push(() => control.stop());
    const sections = new Map(config.sections ?? []);
    const current = (sections.get(TESTRUNS_SECTION.file) as object | undefined) ?? {};
    sections.set(TESTRUNS_SECTION.file, testrunsFileSchema.parse({ ...current, enabled: true, control: { url: control.url, tokenFile: path.join(dataDir, 'sim-control.token') } }));
    config.sections = sections;

    const hub = await createHub(config, { drivers: createDrivers(config), modules: defaultModules(config, log), listen: { host: '127.0.0.1', port: 0 }, log });
    cleanups.push(() => hub.stop());
    return { url: hub.url, config, control, dataDir, hub, history, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
