// The sample in the README must stay valid: schemas and cross-checks accept it.
import { describe, expect, it } from 'vitest';
import { loadDriverSample } from '../../test/support/driver-sample.js';
import { bacnetFactory } from './index.js';

describe('sample.yaml', () => {
  it('passes the driver schemas and check()', () => {
    const { connections, devices } = loadDriverSample(bacnetFactory, new URL('./sample.yaml', import.meta.url), 5000);
    expect(connections[0].options.cov).toEqual({ enabled: true, lifetimeS: 300, confirmed: false });
    expect(devices[0].points).toHaveLength(6);
    expect(devices[0].points[1].point.source.priority).toBe(8);
    expect(bacnetFactory.check!(devices)).toEqual([]);
  });
});
