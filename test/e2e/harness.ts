// Starts the whole demo stack on loopback for end-to-end tests: the built console, the
// Modbus simulator on ephemeral ports, the demo config pointed at it, the drivers and the hub.
// Also launches the system Chromium; a missing browser is an error, never a skip.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../hub/config/load.js';
import type { LoadedConfig } from '../../hub/config/types.js';
import { createDrivers } from '../../hub/drivers.js';
import { createLogger } from '../../hub/log.js';
import type { HubModule } from '../../hub/module.js';
import { createHub } from '../../hub/server.js';
import { startModbusSimulator } from '../../simulators/modbus/index.js';
import { startOpcuaSimulator } from '../../simulators/opcua/server.js';
import { DEMO_CAMERAS, DEMO_OUTDOOR_CAMERAS, startOnvifSimulator, type OnvifSimulator } from '../../simulators/onvif/index.js';
import { createVideoModule, type VideoModule } from '../../hub/video/module.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONSOLE_DIR = path.join(REPO_ROOT, 'console');
const BUILT_INDEX = path.join(REPO_ROOT, 'dist', 'console', 'index.html');
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts');

type Simulator = Awaited<ReturnType<typeof startModbusSimulator>>;
type Hub = Awaited<ReturnType<typeof createHub>>;

export interface DemoStack {
  /** Base URL of the hub, e.g. http://127.0.0.1:43121 */
  url: string;
  sim: Simulator;
  /** The OPC UA HVAC simulator, when started with `hvac: true`. */
  hvac?: Awaited<ReturnType<typeof startOpcuaSimulator>>;
  /** The ONVIF camera simulator, when started with `cameras: true`. */
  cameras?: OnvifSimulator;
  /** The video module of the running hub, when started with `cameras: true`. */
  video?: VideoModule;
  hub: Hub;
  /** The config as the hub got it (ports rewritten to the simulator's). */
  config: LoadedConfig;
  /** Stops the hub (drivers and modules too) without starting it again. */
  stopHub(): Promise<void>;
  /**
   * Starts a new hub (new drivers, new modules, same config, data folder and port), as after a
   * process restart: sessions are gone, history and journals on disk remain. Stops the old one first.
   */
  restartHub(): Promise<Hub>;
  stop(): Promise<void>;
}

