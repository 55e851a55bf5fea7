// The BACnet/IP driver: one BacnetConnection per configured endpoint; writes go to the object's
// present value at a BACnet priority, so the device's own priority array arbitrates (a local
// life-safety or hand command at a higher priority keeps winning, as it should).
import { DriverWriteError, type BoundPoint, type ConnectionConfig, type DeviceConfig, type Driver, type DriverContext, type WriteOptions, type WriteResult } from '../../contracts/driver.js';
import type { PointValue } from '../../contracts/point.js';
import { BacnetConnection, buildDevices, type ObjEntry, type PointEntry } from './connection.js';
import { decodePresentValue, encodeWrite } from './decode.js';
import { classify } from './errors.js';
import { isInput, objectKey, parseObjectRef, PROP } from './objects.js';
import type { BacnetConnectionOptions, BacnetDeviceOptions, BacnetSource } from './schema.js';

/**
 * The contract's WriteOptions: `priority` is the BACnet priority 1..16 (the hub's priority-array
 * level; default the point's `priority`, 8); `relinquish` writes NULL at that priority.
 */
export type BacnetWriteOptions = WriteOptions;

export class BacnetDriver implements Driver {
  readonly protocol = 'bacnet';
  readonly connections: BacnetConnection[];
  private readonly byPoint = new Map<string, { conn: BacnetConnection; obj: ObjEntry; entry: PointEntry }>();

  constructor(connections: ConnectionConfig<BacnetConnectionOptions>[], devices: DeviceConfig<BacnetDeviceOptions>[], points: BoundPoint<BacnetSource>[]) {
    this.connections = connections.map((c) => {
      const devs = devices.filter((d) => d.connection === c.id);
      const keyOf = (id: string, loc?: { building: string; floor: string; room: string }) => (loc ? `${loc.building}/${loc.floor}/${loc.room}/${id}` : id);
      const entries: PointEntry[] = points
        .filter((p) => p.connection === c.id)
        .map((p) => {
          const ref = parseObjectRef(p.source.object);
          if (typeof ref === 'string') throw new Error(`${p.info.id}: source.object ${ref}`);
          return { point: p, ref };
        });
      // Equipment ids are unique per room only: match a point to its device by room + id when the config says where.
      const pointKey = (e: PointEntry) => {
        const dev = devs.find((d) => d.id === e.point.device && (!d.location || e.point.info.id.split('/').slice(1, 4).join('/') === `${d.location.building}/${d.location.floor}/${d.location.room}`));
        return dev ? keyOf(dev.id, dev.location) : `?${e.point.device}`;
      };
      const built = buildDevices(devs.map((d) => ({ id: keyOf(d.id, d.location), instance: d.options.instance })), entries, pointKey, c.options.cov.enabled);
      const conn = new BacnetConnection(c, built);
      for (const d of built) for (const o of d.objects.values()) for (const e of o.points) this.byPoint.set(e.point.info.id, { conn, obj: o, entry: e });
      return conn;
    });
  }

  async start(ctx: DriverContext): Promise<void> {
    await Promise.all(this.connections.map((c) => c.start(ctx)));
  }

