import { describe, expect, it } from 'vitest';
import type { RunCheckpoint, RunStatus } from '../../../../contracts/patrols.js';
import { isCheckpointCode, mergeRuns, nextStop, progress, ScanQueue, wallOrder } from './patrols-model.js';

const cp = (checkpoint: string, status: RunCheckpoint['status'], scannedAt?: number): RunCheckpoint => ({ checkpoint, index: 0, due: 0, opens: 0, closes: 0, status, ...(scannedAt ? { scannedAt } : {}) });
const run = (runId: string, state: RunStatus['state'], start: number, overdue: string[] = [], cps: RunCheckpoint[] = []): RunStatus => ({
  runId, tour: runId, kind: 'guard', shift: 'night', date: '2026-03-04', dayType: 'workday', start, end: start + 1, assignee: 'g', state, checkpoints: cps, overdue,
  counts: { pending: 0, on_time: 0, early: 0, late: 0, missed: 0 },
});

function memoryStore() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
}

describe('patrol page model', () => {
  it.each([
    ['WFP1.lobby.1.abcdefghijklmnopqrstuv', true], ['WFP1.lobby.1', false], ['https://example.com', false], ['', false],
  ])('isCheckpointCode(%j) = %s', (text, ok) => {
    expect(isCheckpointCode(text)).toBe(ok);
  });

  it('finds the next stop and the progress', () => {
    const r = run('r', 'in_progress', 0, [], [cp('a', 'on_time', 5), cp('b', 'missed'), cp('c', 'pending'), cp('d', 'pending')]);
    expect(nextStop(r)?.checkpoint).toBe('c');
    expect(progress(r)).toEqual({ done: 1, total: 4, pct: 25 });
  });

  it('puts overdue runs first on the wall, then in progress, then upcoming', () => {
    const order = wallOrder([run('u', 'upcoming', 1), run('p2', 'in_progress', 3), run('late', 'in_progress', 5, ['x']), run('p1', 'in_progress', 2)]).map((r) => r.runId);
    expect(order).toEqual(['late', 'p1', 'p2', 'u']);
  });

  it('queues offline scans, sends them in order, drops refusals and keeps the rest when still offline', async () => {
    const q = new ScanQueue(memoryStore(), 'g');
    q.add({ scanId: 's1', token: 't1' });
    q.add({ scanId: 's2', token: 't2' });
    expect(q.add({ scanId: 's3', token: 't3' })).toBe(3);
    expect(q.items().every((s) => s.offline)).toBe(true);
    const seen: string[] = [];
    const r = await q.flush(async (s) => {
      seen.push(s.scanId);
      if (s.scanId === 's2') throw { status: 409, message: 'replayed' };
      if (s.scanId === 's3') throw { status: 0, message: 'offline' };
    });
    expect(seen).toEqual(['s1', 's2', 's3']);
    expect(r).toEqual({ sent: 1, refused: [{ scan: { scanId: 's2', token: 't2', offline: true }, message: 'replayed' }], kept: 1 });
    expect(q.items().map((s) => s.scanId)).toEqual(['s3']);
  });
});

describe('mergeRuns', () => {
  const r = (runId: string, state: RunStatus['state']) => ({ runId, state }) as RunStatus;
  it.each([
    ['a changed run replaces its old self', [r('a', 'upcoming'), r('b', 'in_progress')], [r('a', 'in_progress')], [['a', 'in_progress'], ['b', 'in_progress']]],
    ['a new run is added', [r('a', 'in_progress')], [r('c', 'upcoming')], [['a', 'in_progress'], ['c', 'upcoming']]],
    ['nothing changed', [r('a', 'in_progress')], [], [['a', 'in_progress']]],
    ['from nothing', [], [r('a', 'done')], [['a', 'done']]],
  ] as const)('%s', (_n, current, changed, expected) => {
    expect(mergeRuns(current, changed).map((x) => [x.runId, x.state])).toEqual(expected);
  });
});
