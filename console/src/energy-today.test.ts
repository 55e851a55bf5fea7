import { describe, expect, it } from 'vitest';
import type { PointView } from '../../contracts/api.js';
import { energyMeters, totalOrNull } from './energy-today.js';

const point = (id: string, brick?: string, unit?: string) => ({ id, brick, unit, kind: 'analog' } as unknown as PointView);

describe('energy today', () => {
  it('picks meters by Brick class or unit, not by the id', () => {
    expect(energyMeters([
      point('a/feed-2/kwh', 'Energy_Sensor', 'kWh'),
      point('a/meter/total', 'Electric_Energy_Sensor', 'kWh'),
      point('a/meter/kw', 'Electric_Power_Sensor', 'kW'),
      point('a/x/kwh-setpoint', 'Setpoint', 'kWh'), // named kwh, but not a counter
      point('a/legacy/counter', undefined, 'kWh'),
    ])).toEqual(['a/feed-2/kwh', 'a/meter/total', 'a/legacy/counter']);
  });
  it.each([
    ['no buckets', [], null],
    ['buckets without readings: no data, not 0', [{ pointId: 'm', total: 0, buckets: [{ start: 0, end: 1, value: null }] }], null],
    ['a real zero', [{ pointId: 'm', total: 0, buckets: [{ start: 0, end: 1, value: 0 }] }], 0],
    ['two meters', [{ pointId: 'm', total: 2, buckets: [{ start: 0, end: 1, value: 2 }] }, { pointId: 'n', total: 3, buckets: [] }], 5],
  ] as const)('total of %s', (_n, meters, want) => {
    expect(totalOrNull({ meters: meters as never })).toBe(want);
  });
});
