// The Modbus TCP driver as the config loader and the hub see it.
import type { DriverFactory } from '../../contracts/driver.js';
import { checkModbusConfig } from './check.js';
import { ModbusDriver } from './driver.js';
import {
  connectionSchema,
  deviceSchema,
  sourceSchema,
  type ModbusConnectionOptions,
  type ModbusDeviceOptions,
  type ModbusSource,
} from './schema.js';

export const modbusFactory: DriverFactory<ModbusConnectionOptions, ModbusDeviceOptions, ModbusSource> = {
  protocol: 'modbus',
  connectionSchema,
  deviceSchema,
  sourceSchema,
  intervalMs: (connection) => connection.pollMs,
  check: checkModbusConfig,
  create: (connections, devices, points) => new ModbusDriver(connections, devices, points),
};

export { ModbusDriver } from './driver.js';
export type { ModbusDriverOptions } from './driver.js';
export type { CycleInfo } from './connection.js';
export type { ModbusConnectionOptions, ModbusDeviceOptions, ModbusSource } from './schema.js';
