// The site bench/pipeline.ts runs: 10,000 synthetic analog points on 10 floors with realistic alarm
// rules, plus the derived work of a real building — lighting zones whose circuit and current points
// the synthetic driver feeds, a lamp-fault derived point per zone, water flow meters with a
// night-flow-leak derived point each, bound to the `derived` driver (drivers/derived) and watched by
// state alarm rules as config/alarms.yaml does. Some zones have a failing lamp (dark a few seconds
// in every ten), so lamp faults are raised and cleared, and derived samples produced, in every step.
import type { BoundPoint, ConnectionConfig, Driver, DriverContext, WriteOptions, WriteResult } from '../contracts/driver.js';
import type { PointInfo, PointValue, Sample } from '../contracts/point.js';
import { checkDerivedConfig } from '../drivers/derived/check.js';
import { derivedFactory, type DerivedConnectionOptions, type DerivedSource } from '../drivers/derived/index.js';
import { connectionSchema } from '../drivers/derived/schema.js';
import { compileRules, type CompiledAlarms } from '../hub/alarms/rules.js';
import { alarmsFileSchema } from '../hub/alarms/schema.js';
import type { LoadedConfig } from '../hub/config/types.js';
import type { ControlModule } from '../hub/control/index.js';
import { checkLighting, lightingFileSchema, ZONE_KINDS, type LightingFile, type LightingZone } from '../hub/control/lighting-schema.js';
import { historySettingsSchema } from '../hub/history/settings.js';
import type { PointStoreLike } from '../hub/module.js';
import { floorId, testSiteConfig, type TestSiteOptions } from '../hub/test-support.js';

export const FLOORS = 10;
export const POINTS_PER_FLOOR = 1000;
export const PROBES = 20;
/** About what a real floor has (the demo's lighting.yaml: 64 zones on 6 floors). */
const ZONES_PER_FLOOR = 10;
const WATER_METERS_PER_FLOOR = 1;
/** Every 5th zone has a failing lamp: its current drops below minCurrentA for DARK_MS of every CYCLE_MS. */
const FAILING_EVERY = 5;
const CYCLE_MS = 10_000;
const DARK_MS = 4_000;
/**
 * 1 s instead of the site's 30 s, so a fault is raised and cleared within one measured step: the
 * work per fault (audit, derived sample, alarm, history, live push) is the same.
 */
const FAULT_FOR_SEC = 1;
const HEARTBEAT_MS = 10_000;
const msg = { en: 'Value {value}', 'zh-CN': '数值 {value}' };

/** What a fed point is, which decides the values it is fed. */
export const Role = { Analog: 0, Circuit: 1, Current: 2, Flow: 3 } as const;
export type Role = (typeof Role)[keyof typeof Role];

/** What the synthetic driver publishes: one sample of the n-th fed point, typed by its role. */
export class SyntheticFeed {
  readonly ids: string[] = [];
  private readonly roles: Role[] = [];
  /** For a failing zone's current point: its phase in the dark/lit cycle (ms); -1 for a sound lamp. */
  private readonly phaseMs: number[] = [];

  add(id: string, role: Role, phaseMs = -1): void {
    this.ids.push(id);
    this.roles.push(role);
    this.phaseMs.push(phaseMs);
  }

  get size(): number {
    return this.ids.length;
  }

  /** `n` counts every sample published, so analog values change with every sample as before. */
  sample(i: number, n: number, now: number): Sample {
    const pointId = this.ids[i];
    switch (this.roles[i]) {
      case Role.Analog: return { pointId, value: (n % 99_991) / 10, quality: 'good', readTs: now };
      // Lights are on (the circuit's value does not change); a failing lamp shows in its current.
      case Role.Circuit: return { pointId, value: true, quality: 'good', readTs: now };
      case Role.Current: return { pointId, value: this.dark(i, now) ? (n % 40) / 1000 : 1 + (n % 997) / 1000, quality: 'good', readTs: now };
      case Role.Flow: return { pointId, value: (n % 997) / 100, quality: 'good', readTs: now };
    }
  }

