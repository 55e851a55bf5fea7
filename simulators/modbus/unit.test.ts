import { describe, expect, it } from 'vitest';
import { type FieldDef, checkDatasheet, readableBlocks } from './datasheet.js';
import { ModbusException, SimUnit } from './unit.js';

const n = (en: string) => ({ en, 'zh-CN': en });
const DATASHEET: FieldDef[] = [
  { id: 'kw', table: 'input', address: 0, type: 'float32', wordOrder: 'LE', name: n('kw') },
  { id: 'pf', table: 'input', address: 2, type: 'int16', scale: 0.001, name: n('pf') },
  { id: 'fault-a', table: 'input', address: 6, bit: 0, type: 'bool', name: n('a') },
  { id: 'fault-b', table: 'input', address: 6, bit: 3, type: 'bool', name: n('b') },
  { id: 'energy', table: 'input', address: 40, type: 'uint32', scale: 0.1, name: n('e') },
  { id: 'setpoint', table: 'holding', address: 0, type: 'int32', writable: true, scale: 0.01, writeRange: [-100, 100], name: n('sp') },
  { id: 'mode', table: 'holding', address: 2, type: 'uint16', name: n('mode') },
];

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ModbusException) return err.code;
    throw err;
  }
  return undefined;
};

describe('SimUnit', () => {
  it('lays fields out per the datasheet, reserved registers inside a block read 0, bits OR together', () => {
    const u = new SimUnit(1, 'test', DATASHEET);
    u.set('kw', 230.5);
    u.set('pf', -0.95);
    u.set('fault-a', true);
    u.set('fault-b', true);
    expect(u.readWords('input', 0, 7)).toEqual([0x8000, 0x4366, 0xfc4a, 0, 0, 0, 0b1001]);
  });

  it('refuses reads outside the documented blocks with exception 02', () => {
    const u = new SimUnit(1, 'test', DATASHEET);
    expect(readableBlocks(DATASHEET, 'input')).toEqual([[0, 6], [40, 41]]);
    expect(code(() => u.readWords('input', 5, 10))).toBe(2);
    expect(code(() => u.readWords('input', 41, 2))).toBe(2);
    expect(u.readWords('input', 40, 2)).toEqual([0, 0]);
    expect(code(() => u.readBits('coil', 0, 1))).toBe(2);
  });

  it('takes a 32-bit write only whole, in range, and only on writable registers', () => {
    const u = new SimUnit(1, 'test', DATASHEET);
    expect(u.writeRegisters(0, [0xffff, 0xfc18])).toEqual(['setpoint']); // −1000 × 0.01
    expect(u.get('setpoint')).toBe(-10);
    expect(code(() => u.writeRegisters(1, [5]))).toBe(3); // half of the int32
    expect(code(() => u.writeRegisters(0, [0, 20000]))).toBe(3); // 200.00 > 100
    expect(code(() => u.writeRegisters(2, [1]))).toBe(2); // mode is read-only
    expect(code(() => u.writeRegisters(0, [0, 1, 7]))).toBe(2); // all-or-nothing
    expect(u.get('setpoint')).toBe(-10);
  });

  it('set() pins a field against the model; auto() only moves unpinned fields; release() hands it back', () => {
    const u = new SimUnit(1, 'test', DATASHEET);
    u.set('pf', 0.5);
    u.auto('pf', 0.9);
    expect(u.get('pf')).toBe(0.5);
    u.release('pf');
    u.auto('pf', 0.9);
    expect(u.get('pf')).toBe(0.9);
  });

  it('names the field and the expected type on bad set() calls', () => {
    const u = new SimUnit(3, 'test', DATASHEET);
    expect(() => u.set('nope', 1)).toThrow(/unit 3 \(test\) has no field "nope"; it has: kw, pf/);
    expect(() => u.set('fault-a', 1)).toThrow(/"fault-a" takes a boolean, got 1/);
    expect(() => u.set('kw', true)).toThrow(/"kw" takes a finite number/);
    expect(() => u.set('kw', Number.NaN)).toThrow(/finite number/);
  });
});

describe('checkDatasheet', () => {
  it('accepts distinct bits of one register and finds overlaps, bad types and writable inputs', () => {
    expect(checkDatasheet(DATASHEET)).toEqual([]);
    expect(
      checkDatasheet([
        { id: 'a', table: 'input', address: 0, type: 'float32', name: n('a') },
        { id: 'b', table: 'input', address: 1, type: 'uint16', name: n('b') },
        { id: 'c', table: 'holding', address: 5, bit: 1, type: 'bool', name: n('c') },
        { id: 'd', table: 'holding', address: 5, bit: 1, type: 'bool', name: n('d') },
        { id: 'e', table: 'coil', address: 0, type: 'uint16', name: n('e') },
        { id: 'f', table: 'discrete', address: 0, type: 'bool', writable: true, name: n('f') },
      ]),
    ).toEqual([
      'field b overlaps a at input:1',
      'field d overlaps c at holding:5 bit 1',
      'field e: coil holds bools, not uint16',
      'field f: discrete is read-only',
    ]);
  });
});
