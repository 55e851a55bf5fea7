// The Driver for all OPC UA connections of a config: one OpcuaConnection per
// server endpoint, each with its own session and subscription.
import type { BoundPoint, ConnectionConfig, DeviceConfig, Driver, DriverContext, WriteResult } from '../../contracts/driver.js';
import { DriverWriteError } from '../../contracts/driver.js';
import type { PointValue } from '../../contracts/point.js';
import { OpcuaConnection } from './connection.js';
import type { OpcuaConnectionOptions, OpcuaDeviceOptions, OpcuaSource } from './schema.js';

export function createOpcuaDriver(
  connections: ConnectionConfig<OpcuaConnectionOptions>[],
  _devices: DeviceConfig<OpcuaDeviceOptions>[],
  points: BoundPoint<OpcuaSource>[],
): Driver {
  const conns = connections.map((c) => new OpcuaConnection(c, points.filter((p) => p.connection === c.id)));
  let started = false;
  return {
    protocol: 'opcua',
    async start(ctx: DriverContext) {
      if (started) throw new Error('OPC UA driver already started');
      started = true;
      await Promise.all(conns.map((c) => c.start(ctx)));
    },
    async write(pointId: string, value: PointValue): Promise<WriteResult> {
      const conn = conns.find((c) => c.hasPoint(pointId));
      if (!conn) throw new DriverWriteError('unknown_point', `no OPC UA point ${pointId}`);
      return conn.write(pointId, value);
    },
    async acknowledgeCondition(id: string, comment: string, user: string): Promise<void> {
      const conn = conns.find((c) => c.hasCondition(id));
      if (!conn) throw new DriverWriteError('unknown_point', `no OPC UA condition ${id}`);
      return conn.acknowledgeCondition(id, comment, user);
    },
    async stop() {
      await Promise.all(conns.map((c) => c.stop()));
    },
  };
}
