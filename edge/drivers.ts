// One driver per protocol for a building's slice, built from the driver registry (the hub does the
// same in hub/driver-groups.ts; the edge does not import the hub). No I/O.
import type { BoundPoint, ConnectionConfig, DeviceConfig, Driver, DriverFactory } from '../contracts/driver.js';
import { driverFor } from '../drivers/registry.js';

export function createEdgeDrivers(
  slice: { connections: ConnectionConfig[]; devices: DeviceConfig[]; points: BoundPoint[] },
  lookup: (protocol: string) => DriverFactory | undefined = driverFor,
): Driver[] {
  const protocols = [...new Set(slice.connections.map((c) => c.protocol))];
  return protocols.map((protocol) => {
    const factory = lookup(protocol);
    if (!factory) throw new Error(`no driver registered for protocol "${protocol}"`);
    const conns = new Set(slice.connections.filter((c) => c.protocol === protocol).map((c) => c.id));
    return factory.create(
      slice.connections.filter((c) => conns.has(c.id)),
      slice.devices.filter((d) => conns.has(d.connection)),
      slice.points.filter((p) => conns.has(p.connection)),
    );
  });
}
