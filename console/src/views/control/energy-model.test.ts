import { describe, expect, it } from 'vitest';
import { buildingKeyOf, changeText, compareDays, floorKeyOf, metersIn, splitRuntime, sumByStart, savingsPlausible } from './energy-model.js';

const HOUR = 3_600_000;
const DAY0 = Date.UTC(2026, 2, 10, 16); // some local midnight

describe('meter scope', () => {
  const meters = ['hq/a/b1/power-b101/meter-b1/kwh', 'hq/a/l02/power-201/meter/kwh', 'hq/b/l01/p/m/kwh'];
  it.each([
    ['', 3],
    ['hq/a', 2],
    ['hq/a/b1', 1],
    ['hq/a/b', 0], // a prefix of a floor id is not that floor
  ])('scope %j covers %i meters', (scope, n) => {
    expect(metersIn(meters, scope)).toHaveLength(n);
  });
  it('derives floor and building keys', () => {
    expect(floorKeyOf(meters[0])).toBe('hq/a/b1');
    expect(buildingKeyOf(meters[0])).toBe('hq/a');
  });
});

describe('hourly comparison', () => {
  const data = {
    meters: [
      { pointId: 'm1', buckets: [
        { start: DAY0 - 7 * 24 * HOUR, end: 0, value: 1 },
        { start: DAY0 - 24 * HOUR + HOUR, end: 0, value: 2 },
        { start: DAY0, end: 0, value: 3 },
        { start: DAY0 + HOUR, end: 0, value: null },
      ] },
      { pointId: 'm2', buckets: [
        { start: DAY0, end: 0, value: 4 },
        { start: DAY0 + HOUR, end: 0, value: null },
      ] },
    ],
  };
  it('sums meters per bucket and keeps empty buckets null', () => {
    const sums = sumByStart(data);
    expect(sums.get(DAY0)).toBe(7);
    expect(sums.get(DAY0 + HOUR)).toBeNull();
  });
  it('folds hours of today, yesterday and last week by hour of day', () => {
    const c = compareDays(data, DAY0);
    expect(c.today.slice(0, 3)).toEqual([7, null, null]);
    expect(c.yesterday[1]).toBe(2);
    expect(c.lastWeek[0]).toBe(1);
    expect(c.today).toHaveLength(24);
  });
});

describe('wording', () => {
  it.each([
    [12.4, '+12 %'],
    [-3.6, '−4 %'],
    [0, '±0 %'],
    [null, null],
    [Infinity, null],
  ])('change %s → %s', (pct, text) => {
    expect(changeText(pct)).toBe(text);
  });
  it('splits runtime into HVAC and lighting', () => {
    const r = splitRuntime({ 'x/ahu-1/fan-status': 3, 'x/lighting/corridor': 2, 'x/pump/run-status': 1 });
    expect(r.hvac.map(([id]) => id)).toEqual(['x/ahu-1/fan-status', 'x/pump/run-status']);
    expect(r.lighting).toEqual([['x/lighting/corridor', 2]]);
  });
});

describe('schedule savings plausibility', () => {
  it.each([
    ['398 kWh saved beside 17 kWh used: withheld', [398], 17, false],
    ['12 kWh saved beside 17 kWh used: shown', [5, 7], 17, true],
    ['no metered use today: withheld', [5], null, false],
    ['nothing saved: shown', [0], 17, true],
  ] as const)('%s', (_n, saved, used, show) => {
    expect(savingsPlausible(saved, used).show).toBe(show);
  });
});
