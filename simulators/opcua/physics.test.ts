import { describe, expect, it } from 'vitest';
import {
  OFFICE_ZONE,
  approach,
  chilledWaterReturnC,
  chillerPowerKw,
  isOccupiedHour,
  outsideTemperature,
  stepArchiveHumidity,
  stepCo2,
  stepServerRoomTemperature,
  stepZoneTemperature,
  supplyAirTarget,
  supplyCoolingKw,
  vavControl,
} from './physics.js';

describe('outside temperature (summer day)', () => {
  it.each([
    [15, 34],
    [3, 26],
    [9, 30],
    [21, 30],
    [39, 34],
  ])('%i h → %f °C', (h, t) => expect(outsideTemperature(h)).toBeCloseTo(t, 6));
});

describe('occupancy schedule', () => {
  it.each([
    [7.99, false],
    [8, true],
    [12, true],
    [17.99, true],
    [18, false],
    [-1, false],
  ])('%f h → %s', (h, occ) => expect(isOccupiedHour(h)).toBe(occ));
});

describe('VAV control', () => {
  it.each([
    [21, 24, 20, OFFICE_ZONE.minAirflowM3h],
    [23.5, 24, 20, OFFICE_ZONE.minAirflowM3h],
    [25.5, 24, 100, OFFICE_ZONE.maxAirflowM3h],
    [24, 24, 40, OFFICE_ZONE.minAirflowM3h + 0.25 * (OFFICE_ZONE.maxAirflowM3h - OFFICE_ZONE.minAirflowM3h)],
  ])('zone %f, setpoint %f → damper %s %%, airflow %s', (zone, sp, damper, flow) => {
    expect(vavControl(zone, sp, OFFICE_ZONE, true)).toEqual({ damperPct: damper, airflowM3h: flow });
  });
  it('delivers no air with the fan off', () => expect(vavControl(30, 22, OFFICE_ZONE, false).airflowM3h).toBe(0));
});

describe('zone heat balance', () => {
  const base = { zoneC: 24, outsideC: 34, supplyAirC: 13, occupied: true, params: OFFICE_ZONE };
  it('warms with little air, cools with full air', () => {
    expect(stepZoneTemperature({ ...base, airflowM3h: 150, dtSeconds: 600 })).toBeGreaterThan(24.2);
    expect(stepZoneTemperature({ ...base, airflowM3h: 1500, dtSeconds: 600 })).toBeLessThan(23.5);
  });
  it('is stable with a huge time step and settles at the balance point', () => {
    const t = stepZoneTemperature({ ...base, airflowM3h: 1500, dtSeconds: 7 * 24 * 3600 });
    // Balance: gain 1.6 + 0.08 (34 − T) = 0.5 (T − 13)
    expect(t).toBeCloseTo((1.6 + 0.08 * 34 + 0.5 * 13) / 0.58, 2);
  });
  it('cooling is positive when the supply air is colder', () => {
    expect(supplyCoolingKw(3600, 13, 23)).toBeCloseTo(12, 6);
    expect(supplyCoolingKw(0, 13, 23)).toBe(0);
  });
});

describe('plant equations', () => {
  it.each([
    [true, 7, 24, 13],
    [true, 12, 24, 18],
    [true, 7, 11, 11],
    [false, 7, 24, 24],
  ])('supply air target fan=%s chw=%f mixed=%f → %f', (fan, chw, mixed, t) => expect(supplyAirTarget(fan, chw, mixed)).toBe(t));
  it.each([
    [550, true, 100],
    [10, true, 18],
    [550, false, 0],
  ])('chiller power load=%f running=%s → %f kW', (load, run, kw) => expect(chillerPowerKw(load, run)).toBeCloseTo(kw, 6));
  it('return water rises with load', () => {
    expect(chilledWaterReturnC(7, 0)).toBe(7);
    expect(chilledWaterReturnC(7, 209.3)).toBeCloseTo(12, 6);
  });
  it('approach is first order', () => {
    expect(approach(10, 20, 100, 100)).toBeCloseTo(20 - 10 / Math.E, 9);
    expect(approach(10, 20, 0, 1)).toBe(20);
  });
});

describe('rooms', () => {
  it('archive humidity rises without the dehumidifier and falls with it', () => {
    expect(stepArchiveHumidity(48, false, 3600)).toBeGreaterThan(52);
    expect(stepArchiveHumidity(60, true, 3600)).toBeLessThan(50);
    expect(stepArchiveHumidity(48, false, 1e7)).toBeCloseTo(75, 6);
  });
  it('server room heats without CRAC', () => {
    expect(stepServerRoomTemperature(22, false, 900)).toBeGreaterThan(30);
    expect(stepServerRoomTemperature(30, true, 3600)).toBeLessThan(23);
  });
  it('meeting room CO2 climbs when occupied and decays when empty', () => {
    expect(stepCo2(450, true, 150, 3600)).toBeGreaterThan(900);
    expect(stepCo2(1200, false, 600, 3600)).toBeLessThan(500);
  });
});
