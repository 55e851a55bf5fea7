// The demo's simulated devices, in one list shared by `npm run sim` and `npm start`.
// Add a simulator by adding an entry to SIMULATORS.
// Each simulator loads its code when it starts (dynamic imports), and the OPC UA server, the
// slowest to come up, starts first, in a process of its own (cold start of `npm start`,
// docs/performance.md).
import path from 'node:path';
import type { RealSims } from './control/adapters.js';
import type { EndpointAccess } from './control/engine.js';
import type { SimControl } from './control/server.js';

/** The project's one logger interface (contracts/log.ts), with child loggers. */
export type SimLog = import('../contracts/log.js').ChildLogger;

export interface RunningSimulator {
  /** Endpoint id (= config connection id) → loopback port. */
  ports: Record<string, number>;
  stop(): Promise<void>;
  runScenario?(nameOrPath: string, opts?: { timeScale?: number }): Promise<void>;
  /** Handles for the run-time control channel (simulators/control): scenarios and faults. */
  control?: RealSims;
}

export interface SimulatorEntry {
  name: string;
  /**
   * Needs programs outside npm (the cameras need Debian's ffmpeg and GStreamer RTSP server): when
   * they are missing the demo runs without it and says so, instead of not starting at all.
   */
  optional?: string;
  start(opts: { timeScale: number; log: SimLog; dataDir: string }): Promise<RunningSimulator>;
}

export const SIMULATORS: SimulatorEntry[] = [
  {
    name: 'opcua',
    start: async ({ timeScale, log, dataDir }) => {
      // In a process of its own: loading node-opcua and building the address space hold a thread
      // for ~2 s, which would starve the Modbus devices of this one (simulators/opcua/child.ts).
      const { startOpcuaSimulatorProcess } = await import('./opcua/process.js');
      const sim = await startOpcuaSimulatorProcess({ port: 4840, timeScale, dataDir: path.resolve(dataDir), log: log.child({ sim: 'opcua' }) });
      return {
        ports: { 'opcua-hvac': sim.port },
        stop: () => sim.stop(),
        runScenario: (name: string) => sim.runScenario(name.replace(/^opcua-/, '')),
        control: { opcua: { connectionId: 'opcua-hvac', set: (p, v) => sim.set(p, v), get: (p) => sim.get(p), kill: () => sim.kill(), revive: () => sim.revive() } },
      };
    },
  },
  {
    name: 'modbus',
    start: async ({ timeScale, log }) => {
      const { startModbusSimulator } = await import('./modbus/index.js');
      const sim = await startModbusSimulator({ ports: 'demo', timeScale, log: log.child({ sim: 'modbus' }) });
      return Object.assign(sim, { control: { modbus: sim } });
    },
  },
  {
    name: 'onvif',
    optional: 'apt-get install ffmpeg python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly fonts-dejavu-core',
    start: async () => {
      const { DEMO_OUTDOOR_CAMERAS, startOnvifSimulator } = await import('./onvif/index.js');
      // The outdoor cameras are served on demand: nothing of them runs until someone watches.
      const sim = await startOnvifSimulator({ ports: 'demo', onDemand: DEMO_OUTDOOR_CAMERAS, videoNice: 10 });
      return {
        ports: Object.fromEntries([
          ...(sim.onDemand?.cameras ?? []).map((c) => [c.id, sim.onDemand!.rtspPort]),
          ...sim.cameras.map((c) => [c.id, c.onvifPort]),
        ]),
        stop: () => sim.stop(),
        control: { onvif: sim },
      };
    },
  },
  {
    // PA amplifiers: one RTP receiver per zone endpoint of config/broadcast.yaml.
    name: 'pa',
    start: async ({ dataDir }) => {
      const [{ startPaSimulator }, { readPaZones }] = await Promise.all([import('./pa/index.js'), import('./pa/zones.js')]);
      // The amplifiers are devices: they read their own wiring list, not the hub's parsed config.
      // Their play record survives a restart (<dataDir>/pa/record.jsonl) and the control channel serves it.
      const sim = await startPaSimulator({ zones: readPaZones('config/broadcast.yaml'), recordFile: path.join(dataDir, 'pa', 'record.jsonl') });
      return { ports: sim.ports, stop: () => sim.stop(), control: { pa: sim } };
    },
  },
];

