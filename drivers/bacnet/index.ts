// The BACnet/IP driver as the config loader and the hub see it.
import type { DriverFactory } from '../../contracts/driver.js';
import { checkBacnetConfig } from './check.js';
import { BacnetDriver } from './driver.js';
import { connectionSchema, deviceSchema, sourceSchema, type BacnetConnectionOptions, type BacnetDeviceOptions, type BacnetSource } from './schema.js';

export const bacnetFactory: DriverFactory<BacnetConnectionOptions, BacnetDeviceOptions, BacnetSource> = {
  protocol: 'bacnet',
  connectionSchema,
  deviceSchema,
  sourceSchema,
  // COV points are re-published on every liveness check, polled ones every poll: both at pollMs.
  intervalMs: (connection) => connection.pollMs,
  check: checkBacnetConfig,
  create: (connections, devices, points) => new BacnetDriver(connections, devices, points),
};

export { BacnetDriver } from './driver.js';
export type { BacnetWriteOptions } from './driver.js';
export type { BacnetConnectionOptions, BacnetDeviceOptions, BacnetSource } from './schema.js';
