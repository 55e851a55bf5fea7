// The `derived` driver: forwards what hub subsystems publish in the signal registry as samples,
// so derived points go through ingest → state → history → alarms like device samples.
// "The device" of a derived point is its producer: while none is registered the points are
// comm_fail ("producer gone"); when it (re-)registers they recover with its current values.
import { DriverWriteError, type BoundPoint, type ConnectionConfig, type DeviceConfig, type Driver, type DriverContext, type WriteResult } from '../../contracts/driver.js';
import type { PointValue, Sample } from '../../contracts/point.js';
import type { DerivedConnectionOptions, DerivedDeviceOptions, DerivedSource } from './schema.js';
import { DerivedSignalRegistry, type SignalEvent } from './signals.js';

type Point = BoundPoint<DerivedSource>;

const key = (signal: string, of: string) => `${signal}\u0000${of}`;

/** The sample of one derived point given the registry's state (pure apart from the lookups). */
export function sampleOf(point: Point, registry: DerivedSignalRegistry, now: number): Sample {
  const { signal, of } = point.source;
  const producer = registry.producer(signal);
  if (!producer) return { pointId: point.info.id, value: null, quality: 'comm_fail', detail: `producer gone: nothing publishes "${signal}"`, readTs: now };
  const r = registry.reading(signal, of);
  if (!r) return { pointId: point.info.id, value: null, quality: 'uncertain', detail: `${producer.name} has not published "${signal}" of ${of} yet`, readTs: now };
  const s: Sample = { pointId: point.info.id, value: r.value, quality: r.quality, sourceTs: r.ts, readTs: now };
  if (r.detail !== undefined) s.detail = r.detail;
  return s;
}

export class DerivedDriver implements Driver {
  readonly protocol = 'derived';
  private readonly byKey = new Map<string, Point[]>();
  private readonly byId = new Map<string, Point>();
  private readonly byConnection = new Map<string, Point[]>();
  private ctx: DriverContext | null = null;
  private off: (() => void) | null = null;
  private timers: NodeJS.Timeout[] = [];
  private readonly down = new Map<string, string>(); // connection → detail while offline
  private registry: DerivedSignalRegistry;
  private readonly injected: boolean;

  constructor(
    private readonly connections: ConnectionConfig<DerivedConnectionOptions>[],
    _devices: DeviceConfig<DerivedDeviceOptions>[],
    points: Point[],
    /** The registry to read (tests); default: the hub's, handed over in the context as `services.derivedSignals`. */
    registry?: DerivedSignalRegistry,
  ) {
    this.injected = registry !== undefined;
    this.registry = registry ?? new DerivedSignalRegistry();
    for (const p of points) {
      const k = key(p.source.signal, p.source.of);
      this.byKey.set(k, [...(this.byKey.get(k) ?? []), p]);
      this.byId.set(p.info.id, p);
      this.byConnection.set(p.connection, [...(this.byConnection.get(p.connection) ?? []), p]);
    }
  }

  async start(ctx: DriverContext): Promise<void> {
    if (this.ctx) throw new Error('derived driver already started');
    const shared = ctx.services?.derivedSignals;
    if (!this.injected) {
      // Producers publish into the hub's registry: without it this driver would wait for nobody.
      if (!(shared instanceof DerivedSignalRegistry)) throw new Error('derived driver: the driver context has no derivedSignals registry (services.derivedSignals)');
      this.registry = shared;
    }
    this.ctx = ctx;
    this.off = this.registry.subscribe(this.onSignal);
    for (const c of this.connections) {
      this.publishAll(c.id);
      const t = setInterval(() => this.publishAll(c.id), c.options.heartbeatMs);
      t.unref();
      this.timers.push(t);
    }
  }

  async write(pointId: string, value: PointValue): Promise<WriteResult> {
    const p = this.byId.get(pointId);
    if (!p) throw new DriverWriteError('unknown_point', `no derived point "${pointId}"`);
    if (!p.info.writable) throw new DriverWriteError('not_writable', `${pointId} is not writable`);
    const want = { analog: 'number', binary: 'boolean', multistate: 'number', string: 'string' }[p.info.kind];
    if (typeof value !== want) throw new DriverWriteError('invalid_value', `${pointId} is ${p.info.kind}: expected a ${want}, got ${JSON.stringify(value)}`);
    const { signal, of } = p.source;
    const producer = this.registry.producer(signal);
    if (!producer) throw new DriverWriteError('offline', `producer gone: nothing publishes "${signal}"`);
    if (!producer.writable) throw new DriverWriteError('not_writable', `the producer of "${signal}" (${producer.name}) takes no writes`);
    try {
      await this.registry.write(signal, of, value);
    } catch (err) {
      throw new DriverWriteError('device_error', `${producer.name} refused the write: ${err instanceof Error ? err.message : String(err)}`);
    }
    const sample = sampleOf(p, this.registry, Date.now());
    // The producer's publish already pushed the new value; publishing the read-back again is harmless.
    this.ctx?.publish([sample]);
    return { confirmed: sample.quality === 'good' && sample.value === value, readBack: sample.value, ...(sample.detail ? { detail: sample.detail } : {}) };
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.off?.();
    this.off = null;
    const ctx = this.ctx;
    this.ctx = null;
    for (const c of this.connections) ctx?.status({ connection: c.id, protocol: this.protocol, state: 'stopped', since: Date.now() });
  }

  private readonly onSignal = (e: SignalEvent): void => {
    if (!this.ctx) return;
    if (e.type === 'value') {
      const points = this.byKey.get(key(e.signal, e.of));
      if (points) this.ctx.publish(points.map((p) => sampleOf(p, this.registry, Date.now())));
      return;
    }
    // A producer came or went: every point of that signal changes at once.
    const touched = new Set<string>();
    for (const points of this.byConnection.values()) for (const p of points) if (p.source.signal === e.signal) touched.add(p.connection);
    for (const c of touched) this.publishAll(c);
  };

  /** Publishes every point of a connection and reports the connection's status on change. */
  private publishAll(connection: string): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const points = this.byConnection.get(connection) ?? [];
    const now = Date.now();
    if (points.length > 0) ctx.publish(points.map((p) => sampleOf(p, this.registry, now)));
    const missing = [...new Set(points.map((p) => p.source.signal))].filter((s) => !this.registry.producer(s));
    const detail = missing.length > 0 ? `producer gone: nothing publishes ${missing.map((s) => `"${s}"`).join(', ')}` : '';
    if (this.down.get(connection) === detail) return;
    this.down.set(connection, detail);
    ctx.status({ connection, protocol: this.protocol, state: detail ? 'offline' : 'online', ...(detail ? { detail } : {}), since: now });
  }
}
