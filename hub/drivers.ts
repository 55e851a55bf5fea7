// Builds the drivers of a loaded config from the driver registry (for hub/main.ts and start scripts).
import type { Driver } from '../contracts/driver.js';
import { driverFor } from '../drivers/registry.js';
import type { LoadedConfig } from './config/types.js';
import { createDriversWith } from './driver-groups.js';

export function createDrivers(config: LoadedConfig): Driver[] {
  return createDriversWith(config, driverFor);
}
