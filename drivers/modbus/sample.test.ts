// The sample in the README must stay valid: schemas and cross-checks accept it.
import { describe, expect, it } from 'vitest';
import { loadDriverSample } from '../../test/support/driver-sample.js';
import { modbusFactory } from './index.js';

describe('sample.yaml', () => {
  it('passes the driver schemas and check()', () => {
    const { connections, devices } = loadDriverSample(modbusFactory, new URL('./sample.yaml', import.meta.url), 1000);
    expect(connections[0].options.backoff).toEqual({ initialMs: 500, maxMs: 30000 });
    expect(devices[0].points).toHaveLength(7);
    expect(modbusFactory.check!(devices)).toEqual([]);
  });
});
