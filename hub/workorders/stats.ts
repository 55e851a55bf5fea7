// 统计报修: orders per trade, area, month or person — mean time to acknowledge (accept) and to fix,
// SLA compliance, parts used and damage rate, satisfaction — and repeat faults per device. Pure.
import { localParts } from '../../contracts/timezone.js';
import type { StatsRow, WorkOrder, WorkOrderStats } from '../../contracts/workorders.js';

export type StatsBy = WorkOrderStats['by'];
export const STATS_BY: readonly StatsBy[] = ['trade', 'area', 'month', 'person'];

function keyOf(o: WorkOrder, by: StatsBy, tz: string): string {
  switch (by) {
    case 'trade': return o.trade;
    case 'area': return o.area.split('/').slice(0, 2).join('/');
    case 'month': {
      const p = localParts(o.createdAt, tz);
      return `${p.year}-${String(p.month).padStart(2, '0')}`;
    }
    case 'person': return o.assignee ?? '(unassigned)';
  }
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const round = (x: number | null, d = 1) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);

export function computeStats(orders: readonly WorkOrder[], by: StatsBy, tz: string): WorkOrderStats {
  const groups = new Map<string, WorkOrder[]>();
  for (const o of orders) {
    if (o.state === 'cancelled') continue;
    const k = keyOf(o, by, tz);
    const g = groups.get(k);
    if (g) g.push(o);
    else groups.set(k, [o]);
  }
  const rows: StatsRow[] = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, os]) => {
    const finished = os.filter((o) => o.doneAt !== undefined);
    const met = finished.filter((o) => (o.acceptedAt ?? Infinity) <= o.respondBy && o.doneAt! <= o.fixBy);
    const parts = os.flatMap((o) => o.parts);
    const used = parts.reduce((a, p) => a + p.qty, 0);
    const damaged = parts.filter((p) => p.damaged).reduce((a, p) => a + p.qty, 0);
    const ratings = os.flatMap((o) => (o.rating ? [o.rating.score] : []));
    return {
      key, orders: os.length, closed: os.filter((o) => o.state === 'closed').length,
      mttaMin: round(mean(os.flatMap((o) => (o.acceptedAt !== undefined ? [(o.acceptedAt - o.createdAt) / 60_000] : [])))),
      mttrMin: round(mean(finished.map((o) => (o.doneAt! - o.createdAt) / 60_000))),
      slaPercent: finished.length ? round((met.length / finished.length) * 100) : null,
      partsUsed: used, partsDamaged: damaged, damageRate: used ? round((damaged / used) * 100) : null,
      satisfaction: round(mean(ratings), 2),
    };
  });
  const devices = new Map<string, number>();
  for (const o of orders) if (o.device) devices.set(o.device, (devices.get(o.device) ?? 0) + 1);
  const repeatFaults = [...devices.entries()].filter(([, n]) => n > 1).map(([device, count]) => ({ device, count })).sort((a, b) => b.count - a.count || a.device.localeCompare(b.device));
  return { by, rows, repeatFaults };
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote, and defuse spreadsheet formulas (=, +, -, @ at the start).
  return /^[=+\-@]/.test(s) || /[",\n]/.test(s) ? `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"` : s;
};

export function statsCsv(s: WorkOrderStats): string {
  const head = [s.by, 'orders', 'closed', 'mtta_min', 'mttr_min', 'sla_percent', 'parts_used', 'parts_damaged', 'damage_rate_percent', 'satisfaction'];
  const lines = s.rows.map((r) => [r.key, r.orders, r.closed, r.mttaMin, r.mttrMin, r.slaPercent, r.partsUsed, r.partsDamaged, r.damageRate, r.satisfaction].map(csvCell).join(','));
  return `\ufeff${[head.join(','), ...lines].join('\r\n')}\r\n`;
}
