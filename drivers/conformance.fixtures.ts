// One conformance fixture per registered driver, keyed by protocol (see conformance.ts).
import type { ConformanceFixture } from './conformance.js';
import { modbusConformance } from './modbus/conformance-fixture.js';
import { opcuaConformanceFixture } from './opcua/conformance-fixture.js';
import { onvifConformanceFixture } from './onvif/conformance-fixture.js';
import { derivedConformanceFixture } from './derived/conformance-fixture.js';

export const FIXTURES: Record<string, ConformanceFixture> = {
  modbus: modbusConformance,
  opcua: opcuaConformanceFixture,
  onvif: onvifConformanceFixture,
  derived: derivedConformanceFixture,
};
