import { describe, expect, it } from 'vitest';
import { driverFor, DRIVERS } from '../registry.js';
import { modbusFactory, type ModbusDriver } from './index.js';

describe('modbusFactory', () => {
  it('is registered under its protocol', () => {
    expect(DRIVERS).toContain(modbusFactory);
    expect(driverFor('modbus')).toBe(modbusFactory);
    expect(driverFor('profibus')).toBeUndefined();
  });
  it('expects a sample per connection poll interval', () => {
    const c = modbusFactory.connectionSchema.parse({ pollMs: 2500 });
    const s = modbusFactory.sourceSchema.parse({ table: 'holding', address: 1 });
    expect(modbusFactory.intervalMs(c, s)).toBe(2500);
  });
  it('create() checks the wiring without any I/O', () => {
    const connections = [{ id: 'gw', protocol: 'modbus', options: modbusFactory.connectionSchema.parse({ host: '192.0.2.1' }) }];
    const info = { id: 'hq/a/l1/r1/m1/kw', name: { en: 'kW', 'zh-CN': 'kW' }, kind: 'analog' as const, writable: false, device: 'm1', protocol: 'modbus', intervalMs: 1000 };
    const source = { table: 'holding' as const, address: 0 };
    expect(() => modbusFactory.create(connections, [], [{ info, device: 'm1', connection: 'gw', source }])).toThrow(
      'modbus: point hq/a/l1/r1/m1/kw names device m1 on connection gw, which is not configured',
    );
    expect(() => modbusFactory.create(connections, [], [{ info, device: 'm1', connection: 'gw2', source }])).toThrow('names connection gw2, which is not configured');
    const devices = [{ id: 'm1', connection: 'gw', options: modbusFactory.deviceSchema.parse({}) }];
    const driver = modbusFactory.create(connections, devices, [{ info, device: 'm1', connection: 'gw', source }]);
    expect(driver.protocol).toBe('modbus');
  });

  it('tells same-named devices on one connection apart by location', () => {
    const connections = [{ id: 'gw', protocol: 'modbus', options: modbusFactory.connectionSchema.parse({}) }];
    const leak = (room: string, unitId: number) => ({ id: 'leak-1', connection: 'gw', options: modbusFactory.deviceSchema.parse({ unitId }), location: { building: 'a', floor: 'b1', room } });
    const point = (room: string) => ({
      device: 'leak-1', connection: 'gw', source: { table: 'discrete' as const, address: 0 },
      info: { id: `hq/a/b1/${room}/leak-1/wet`, name: { en: 'wet', 'zh-CN': 'wet' }, kind: 'binary' as const, writable: false, device: 'leak-1', protocol: 'modbus', intervalMs: 1000 },
    });
    const devices = [leak('pump-1', 4), leak('pump-2', 5)];
    const driver = modbusFactory.create(connections, devices, [point('pump-1'), point('pump-2')]) as ModbusDriver;
    expect(driver.requestsPerCycle()).toEqual({ gw: 2 }); // units 4 and 5, not one unit twice
    const unlocated = devices.map(({ location: _, ...d }) => d);
    expect(() => modbusFactory.create(connections, unlocated, [point('pump-1')])).toThrow(
      'modbus: point hq/a/b1/pump-1/leak-1/wet: 2 devices named leak-1 on connection gw and none located at its building/floor/room',
    );
  });
});
