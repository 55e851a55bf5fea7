// Builds the drivers of a loaded config from the driver registry (for hub/main.ts and start scripts).
import type { Driver, DriverFactory } from '../contracts/driver.js';
import { DRIVERS, driverFor } from '../drivers/registry.js';
import type { LoadedConfig } from './config/types.js';
import { createDriversWith } from './driver-groups.js';

export function createDrivers(config: LoadedConfig): Driver[] {
  return createDriversWith(config, driverFor);
}

/** The registry's factory for a protocol (a live reload builds drivers for added or changed connections with it). */
export function lookupDriver(protocol: string): DriverFactory | undefined {
  return driverFor(protocol);
}

/** Every protocol the registry knows. */
export function registeredProtocols(): string[] {
  return DRIVERS.map((d) => d.protocol);
}
