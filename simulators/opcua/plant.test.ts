import { describe, expect, it } from 'vitest';
import { createPlantState, envFolder, plantSpec, stepPlant, vavFolder, ZONE_ROOMS } from './plant.js';

const run = (s: ReturnType<typeof createPlantState>, seconds: number, hour = 14) => {
  for (let t = 0; t < seconds; t += 60) stepPlant(s, 60, hour + t / 3600);
};

describe('plant spec', () => {
  it('has one VAV per zone room and unique paths', () => {
    const { variables, folders } = plantSpec();
    expect(new Set(variables.map((v) => v.path)).size).toBe(variables.length);
    expect(ZONE_ROOMS).toHaveLength(14);
    for (const r of ZONE_ROOMS) expect(folders.some((f) => f.name === vavFolder(r))).toBe(true);
    expect(vavFolder('office-201')).toBe('VAV-201');
    expect(envFolder('archive-b103')).toBe('Env-Archive-B103');
    expect(variables.filter((v) => v.writable).map((v) => v.name)).toContain('ZoneTempSetpoint');
  });
});

describe('plant dynamics', () => {
  it('raising a setpoint warms the zone; lowering it cools', () => {
    const s = createPlantState();
    run(s, 3 * 3600);
    const settled = s.get('VAV-201.ZoneTemp') as number;
    expect(Math.abs(settled - 24)).toBeLessThan(0.8);
    s.set('VAV-201.ZoneTempSetpoint', 27);
    run(s, 2 * 3600);
    expect(s.get('VAV-201.ZoneTemp') as number).toBeGreaterThan(settled + 1.5);
    expect(s.get('VAV-202.ZoneTemp') as number).toBeCloseTo(settled, 0);
    s.set('VAV-201.ZoneTempSetpoint', 21);
    run(s, 3 * 3600);
    expect(s.get('VAV-201.ZoneTemp') as number).toBeLessThan(22);
  });

  it('a chiller trip stops it, warms the water and the AHU supply air, and drops kW to 0', () => {
    const s = createPlantState();
    run(s, 3600);
    expect(s.get('Chiller-1.Power') as number).toBeGreaterThan(30);
    s.set('Chiller-1.Fault', true);
    run(s, 3600);
    expect(s.get('Chiller-1.Status')).toBe(false);
    expect(s.get('Chiller-1.Power')).toBe(0);
    expect(s.get('Chiller-1.SupplyWaterTemp') as number).toBeGreaterThan(12);
    expect(s.get('AHU-1.SupplyAirTemp') as number).toBeGreaterThan(17);
  });

  it('chiller kW follows load', () => {
    const low = createPlantState();
    const high = createPlantState();
    for (const r of ZONE_ROOMS) high.set(`${vavFolder(r)}.ZoneTempSetpoint`, 18);
    run(low, 1800);
    run(high, 1800);
    expect(high.get('Chiller-1.Power') as number).toBeGreaterThan((low.get('Chiller-1.Power') as number) + 2);
  });

  it('an AHU fan failure starves its zones only', () => {
    const s = createPlantState();
    run(s, 3600);
    s.set('AHU-2.FanFault', true);
    run(s, 1800);
    expect(s.get('AHU-2.FanStatus')).toBe(false);
    expect(s.get('VAV-301.Airflow')).toBe(0);
    expect(s.get('VAV-301.ZoneTemp') as number).toBeGreaterThan(25);
    expect(s.get('VAV-201.Airflow') as number).toBeGreaterThan(0);
  });

  it('archive humidity rises with the dehumidifier off; server room heats without CRAC', () => {
    const s = createPlantState();
    s.set('Env-Archive-B103.DehumidifierOn', false);
    s.set('Env-Server-501.CRACFault', true);
    run(s, 3600);
    expect(s.get('Env-Archive-B103.Humidity') as number).toBeGreaterThan(52);
    expect(s.get('Env-Archive-303.Humidity') as number).toBeLessThan(48);
    expect(s.get('Env-Server-501.CRACStatus')).toBe(false);
    expect(s.get('Env-Server-501.Temperature') as number).toBeGreaterThan(32);
  });
});
