// The `mqtt` driver as the config loader and the hub see it: third-party sensors publishing plain
// JSON or text on MQTT topics (temperature, leak, occupancy…). Sparkplug B between edge agents and
// hubs is not this driver: see sparkplug.ts, edge/ and hub/edge/.
import type { DriverFactory } from '../../contracts/driver.js';
import { checkMqttConfig } from './check.js';
import { MqttDriver } from './driver.js';
import { connectionSchema, deviceSchema, sourceSchema, type MqttConnectionOptions, type MqttDeviceOptions, type MqttSource } from './schema.js';

export const mqttFactory: DriverFactory<MqttConnectionOptions, MqttDeviceOptions, MqttSource> = {
  protocol: 'mqtt',
  connectionSchema,
  deviceSchema,
  sourceSchema,
  intervalMs: (connection, source) => source.expectEveryMs ?? connection.expectEveryMs,
  check: (devices) => checkMqttConfig(devices),
  create: (connections, devices, points) => new MqttDriver(connections, devices, points),
};

export { MqttDriver } from './driver.js';
export type { MqttConnectionOptions, MqttDeviceOptions, MqttSource } from './schema.js';