export interface DemoStackOptions {
  /** Config folder, relative to the repository root. Default `config`. */
  configDir?: string;
  /** Hub log level; default env LOG_LEVEL, else `warn` so a failing run still says why. */
  logLevel?: string;
  /** Also start the OPC UA HVAC simulator (on a free port) and keep the HVAC points. Default false. */
  hvac?: boolean;
  /**
   * Hub modules to start (e.g. `createAlarmsModule()`); default none. Modules that read config
   * sections (alarm rules) see only the points kept here: pass `hvac: true` when they need them.
   */
  modules?: HubModule[] | ((config: LoadedConfig) => HubModule[]);
  /**
   * Also start the ONVIF camera simulator (ephemeral ports, 320×240 video to spare the CPUs; the
   * site map's outdoor cameras on demand, as in the demo), keep the onvif and rtsp connections
   * pointed at it, and run the video module (cameras REST, /video WebSocket). Default false.
   */
  cameras?: boolean;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the console when dist/console is missing or older than its sources or the Vite config. */
export async function ensureConsoleBuilt(): Promise<void> {
  // The console bundles the shared contracts too, so a contract change also rebuilds it.
  const sources = Math.max(
    newestMtime(CONSOLE_DIR),
    newestMtime(path.join(REPO_ROOT, 'contracts')),
    fs.statSync(path.join(REPO_ROOT, 'vite.config.ts')).mtimeMs,
  );
  if (fs.existsSync(BUILT_INDEX) && fs.statSync(BUILT_INDEX).mtimeMs >= sources) return;
  await build({ configFile: path.join(REPO_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  if (!fs.existsSync(BUILT_INDEX)) throw new Error(`vite build finished but ${BUILT_INDEX} is missing`);
}

export async function startDemoStack(opts: DemoStackOptions = {}): Promise<DemoStack> {
  await ensureConsoleBuilt();
  const cleanups: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    // Reverse order: hub (and its drivers) before the simulator, then the temp dir.
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        console.error('demo stack cleanup failed:', err);
      }
    }
    cleanups.length = 0;
  };
  try {
    const sim = await startModbusSimulator({ ports: 'ephemeral' });
    cleanups.push(() => sim.stop());

    const config = await loadConfig(path.join(REPO_ROOT, opts.configDir ?? 'config'));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchfloor-e2e-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    config.hub.dataDir = dataDir;
    // Only connections backed by a simulator of this stack: never the fixed demo ports, where a
    // running `npm start` would answer instead.
    // `derived` is in-process (points computed by hub modules): no simulator, nothing to rewrite.
    const protocols = new Set(['modbus', 'derived', ...(opts.hvac ? ['opcua'] : []), ...(opts.cameras ? ['onvif', 'rtsp'] : [])]);
    // The site map's outdoor cameras (config/sitemap.geojson) name their connections: without the
    // camera simulator these stay in the config, so the map validates, but get no driver.
    const outdoor = DEMO_OUTDOOR_CAMERAS.filter((o) => config.connections.some((c) => c.id === o.id));
    const mapOnly = new Set(opts.cameras ? [] : outdoor.map((o) => o.id));
    let cameras: OnvifSimulator | undefined;
    if (opts.cameras) {
      const ids = config.connections.filter((c) => c.protocol === 'onvif' && !outdoor.some((o) => o.id === c.id)).map((c) => c.id);
      cameras = await startOnvifSimulator({
        ports: 'ephemeral',
        cameras: ids.map((id) => ({ id, name: DEMO_CAMERAS.find((d) => d.id === id)?.name ?? id, width: 320, height: 240, fps: 10 })),
        onDemand: outdoor,
      });
      cleanups.push(() => cameras!.stop());
      for (const c of config.connections) {
        if (c.protocol === 'rtsp' && outdoor.some((o) => o.id === c.id)) (c.options as { url: string }).url = cameras.onDemand!.cameras.find((x) => x.id === c.id)!.rtspUrl;
        if (c.protocol !== 'onvif') continue;
        const sim = cameras.cameras.find((x) => x.id === c.id)!;
        Object.assign(c.options as { host: string; port: number }, { host: '127.0.0.1', port: sim.onvifPort });
      }
    }
    let hvac: DemoStack['hvac'];
    if (opts.hvac) {
      hvac = await startOpcuaSimulator({ port: 0, dataDir });
      cleanups.push(() => hvac!.stop());
      for (const c of config.connections) if (c.protocol === 'opcua') (c.options as { endpointUrl: string }).endpointUrl = hvac.endpointUrl;
    }
    const kept = new Set(config.connections.filter((c) => protocols.has(c.protocol)).map((c) => c.id));
    config.connections = config.connections.filter((c) => kept.has(c.id) || mapOnly.has(c.id));
    config.devices = config.devices.filter((d) => kept.has(d.connection));
    config.points = config.points.filter((p) => kept.has(p.connection));
    for (const connection of config.connections) {
      if (connection.protocol !== 'modbus') continue;
      const port = sim.ports[connection.id];
      if (port === undefined) throw new Error(`simulator has no gateway for connection ${connection.id} (has: ${Object.keys(sim.ports).join(', ')})`);
      (connection.options as { port: number }).port = port;
    }
    const log = createLogger({ level: opts.logLevel ?? process.env.LOG_LEVEL ?? 'warn', name: 'e2e-hub' });
    // A factory gives every (re)start fresh module instances; an array is started again as it is.
    let video: VideoModule | undefined;
    const modulesFor = () => {
      const mods = typeof opts.modules === 'function' ? opts.modules(config) : opts.modules ?? [];
      if (!opts.cameras) return mods;
      video = createVideoModule({ graceMs: 2000 });
      return [...mods, video];
    };
    const driven = () => ({ ...config, connections: config.connections.filter((c) => !mapOnly.has(c.id)) });
    const startHub = (port: number) => createHub(config, { drivers: createDrivers(driven()), modules: modulesFor(), listen: { host: '127.0.0.1', port }, log });
    let hub: Hub | null = await startHub(0);
    const port = hub.port;
    const stopHub = async () => {
      const running = hub;
      hub = null;
      await running?.stop();
    };
    cleanups.push(stopHub);
    const stack: DemoStack = {
      url: hub.url,
      sim,
      hvac,
      cameras,
      video,
      hub,
      config,
      stopHub,
      async restartHub() {
        await stopHub();
        hub = await startHub(port);
        stack.hub = hub;
        stack.video = video;
        return hub;
      },
      stop,
    };
    return stack;
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface ChromiumOptions {
  /** Software WebGL (SwiftShader through ANGLE) for the 3D views; headless Chromium has no GPU. */
  webgl?: boolean;
}

/** The system Chromium, headless. Throws (never skips) when it is not installed. */
export async function launchChromium(opts: ChromiumOptions = {}): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is required for the end-to-end tests but ${CHROMIUM_PATH} does not exist (apt-get install chromium)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...(opts.webgl ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'] : []),
    ],
  });
}

export function artifactPath(name: string): string {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return path.join(ARTIFACTS_DIR, name);
}

/** Runs `f` on a fresh page of its own browser context (locale, viewport), closed afterwards. */
export async function withPage<T>(browser: Browser, locale: string, viewport: { width: number; height: number }, f: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ locale, viewport });
  try {
    return await f(await context.newPage());
  } finally {
    await context.close();
  }
}

export interface StackAndBrowser<S> {
  /** The suite's stack; started in its beforeAll. */
  readonly stack: S;
  /** The suite's Chromium; launched in its beforeAll. */
  readonly browser: Browser;
  /** `withPage` on the suite's browser. */
  withPage<T>(locale: string, viewport: { width: number; height: number }, f: (page: Page) => Promise<T>): Promise<T>;
}

/**
 * One stack and one Chromium for a whole test file: registers its beforeAll (start, launch, then
 * `setup`, e.g. raise the alarms every test looks at) and its afterAll (browser, then stack).
 */
export function useStackAndBrowser<S extends { stop(): Promise<void> }>(
  start: () => Promise<S>,
  opts: ChromiumOptions & { setup?: (stack: S) => void | Promise<void> } = {},
): StackAndBrowser<S> {
  let stack: S | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    stack = await start();
    browser = await launchChromium({ webgl: opts.webgl });
    await opts.setup?.(stack);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);
  const started = <T>(x: T | undefined, what: string): T => {
    if (x === undefined) throw new Error(`the ${what} is not started: use it inside a test, after beforeAll`);
    return x;
  };
  return {
    get stack() {
      return started(stack, 'stack');
    },
    get browser() {
      return started(browser, 'browser');
    },
    withPage: (locale, viewport, f) => withPage(started(browser, 'browser'), locale, viewport, f),
  };
}
