import { describe, expect, it } from 'vitest';
import { accessSpecs, planBatches, READ_PROPS, renewAfterMs } from './plan.js';

const objs = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 0, instance: i }));

describe('planBatches', () => {
  it.each([
    [0, 16, []],
    [1, 16, [1]],
    [16, 16, [16]],
    [17, 16, [16, 1]],
    [2000, 16, [...Array(125).fill(16)]],
    [5, 1, [1, 1, 1, 1, 1]],
  ])('%i objects, %i per request → batch sizes %j', (n, max, sizes) => {
    expect(planBatches(objs(n), max).map((b) => b.length)).toEqual(sizes);
  });

  it('reads an object once even when several points use it', () => {
    const batches = planBatches([{ type: 2, instance: 1 }, { type: 2, instance: 1 }, { type: 0, instance: 1 }], 10);
    expect(batches).toEqual([[{ type: 2, instance: 1 }, { type: 0, instance: 1 }]]);
  });

  it('refuses a batch size below 1', () => expect(() => planBatches(objs(1), 0)).toThrow(/maxObjects/));

  it('asks for value, status flags, reliability and out-of-service of each object', () => {
    expect(READ_PROPS).toEqual([85, 111, 103, 81]);
    expect(accessSpecs([{ type: 2, instance: 7 }])).toEqual([{ objectId: { type: 2, instance: 7 }, properties: [{ id: 85 }, { id: 111 }, { id: 103 }, { id: 81 }] }]);
  });
});

describe('renewAfterMs', () => {
  it.each([[300, 150_000], [30, 15_000], [1, 1000]])('lifetime %i s → renew after %i ms', (s, ms) => expect(renewAfterMs(s)).toBe(ms));
});
