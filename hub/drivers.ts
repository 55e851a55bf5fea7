// Builds the drivers of a loaded config from the driver registry (for hub/main.ts and start scripts).
import type { Driver, DriverFactory } from '../contracts/driver.js';
import { DRIVERS, driverFor } from '../drivers/registry.js';
import type { LoadedConfig } from './config/types.js';
import { createHubDriversWith } from './edge/remote.js';

export function createDrivers(config: LoadedConfig): Driver[] {
  // Connections of buildings listed in edge.yaml run on edge agents (hub/edge); without it, one local driver per protocol.
  return createHubDriversWith(config, driverFor);
}

/** The registry's factory for a protocol (a live reload builds drivers for added or changed connections with it). */
export function lookupDriver(protocol: string): DriverFactory | undefined {
  return driverFor(protocol);
}

/** Every protocol the registry knows. */
export function registeredProtocols(): string[] {
  return DRIVERS.map((d) => d.protocol);
}
