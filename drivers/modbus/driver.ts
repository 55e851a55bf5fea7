// The Modbus TCP driver: one ModbusConnection per configured endpoint, each with its own
// socket, poll loop and queue; devices are unit ids behind it.
import {
  DriverWriteError,
  type BoundPoint,
  type ConnectionConfig,
  type DeviceConfig,
  type Driver,
  type DriverContext,
  type WriteResult,
} from '../../contracts/driver.js';
import { parsePointId, type PointValue, type Sample } from '../../contracts/point.js';
import { ModbusConnection, type CycleInfo } from './connection.js';
import type { RuntimePoint } from './runtime.js';
import { prepareWrite } from './prepare.js';
import { resolveSource, type ModbusConnectionOptions, type ModbusDeviceOptions, type ModbusSource } from './schema.js';

export interface ModbusDriverOptions {
  /** Called after every poll cycle of every connection (benchmarks, diagnostics). */
  onCycle?: (cycle: CycleInfo) => void;
}

type Device = DeviceConfig<ModbusDeviceOptions>;

/** Finds a point's device. Equipment ids are unique per room only, so ties are broken by location. */
function deviceOf(point: BoundPoint<ModbusSource>, byKey: Map<string, Device[]>): Device {
  const candidates = byKey.get(deviceKey(point.device, point.connection)) ?? [];
  if (candidates.length === 1) return candidates[0];
  // Same-named devices with the same options read the same way: any of them will do.
  if (candidates.length > 1 && candidates.every((d) => JSON.stringify(d.options) === JSON.stringify(candidates[0].options))) return candidates[0];
  const parts = parsePointId(point.info.id);
  const located = candidates.filter(
    (d) => d.location && parts && d.location.building === parts.building && d.location.floor === parts.floor && d.location.room === parts.room,
  );
  if (located.length === 1) return located[0];
  throw new Error(
    candidates.length === 0
      ? `modbus: point ${point.info.id} names device ${point.device} on connection ${point.connection}, which is not configured`
      : `modbus: point ${point.info.id}: ${candidates.length} devices named ${point.device} on connection ${point.connection} and none located at its building/floor/room`,
  );
}

const deviceKey = (device: string, connection: string) => `${connection}\u0000${device}`;

/** Devices by (connection, id): a linear search per point was O(points × devices), seconds at 200k points. */
function indexDevices(devices: Device[]): Map<string, Device[]> {
  const byKey = new Map<string, Device[]>();
  for (const d of devices) {
    const key = deviceKey(d.id, d.connection);
    const list = byKey.get(key);
    if (list) list.push(d);
    else byKey.set(key, [d]);
  }
  return byKey;
}

export class ModbusDriver implements Driver {
  readonly protocol = 'modbus';
  private readonly connections: ModbusConnection[] = [];
  private readonly points = new Map<string, { point: RuntimePoint; connection: ModbusConnection }>();
  private ctx: DriverContext | undefined;
  private stopped = false;

  /** No I/O: everything is planned here, connections open in start(). Throws on inconsistent input. */
  constructor(
    connections: ConnectionConfig<ModbusConnectionOptions>[],
    devices: DeviceConfig<ModbusDeviceOptions>[],
    points: BoundPoint<ModbusSource>[],
    private readonly options: ModbusDriverOptions = {},
  ) {
    const byConnection = new Map<string, RuntimePoint[]>(connections.map((c) => [c.id, []]));
    const devicesByKey = indexDevices(devices);
    for (const p of points) {
      const list = byConnection.get(p.connection);
      if (!list) throw new Error(`modbus: point ${p.info.id} names connection ${p.connection}, which is not configured`);
      if (this.points.has(p.info.id)) throw new Error(`modbus: duplicate point id ${p.info.id}`);
      const device = deviceOf(p, devicesByKey);
      const rp: RuntimePoint = { id: p.info.id, unitId: device.options.unitId, src: resolveSource(p.source, device.options), info: p.info };
      list.push(rp);
      this.points.set(rp.id, { point: rp, connection: undefined as unknown as ModbusConnection });
    }
    for (const c of connections) {
      const conn = new ModbusConnection(c.id, c.options, byConnection.get(c.id)!, {
        publish: (batch) => this.publish(batch),
        status: (s) => this.ctx?.status(s),
        log: { info: (o, m) => this.ctx?.log.info(o, m), warn: (o, m) => this.ctx?.log.warn(o, m), error: (o, m) => this.ctx?.log.error(o, m), debug: (o, m) => this.ctx?.log.debug(o, m) },
        onCycle: (cycle) => this.options.onCycle?.(cycle),
      });
      this.connections.push(conn);
      for (const rp of byConnection.get(c.id)!) this.points.get(rp.id)!.connection = conn;
    }
  }

  /** Read requests per poll cycle, per connection id. */
  requestsPerCycle(): Record<string, number> {
    return Object.fromEntries(this.connections.map((c) => [c.id, c.requestsPerCycle]));
  }

  async start(ctx: DriverContext): Promise<void> {
    if (this.ctx) throw new Error('modbus driver already started');
    this.ctx = ctx;
    // Polls spread evenly over each connection's interval: 100 gateways all polling at the top of the
    // second made one burst of 200k samples, and the late polls of that burst were the interval's p99.
    const n = this.connections.length;
    this.connections.forEach((c, i) => c.start(Math.floor((c.pollMs * i) / n)));
  }

  private publish(batch: Sample[]): void {
    // The one gate every sample passes: after stop() begins, nothing gets through.
    if (this.stopped || !this.ctx || batch.length === 0) return;
    this.ctx.publish(batch);
  }

  /** The same checks write() makes before sending (wire type, range, writable), without any I/O. */
  checkWrite(pointId: string, value: PointValue): string | null {
    const entry = this.points.get(pointId);
    if (!entry) return `no Modbus point ${pointId}`;
    try {
      prepareWrite(entry.point, value);
      return null;
    } catch (err) {
      if (err instanceof DriverWriteError) return err.message;
      throw err;
    }
  }

  async write(pointId: string, value: PointValue): Promise<WriteResult> {
    const entry = this.points.get(pointId);
    if (!entry) throw new DriverWriteError('unknown_point', `no Modbus point ${pointId}`);
    const prepared = prepareWrite(entry.point, value);
    if (!this.ctx || this.stopped) throw new DriverWriteError('offline', 'modbus driver is not running');
    return entry.connection.write(entry.point, prepared);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.connections.map((c) => c.stop()));
  }
}
