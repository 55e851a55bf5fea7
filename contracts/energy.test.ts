import { describe, expect, it } from 'vitest';
import { energyMeterIds, isEnergyMeter } from './energy.js';

describe('energy meters by what they are', () => {
  it.each<[string, { kind?: string; unit?: string; brick?: string }, boolean]>([
    ['Brick Energy_Sensor', { kind: 'analog', unit: 'kWh', brick: 'Energy_Sensor' }, true],
    ['Brick Electric_Energy_Sensor, unit MWh', { kind: 'analog', unit: 'MWh', brick: 'Electric_Energy_Sensor' }, true],
    ['Brick Active_Energy_Sensor', { kind: 'analog', brick: 'Active_Energy_Sensor' }, true],
    ['a power sensor in kW is not a counter', { kind: 'analog', unit: 'kW', brick: 'Electric_Power_Sensor' }, false],
    ['a Brick class wins over a kWh unit', { kind: 'analog', unit: 'kWh', brick: 'Electric_Power_Sensor' }, false],
    ['no Brick class: kWh unit', { kind: 'analog', unit: 'kWh' }, true],
    ['no Brick class: kwh in any case', { unit: 'KWH' }, true],
    ['no Brick class, no kWh', { kind: 'analog', unit: 'm³' }, false],
    ['a binary point is never a meter', { kind: 'binary', brick: 'Energy_Sensor' }, false],
  ])('%s → %s', (_name, p, want) => {
    expect(isEnergyMeter(p)).toBe(want);
  });

  it('never looks at the id: /kwh that is not a meter is left out, a meter named otherwise is in', () => {
    const points = [
      { id: 'hq/a/l01/weak-105/meter-l01/kwh', kind: 'analog', unit: 'kW', brick: 'Electric_Power_Sensor' },
      { id: 'hq/a/l01/weak-105/meter-l01/import-total', kind: 'analog', unit: 'kWh', brick: 'Energy_Sensor' },
    ];
    expect(energyMeterIds(points)).toEqual(['hq/a/l01/weak-105/meter-l01/import-total']);
  });
});
