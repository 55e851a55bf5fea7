import { describe, expect, it } from 'vitest';
import type { FieldDef } from './datasheet.js';
import { deframe, frame, handlePdu } from './pdu.js';
import { SimUnit } from './unit.js';

const n = (en: string) => ({ en, 'zh-CN': en });
const DATASHEET: FieldDef[] = [
  { id: 'relay-1', table: 'coil', address: 0, type: 'bool', writable: true, name: n('r1') },
  { id: 'relay-2', table: 'coil', address: 1, type: 'bool', writable: true, name: n('r2') },
  { id: 'alarm', table: 'discrete', address: 0, type: 'bool', name: n('a') },
  { id: 'level', table: 'holding', address: 0, type: 'uint16', writable: true, writeRange: [0, 100], name: n('l') },
  { id: 'power', table: 'input', address: 0, type: 'float32', name: n('p') },
];
const unit = () => {
  const u = new SimUnit(1, 'test', DATASHEET);
  u.set('power', 230.5);
  u.set('relay-2', true);
  return u;
};
const hex = (b: Buffer) => b.toString('hex');

describe('deframe', () => {
  const req = frame(7, 1, Buffer.from([0x03, 0, 0, 0, 1]));

  it('splits back-to-back frames and keeps a partial one for the next chunk', () => {
    const both = Buffer.concat([req, req, req.subarray(0, 4)]);
    const { frames, rest, error } = deframe(both);
    expect(error).toBeUndefined();
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatchObject({ transactionId: 7, unitId: 1 });
    expect(hex(frames[0].pdu)).toBe('0300000001');
    expect(rest).toHaveLength(4);
    expect(deframe(Buffer.concat([rest, req.subarray(4)])).frames).toHaveLength(1);
  });

  it.each([
    { name: 'a non-zero protocol id', bytes: '000100050006010300000001', error: /protocol id 5/ },
    { name: 'an impossible length', bytes: '000100000300010300000001', error: /length 768/ },
  ])('rejects $name', ({ bytes, error }) => {
    expect(deframe(Buffer.from(bytes, 'hex')).error).toMatch(error);
  });
});

describe('handlePdu', () => {
  it.each([
    { name: 'read coils', pdu: '0100000002', response: '010102' },
    { name: 'read discrete inputs', pdu: '0200000001', response: '020100' },
    { name: 'read input float32', pdu: '0400000002', response: '0404' + '43668000' },
    { name: 'read holding', pdu: '0300000001', response: '03020000' },
    { name: 'write single coil on', pdu: '050000ff00', response: '050000ff00' },
    { name: 'write single register', pdu: '0600000032', response: '0600000032' },
    { name: 'write multiple coils', pdu: '0f0000000201' + '01', response: '0f00000002' },
    { name: 'write multiple registers', pdu: '100000000102000a', response: '1000000001' },
    { name: 'unsupported function', pdu: '2b0e0100', response: 'ab01' },
    { name: 'read past the map', pdu: '0400000003', response: '8402' },
    { name: 'zero quantity', pdu: '0300000000', response: '8303' },
    { name: 'too many registers', pdu: '030000007e', response: '8303' },
    { name: 'coil value neither on nor off', pdu: '0500001234', response: '8503' },
    { name: 'register value out of range', pdu: '0600000065', response: '8603' },
    { name: 'short request', pdu: '030000', response: '8303' },
    { name: 'byte count mismatch', pdu: '100000000104000a', response: '9003' },
  ])('$name', ({ pdu, response }) => {
    expect(hex(handlePdu(Buffer.from(pdu, 'hex'), unit()).response)).toBe(response);
  });

  it('answers exception 0B for a unit that is not behind the gateway', () => {
    expect(hex(handlePdu(Buffer.from('0300000001', 'hex'), undefined).response)).toBe('830b');
  });

  it('reports which fields a write changed, and the value sticks', () => {
    const u = unit();
    expect(handlePdu(Buffer.from('0f000000020101', 'hex'), u).written).toEqual(['relay-1', 'relay-2']);
    expect(u.get('relay-1')).toBe(true);
    expect(u.get('relay-2')).toBe(false);
  });
});
