import { describe, expect, it } from 'vitest';
import type { PointInfo } from '../../contracts/point.js';
import { checkModbusConfig } from './check.js';
import type { ModbusSource } from './schema.js';

type Kind = PointInfo['kind'];
interface P { id: string; source: ModbusSource; kind?: Kind; writable?: boolean }

function device(index: number, id: string, unitId: number, points: P[], connection = 'gw') {
  return {
    index,
    device: { id, connection, options: { unitId, byteOrder: 'BE' as const, wordOrder: 'BE' as const } },
    connection: { id: connection, protocol: 'modbus', options: { host: '127.0.0.1', port: 502, pollMs: 1000, timeoutMs: 1000, maxGap: 8, maxGapBits: 32 } },
    points: points.map((p, i) => ({
      index: i,
      point: {
        device: id,
        connection,
        source: p.source,
        info: {
          id: `hq/a/l1/r1/${id}/${p.id}`, name: { en: p.id, 'zh-CN': p.id }, kind: p.kind ?? (p.source.bit !== undefined || p.source.table === 'coil' || p.source.table === 'discrete' || p.source.type === 'bool' ? 'binary' : 'analog'),
          writable: p.writable ?? false, device: id, protocol: 'modbus', intervalMs: 1000,
        } satisfies PointInfo,
      },
    })),
  };
}

describe('checkModbusConfig', () => {
  it('accepts disjoint maps and distinct bits of one register', () => {
    expect(checkModbusConfig([
      device(0, 'm1', 1, [
        { id: 'a', source: { table: 'holding', address: 0, type: 'float32' } },
        { id: 'b', source: { table: 'holding', address: 2 } },
        { id: 'c', source: { table: 'holding', address: 3, bit: 0 } },
        { id: 'd', source: { table: 'holding', address: 3, bit: 1 } },
        { id: 'e', source: { table: 'input', address: 0 } },   // same address, other table
        { id: 'f', source: { table: 'coil', address: 0 } },
      ]),
      device(1, 'm2', 2, [{ id: 'a', source: { table: 'holding', address: 0 } }]), // other unit
      device(2, 'm3', 1, [{ id: 'a', source: { table: 'holding', address: 0 } }], 'gw2'), // other connection
    ])).toEqual([]);
  });

  it('flags a register covered twice, with the path of the later point', () => {
    const found = checkModbusConfig([
      device(0, 'm1', 1, [{ id: 'a', source: { table: 'holding', address: 10, type: 'int32' } }]),
      device(3, 'm2', 1, [
        { id: 'x', source: { table: 'holding', address: 0 } },
        { id: 'y', source: { table: 'holding', address: 11 } },
      ]),
    ]);
    expect(found).toEqual([{
      path: ['devices', 3, 'points', 1, 'source', 'address'],
      message: 'overlaps hq/a/l1/r1/m1/a (devices[0].points[0]) at holding register 11 of unit 1 on connection gw',
    }]);
  });

  it('flags the same bit twice and a bit inside a whole-register point', () => {
    const found = checkModbusConfig([
      device(0, 'm1', 1, [
        { id: 'b', source: { table: 'holding', address: 5, bit: 2 } },
        { id: 'c', source: { table: 'holding', address: 5, bit: 2 } },
        { id: 'w', source: { table: 'holding', address: 5 } },
        { id: 'v', source: { table: 'holding', address: 6 } },
        { id: 'vb', source: { table: 'holding', address: 6, bit: 0 } },
      ]),
    ]);
    expect(found.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['devices.0.points.1.source.bit', 'overlaps hq/a/l1/r1/m1/b (devices[0].points[0]) at holding register 5 bit 2 of unit 1 on connection gw'],
      ['devices.0.points.2.source.address', 'overlaps hq/a/l1/r1/m1/b (devices[0].points[0]) at holding register 5 of unit 1 on connection gw'],
      ['devices.0.points.4.source.address', 'overlaps hq/a/l1/r1/m1/v (devices[0].points[3]) at holding register 6 bit 0 of unit 1 on connection gw'],
    ]);
  });

  it('flags duplicate coils', () => {
    const found = checkModbusConfig([device(0, 'm1', 1, [
      { id: 'a', source: { table: 'coil', address: 7 } },
      { id: 'b', source: { table: 'coil', address: 7 } },
    ])]);
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain('at coil 7 of unit 1');
  });

  it('checks kind against the source and writability of read-only tables', () => {
    const found = checkModbusConfig([device(1, 'm1', 1, [
      { id: 'a', kind: 'binary', source: { table: 'holding', address: 0, type: 'float32' } },
      { id: 'b', kind: 'analog', source: { table: 'coil', address: 0 } },
      { id: 'c', kind: 'string', source: { table: 'holding', address: 4 } },
      { id: 'd', source: { table: 'input', address: 0 }, writable: true },
      { id: 'e', source: { table: 'discrete', address: 0 }, writable: true },
      { id: 'f', kind: 'multistate', source: { table: 'holding', address: 9 }, writable: true },
    ])]);
    expect(found.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['devices.1.points.0.kind', 'binary point needs a boolean source (coil, discrete, type bool or bit), not holding float32'],
      ['devices.1.points.1.kind', 'analog point needs a numeric source, but coil bool is boolean'],
      ['devices.1.points.2.kind', 'string point needs type string (with a length in registers), not holding uint16'],
      ['devices.1.points.3.writable', 'input registers are read-only'],
      ['devices.1.points.4.writable', 'discrete inputs are read-only'],
    ]);
  });
});
