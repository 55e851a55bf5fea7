import { describe, expect, it } from 'vitest';
import { MAX_BITS_PER_READ, MAX_REGISTERS_PER_READ, planReads, type PlanPoint } from './plan.js';

const opts = { maxGap: 8, maxGapBits: 32 };
const hr = (address: number, width = 1, unitId = 1, pointId = `h${unitId}-${address}`): PlanPoint => ({
  pointId, unitId, table: 'holding', address, width,
});

/** Compact view: "unit/table start+count: ids". */
function view(points: PlanPoint[], o = opts): string[] {
  return planReads(points, o).map((r) => `${r.unitId}/${r.table} ${r.start}+${r.count}: ${r.points.map((p) => `${p.pointId}@${p.offset}`).join(',')}`);
}

describe('planReads', () => {
  const table: Array<{ name: string; points: PlanPoint[]; options?: typeof opts; expected: string[] }> = [
    { name: 'empty', points: [], expected: [] },
    { name: 'one point', points: [hr(10)], expected: ['1/holding 10+1: h1-10@0'] },
    {
      name: 'contiguous registers make one request',
      points: [hr(0), hr(1), hr(2, 2), hr(4)],
      expected: ['1/holding 0+5: h1-0@0,h1-1@1,h1-2@2,h1-4@4'],
    },
    {
      name: 'gap equal to maxGap is bridged',
      points: [hr(0), hr(9)], // registers 1..8 unused: gap 8
      expected: ['1/holding 0+10: h1-0@0,h1-9@9'],
    },
    {
      name: 'gap above maxGap splits',
      points: [hr(0), hr(10)],
      expected: ['1/holding 0+1: h1-0@0', '1/holding 10+1: h1-10@0'],
    },
    {
      name: 'maxGap 0 only merges strictly contiguous',
      points: [hr(0), hr(1), hr(3)],
      options: { maxGap: 0, maxGapBits: 0 },
      expected: ['1/holding 0+2: h1-0@0,h1-1@1', '1/holding 3+1: h1-3@0'],
    },
    {
      name: 'unsorted input is sorted',
      points: [hr(5), hr(1), hr(3)],
      expected: ['1/holding 1+5: h1-1@0,h1-3@2,h1-5@4'],
    },
    {
      name: 'bits of one register share it',
      points: [
        { pointId: 'b3', unitId: 1, table: 'holding', address: 7, width: 1 },
        { pointId: 'b0', unitId: 1, table: 'holding', address: 7, width: 1 },
      ],
      expected: ['1/holding 7+1: b0@0,b3@0'],
    },
    {
      name: 'units and tables are never mixed; order unit, holding, input, coil, discrete',
      points: [
        { pointId: 'd', unitId: 1, table: 'discrete', address: 0, width: 1 },
        { pointId: 'c', unitId: 1, table: 'coil', address: 0, width: 1 },
        { pointId: 'i', unitId: 1, table: 'input', address: 0, width: 1 },
        { pointId: 'u2', unitId: 2, table: 'holding', address: 0, width: 1 },
        { pointId: 'h', unitId: 1, table: 'holding', address: 1, width: 1 },
      ],
      expected: ['1/holding 1+1: h@0', '1/input 0+1: i@0', '1/coil 0+1: c@0', '1/discrete 0+1: d@0', '2/holding 0+1: u2@0'],
    },
    {
      name: 'coils bridge up to maxGapBits',
      points: [
        { pointId: 'c0', unitId: 1, table: 'coil', address: 0, width: 1 },
        { pointId: 'c33', unitId: 1, table: 'coil', address: 33, width: 1 },
        { pointId: 'c67', unitId: 1, table: 'coil', address: 67, width: 1 },
      ],
      expected: ['1/coil 0+34: c0@0,c33@33', '1/coil 67+1: c67@0'],
    },
  ];
  it.each(table)('$name', ({ points, options, expected }) => {
    expect(view(points, options)).toEqual(expected);
  });

  it('splits holding registers at 125 per request', () => {
    const points = Array.from({ length: 300 }, (_, i) => hr(i));
    const reqs = planReads(points, opts);
    expect(reqs.map((r) => [r.start, r.count])).toEqual([[0, 125], [125, 125], [250, 50]]);
    expect(reqs.flatMap((r) => r.points)).toHaveLength(300);
  });

  it('never splits a 32-bit value across requests', () => {
    // 62 float32 fill 0..123, one more at 124 would need registers 124..125 → 126 > 125
    const points = Array.from({ length: 63 }, (_, i) => hr(i * 2, 2));
    const reqs = planReads(points, opts);
    expect(reqs.map((r) => [r.start, r.count])).toEqual([[0, 124], [124, 2]]);
    for (const r of reqs) {
      expect(r.count).toBeLessThanOrEqual(MAX_REGISTERS_PER_READ);
      for (const p of r.points) expect(p.offset + p.width).toBeLessThanOrEqual(r.count);
    }
  });

  it('a 32-bit value at the very top of the address space fits', () => {
    expect(view([hr(65534, 2)])).toEqual(['1/holding 65534+2: h1-65534@0']);
  });

  it('splits coils at 2000 per request', () => {
    const points: PlanPoint[] = Array.from({ length: 4500 }, (_, i) => ({ pointId: `c${i}`, unitId: 3, table: 'coil', address: i, width: 1 }));
    const reqs = planReads(points, opts);
    expect(reqs.map((r) => [r.start, r.count])).toEqual([[0, MAX_BITS_PER_READ], [2000, 2000], [4000, 500]]);
  });

  it('does not bridge a gap when that would exceed the limit', () => {
    // 0..119 used, next block at 124 (gap 4 ≤ 8) but 124+2 → 126 registers
    const points = [...Array.from({ length: 120 }, (_, i) => hr(i)), hr(124, 2)];
    expect(planReads(points, opts).map((r) => [r.start, r.count])).toEqual([[0, 120], [124, 2]]);
  });

  it('offsets point at each point inside its request', () => {
    const reqs = planReads([hr(100), hr(103, 2), hr(110)], opts);
    expect(reqs).toEqual([
      { unitId: 1, table: 'holding', start: 100, count: 11, points: [
        { pointId: 'h1-100', offset: 0, width: 1 },
        { pointId: 'h1-103', offset: 3, width: 2 },
        { pointId: 'h1-110', offset: 10, width: 1 },
      ] },
    ]);
  });
});
