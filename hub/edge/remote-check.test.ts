// Writes to edge-served points are checked against the point's wire type at the hub, as local ones
// are: the composite driver asks a never-started driver built for the edge points.
import { describe, expect, it } from 'vitest';
import type { Driver } from '../../contracts/driver.js';
import { modbusFactory } from '../../drivers/modbus/index.js';
import { loadDriverSample } from '../../test/support/driver-sample.js';
import { compositeDriver } from './remote.js';

const { connections, devices } = loadDriverSample(modbusFactory, new URL('../../drivers/modbus/sample.yaml', import.meta.url), 1000);
const checker = modbusFactory.create(connections, devices.map((d) => d.device), devices.flatMap((d) => d.points.map((p) => p.point)));
const setpoint = devices.flatMap((d) => d.points).find((p) => p.point.source.table === 'holding' && p.point.source.type === 'uint16' && p.point.info.kind === 'analog')!.point.info.id;

const remote: Driver = { protocol: 'modbus', start: async () => {}, stop: async () => {}, write: async () => ({ ok: true }) as never };

describe('compositeDriver checkWrite for edge points', () => {
  it('refuses at the hub what the edge would refuse (out of the uint16 range after scaling)', () => {
    const expected = checker.checkWrite!(setpoint, 1e6);
    expect(expected).toMatch(/\S/);
    const composite = compositeDriver('modbus', undefined, remote, () => true, checker);
    expect(composite.checkWrite!(setpoint, 1e6)).toBe(expected);
    expect(composite.checkWrite!(setpoint, 21.5)).toBeNull();
  });
});
