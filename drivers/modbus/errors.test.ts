import { describe, expect, it } from 'vitest';
import { classifyFailure, describeException, LinkClosedError, MODBUS_EXCEPTIONS } from './errors.js';

describe('Modbus exception mapping', () => {
  it.each([
    [1, 'bad', 'Modbus exception 1: Illegal Function'],
    [2, 'bad', 'Modbus exception 2: Illegal Data Address'],
    [3, 'bad', 'Modbus exception 3: Illegal Data Value'],
    [4, 'bad', 'Modbus exception 4: Server Device Failure'],
    [5, 'bad', 'Modbus exception 5: Acknowledge'],
    [6, 'bad', 'Modbus exception 6: Server Device Busy'],
    [7, 'bad', 'Modbus exception 7: Negative Acknowledge'],
    [8, 'bad', 'Modbus exception 8: Memory Parity Error'],
    [9, 'bad', 'Modbus exception 9: Unknown exception'],
    [10, 'comm_fail', 'Modbus exception 10: Gateway Path Unavailable'],
    [11, 'comm_fail', 'Modbus exception 11: Gateway Target Device Failed to Respond'],
    [99, 'bad', 'Modbus exception 99: Unknown exception'],
  ])('code %i → %s', (code, quality, detail) => {
    expect(describeException(code)).toEqual({ quality, detail });
  });
  it('covers 1..8, 10, 11 and nothing else', () => {
    expect(Object.keys(MODBUS_EXCEPTIONS).map(Number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10, 11]);
  });
});

describe('classifyFailure', () => {
  it('recognises modbus-serial exception errors', () => {
    const err = Object.assign(new Error('Modbus exception 2: Illegal data address'), { modbusCode: 2 });
    expect(classifyFailure(err, 1000)).toEqual({ kind: 'exception', code: 2, quality: 'bad', detail: 'Modbus exception 2: Illegal Data Address' });
  });
  it('recognises timeouts', () => {
    const err = Object.assign(new Error('Timed out'), { errno: 'ETIMEDOUT' });
    expect(classifyFailure(err, 750)).toEqual({ kind: 'timeout', quality: 'comm_fail', detail: 'no response within 750 ms' });
  });
  it('recognises a closed link', () => {
    expect(classifyFailure(new LinkClosedError('connection closed by peer'), 1000)).toEqual({ kind: 'closed', quality: 'comm_fail', detail: 'connection closed by peer' });
  });
  it('treats an RTU answer with a bad CRC as no answer', () => {
    expect(classifyFailure(new Error('CRC error'), 1000)).toEqual({ kind: 'other', quality: 'comm_fail', detail: 'answer failed its CRC check (line noise, or wrong baud rate / parity?)' });
  });
  it('keeps the message of anything else', () => {
    expect(classifyFailure(new Error('Data length error, expected 9 got 4'), 1000)).toEqual({ kind: 'other', quality: 'bad', detail: 'Data length error, expected 9 got 4' });
    expect(classifyFailure('weird', 1000).detail).toBe('weird');
  });
});
