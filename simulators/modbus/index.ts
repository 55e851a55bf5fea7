// The Modbus TCP device simulator: one real Modbus TCP server per floor gateway on loopback,
// with many units (meters, lighting panels, sensors) behind each. Tests and the demo use it.
import { type Scenario, type ScenarioTarget, loadScenario, playScenario } from '../scenarios/scenario.js';
import { type SimLogger, SimGateway } from './gateway.js';
import { DEMO_SPEC_FILE, type SimSpec, loadSimSpec, parseSimSpec } from './spec.js';
import type { FieldValue } from './unit.js';

export type { SimSpec } from './spec.js';
export type { SimLogger } from './gateway.js';
export { loadSimSpec, parseSimSpec, DEMO_SPEC_FILE } from './spec.js';

export interface ModbusSimOptions {
  /** What to serve. Default: simulators/modbus/demo.yaml. */
  spec?: SimSpec;
  /** 'demo' = the ports in the spec (15021..); 'ephemeral' = any free port (tests). Default 'demo'. */
  ports?: 'demo' | 'ephemeral';
  host?: string;
  /** Simulated time runs this much faster: energy counters, drifts, random events, scenarios. Default 1. */
  timeScale?: number;
  /** Wall clock for the time of day (office hours). Default Date.now. */
  now?: () => number;
  log?: SimLogger;
  /** How often behaviour advances, real ms. Default 1000. */
  tickMs?: number;
}

export interface ModbusSimulator {
  /** Gateway id (= config connection id) → TCP port. */
  ports: Record<string, number>;
  gateway(id: string): { stop(): Promise<void>; start(): Promise<void> };
  /** Set a device value by its semantic field name; it sticks until release(). */
  set(gatewayId: string, unitId: number, field: string, value: number | boolean): void;
  get(gatewayId: string, unitId: number, field: string): number | boolean;
  /** Hand a field (or all fields of the unit) back to the model's own behaviour. */
  release(gatewayId: string, unitId: number, field?: string): void;
  runScenario(nameOrPath: string, opts?: { timeScale?: number }): Promise<void>;
  stop(): Promise<void>;
}

const silent: SimLogger = { info() {}, warn() {}, error() {}, debug() {} };

export async function startModbusSimulator(opts: ModbusSimOptions = {}): Promise<ModbusSimulator> {
  const spec = opts.spec ? parseSimSpec(opts.spec) : loadSimSpec(DEMO_SPEC_FILE);
  const host = opts.host ?? '127.0.0.1';
  const timeScale = opts.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`);
  const now = opts.now ?? Date.now;
  const log = opts.log ?? silent;
  const gateways = new Map<string, SimGateway>();

  for (const g of spec.gateways) gateways.set(g.id, new SimGateway(g, now, log));
  try {
    for (const g of spec.gateways) {
      const port = opts.ports === 'ephemeral' ? 0 : g.port;
      await gateways.get(g.id)!.start(host, port).catch((err: NodeJS.ErrnoException) => {
        throw new Error(`modbus simulator: cannot listen on ${host}:${port} for ${g.id}: ${err.code === 'EADDRINUSE' ? 'port in use (is another simulator running?)' : err.message}`);
      });
    }
  } catch (err) {
    await Promise.all([...gateways.values()].map((g) => g.stop()));
    throw err;
  }

  // Behaviour advances on real elapsed time × timeScale; the time of day comes from now().
  let last = performance.now();
  const ticker = setInterval(() => {
    const t = performance.now();
    const dtS = ((t - last) / 1000) * timeScale;
    last = t;
    for (const g of gateways.values()) g.step(dtS);
  }, opts.tickMs ?? 1000);
  ticker.unref();

  const gw = (id: string): SimGateway => {
    const g = gateways.get(id);
    if (!g) throw new Error(`no modbus sim gateway "${id}"; there are: ${[...gateways.keys()].join(', ')}`);
    return g;
  };

  const target: ScenarioTarget = {
    check(gatewayId, unitId, field, value) {
      const unit = gw(gatewayId).unit(unitId);
      const current = unit.get(field);
      if (value !== undefined && typeof value !== typeof current) {
        throw new Error(`${gatewayId} unit ${unitId} field "${field}" takes a ${typeof current}, got ${JSON.stringify(value)}`);
      }
    },
    set: (gatewayId, unitId, field, value) => sim.set(gatewayId, unitId, field, value),
    release: (gatewayId, unitId, field) => sim.release(gatewayId, unitId, field),
  };
  const running = new Set<AbortController>();

  const sim: ModbusSimulator = {
    ports: Object.fromEntries([...gateways.values()].map((g) => [g.id, g.port])),
    gateway(id) {
      const g = gw(id);
      return {
        stop: () => g.stop(),
        start: () => g.start(host, g.port),
      };
    },
    set(gatewayId, unitId, field, value) {
      const g = gw(gatewayId);
      g.unit(unitId).set(field, value as FieldValue);
      g.step(0);
    },
    get: (gatewayId, unitId, field) => gw(gatewayId).unit(unitId).get(field),
    release(gatewayId, unitId, field) {
      const g = gw(gatewayId);
      g.unit(unitId).release(field);
      g.step(0);
    },
    async runScenario(nameOrPath, runOpts = {}) {
      const scenario: Scenario = loadScenario(nameOrPath);
      const ctl = new AbortController();
      running.add(ctl);
      try {
        await playScenario(scenario, target, {
          timeScale: runOpts.timeScale ?? timeScale,
          signal: ctl.signal,
          onStep: (st) => log.info({ scenario: scenario.name, at: st.at / 1000, gateway: st.gateway, unit: st.unit, set: st.set, release: st.release }, st.note ?? 'scenario step'),
        });
      } finally {
        running.delete(ctl);
      }
    },
    async stop() {
      clearInterval(ticker);
      for (const ctl of running) ctl.abort();
      await Promise.all([...gateways.values()].map((g) => g.stop()));
    },
  };
  return sim;
}