  /** One sample of every point a derived point depends on (circuits, currents, flow meters). */
  derivedInputs(now: number): Sample[] {
    const out: Sample[] = [];
    for (let i = 0; i < this.ids.length; i++) if (this.roles[i] !== Role.Analog) out.push(this.sample(i, i, now));
    return out;
  }

  private dark(i: number, now: number): boolean {
    const phase = this.phaseMs[i];
    return phase >= 0 && (now + phase) % CYCLE_MS < DARK_MS;
  }
}

/** Passes a driver through, counting the samples it hands to the hub's ingest, by signal. */
export class CountingDriver implements Driver {
  readonly protocol: string;
  readonly counts = new Map<string, number>();

  constructor(private readonly inner: Driver, private readonly signalOf: ReadonlyMap<string, string>) {
    this.protocol = inner.protocol;
  }

  start(ctx: DriverContext): Promise<void> {
    return this.inner.start({ ...ctx, publish: (batch) => this.count(batch, ctx) });
  }

  write(pointId: string, value: PointValue, options?: WriteOptions): Promise<WriteResult> {
    return this.inner.write(pointId, value, options);
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }

  total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  private count(batch: Sample[], ctx: DriverContext): void {
    for (const s of batch) {
      const signal = this.signalOf.get(s.pointId) ?? 'other';
      this.counts.set(signal, (this.counts.get(signal) ?? 0) + 1);
    }
    ctx.publish(batch);
  }
}

interface DerivedCounts {
  lampFault: number;
  leak: number;
  raised: number;
  cleared: number;
}

/** The derived path's output: samples by signal as the `derived` driver hands them to ingest, lamp faults raised and cleared. */
export class DerivedTally {
  private raised = 0;
  private cleared = 0;

  constructor(private readonly site: PipelineSite, control: Pick<ControlModule, 'onLampFault'>) {
    control.onLampFault((e) => (e.fault ? this.raised++ : this.cleared++));
  }

  counts(): DerivedCounts {
    const c = this.site.derivedDriver.counts;
    return { lampFault: c.get('lamp-fault') ?? 0, leak: c.get('night-flow-leak') ?? 0, raised: this.raised, cleared: this.cleared };
  }

  /** Resolves once every lamp-fault point holds a current (`good`) verdict in `store`; throws after `timeoutMs`. */
  async untilCurrent(store: Pick<PointStoreLike, 'get'>, timeoutMs: number): Promise<void> {
    const t0 = Date.now();
    const pending = () => this.site.lampFaultIds.filter((id) => store.get(id)?.quality !== 'good');
    while (pending().length > 0) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`bench site: ${pending().length} lamp-fault points still without a current verdict after ${timeoutMs} ms (first: ${pending()[0]})`);
      await new Promise((ok) => setTimeout(ok, 50));
    }
  }

  /** What was produced since `before`, with the lamp-fault points the hub's state holds true now; zero samples is called out. */
  report(before: DerivedCounts, store: Pick<PointStoreLike, 'get'>): string {
    const now = this.counts();
    const lampFault = now.lampFault - before.lampFault;
    const leak = now.leak - before.leak;
    const faulted = this.site.lampFaultIds.filter((id) => store.get(id)?.value === true).length;
    const figures = `lamp-fault ${lampFault} + night-flow-leak ${leak} (lamp faults raised ${now.raised - before.raised}, cleared ${now.cleared - before.cleared}; ${faulted} of ${this.site.lampFaultIds.length} lamp-fault points true in state at the end)`;
    return lampFault + leak === 0 ? `NONE — the derived path was not exercised in this step: ${figures}` : figures;
  }
}

