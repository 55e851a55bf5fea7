// Compliance per tour, person, shift, area or month over finished runs: on time, early, late,
// missed, out of order, manual and offline scans, inspection ratings and items passed. Pure; the
// CSV is what issue #20's reports read (docs/patrols.md).
import type { ComplianceBy, ComplianceRow, RunCheckpoint } from '../../contracts/patrols.js';
import { localParts } from '../../contracts/timezone.js';

export interface FinishedRun {
  runId: string;
  tour: string;
  shift: string;
  area: string;
  assignee: string | null;
  start: number;
  checkpoints: RunCheckpoint[];
}

/** Per scan facts the run judgement does not carry. */
export interface ScanFacts { manual: boolean; offline: boolean; itemsTotal: number; itemsFailed: number }

export function emptyRow(key: string): ComplianceRow {
  return { key, runs: 0, planned: 0, onTime: 0, early: 0, late: 0, missed: 0, outOfOrder: 0, manual: 0, offline: 0, compliance: null, meanRating: null, itemsPassed: null };
}

function keyOf(run: FinishedRun, by: ComplianceBy, tz: string): string {
  switch (by) {
    case 'tour': return run.tour;
    case 'person': return run.assignee ?? '(unassigned)';
    case 'shift': return run.shift;
    case 'area': return run.area;
    case 'month': {
      const p = localParts(run.start, tz);
      return `${p.year}-${String(p.month).padStart(2, '0')}`;
    }
  }
}

/** `facts(runId, checkpointIndex)` describes the scan that covered that stop, if any. */
export function compliance(runs: readonly FinishedRun[], by: ComplianceBy, tz: string, facts: (runId: string, index: number) => ScanFacts | undefined): { rows: ComplianceRow[]; total: ComplianceRow } {
  const acc = new Map<string, { row: ComplianceRow; ratingSum: number; ratings: number; items: number; failed: number }>();
  const total = { row: emptyRow('total'), ratingSum: 0, ratings: 0, items: 0, failed: 0 };
  for (const run of runs) {
    const k = keyOf(run, by, tz);
    let a = acc.get(k);
    if (!a) acc.set(k, (a = { row: emptyRow(k), ratingSum: 0, ratings: 0, items: 0, failed: 0 }));
    for (const t of [a, total]) {
      t.row.runs++;
      for (const c of run.checkpoints) {
        t.row.planned++;
        if (c.status === 'on_time') t.row.onTime++;
        else if (c.status === 'early') t.row.early++;
        else if (c.status === 'late') t.row.late++;
        else if (c.status === 'missed' || c.status === 'pending') t.row.missed++;
        if (c.outOfOrder) t.row.outOfOrder++;
        if (c.rating !== undefined) {
          t.ratingSum += c.rating;
          t.ratings++;
        }
        const f = facts(run.runId, c.index);
        if (f) {
          if (f.manual) t.row.manual++;
          if (f.offline) t.row.offline++;
          t.items += f.itemsTotal;
          t.failed += f.itemsFailed;
        }
      }
    }
  }
  const finish = (t: typeof total): ComplianceRow => ({
    ...t.row,
    compliance: t.row.planned > 0 ? round(t.row.onTime / t.row.planned) : null,
    meanRating: t.ratings > 0 ? round(t.ratingSum / t.ratings) : null,
    itemsPassed: t.items > 0 ? round((t.items - t.failed) / t.items) : null,
  });
  return { rows: [...acc.values()].map(finish).sort((a, b) => a.key.localeCompare(b.key)), total: finish(total) };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

const COLUMNS: Array<keyof ComplianceRow> = ['key', 'runs', 'planned', 'onTime', 'early', 'late', 'missed', 'outOfOrder', 'manual', 'offline', 'compliance', 'meanRating', 'itemsPassed'];

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  // A leading = + - @ would run as a formula in a spreadsheet (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function complianceCsv(by: ComplianceBy, rows: readonly ComplianceRow[], total: ComplianceRow): string {
  const head = [by, ...COLUMNS.slice(1)].join(',');
  return `${[head, ...[...rows, total].map((r) => COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\r\n')}\r\n`;
}
