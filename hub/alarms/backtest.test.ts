import { describe, expect, it } from 'vitest';
import type { PointInfo, PointValue } from '../../contracts/point.js';
import { backtest, chatteringCount, type Series } from './backtest.js';
import { aggregateFor, chooseResolution } from './backtest-history.js';
import { compileRules } from './rules.js';
import { alarmsFileSchema } from './schema.js';

const P = 'hq/a/l01/r1/env-1/t';
const SP = 'hq/a/l01/r1/env-1/sp';
const info = (id: string, kind: PointInfo['kind'] = 'analog'): PointInfo => ({ id, name: { en: id, 'zh-CN': id }, kind, writable: false, device: 'env-1', protocol: 't', intervalMs: 1000 });
const MSG = { en: 'm', 'zh-CN': 'm' };
const T0 = Date.UTC(2026, 0, 5, 0, 0, 0); // a Monday, 08:00 in Shanghai

function defsOf(rule: Record<string, unknown>, timeWindows: Record<string, unknown> = {}) {
  const file = alarmsFileSchema.parse({ timeWindows, rules: [{ id: 'r', point: P, message: MSG, ...rule }] });
  return { defs: compileRules(file, new Map([[P, info(P)], [SP, info(SP)]])).defs, timeWindows: file.timeWindows };
}
/** 1 s samples from values. */
const series = (values: PointValue[], start = T0, stepMs = 1000): Series => values.map((v, i) => [start + i * stepMs, v] as const);
const run = (rule: Record<string, unknown>, values: PointValue[], extra: Record<string, Series> = {}, timeWindows = {}) => {
  const { defs, timeWindows: tw } = defsOf(rule, timeWindows);
  return backtest(defs, new Map<string, Series>([[P, series(values)], ...Object.entries(extra)]), { from: T0, to: T0 + values.length * 1000, timezone: 'Asia/Shanghai', timeWindows: tw });
};

describe('backtest', () => {
  const cases: Array<{ name: string; rule: Record<string, unknown>; values: PointValue[]; activations: number; activeMs?: number; chattering?: number; extra?: Record<string, Series>; timeWindows?: Record<string, unknown> }> = [
    { name: 'a high limit crossed twice', rule: { type: 'limit', limits: { high: { value: 10 } } }, values: [5, 11, 12, 5, 5, 11, 5], activations: 2, activeMs: 3000 },
    { name: 'a deadband keeps it active through small dips', rule: { type: 'limit', deadband: 2, limits: { high: { value: 10 } } }, values: [5, 11, 9, 11, 9, 5], activations: 1 },
    { name: 'without the deadband the same data chatters', rule: { type: 'limit', limits: { high: { value: 10 } } }, values: [5, 11, 9, 11, 9, 11, 5], activations: 3, chattering: 3 },
    { name: 'an on-delay filters short excursions', rule: { type: 'limit', onDelayS: 3, limits: { high: { value: 10 } } }, values: [5, 11, 11, 5, 11, 11, 11, 11, 5], activations: 1 },
    { name: 'high and low levels are separate alarms', rule: { type: 'limit', limits: { high: { value: 10 }, low: { value: 0 } } }, values: [5, 11, 5, -1, 5], activations: 2 },
    { name: 'a binary state', rule: { type: 'state', activeWhen: true }, values: [false, true, false, true, true, false], activations: 2 },
    { name: 'deviation from a setpoint point', rule: { type: 'deviation', setpoint: SP, maxDeviation: 2 }, values: [20, 20, 23, 23, 20], activations: 1, extra: { [SP]: series([20, 20, 20, 20, 20]) } },
    {
      name: 'gated by a time window: nothing fires outside it',
      rule: { type: 'limit', limits: { high: { value: 10 } }, when: [{ type: 'time-window', window: 'night' }] },
      values: [11, 5, 11, 5], activations: 0, timeWindows: { night: [{ days: ['mon'], from: '22:00', to: '23:00' }] },
    },
    { name: 'missing values neither raise nor clear', rule: { type: 'limit', limits: { high: { value: 10 } } }, values: [11, null, null, 11, 5], activations: 1 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = run(c.rule, c.values, c.extra, c.timeWindows);
      expect(r.activations).toBe(c.activations);
      if (c.activeMs !== undefined) expect(r.alarms[0].activeMs).toBe(c.activeMs);
      if (c.chattering !== undefined) expect(r.chatteringActivations).toBe(c.chattering);
      expect(r.alarms.flatMap((a) => a.events).filter((e) => e.kind === 'activate')).toHaveLength(c.activations);
    });
  }

  it('reports when it fired, per local day', () => {
    const r = run({ type: 'limit', limits: { high: { value: 10 } } }, [5, 11, 5]);
    expect(r.alarms[0].firstAt).toBe(T0 + 1000);
    expect(r.alarms[0].events).toEqual([{ ts: T0 + 1000, kind: 'activate', value: 11 }, { ts: T0 + 2000, kind: 'clear', value: 5 }]);
    expect(r.perDay).toEqual({ '2026-01-05': 1 });
  });

  it('an off-delay timer fires at its due time, between samples', () => {
    const { defs, timeWindows } = defsOf({ type: 'limit', offDelayS: 5, limits: { high: { value: 10 } } });
    const r = backtest(defs, new Map([[P, series([11, 5], T0, 60_000)]]), { from: T0, to: T0 + 120_000, timezone: 'UTC', timeWindows });
    expect(r.alarms[0].events.map((e) => [e.kind, e.ts - T0])).toEqual([['activate', 0], ['clear', 65_000]]);
  });

  it('a schedule condition without an evaluator is noted, not a crash', () => {
    const r = run({ type: 'limit', limits: { high: { value: 10 } }, when: [{ type: 'schedule', group: 'g', when: 'occupied' }] }, [5, 11, 5]);
    expect(r.activations).toBe(1);
    expect(r.notes.join()).toContain('schedule');
  });
});

describe('chatteringCount', () => {
  const spec = { count: 3, windowMs: 60_000 };
  const cases: Array<[number[], number]> = [
    [[], 0],
    [[0, 10_000], 0],
    [[0, 10_000, 20_000], 3],
    [[0, 10_000, 20_000, 30_000], 4],
    [[0, 10_000, 200_000], 0],
    [[0, 30_000, 61_000, 200_000, 210_000, 220_000], 3],
    [[0, 30_000, 60_000, 90_000], 4],
    [[0, 59_000, 120_000], 0],
  ];
  for (const [times, n] of cases) it(`${JSON.stringify(times)} → ${n}`, () => expect(chatteringCount(times, spec)).toBe(n));
});

describe('history for a backtest', () => {
  it('reads raw while it fits the budget, else 1-minute data', () => {
    expect(chooseResolution(10, 0, 86_400_000, 1000)).toEqual({ resolution: 'raw', stepMs: 1000 });
    expect(chooseResolution(10, 0, 7 * 86_400_000, 1000)).toEqual({ resolution: '1m', stepMs: 60_000 });
    expect(chooseResolution(10, 0, 7 * 86_400_000, 60_000)).toEqual({ resolution: 'raw', stepMs: 1000 });
  });
  it('aggregates toward the extreme the detector reacts to', () => {
    const of = (rule: Record<string, unknown>) => defsOf(rule).defs.map(aggregateFor);
    expect(of({ type: 'limit', limits: { high: { value: 1 }, low: { value: 0 } } })).toEqual(['max', 'min']);
    expect(of({ type: 'state', activeWhen: true })).toEqual(['max']);
    expect(of({ type: 'rate', maxRisePerMin: 1 })).toEqual(['mean']);
  });
});
