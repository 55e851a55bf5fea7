// For the reload worker in tests and benchmarks: validates a folder with the `tick` test protocol
// (hub/reload/test-site.ts) instead of the driver registry. Named by CreateHubOptions.validateModule.
import { validateConfigFolder } from '../config/validate.js';
import type { LoadedConfig } from '../config/types.js';
import { tickFactory } from './test-site.js';

const factory = tickFactory();

export function validate(dir: string): LoadedConfig {
  return validateConfigFolder(dir, { drivers: [factory], floorplansDir: false });
}

export const TEST_VALIDATE_MODULE = new URL('./test-validate.ts', import.meta.url).href;
