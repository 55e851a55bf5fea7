import { describe, expect, it } from 'vitest';
import { ApplicationTag } from '@bacnet-js/client';
import cases from './cases/decode.json' with { type: 'json' };
import { encodeWrite, sampleOf, shortestFloat32, statusFlagsOf, type ObjectReading } from './decode.js';
import type { Family } from './objects.js';

describe('BACnet reading → sample (cases/decode.json)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const reading = c.reading as ObjectReading;
      // JSON has no NaN: a null REAL stands for the NaN a device may send.
      if (reading.presentValue?.value === null && reading.presentValue.type === ApplicationTag.REAL) reading.presentValue = { type: 4, value: NaN };
      const got = sampleOf(c.family as Family, reading);
      const want = { ...c.expect, detail: c.expect.detail?.replace('device sent null', 'device sent NaN') };
      expect(got.value).toEqual(want.value);
      expect(got.quality).toBe(want.quality);
      expect(got.detail).toBe(want.detail);
    });
  }
});

describe('shortestFloat32', () => {
  it.each([
    [21.700000762939453, 21.7],
    [0.10000000149011612, 0.1],
    [16, 16],
    [-40.5, -40.5],
    [3.4028234663852886e38, 3.4028235e38],
  ])('%d → %d', (raw, want) => expect(shortestFloat32(raw)).toBe(want));
});

describe('statusFlagsOf (the npm stack bit order: LSB of byte 0 is bit 0)', () => {
  it.each([
    [{ bitsUsed: 4, value: [0] }, [false, false, false, false]],
    [{ bitsUsed: 4, value: [0b0010] }, [false, true, false, false]],
    [{ bitsUsed: 4, value: [0b1001] }, [true, false, false, true]],
    [undefined, undefined],
  ])('%j', (raw, want) => expect(statusFlagsOf(raw)).toEqual(want));
});

describe('encodeWrite', () => {
  it.each([
    ['analog', 21.5, { type: ApplicationTag.REAL, value: 21.5 }],
    ['binary', true, { type: ApplicationTag.ENUMERATED, value: 1 }],
    ['binary', false, { type: ApplicationTag.ENUMERATED, value: 0 }],
    ['multistate', 3, { type: ApplicationTag.UNSIGNED_INTEGER, value: 3 }],
    ['analog', null, { type: ApplicationTag.NULL, value: null }],
    ['binary', null, { type: ApplicationTag.NULL, value: null }],
  ] as const)('%s %j', (family, value, want) => expect(encodeWrite(family, value)).toEqual(want));

  it.each([
    ['analog', 'hot', 'value "hot" is not a finite number'],
    ['analog', 1e39, 'value 1e+39 does not fit a BACnet REAL'],
    ['binary', 2, 'value 2 is not true/false'],
    ['multistate', 0, 'value 0 is not a state number (1..n)'],
    ['multistate', 1.5, 'value 1.5 is not a state number (1..n)'],
  ] as const)('refuses %s %j', (family, value, why) => expect(encodeWrite(family, value)).toBe(why));
});
