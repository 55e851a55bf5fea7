// The running drivers, as units that each serve a set of connections, so a live reload can stop
// and start some connections while the others keep polling. At start-up there is one unit per
// protocol (the registry builds one driver per protocol). The first time a connection of such a
// unit changes, the unit is split: it stops, and every connection it served restarts as its own
// unit — from then on every change stays with its own connection. Added connections always start
// as units of their own.
import type { BoundPoint, ConnectionConfig, DeviceConfig, Driver, DriverContext, DriverFactory, WriteOptions, WriteResult } from '../../contracts/driver.js';
import type { PointValue } from '../../contracts/point.js';
import { DomainError } from '../errors.js';
import type { HubLogger } from '../ports.js';

export interface UnitsConfig {
  connections: readonly ConnectionConfig[];
  devices: readonly DeviceConfig[];
  points: readonly BoundPoint[];
}

export interface DriverUnit {
  protocol: string;
  connections: ReadonlySet<string>;
  driver: Driver;
}

export interface DriverUnitsOptions {
  lookup(protocol: string): DriverFactory | undefined;
  contextFor(protocol: string): DriverContext;
  log: HubLogger;
}

/** Thrown by write() for a point whose driver is not running (a domain error: the HTTP layer answers 503). */
export class NoDriverError extends DomainError {
  constructor(message: string) {
    super('unavailable', 'no_driver', message);
    this.name = 'NoDriverError';
  }
}

/** The slice of a config one set of connections needs, in config order. */
export function sliceFor(config: UnitsConfig, connectionIds: ReadonlySet<string>): { connections: ConnectionConfig[]; devices: DeviceConfig[]; points: BoundPoint[] } {
  return {
    connections: config.connections.filter((c) => connectionIds.has(c.id)),
    devices: config.devices.filter((d) => connectionIds.has(d.connection)),
    points: config.points.filter((p) => connectionIds.has(p.connection)),
  };
}

export class DriverUnits {
  private units: DriverUnit[] = [];
  private readonly unitOfConnection = new Map<string, DriverUnit>();
  private readonly connectionOfPoint = new Map<string, string>();

  /** `initial`: the drivers createHub was given, one per protocol, serving every connection of it. */
  constructor(initial: readonly Driver[], config: UnitsConfig, private readonly o: DriverUnitsOptions) {
    for (const d of initial) {
      this.add({ protocol: d.protocol, driver: d, connections: new Set(config.connections.filter((c) => c.protocol === d.protocol).map((c) => c.id)) });
    }
    this.indexPoints(config);
  }

  all(): readonly DriverUnit[] {
    return this.units;
  }

  /**
   * Starts every unit; a driver that fails to start is logged and left (it retries itself, or shows
   * offline). `after(protocol)`: each unit starts once its own gate settles (scripts/start.ts: when
   * that protocol's simulated devices listen), not once every gate has.
   */
  async startAll(after?: (protocol: string) => Promise<unknown>): Promise<void> {
    // Side by side: a driver that loads its protocol library first (OPC UA, ~1 s) or whose devices
    // come up last does not hold back the first polls of the others (cold start, docs/performance.md).
    await Promise.all(this.units.map(async (u) => {
      await after?.(u.protocol).catch(() => undefined);
      await this.start(u);
    }));
  }

  /** Lets every driver do its local start-up work now (Driver.prepare), while the start waits; failures only logged. */
  prepareAll(): void {
    for (const u of this.units) {
      u.driver.prepare?.(this.o.contextFor(u.protocol)).catch((err: unknown) => this.o.log.warn({ err, protocol: u.protocol }, 'driver preparation failed; its start does it again'));
    }
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled(this.units.map((u) => this.stop(u)));
  }

  /** Writes through the unit that serves the point's connection. */
  async write(pointId: string, value: PointValue, options?: WriteOptions): Promise<WriteResult> {
    const conn = this.connectionOfPoint.get(pointId);
    const unit = conn === undefined ? undefined : this.unitOfConnection.get(conn);
    if (!unit) throw new NoDriverError(`no driver is running for point ${pointId}`);
    return options ? unit.driver.write(pointId, value, options) : unit.driver.write(pointId, value);
  }

