import { describe, expect, it } from 'vitest';
import { crc16, crcOk, handle, RegisterBank, requestLength, withCrc } from './rtu.js';

const hex = (s: string) => Buffer.from(s.replace(/ /g, ''), 'hex');

describe('CRC-16/MODBUS', () => {
  it('matches the catalogue check value ("123456789" → 0x4B37)', () => expect(crc16(Buffer.from('123456789'))).toBe(0x4b37));
  it('matches the spec example frame (read 2 holding registers of unit 1 at 0: CRC 0xC4 0x0B)', () => {
    expect(withCrc(hex('01 03 0000 0002')).toString('hex')).toBe('010300000002c40b');
    expect(crcOk(hex('01 03 0000 0002 c40b'))).toBe(true);
    expect(crcOk(hex('01 03 0000 0002 c40c'))).toBe(false);
  });
});

describe('requestLength', () => {
  it.each([
    ['01 03 0000 0002 c40b', 8],
    ['01 10 0000 0002 04 0001 0002 xxxx', 13],
    ['01 16 0000 ffff 0000 xxxx', 10],
    ['01 17 0000 0001 0000 0001 02 0005 xxxx', 15],
    ['01 10 0000', null],
    ['01 2b', -1],
  ] as const)('%s → %s', (frame, len) => expect(requestLength(Buffer.from(frame.replace(/ |x/g, ''), 'hex'))).toBe(len));
});

describe('handle (register bank)', () => {
  it('FC22 mask write: (current AND and) OR (or AND NOT and) — spec example 0x12, 0xF2, 0x25 → 0x17', () => {
    const bank = new RegisterBank();
    bank.holding[4] = 0x12;
    expect(handle(hex('16 0004 00f2 0025'), bank).toString('hex')).toBe('16000400f20025');
    expect(bank.holding[4]).toBe(0x17);
  });
  it('FC23 writes before it reads', () => {
    const bank = new RegisterBank();
    expect(handle(hex('17 0003 0002 0003 0001 02 00ff'), bank).toString('hex')).toBe('170400ff0000');
  });
  it.each([
    ['03 0000 0000', '8303'],
    ['03 03e7 0002', '8302'],
    ['16 2710 ffff 0000', '9602'],
    ['2b 0e01 00', 'ab01'],
  ])('exception for %s → %s', (pdu, want) => expect(handle(hex(pdu), new RegisterBank()).toString('hex')).toBe(want));
});
