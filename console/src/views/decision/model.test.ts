import { describe, expect, it } from 'vitest';
import type { PeriodFigure, RoomUse } from '../../../../contracts/reports.js';
import { fmtAmount, fmtLocalTime, fmtPct, progress, tone, wastefulRooms } from './model.js';

const fig = (actual: number | null, target: number | null): PeriodFigure => ({ period: 'month', from: 0, to: 1, actual, target, lastYear: null, projected: null, vsTargetPct: null, vsLastYearPct: null });
const room = (id: string, emptyConditionedH: number): RoomUse => ({ room: id, name: { en: id, 'zh-CN': id }, occupiedH: 1, conditionedH: 5, emptyConditionedH, href: '#' });

describe('decision view model', () => {
  it.each([[1234.5, '1,235'], [12.34, '12.3'], [0.123, '0.12'], [null, '—'], [Number.NaN, '—'], [-150, '-150'], [1234567.8, '1,234,568'], [-98765.4, '-98,765'], [999.5, '1,000'], [99.96, '100'], [10.05, '10.1'], [1.5, '1.5'], [0.004, '0'], [-0.004, '0'], [100, '100'], [0, '0']])('fmtAmount(%s) = %s', (x, want) => expect(fmtAmount(x)).toBe(want));
  it.each([[12.34, '+12.3 %'], [-4, '−4.0 %'], [0, '±0.0 %'], [null, '—']])('fmtPct(%s) = %s', (x, want) => expect(fmtPct(x)).toBe(want));
  it.each([[5.1, 'bad'], [5, 'neutral'], [-5, 'neutral'], [-5.1, 'good'], [null, 'neutral']] as const)('tone(%s) = %s', (x, want) => expect(tone(x)).toBe(want));
  it.each([[fig(50, 100), 0.5], [fig(200, 100), 1.5], [fig(50, null), null], [fig(null, 100), null], [fig(1, 0), null]])('progress %# = %s', (f, want) => expect(progress(f)).toBe(want));
  it('formats a local time without Intl', () => {
    expect(fmtLocalTime(new Date(2026, 11, 4, 9, 5, 7).getTime())).toBe('2026-12-04 09:05:07');
    expect(fmtLocalTime(new Date(2027, 0, 1, 23, 59, 0).getTime())).toBe('2027-01-01 23:59:00');
  });
  it('names rooms conditioned while empty for an hour or more, worst first', () => {
    expect(wastefulRooms({ rooms: [room('a', 0.5), room('b', 3), room('c', 1)] }).map((r) => r.room)).toEqual(['b', 'c']);
  });
});
