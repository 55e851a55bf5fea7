// One conformance fixture per registered driver, keyed by protocol (see conformance.ts).
import type { ConformanceFixture } from './run.js';
import { modbusConformance } from './modbus.js';
import { opcuaConformanceFixture } from './opcua.js';
import { onvifConformanceFixture } from './onvif.js';
import { derivedConformanceFixture } from './derived.js';
import { bacnetConformanceFixture } from './bacnet.js';
import { mqttConformanceFixture } from './mqtt.js';
import { rtspConformanceFixture } from './rtsp.js';

export const FIXTURES: Record<string, ConformanceFixture> = {
  modbus: modbusConformance,
  opcua: opcuaConformanceFixture,
  onvif: onvifConformanceFixture,
  derived: derivedConformanceFixture,
  bacnet: bacnetConformanceFixture,
  mqtt: mqttConformanceFixture,
  rtsp: rtspConformanceFixture,
};
