import { describe, expect, it } from 'vitest';
import type { AlarmKpis } from '../../../../contracts/alarms.js';
import { averageRateVerdict, floodVerdict, kpiTiles, peakRateVerdict, presetRange, rate } from './kpi-format.js';

describe('KPI verdicts (EEMUA 191 / ISA-18.2)', () => {
  it.each([[0, 'ok'], [1, 'ok'], [1.5, 'watch'], [2, 'watch'], [2.1, 'bad']] as const)('average %d per 10 min → %s', (n, v) => expect(averageRateVerdict(n)).toBe(v));
  it.each([[10, 'ok'], [11, 'bad']] as const)('peak %d → %s', (n, v) => expect(peakRateVerdict(n)).toBe(v));
  it.each([[0, 'ok'], [0.99, 'ok'], [1, 'watch'], [5, 'watch'], [5.5, 'bad']] as const)('flood %d %% → %s', (n, v) => expect(floodVerdict(n)).toBe(v));
  it.each([[0, '0.0'], [0.44, '0.4'], [2.55, '2.6'], [14.4, '14']] as const)('rate %d → %s', (n, s) => expect(rate(n)).toBe(s));

  it('builds the tiles in reading order, judging only what has a benchmark', () => {
    const k: AlarmKpis = {
      from: 0, to: 1, periods: 144, operatorPositions: 1, per10MinAvg: 0.3, per10MinMax: 12, floodPercent: 0.7,
      top10: [], chattering: [{ alarmId: 'c', maxIn60s: 4 }], stale: [], shelvedCount: 3, outOfServiceCount: 1,
    };
    expect(kpiTiles(k).map((t) => [t.key, t.value, t.verdict])).toEqual([
      ['avg', '0.3', 'ok'], ['peak', '12', 'bad'], ['flood', '0.7 %', 'ok'], ['chattering', '1', 'watch'],
      ['stale', '0', 'ok'], ['shelved', '3', 'ok'], ['oos', '1', 'ok'],
    ]);
  });

  it('presets end now', () => {
    expect(presetRange('7d', 1_000_000_000_000)).toEqual({ from: 1_000_000_000_000 - 7 * 86_400_000, to: 1_000_000_000_000 });
  });
});
