// Every protocol driver, one line each. The config loader validates connections, devices and
// point sources with the factory named by `protocol`; the hub creates and starts the drivers.
import type { DriverFactory } from '../contracts/driver.js';
import { modbusFactory } from './modbus/index.js';
import { opcuaFactory } from './opcua/index.js';
import { onvifFactory } from './onvif/index.js';
import { rtspFactory } from './onvif/rtsp.js';
import { derivedFactory } from './derived/index.js';
import { bacnetFactory } from './bacnet/index.js';
import { mqttFactory } from './mqtt/index.js';

export const DRIVERS = [
  modbusFactory,
  opcuaFactory,
  onvifFactory,
  rtspFactory,
  derivedFactory,
  bacnetFactory,
  mqttFactory,
] as const satisfies readonly DriverFactory[];

export function driverFor(protocol: string): DriverFactory | undefined {
  return DRIVERS.find((d) => d.protocol === protocol);
}