  /** Whether the serving driver passes the hub's priority levels to the device (Driver.nativePriority). */
  nativePriority(pointId: string): boolean {
    const conn = this.connectionOfPoint.get(pointId);
    const unit = conn === undefined ? undefined : this.unitOfConnection.get(conn);
    return unit?.driver.nativePriority?.(pointId) ?? false;
  }

  /**
   * A Driver that routes writes to whichever unit serves the point now, for the command path,
   * which knows drivers by protocol. start/stop do nothing: the units own the lifecycle.
   */
  facade(protocol: string): Driver {
    return {
      protocol, start: async () => {}, stop: async () => {}, write: (id, v, o) => this.write(id, v, o), checkWrite: (id, v) => this.checkWrite(id, v),
      nativePriority: (id) => this.nativePriority(id),
    };
  }

  /** Acknowledges an external alarm condition through the driver serving its connection (OPC UA A&C). */
  async acknowledgeCondition(connection: string, conditionId: string, comment: string, user: string): Promise<void> {
    const unit = this.unitOfConnection.get(connection);
    if (!unit) throw new NoDriverError(`no driver is running for connection ${connection}`);
    if (!unit.driver.acknowledgeCondition) throw new NoDriverError(`the ${unit.protocol} driver of connection ${connection} takes no acknowledgements`);
    await unit.driver.acknowledgeCondition(conditionId, comment, user);
  }

  /** The serving driver's wire-type check (no I/O; the command pipeline's validate stage); null when it has none. */
  checkWrite(pointId: string, value: PointValue): string | null {
    const conn = this.connectionOfPoint.get(pointId);
    const unit = conn === undefined ? undefined : this.unitOfConnection.get(conn);
    return unit?.driver.checkWrite?.(pointId, value) ?? null;
  }

  /**
   * Brings the running drivers in line with `next`: `restart` lists connections whose driver
   * must be rebuilt (changed), `remove` those that are gone; connections of `next` that no unit
   * serves are started. Returns what was stopped and started, by connection id.
   * Order: stop first (nothing is published for removed points afterwards), then `between`
   * (the caller updates the point store), then start.
   */
  async apply(next: UnitsConfig, restart: ReadonlySet<string>, remove: ReadonlySet<string>, between: () => void = () => {}): Promise<{ stopped: string[]; started: string[] }> {
    const affected = this.units.filter((u) => [...u.connections].some((c) => restart.has(c) || remove.has(c)));
    const stopped = affected.flatMap((u) => [...u.connections]);
    await Promise.allSettled(affected.map((u) => this.stop(u)));
    for (const u of affected) {
      this.units = this.units.filter((x) => x !== u);
      for (const c of u.connections) this.unitOfConnection.delete(c);
    }
    this.connectionOfPoint.clear();
    this.indexPoints(next);
    between();
    const started: string[] = [];
    for (const c of next.connections) {
      if (this.unitOfConnection.has(c.id)) continue;
      const factory = this.o.lookup(c.protocol);
      if (!factory) {
        // The loader validated the protocol; a missing factory here is a programming error, not a config one.
        this.o.log.error({ connection: c.id, protocol: c.protocol }, 'no driver registered for protocol; connection not started');
        continue;
      }
      const ids = new Set([c.id]);
      const s = sliceFor(next, ids);
      const unit: DriverUnit = { protocol: c.protocol, connections: ids, driver: factory.create(s.connections, s.devices, s.points) };
      this.add(unit);
      await this.start(unit);
      started.push(c.id);
    }
    return { stopped, started };
  }

  private add(u: DriverUnit): void {
    this.units.push(u);
    for (const c of u.connections) this.unitOfConnection.set(c, u);
  }

  private indexPoints(config: UnitsConfig): void {
    for (const p of config.points) this.connectionOfPoint.set(p.info.id, p.connection);
  }

  private async start(u: DriverUnit): Promise<void> {
    try {
      await u.driver.start(this.o.contextFor(u.protocol));
    } catch (err) {
      this.o.log.error({ err, protocol: u.protocol, connections: [...u.connections] }, 'driver failed to start');
    }
  }

  private async stop(u: DriverUnit): Promise<void> {
    try {
      await u.driver.stop();
    } catch (err) {
      this.o.log.error({ err, protocol: u.protocol, connections: [...u.connections] }, 'driver failed to stop');
    }
  }
}
