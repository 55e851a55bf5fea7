import { describe, expect, it } from 'vitest';
import type { RunCheckpoint } from '../../contracts/patrols.js';
import { compliance, complianceCsv, type FinishedRun } from './compliance.js';

const TZ = 'Asia/Shanghai';
const cp = (index: number, status: RunCheckpoint['status'], extra: Partial<RunCheckpoint> = {}): RunCheckpoint => ({ checkpoint: `c${index}`, index, due: 0, opens: 0, closes: 0, status, ...extra });
const run = (runId: string, tour: string, assignee: string | null, start: string, cps: RunCheckpoint[], shift = 'night'): FinishedRun => ({ runId, tour, shift, area: tour === 'clean' ? 'a/l01' : 'a', assignee, start: Date.parse(start), checkpoints: cps });

const runs = [
  run('r1', 'night', 'g1', '2026-02-28T23:30:00+08:00', [cp(0, 'on_time'), cp(1, 'late'), cp(2, 'missed'), cp(3, 'on_time', { outOfOrder: true })]),
  run('r2', 'night', 'g2', '2026-03-01T02:00:00+08:00', [cp(0, 'on_time'), cp(1, 'on_time'), cp(2, 'early'), cp(3, 'on_time')]),
  run('r3', 'clean', null, '2026-03-02T09:00:00+08:00', [cp(0, 'on_time', { rating: 4 }), cp(1, 'late', { rating: 2, failed: ['floor'] })], 'day'),
];
const facts = (runId: string, i: number) =>
  runId === 'r3' ? { manual: false, offline: i === 1, itemsTotal: 3, itemsFailed: i === 1 ? 1 : 0 } : runId === 'r1' && i === 0 ? { manual: true, offline: false, itemsTotal: 0, itemsFailed: 0 } : undefined;

describe('compliance', () => {
  it.each([
    ['tour', [['clean', 1, 2, 1, 0.5], ['night', 2, 8, 5, 0.625]]],
    ['person', [['(unassigned)', 1, 2, 1, 0.5], ['g1', 1, 4, 2, 0.5], ['g2', 1, 4, 3, 0.75]]],
    ['shift', [['day', 1, 2, 1, 0.5], ['night', 2, 8, 5, 0.625]]],
    ['area', [['a', 2, 8, 5, 0.625], ['a/l01', 1, 2, 1, 0.5]]],
    // r1 starts 23:30 on 28 Feb local time (15:30 UTC): February in Shanghai, not March.
    ['month', [['2026-02', 1, 4, 2, 0.5], ['2026-03', 2, 6, 4, 0.6667]]],
  ] as const)('by %s: key, runs, planned, on time, compliance', (by, expected) => {
    const r = compliance(runs, by, TZ, facts);
    expect(r.rows.map((x) => [x.key, x.runs, x.planned, x.onTime, x.compliance])).toEqual(expected);
  });

  it('totals late, missed, early, order, manual, offline, ratings and items', () => {
    const { total } = compliance(runs, 'tour', TZ, facts);
    expect(total).toEqual({ key: 'total', runs: 3, planned: 10, onTime: 6, early: 1, late: 2, missed: 1, outOfOrder: 1, manual: 1, offline: 1, compliance: 0.6, meanRating: 3, itemsPassed: 0.8333 });
  });

  it('has no ratio without data', () => {
    expect(compliance([], 'tour', TZ, () => undefined).total).toMatchObject({ planned: 0, compliance: null, meanRating: null, itemsPassed: null });
  });

  it('writes CSV with a header, rows and the total, neutralising formulas', () => {
    const { rows, total } = compliance([run('r9', '=cmd', 'g1', '2026-03-01T02:00:00+08:00', [cp(0, 'on_time')])], 'tour', TZ, () => undefined);
    const csv = complianceCsv('tour', rows, total).split('\r\n');
    expect(csv[0]).toBe('tour,runs,planned,onTime,early,late,missed,outOfOrder,manual,offline,compliance,meanRating,itemsPassed');
    expect(csv[1]).toBe("'=cmd,1,1,1,0,0,0,0,0,0,1,,");
    expect(csv[2]).toBe('total,1,1,1,0,0,0,0,0,0,1,,');
  });
});
