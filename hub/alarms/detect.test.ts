import { describe, expect, it } from 'vitest';
import type { PointState, Quality } from '../../contracts/point.js';
import { detectRaw, newRateMemory } from './detect.js';
import type { Detector } from './rules.js';
import { ps } from './test-fixtures.js';

const P = 'hq/a/l03/server-301/env-1/temp';
const SP = 'hq/a/l03/server-301/crac-1/setpoint';
const none = () => undefined;

describe('limit detector with deadband', () => {
  const high: Detector = { kind: 'limit', direction: 'high', value: 28, deadband: 1 };
  const low: Detector = { kind: 'limit', direction: 'low', value: 10, deadband: 2 };
  it.each([
    ['high: below the limit stays inactive', high, false, 27.9, false],
    ['high: at the limit is not above it', high, false, 28, false],
    ['high: above the limit activates', high, false, 28.1, true],
    ['high: active stays active inside the deadband', high, true, 27.5, true],
    ['high: active stays active at limit − deadband', high, true, 27, false],
    ['high: active clears below limit − deadband', high, true, 26.9, false],
    ['low: below activates', low, false, 9.9, true],
    ['low: active inside deadband stays', low, true, 11.9, true],
    ['low: active clears past limit + deadband', low, true, 12.1, false],
  ] as Array<[string, Detector, boolean, number, boolean]>)('%s', (_n, d, prev, v, want) => {
    expect(detectRaw(d, ps(P, v), prev, none)).toBe(want);
  });

  it.each(['comm_fail', 'stale', 'bad'] as Quality[])('holds the previous condition on %s data', (q) => {
    expect(detectRaw(high, ps(P, 50, 0, q), false, none)).toBe(false);
    expect(detectRaw(high, ps(P, 0, 0, q), true, none)).toBe(true);
  });
  it('holds on a missing state or a null value', () => {
    expect(detectRaw(high, undefined, true, none)).toBe(true);
    expect(detectRaw(high, ps(P, null), true, none)).toBe(true);
  });
});

describe('state detector', () => {
  it('binary true, also when the driver sends 1', () => {
    const d: Detector = { kind: 'state', values: [true] };
    expect(detectRaw(d, ps(P, true), false, none)).toBe(true);
    expect(detectRaw(d, ps(P, 1), false, none)).toBe(true);
    expect(detectRaw(d, ps(P, false), true, none)).toBe(false);
  });
  it('multistate listed states', () => {
    const d: Detector = { kind: 'state', values: [2, 3] };
    expect([0, 1, 2, 3].map((v) => detectRaw(d, ps(P, v), false, none))).toEqual([false, false, true, true]);
  });
});

describe('rate of change detector', () => {
  const d: Detector = { kind: 'rate', maxRisePerMin: 2, maxFallPerMin: 5 };
  it('compares samples at least half a minute apart, per minute, in both directions', () => {
    const mem = newRateMemory();
    const seq: Array<[number, number, boolean]> = [
      [0, 20, false], // first sample: nothing to compare
      [60_000, 21, false], // +1/min
      [90_000, 22.5, true], // +3/min
      [150_000, 22.5, false],
      [180_000, 20, false], // −5/min: not more than 5
      [210_000, 17, true], // −6/min
    ];
    let prev = false;
    for (const [t, v, want] of seq) {
      prev = detectRaw(d, ps(P, v, t), prev, none, mem);
      expect([t, prev]).toEqual([t, want]);
    }
  });
  it('does not read one step of sensor resolution between close polls as a fast rise', () => {
    const mem = newRateMemory();
    // 0.1 °C flicker every second: 6 °C/min sample to sample, 0 over the half minute.
    let prev = false;
    for (let i = 0; i <= 90; i++) prev = detectRaw(d, ps(P, i % 2 ? 23.2 : 23.1, i * 1000), prev, none, mem);
    expect(prev).toBe(false);
    // A real rise of 3 °C/min over the same polls still raises.
    for (let i = 91; i <= 150; i++) prev = detectRaw(d, ps(P, 23.1 + ((i - 90) * 3) / 60, i * 1000), prev, none, mem);
    expect(prev).toBe(true);
  });
  it('ignores an out-of-order sample', () => {
    const mem = newRateMemory();
    detectRaw(d, ps(P, 20, 60_000), false, none, mem);
    expect(detectRaw(d, ps(P, 100, 30_000), false, none, mem)).toBe(false);
    expect(mem).toEqual({ lastValue: 20, lastTs: 60_000 });
  });
});

describe('deviation detector', () => {
  const d: Detector = { kind: 'deviation', setpoint: SP, maxDeviation: 3, deadband: 0.5 };
  const sp = (v: number, q: Quality = 'good') => (id: string): PointState | undefined => (id === SP ? ps(SP, v, 0, q) : undefined);
  it.each([
    [false, 24, 22, false],
    [false, 25.1, 22, true],
    [false, 18.9, 22, true],
    [true, 24.6, 22, true], // inside deadband
    [true, 24.4, 22, false],
  ])('prev %s, value %s, setpoint %s → %s', (prev, v, s, want) => {
    expect(detectRaw(d, ps(P, v), prev, sp(s))).toBe(want);
  });
  it('holds while the setpoint is not trusted', () => {
    expect(detectRaw(d, ps(P, 40), false, sp(22, 'comm_fail'))).toBe(false);
    expect(detectRaw(d, ps(P, 22), true, sp(22, 'stale'))).toBe(true);
  });
});

describe('comm-fail detector', () => {
  it('is the comm_fail quality, whatever the value', () => {
    const d: Detector = { kind: 'comm-fail' };
    expect(detectRaw(d, ps(P, 20, 0, 'comm_fail'), false, none)).toBe(true);
    expect(detectRaw(d, ps(P, 20, 0, 'good'), true, none)).toBe(false);
    expect(detectRaw(d, ps(P, 20, 0, 'stale'), false, none)).toBe(false);
  });
});
