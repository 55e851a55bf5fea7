import { describe, expect, it } from 'vitest';
import { DriverWriteError } from '../../contracts/driver.js';
import type { PointInfo, PointValue } from '../../contracts/point.js';
import type { RuntimePoint } from './runtime.js';
import { prepareWrite } from './prepare.js';
import { resolveSource, type ModbusSource } from './schema.js';

const device = { unitId: 1, byteOrder: 'BE' as const, wordOrder: 'BE' as const };
function point(source: ModbusSource, info: Partial<PointInfo> = {}): RuntimePoint {
  const id = 'hq/a/l1/r1/ahu-1/sp';
  return {
    id, unitId: 1, src: resolveSource(source, device),
    info: { id, name: { en: 'sp', 'zh-CN': 'sp' }, kind: 'analog', writable: true, device: 'ahu-1', protocol: 'modbus', intervalMs: 1000, ...info },
  };
}
function refusal(p: RuntimePoint, value: PointValue): [string, string] {
  try {
    prepareWrite(p, value);
  } catch (e) {
    if (e instanceof DriverWriteError) return [e.code, e.message];
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('prepareWrite', () => {
  it('prepares words, coils and bits', () => {
    expect(prepareWrite(point({ table: 'holding', address: 0, scale: 0.1 }), 21.5)).toEqual({ kind: 'words', words: [215] });
    expect(prepareWrite(point({ table: 'holding', address: 0, type: 'float32' }), 21.5)).toEqual({ kind: 'words', words: [16812, 0] });
    expect(prepareWrite(point({ table: 'coil', address: 0 }, { kind: 'binary' }), true)).toEqual({ kind: 'coil', on: true });
    expect(prepareWrite(point({ table: 'holding', address: 0, bit: 3 }, { kind: 'binary' }), 0)).toEqual({ kind: 'bit', on: false });
    expect(prepareWrite(point({ table: 'holding', address: 0, type: 'bool' }, { kind: 'binary' }), true)).toEqual({ kind: 'words', words: [1] });
  });
  it.each<[string, RuntimePoint, PointValue, string, string]>([
    ['not writable', point({ table: 'holding', address: 0 }, { writable: false }), 1, 'not_writable', 'hq/a/l1/r1/ahu-1/sp is not writable'],
    ['input register', point({ table: 'input', address: 0 }), 1, 'not_writable', 'an input register, which is read-only'],
    ['discrete input', point({ table: 'discrete', address: 0 }, { kind: 'binary' }), true, 'not_writable', 'a discrete input, which is read-only'],
    ['below limits', point({ table: 'holding', address: 0 }, { limits: { min: 10, max: 30 } }), 5, 'invalid_value', 'value 5 outside the limits of hq/a/l1/r1/ahu-1/sp: must be 10..30'],
    ['above max only', point({ table: 'holding', address: 0 }, { limits: { max: 30 } }), 31, 'invalid_value', 'must be -∞..30'],
    ['out of register range', point({ table: 'holding', address: 0 }), 70000, 'invalid_value', 'hq/a/l1/r1/ahu-1/sp: value 70000 out of range for uint16: must be 0..65535'],
    ['string to a number', point({ table: 'holding', address: 0 }), '5', 'invalid_value', 'takes a finite number, got "5"'],
    ['NaN', point({ table: 'holding', address: 0, type: 'float32' }), Number.NaN, 'invalid_value', 'takes a finite number'],
    ['2 to a coil', point({ table: 'coil', address: 0 }, { kind: 'binary' }), 2, 'invalid_value', 'expected true/false (or 1/0), got 2'],
  ])('refuses %s', (_name, p, value, code, message) => {
    const [c, m] = refusal(p, value);
    expect(c).toBe(code);
    expect(m).toContain(message);
  });
});
