import { describe, expect, it } from 'vitest';
import type { WorkOrder } from '../../contracts/workorders.js';
import { computeStats, statsCsv } from './stats.js';

const M = 60_000;
const t0 = Date.parse('2026-03-02T09:00:00+08:00');
function wo(p: Partial<WorkOrder>): WorkOrder {
  return {
    id: 1, version: 1, state: 'closed', source: 'manual', title: 't', description: '', trade: 'electrical', area: 'a/l01/r1', priority: 'high',
    requester: 'r', assignee: 'e1', escalation: 0, createdAt: t0, respondBy: t0 + 30 * M, fixBy: t0 + 480 * M, escalateAt: null, parts: [], photos: [], ...p,
  };
}

describe('work-order statistics', () => {
  const orders = [
    wo({ id: 1, acceptedAt: t0 + 10 * M, doneAt: t0 + 100 * M, device: 'lamp-1', parts: [{ name: 'ballast', qty: 2, damaged: true }, { name: 'tube', qty: 2 }], rating: { score: 5, by: 'r', at: 0 } }),
    wo({ id: 2, acceptedAt: t0 + 50 * M, doneAt: t0 + 200 * M, device: 'lamp-1', rating: { score: 3, by: 'r', at: 0 } }), // late response
    wo({ id: 3, trade: 'plumbing', area: 'b/b1', assignee: 'p1', state: 'assigned', createdAt: Date.parse('2026-04-01T09:00:00+08:00') }),
    wo({ id: 4, state: 'cancelled', device: 'lamp-1' }),
  ];

  it.each([
    ['trade', [
      { key: 'electrical', orders: 2, closed: 2, mttaMin: 30, mttrMin: 150, slaPercent: 50, partsUsed: 4, partsDamaged: 2, damageRate: 50, satisfaction: 4 },
      { key: 'plumbing', orders: 1, closed: 0, mttaMin: null, mttrMin: null, slaPercent: null, partsUsed: 0, partsDamaged: 0, damageRate: null, satisfaction: null },
    ]],
    ['area', [{ key: 'a/l01', orders: 2 }, { key: 'b/b1', orders: 1 }]],
    ['month', [{ key: '2026-03', orders: 2 }, { key: '2026-04', orders: 1 }]],
    ['person', [{ key: 'e1', orders: 2 }, { key: 'p1', orders: 1 }]],
  ] as const)('by %s', (by, want) => {
    const s = computeStats(orders, by, 'Asia/Shanghai');
    expect(s.rows).toMatchObject(want);
    expect(s.repeatFaults).toEqual([{ device: 'lamp-1', count: 3 }]);
  });

  it('CSV has a header, one line per row, and defuses formulas', () => {
    const csv = statsCsv(computeStats([wo({ assignee: '=cmd()' })], 'person', 'UTC'));
    expect(csv.split('\r\n')[0]).toBe('\ufeffperson,orders,closed,mtta_min,mttr_min,sla_percent,parts_used,parts_damaged,damage_rate_percent,satisfaction');
    expect(csv.split('\r\n')[1]).toBe(`"'=cmd()",1,1,,,,0,0,,`);
  });
});
