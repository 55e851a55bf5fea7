// Groups the config by protocol and builds one driver per protocol. No I/O.
import type { BoundPoint, ConnectionConfig, DeviceConfig, Driver, DriverFactory } from '../contracts/driver.js';
import type { LoadedConfig } from './config/types.js';

export interface ProtocolGroup {
  protocol: string;
  connections: ConnectionConfig[];
  devices: DeviceConfig[];
  points: BoundPoint[];
}

/** One group per protocol that has at least one connection, in config order. */
export function groupByProtocol(config: Pick<LoadedConfig, 'connections' | 'devices' | 'points'>): ProtocolGroup[] {
  const groups = new Map<string, ProtocolGroup>();
  const protocolOfConnection = new Map<string, string>();
  for (const c of config.connections) {
    protocolOfConnection.set(c.id, c.protocol);
    let g = groups.get(c.protocol);
    if (!g) groups.set(c.protocol, (g = { protocol: c.protocol, connections: [], devices: [], points: [] }));
    g.connections.push(c);
  }
  const groupOf = (connection: string, what: string) => {
    const protocol = protocolOfConnection.get(connection);
    if (!protocol) throw new Error(`${what} names unknown connection "${connection}"`);
    return groups.get(protocol)!;
  };
  for (const d of config.devices) {
    // The whole DeviceEntry: equipment ids are unique per room only, so drivers need `location` to tell them apart.
    groupOf(d.connection, `device ${d.id}`).devices.push(d);
  }
  for (const p of config.points) groupOf(p.connection, `point ${p.info.id}`).points.push(p);
  return [...groups.values()];
}

export function createDriversWith(
  config: Pick<LoadedConfig, 'connections' | 'devices' | 'points'>,
  lookup: (protocol: string) => DriverFactory | undefined,
): Driver[] {
  return groupByProtocol(config).map((g) => {
    const factory = lookup(g.protocol);
    if (!factory) throw new Error(`no driver registered for protocol "${g.protocol}" (connections: ${g.connections.map((c) => c.id).join(', ')})`);
    return factory.create(g.connections, g.devices, g.points);
  });
}
