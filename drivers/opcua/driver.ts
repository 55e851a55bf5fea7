// The Driver for all OPC UA connections of a config: one OpcuaConnection per
// server endpoint, each with its own session and subscription.
import type { BoundPoint, ConnectionConfig, DeviceConfig, Driver, DriverContext, WriteResult } from '../../contracts/driver.js';
import { DriverWriteError } from '../../contracts/driver.js';
import type { PointValue } from '../../contracts/point.js';
import type { OpcuaConnection } from './connection.js';
import type { OpcuaConnectionOptions, OpcuaDeviceOptions, OpcuaSource } from './schema.js';

export function createOpcuaDriver(
  connections: ConnectionConfig<OpcuaConnectionOptions>[],
  _devices: DeviceConfig<OpcuaDeviceOptions>[],
  points: BoundPoint<OpcuaSource>[],
): Driver {
  // node-opcua costs ~1–3 s of CPU to import: it loads when the driver starts (after the hub
  // listens), not when the config is validated or the driver is built (docs/performance.md, cold start).
  let loading: Promise<OpcuaConnection[]> | undefined;
  const load = () =>
    (loading ??= import('./connection.js').then(({ OpcuaConnection }) => connections.map((c) => new OpcuaConnection(c, points.filter((p) => p.connection === c.id)))));
  let started = false;
  let stopped = false;
  return {
    protocol: 'opcua',
    async start(ctx: DriverContext) {
      if (started) throw new Error('OPC UA driver already started');
      started = true;
      const conns = await load();
      if (stopped) return; // stopped while node-opcua was loading
      await Promise.all(conns.map((c) => c.start(ctx)));
    },
    // node-opcua and our own client certificate (RSA key generation on a fresh data folder, ~1 s):
    // the local part of the first connect, done while the hub waits to start the drivers.
    async prepare(ctx: DriverContext) {
      const conns = await load();
      if (!started) await conns[0]?.prepare(ctx.dataDir); // one certificate for all connections (<dataDir>/opcua/pki)
    },
    async write(pointId: string, value: PointValue): Promise<WriteResult> {
      const conn = (await load()).find((c) => c.hasPoint(pointId));
      if (!conn) throw new DriverWriteError('unknown_point', `no OPC UA point ${pointId}`);
      return conn.write(pointId, value);
    },
    async acknowledgeCondition(id: string, comment: string, user: string): Promise<void> {
      const conn = (await load()).find((c) => c.hasCondition(id));
      if (!conn) throw new DriverWriteError('unknown_point', `no OPC UA condition ${id}`);
      return conn.acknowledgeCondition(id, comment, user);
    },
    async stop() {
      stopped = true;
      if (!loading) return;
      await Promise.all((await loading).map((c) => c.stop()));
    },
  };
}
