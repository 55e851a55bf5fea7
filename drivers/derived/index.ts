// The `derived` driver as the config loader and the hub see it: points computed inside the hub
// (a lamp fault, a suspected leak) declared in config like any other point.
import type { DriverFactory } from '../../contracts/driver.js';
import { checkDerivedConfig } from './check.js';
import { DerivedDriver } from './driver.js';
import { connectionSchema, deviceSchema, sourceSchema, type DerivedConnectionOptions, type DerivedDeviceOptions, type DerivedSource } from './schema.js';

export const derivedFactory: DriverFactory<DerivedConnectionOptions, DerivedDeviceOptions, DerivedSource> = {
  protocol: 'derived',
  connectionSchema,
  deviceSchema,
  sourceSchema,
  intervalMs: (connection) => connection.heartbeatMs,
  check: (devices, site) => checkDerivedConfig(devices, site),
  create: (connections, devices, points) => new DerivedDriver(connections, devices, points),
};

export { DerivedDriver, sampleOf } from './driver.js';
export { DerivedSignalRegistry, SIGNAL_CATALOGUE } from './signals.js';
export type { SignalName, SignalProducer, SignalReading, SignalEvent, ProducerOptions, PublishOptions } from './signals.js';
export type { DerivedConnectionOptions, DerivedDeviceOptions, DerivedSource } from './schema.js';
