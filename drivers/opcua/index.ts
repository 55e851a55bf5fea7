// OPC UA driver: subscriptions (or polling) against OPC UA servers, secure
// sessions with a PKI under the data folder, typed writes confirmed by read-back.
import type { ConfigIssue, DriverFactory } from '../../contracts/driver.js';
import { createOpcuaDriver } from './driver.js';
import { connectionSchema, deviceSchema, intervalMs, sourceSchema, type OpcuaConnectionOptions, type OpcuaDeviceOptions, type OpcuaSource } from './schema.js';

export type { OpcuaConnectionOptions, OpcuaDeviceOptions, OpcuaSource } from './schema.js';

export const opcuaFactory: DriverFactory<OpcuaConnectionOptions, OpcuaDeviceOptions, OpcuaSource> = {
  protocol: 'opcua',
  connectionSchema,
  deviceSchema,
  sourceSchema,
  intervalMs,
  check(devices) {
    // The same node twice on one connection would be monitored twice and
    // published under two ids — almost always a copy-paste slip.
    const issues: ConfigIssue[] = [];
    const seen = new Map<string, string>();
    for (const d of devices) {
      for (const p of d.points) {
        const key = `${d.connection.id} ${p.point.source.nodeId}`;
        const first = seen.get(key);
        if (first) issues.push({ path: [d.index, 'points', p.index, 'source', 'nodeId'], message: `node ${p.point.source.nodeId} is already used by ${first} on connection ${d.connection.id}` });
        else seen.set(key, p.point.info.id);
      }
    }
    return issues;
  },
  create: createOpcuaDriver,
};