  async stop(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.stop()));
  }

  /**
   * Whether the hub should pass its priority array through (contracts/driver.ts): writable output
   * and value objects, unless a read-back showed the object has no priority array (a value object
   * that is writable but not commandable: there the hub writes effective values at the default).
   */
  nativePriority(pointId: string): boolean {
    const hit = this.byPoint.get(pointId);
    if (!hit || !hit.entry.point.info.writable || isInput(hit.entry.ref.type)) return false;
    return hit.obj.commandable !== false;
  }

  /**
   * WriteProperty present-value at `priority` (1..16), then reads present value and priority array
   * back. `null` (or `relinquish`) relinquishes the slot (writes NULL); it is confirmed when the slot reads back NULL.
   * A value is confirmed when the present value equals it; when a higher priority holds the object
   * the detail says which, and `confirmed` is false (the device is right, not broken).
   */
  async write(pointId: string, requested: PointValue, options: BacnetWriteOptions = {}): Promise<WriteResult> {
    const value = options.relinquish ? null : requested;
    const hit = this.byPoint.get(pointId);
    if (!hit) throw new DriverWriteError('unknown_point', `no BACnet point ${pointId}`);
    const { conn, obj, entry } = hit;
    if (!entry.point.info.writable) throw new DriverWriteError('not_writable', `${pointId} is not writable`);
    if (isInput(entry.ref.type)) throw new DriverWriteError('not_writable', `${entry.ref.type} objects take no commands (${pointId})`);
    const priority = options.priority ?? entry.point.source.priority;
    if (!Number.isInteger(priority) || priority < 1 || priority > 16 || priority === 6) {
      throw new DriverWriteError('invalid_value', `BACnet priority ${priority} must be 1..16, not 6`);
    }
    const limits = entry.point.info.limits;
    if (typeof value === 'number' && limits) {
      if (limits.max !== undefined && value > limits.max) throw new DriverWriteError('invalid_value', `value ${value} is above the limit ${limits.max} of ${pointId}`);
      if (limits.min !== undefined && value < limits.min) throw new DriverWriteError('invalid_value', `value ${value} is below the limit ${limits.min} of ${pointId}`);
    }
    const tv = encodeWrite(obj.family, value);
    if (typeof tv === 'string') throw new DriverWriteError('invalid_value', `${pointId}: ${tv}`);
    const device = conn.devices.find((d) => d.objects.get(objectKey(obj.type, obj.instance)) === obj);
    if (!device?.online) throw new DriverWriteError('offline', `device ${device?.instance ?? '?'} of ${pointId} is not answering`);
    try {
      await conn.limited((c) => c.writeProperty(conn.receiver(), { type: obj.type, instance: obj.instance }, PROP.PRESENT_VALUE, [tv as never], { priority }));
    } catch (err) {
      const e = classify(err);
      throw new DriverWriteError(e.commFail ? 'timeout' : 'device_error', `write of ${JSON.stringify(value)} at priority ${priority} to ${entry.ref.type}:${entry.ref.instance}: ${e.message}`);
    }
    let back: Awaited<ReturnType<BacnetConnection['readBack']>>;
    try {
      back = await conn.readBack(obj);
    } catch (err) {
      const e = classify(err);
      throw new DriverWriteError(e.commFail ? 'timeout' : 'device_error', `read-back of ${pointId} after the write: ${e.message}`);
    }
    const pv = decodePresentValue(obj.family, back.reading.presentValue);
    const readBack: PointValue = pv !== null && typeof pv === 'object' ? null : pv;
    if (value === null) {
      const slot = back.priorities?.[priority - 1];
      const confirmed = back.priorities === null || slot === null;
      return { confirmed, readBack, detail: confirmed ? `priority ${priority} relinquished` : `priority ${priority} still holds ${JSON.stringify(asPointValue(obj.family, slot))}` };
    }
    const same = typeof value === 'number' && typeof readBack === 'number' ? Math.fround(value) === Math.fround(readBack) : value === readBack;
    if (same) return { confirmed: true, readBack };
    const winner = back.priorities?.findIndex((v) => v !== null && v !== undefined) ?? -1;
    const detail = winner >= 0 && winner + 1 < priority
      ? `priority ${winner + 1} (${JSON.stringify(asPointValue(obj.family, back.priorities![winner]))}) outranks priority ${priority} on the device`
      : `device holds ${JSON.stringify(readBack)} after the write`;
    return { confirmed: false, readBack, detail };
  }
}


/** A priority-array slot in the point's terms (binary slots travel as 0/1 enumerations). */
function asPointValue(family: ObjEntry['family'], v: PointValue | undefined): PointValue | undefined {
  return family === 'binary' && typeof v === 'number' ? v === 1 : v;
}