export interface DemoSimulators {
  running: Array<{ name: string; sim: RunningSimulator }>;
  describe(): string;
  stop(): Promise<void>;
  /** Plays a scenario on whichever simulator knows it. */
  runScenario(name: string, opts?: { timeScale?: number }): Promise<void>;
  /** The run-time control channel (scenarios, faults), unless it could not listen. */
  control?: SimControl;
}

/**
 * `history`: the proxy in front of the hub's history database (scripts/history-proxy.ts), for the
 * history-down fault. `onUp(name)`: each simulator as soon as it listens, before the slower ones are
 * up (`npm start` starts that protocol's drivers then).
 */
export async function startDemoSimulators(opts: { log: SimLog; timeScale?: number; dataDir?: string; controlPort?: number | false; history?: EndpointAccess; onUp?: (name: string) => void }): Promise<DemoSimulators> {
  const timeScale = opts.timeScale ?? 1;
  const dataDir = opts.dataDir ?? 'data';
  const running: Array<{ name: string; sim: RunningSimulator }> = [];
  const skipped: string[] = [];
  const stop = async () => {
    for (const { sim } of running.splice(0).reverse()) await sim.stop();
  };
  // Side by side: the cameras wait ~1 s for their RTSP server and ffmpeg processes, time in which
  // the OPC UA server builds its address space (cold start, docs/performance.md).
  const results = await Promise.allSettled(SIMULATORS.map(async (entry) => {
    const sim = await entry.start({ timeScale, log: opts.log, dataDir });
    opts.onUp?.(entry.name);
    return sim;
  }));
  let failure: unknown;
  results.forEach((r, i) => {
    const entry = SIMULATORS[i];
    if (r.status === 'fulfilled') running.push({ name: entry.name, sim: r.value });
    else if (!entry.optional) failure ??= r.reason;
    else {
      const err = r.reason as Error;
      skipped.push(entry.name);
      opts.log.warn({ simulator: entry.name, err: err.message, install: entry.optional }, `${entry.name} simulator not started (its devices will show offline): ${err.message}`);
    }
  });
  if (failure !== undefined) {
    await stop(); // the ones that did start
    throw failure;
  }
  // The control channel (token in <dataDir>/sim-control.token); the hub drives it only when the
  // site enables test runs (config/testruns.yaml). A busy port costs the channel, not the demo.
  let control: SimControl | undefined;
  if (opts.controlPort !== false) {
    const handles = Object.assign({}, ...running.map((r) => r.sim.control ?? {})) as RealSims;
    try {
      const [{ DEMO_CONTROL_PORT, startSimControl }, { realAdapters }] = await Promise.all([import('./control/server.js'), import('./control/adapters.js')]);
      const pa = handles.pa;
      control = await startSimControl(realAdapters(handles), { port: opts.controlPort ?? DEMO_CONTROL_PORT, dataDir, history: opts.history, ...(pa ? { paRecord: (n: number) => pa.record(n) } : {}) });
      running.push({ name: 'control', sim: { ports: { 'sim-control': control.port }, stop: () => control!.stop() } });
    } catch (err) {
      opts.log.warn({ err: (err as Error).message }, `simulator control channel not started: ${(err as Error).message}`);
    }
  }
  return {
    control,
    running,
    describe: () =>
      [
        ...running.map(({ name, sim }) => `${name} (${Object.entries(sim.ports).map(([id, port]) => `${id}:${port}`).join(', ')})`),
        ...skipped.map((name) => `${name} not started (see the warning above)`),
      ].join('; '),
    stop,
    async runScenario(name, o) {
      const errors: string[] = [];
      for (const { name: simName, sim } of running) {
        if (!sim.runScenario) continue;
        try {
          await sim.runScenario(name, o);
          return;
        } catch (err) {
          errors.push(`${simName}: ${(err as Error).message}`);
        }
      }
      throw new Error(`scenario ${name} could not be played:\n  ${errors.join('\n  ')}`);
    },
  };
}
