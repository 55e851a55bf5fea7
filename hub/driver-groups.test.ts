import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { BoundPoint, ConnectionConfig, DeviceConfig, Driver, DriverFactory } from '../contracts/driver.js';
import type { LoadedConfig } from './config/types.js';
import { createDriversWith, groupByProtocol } from './driver-groups.js';

const conn = (id: string, protocol: string): ConnectionConfig => ({ id, protocol, options: { id } });
const dev = (id: string, connection: string) => ({ id, connection, options: {}, name: { en: id, 'zh-CN': id }, location: { building: 'a', floor: 'l01', room: 'r' }, file: 'x.yaml' });
const pt = (id: string, device: string, connection: string): BoundPoint => ({
  info: { id, name: { en: id, 'zh-CN': id }, kind: 'analog', writable: false, device, protocol: '?', intervalMs: 1000 }, device, connection, source: {},
});
const config = {
  connections: [conn('gw1', 'modbus'), conn('ua1', 'opcua'), conn('gw2', 'modbus')],
  devices: [dev('m1', 'gw1'), dev('u1', 'ua1'), dev('m2', 'gw2')],
  points: [pt('hq/a/l01/r/m1/p', 'm1', 'gw1'), pt('hq/a/l01/r/u1/p', 'u1', 'ua1'), pt('hq/a/l01/r/m2/p', 'm2', 'gw2')],
} as unknown as Pick<LoadedConfig, 'connections' | 'devices' | 'points'>;

describe('groupByProtocol', () => {
  it('groups connections, devices and points per protocol', () => {
    const groups = groupByProtocol(config);
    expect(groups.map((g) => [g.protocol, g.connections.map((c) => c.id), g.devices.map((d) => d.id), g.points.map((p) => p.device)])).toEqual([
      ['modbus', ['gw1', 'gw2'], ['m1', 'm2'], ['m1', 'm2']],
      ['opcua', ['ua1'], ['u1'], ['u1']],
    ]);
    expect(groups[0].devices[0]).toMatchObject({ id: 'm1', connection: 'gw1', location: { building: 'a', floor: 'l01', room: 'r' } });
  });

  it('names a device with an unknown connection', () => {
    expect(() => groupByProtocol({ ...config, devices: [dev('x', 'nope')] } as never)).toThrow('device x names unknown connection "nope"');
  });
});

describe('createDriversWith', () => {
  const factory = (protocol: string): DriverFactory => ({
    protocol, connectionSchema: z.any(), deviceSchema: z.any(), sourceSchema: z.any(), intervalMs: () => 1000,
    create: (c: ConnectionConfig[], d: DeviceConfig[], p: BoundPoint[]) =>
      ({ protocol: `${protocol}:${c.length}/${d.length}/${p.length}` }) as unknown as Driver,
  });

  it('calls each factory once with its group', () => {
    const drivers = createDriversWith(config, (p) => factory(p));
    expect(drivers.map((d) => d.protocol)).toEqual(['modbus:2/2/2', 'opcua:1/1/1']);
  });

  it('names a protocol without a registered driver', () => {
    expect(() => createDriversWith(config, (p) => (p === 'modbus' ? factory(p) : undefined))).toThrow('no driver registered for protocol "opcua" (connections: ua1)');
  });
});
