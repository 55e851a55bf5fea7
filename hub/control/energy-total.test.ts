import { describe, expect, it } from 'vitest';
import { totalOfDeltas } from './energy-total.js';

describe('totalOfDeltas', () => {
  const table: Array<[string, Array<Array<{ delta: number }>>, number | null]> = [
    ['no meters', [], null],
    ['meters without a reading in the period: unknown, not zero', [[], []], null],
    ['a real zero consumption stays zero', [[{ delta: 0 }]], 0],
    ['sums across meters and rows', [[{ delta: 1.5 }, { delta: 2 }], [{ delta: 0.25 }]], 3.75],
    ['rounds to 0.001', [[{ delta: 0.1 }, { delta: 0.2 }]], 0.3],
  ];
  it.each(table)('%s', (_name, perMeter, expected) => {
    expect(totalOfDeltas(perMeter)).toBe(expected);
  });
});
