// Test support: bound BACnet points against the simulated DDC panel (simulators/bacnet).
import type { BoundPoint, ConnectionConfig, DeviceConfig } from '../../contracts/driver.js';
import type { PointInfo, PointKind } from '../../contracts/point.js';
import { connectionSchema, sourceSchema, type BacnetConnectionOptions, type BacnetDeviceOptions, type BacnetSource } from './schema.js';

export const TEST_ROOM = 'hq/a/b1/plant-b103';

export function bacnetPoint(
  id: string,
  object: string,
  o: { kind?: PointKind; writable?: boolean; device?: string; connection?: string; cov?: boolean; priority?: number; limits?: PointInfo['limits']; room?: string } = {},
): BoundPoint<BacnetSource> {
  const device = o.device ?? 'ddc-b1';
  const kind: PointKind = o.kind ?? (object.startsWith('binary') ? 'binary' : object.startsWith('multi') ? 'multistate' : 'analog');
  const info: PointInfo = {
    id: `${o.room ?? TEST_ROOM}/${device}/${id}`,
    name: { en: id, 'zh-CN': id },
    kind,
    writable: o.writable ?? false,
    device,
    protocol: 'bacnet',
    intervalMs: 1000,
  };
  if (o.limits) info.limits = o.limits;
  const source = sourceSchema.parse({ object, ...(o.cov !== undefined ? { cov: o.cov } : {}), ...(o.priority !== undefined ? { priority: o.priority } : {}) });
  return { info, device, connection: o.connection ?? 'bacnet-test', source };
}

export function bacnetRig(port: number, instance: number, points: BoundPoint<BacnetSource>[], options: Record<string, unknown> = {}) {
  const connections: ConnectionConfig<BacnetConnectionOptions>[] = [
    { id: 'bacnet-test', protocol: 'bacnet', options: connectionSchema.parse({ host: '127.0.0.1', port, localAddress: '127.0.0.1', pollMs: 250, timeoutMs: 300, ...options }) },
  ];
  const devices: DeviceConfig<BacnetDeviceOptions>[] = [{ id: 'ddc-b1', connection: 'bacnet-test', options: { instance }, location: { building: 'a', floor: 'b1', room: 'plant-b103' } }];
  return { connections, devices, points };
}