export interface PipelineSite {
  config: LoadedConfig;
  /** The 10,000 synthetic analog points: the limit rules, the probes and the raw ceiling use these. */
  syntheticIds: string[];
  probeIds: string[];
  /** Limit rules on the synthetic points (first) and state rules on the derived points (last). */
  rules: { limit: number; derived: number };
  compiled: CompiledAlarms;
  lighting: LightingFile;
  lampFaultIds: string[];
  leakIds: string[];
  /** The `derived` driver, counting what it publishes. */
  derivedDriver: CountingDriver;
  feed: SyntheticFeed;
  /** One line for the bench's output: what derived work the site holds. */
  summary: string;
}

const name = (en: string) => ({ en, 'zh-CN': en });

function point(info: Omit<PointInfo, 'name' | 'device'>, connection: string, source: unknown = {}): BoundPoint {
  const device = info.id.split('/')[4];
  return { info: { ...info, name: name(info.id), device }, device, connection, source };
}

export function pipelineSite(o: Pick<TestSiteOptions, 'users'>): PipelineSite {
  const config = testSiteConfig({ floors: FLOORS, pointsPerFloor: POINTS_PER_FLOOR, liveWindowMs: 50, intervalMs: 60_000, users: o.users });
  // A local influxd of our own (any free port), the hub's default path when influxd is on PATH, at
  // the default niceness unless BENCH_PIPELINE_INFLUXD_NICE says otherwise (0: the hub's priority).
  const nice = process.env.BENCH_PIPELINE_INFLUXD_NICE === undefined ? undefined : Number(process.env.BENCH_PIPELINE_INFLUXD_NICE);
  config.hub.history = historySettingsSchema.parse({ localInfluxd: { enabled: true, port: 0, binary: 'influxd', ...(nice === undefined ? {} : { nice }) } });
  const syntheticIds = config.points.map((p) => p.info.id);
  const intervalMs = config.points[0].info.intervalMs;
  const feed = new SyntheticFeed();
  const zones: LightingZone[] = [];
  const derived: Array<BoundPoint<DerivedSource>> = [];
  const fed: BoundPoint[] = [];
  const failing = FLOORS * ZONES_PER_FLOOR / FAILING_EVERY;
  for (let f = 0; f < FLOORS; f++) {
    const room = `hq/a/${floorId(f)}/room-${f + 1}01`;
    for (const id of syntheticIds.slice(f * POINTS_PER_FLOOR, (f + 1) * POINTS_PER_FLOOR)) feed.add(id, Role.Analog);
    for (let z = 0; z < ZONES_PER_FLOOR; z++) {
      const circuit = `${room}/lighting/zone-${z}`;
      const current = `${circuit}-current`;
      const k = f * ZONES_PER_FLOOR + z;
      zones.push({ id: `${floorId(f)}-zone-${z}`, floor: `hq/a/${floorId(f)}`, kind: ZONE_KINDS[z % ZONE_KINDS.length], circuit, current });
      fed.push(point({ id: circuit, kind: 'binary', brick: 'On_Off_Command', writable: true, protocol: 'test', intervalMs }, 'test-gw'));
      fed.push(point({ id: current, kind: 'analog', unit: 'A', brick: 'Current_Sensor', writable: false, protocol: 'test', intervalMs }, 'test-gw'));
      feed.add(circuit, Role.Circuit);
      // Failing lamps spread evenly over the cycle, so faults come and go all through a step.
      feed.add(current, Role.Current, k % FAILING_EVERY === 0 ? ((k / FAILING_EVERY) * CYCLE_MS) / failing : -1);
      derived.push(derivedPoint(`${room}/lamp-faults/zone-${z}`, 'Fault_Status', 'lamp-fault', circuit));
    }
    for (let m = 0; m < WATER_METERS_PER_FLOOR; m++) {
      const flow = `${room}/water-meter-${m}/flow`;
      fed.push(point({ id: flow, kind: 'analog', unit: 'm³/h', brick: 'Water_Flow_Sensor', writable: false, protocol: 'test', intervalMs }, 'test-gw'));
      feed.add(flow, Role.Flow);
      derived.push(derivedPoint(`${room}/water-watch-${m}/night-flow-leak`, 'Leak_Alarm', 'night-flow-leak', flow));
    }
  }
  const connection: ConnectionConfig<DerivedConnectionOptions> = { id: 'derived', protocol: 'derived', options: connectionSchema.parse({ heartbeatMs: HEARTBEAT_MS }) };
  config.connections.push(connection);
  config.points.push(...fed, ...derived);
  const infos = new Map(config.points.map((p) => [p.info.id, p.info]));
  const lighting = lightingFileSchema.parse({ sweep: { enabled: false, at: '22:00', kinds: ['office'] }, fault: { minCurrentA: 0.05, forSec: FAULT_FOR_SEC }, zones });
  refuseProblems('lighting', checkLighting(lighting, infos));
  refuseProblems('derived points', checkDerivedConfig([{ index: 0, device: { id: 'derived', connection: 'derived', options: {} }, connection, points: derived.map((p, index) => ({ index, point: p })) }], { points: infos }));

  // Realistic rules: a high limit on every 5th point that normal traffic never trips (evaluated on
  // every change all the same), probe rules the benchmark trips on purpose to time alarm delivery,
  // and a state rule on every derived point (config/alarms.yaml has one per lamp-fault and leak point).
  const probeIds = syntheticIds.filter((_, i) => i % 500 === 7).slice(0, PROBES);
  const limitRules = [
    ...syntheticIds.filter((_, i) => i % 5 === 0).map((id, i) => ({ id: `hi-${i}`, type: 'limit', point: id, priority: 'medium', deadband: 1, limits: { high: { value: 1e6 } }, message: msg })),
    ...probeIds.map((id, i) => ({ id: `probe-${i}`, type: 'limit', point: id, priority: 'critical', limits: { high: { value: 1e7 } }, message: msg })),
  ];
  const derivedRules = derived.map((p, i) => ({ id: `derived-${i}`, type: 'state', point: p.info.id, activeWhen: true, priority: p.source.signal === 'lamp-fault' ? 'low' : 'high', message: msg }));
  const compiled = compileRules(alarmsFileSchema.parse({ rules: [...limitRules, ...derivedRules] }), infos);
  const signalOf = new Map(derived.map((p) => [p.info.id, p.source.signal]));
  const derivedDriver = new CountingDriver(derivedFactory.create([connection], [], derived), signalOf);
  return {
    config, syntheticIds, probeIds, rules: { limit: limitRules.length, derived: derivedRules.length }, compiled, lighting,
    lampFaultIds: derived.filter((p) => p.source.signal === 'lamp-fault').map((p) => p.info.id),
    leakIds: derived.filter((p) => p.source.signal === 'night-flow-leak').map((p) => p.info.id),
    derivedDriver, feed,
    summary: `${zones.length} lamp-fault points (one per lighting zone; every ${FAILING_EVERY}th lamp dark ${DARK_MS / 1000} s in every ${CYCLE_MS / 1000} s, fault after ${FAULT_FOR_SEC} s) + ` +
      `${derived.length - zones.length} night-flow-leak points (water flow meters; a verdict once a day, so their samples are the ${HEARTBEAT_MS / 1000} s heartbeat), ` +
      `each with a state rule (${derivedRules.length}); the feed's ${feed.size} points include the zones' circuit and current points and the meters`,
  };
}

function derivedPoint(id: string, brick: string, signal: 'lamp-fault' | 'night-flow-leak', of: string): BoundPoint<DerivedSource> {
  return point({ id, kind: 'binary', brick, writable: false, protocol: 'derived', intervalMs: HEARTBEAT_MS }, 'derived', { signal, of }) as BoundPoint<DerivedSource>;
}

function refuseProblems(what: string, problems: Array<{ path: (string | number)[]; message: string }>): void {
  if (problems.length > 0) throw new Error(`bench site: ${what}: ${problems.slice(0, 5).map((p) => `${p.path.join('.')}: ${p.message}`).join('; ')}`);
}
