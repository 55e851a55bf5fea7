// The simulator's own encoding checked against byte strings worked out by hand from ASHRAE 135
// clause 20.2 (and the examples of Annex F), so it does not depend on any BACnet library.
import { describe, expect, it } from 'vitest';
import { Reader, Writer, type AppValue } from './codec.js';
import { apdu, frame, parsePacket } from './frame.js';
import { BacObject, OT, PROP } from './objects.js';

const hex = (b: Buffer) => b.toString('hex');

describe('application tags (135 clause 20.2)', () => {
  it.each<[AppValue, string]>([
    [{ t: 'null' }, '00'],
    [{ t: 'bool', v: true }, '11'],
    [{ t: 'bool', v: false }, '10'],
    [{ t: 'unsigned', v: 72 }, '2148'],
    [{ t: 'unsigned', v: 1476 }, '2205c4'],
    [{ t: 'signed', v: -1 }, '31ff'],
    [{ t: 'signed', v: 300 }, '32012c'],
    [{ t: 'real', v: 72.5 }, '4442910000'],
    [{ t: 'enum', v: 62 }, '913e'],
    [{ t: 'string', v: 'AHU' }, '7400414855'], // length 4 (charset byte + 3) fits in the tag
    [{ t: 'bits', v: [false, true, false, false] }, '820440'], // 4 unused bits, bit 1 = 0x40
    [{ t: 'oid', type: OT.AI, instance: 1011 }, 'c4000003f3'],
    [{ t: 'oid', type: OT.DEVICE, instance: 260001 }, 'c40203f7a1'], // (8 << 22) | 260001 = 0x0203f7a1
  ])('%j ↔ %s', (value, bytes) => {
    expect(hex(new Writer().app(value).toBuffer())).toBe(bytes);
    expect(new Reader(Buffer.from(bytes, 'hex')).app()).toEqual(value);
  });

  it('long strings use the extended length byte', () => {
    const s = 'x'.repeat(10);
    const b = new Writer().app({ t: 'string', v: s }).toBuffer();
    expect(hex(b.subarray(0, 3))).toBe('750b00'); // tag 7, L=5 → next byte = 11 (10 chars + charset)
    expect(new Reader(b).app()).toEqual({ t: 'string', v: s });
  });

  it('context tags, opening and closing tags', () => {
    const b = new Writer().ctxOid(0, OT.AV, 3).ctxUnsigned(1, PROP.PRESENT_VALUE).open(3).app({ t: 'real', v: 1 }).close(3).toBuffer();
    expect(hex(b)).toBe('0c00800003' + '1955' + '3e' + '443f800000' + '3f');
    const r = new Reader(b);
    expect(r.ctxOid(0)).toEqual({ type: OT.AV, instance: 3 });
    expect(r.ctxUnsigned(1)).toBe(85);
    r.expectOpen(3);
    expect(r.app()).toEqual({ t: 'real', v: 1 });
    r.expectClose(3);
    expect(r.done).toBe(true);
  });
});

describe('frames', () => {
  it('parses a ReadProperty request as a client sends it (Annex F.3.5 shape)', () => {
    // BVLC unicast, NPDU expecting reply, confirmed request invoke 1, service 12, AI:1011 present-value
    const pkt = Buffer.from('810a0011' + '0104' + '0005010c' + '0c000003f3' + '1955', 'hex');
    const got = parsePacket(pkt)!;
    expect(got).toMatchObject({ pduType: 0, invokeId: 1, service: 12 });
    expect(got.body.ctxOid(0)).toEqual({ type: 0, instance: 1011 });
    expect(got.body.ctxUnsigned(1)).toBe(85);
  });

  it('refuses a BVLC length that does not match the datagram', () => {
    expect(() => parsePacket(Buffer.from('810a00ff0100', 'hex'))).toThrow(/BVLC length/);
  });

  it('frames a simple ack and an error', () => {
    expect(hex(frame(apdu.simpleAck(7, 15)))).toBe('810a0009' + '0100' + '20070f');
    expect(hex(frame(apdu.error(7, 15, 2, 40)))).toBe('810a000d' + '0100' + '50070f' + '9102' + '9128');
  });
});

describe('priority array (135 clause 19.2)', () => {
  const av = () => new BacObject({ type: OT.AV, instance: 1, name: 'SP', value: 21, commandable: true, min: 10, max: 30 });
  it.each<[string, Array<[AppValue, number | undefined]>, number, number | null]>([
    ['relinquish default when empty', [], 21, null],
    ['a write without priority lands at 16', [[{ t: 'real', v: 22 }, undefined]], 22, 16],
    ['the highest (lowest-numbered) slot wins', [[{ t: 'real', v: 22 }, 16], [{ t: 'real', v: 25 }, 8], [{ t: 'real', v: 23 }, 12]], 25, 8],
    ['NULL relinquishes back to the next', [[{ t: 'real', v: 22 }, 16], [{ t: 'real', v: 25 }, 8], [{ t: 'null' }, 8]], 22, 16],
  ])('%s', (_, writes, pv, active) => {
    const o = av();
    for (const [v, p] of writes) expect(o.write(PROP.PRESENT_VALUE, v, p)).toBeNull();
    expect(o.presentValue()).toBe(pv);
    expect(o.activePriority()).toBe(active);
  });
  it('refuses priority 6, out-of-range values and the wrong type', () => {
    expect(av().write(PROP.PRESENT_VALUE, { t: 'real', v: 22 }, 6)).toEqual({ cls: 2, code: 37 });
    expect(av().write(PROP.PRESENT_VALUE, { t: 'real', v: 40 }, 8)).toEqual({ cls: 2, code: 37 });
    expect(av().write(PROP.PRESENT_VALUE, { t: 'string', v: 'x' }, 8)).toEqual({ cls: 2, code: 9 });
  });
  it('inputs take writes only while out of service', () => {
    const ai = new BacObject({ type: OT.AI, instance: 1, name: 'T', value: 20 });
    expect(ai.write(PROP.PRESENT_VALUE, { t: 'real', v: 5 }, undefined)).toEqual({ cls: 2, code: 40 });
    ai.outOfService = true;
    expect(ai.write(PROP.PRESENT_VALUE, { t: 'real', v: 5 }, undefined)).toBeNull();
    expect(ai.presentValue()).toBe(5);
    expect(ai.statusFlags()).toEqual([false, false, false, true]);
  });
});
