import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLE_SCOPES, isSecurityCommandPoint, pointClassOf, scopeRefusal, type PointClass } from './scopes.js';

const p = (id: string, brick?: string) => ({ id, device: id.split('/')[4], ...(brick ? { brick } : {}) });

describe('pointClassOf', () => {
  it.each<[string, string | undefined, PointClass]>([
    // Door locks carry the lighting relays' Brick class: equipment and point names decide.
    ['hq/a/b1/archive-b103/door-1/lock-release', 'On_Off_Command', 'security'],
    ['hq/a/b1/power-b102/door-1/lock-release', 'On_Off_Command', 'security'],
    ['hq/a/l01/lobby-101/main-entrance/lock-release', 'On_Off_Command', 'security'],
    ['hq/a/b1/archive-b103/door-1/forced', undefined, 'security'],
    ['hq/a/l01/lobby-101/camera-lobby/preset', undefined, 'security'],
    ['hq/a/l01/lobby-101/camera-lobby/motion', 'Motion_Sensor', 'security'],
    ['hq/a/l02/office-201/windows/window-1', undefined, 'security'],
    ['hq/a/l01/weak-105/lighting-l01/entrance', 'On_Off_Command', 'lighting'],
    ['hq/a/l01/weak-105/lighting-l01/lobby-dim', 'Luminance_Command', 'lighting'],
    ['hq/a/l01/weak-105/lighting-l01/panel-kw', 'Electric_Power_Sensor', 'lighting'],
    ['hq/a/b1/weak-b104/lamp-faults/corridor', 'Fault_Status', 'lighting'],
    ['hq/a/l02/office-201/vav-201/zone-temp-sp', 'Zone_Air_Temperature_Setpoint', 'hvac'],
    ['hq/a/b1/plant-b105/chiller-1/demand-limit', 'Demand_Setpoint', 'hvac'],
    ['hq/a/b1/plant-b105/ahu-1/enable', 'Enable_Command', 'hvac'],
    ['hq/a/b1/archive-b103/dehum-1/dehumidifier', 'On_Off_Command', 'hvac'],
    ['hq/a/l03/meeting-304/sensor-9/co2', 'CO2_Level_Sensor', 'hvac'],
    ['hq/a/b1/power-b102/meter-b1/kw', 'Electric_Power_Sensor', 'power'],
    ['hq/a/b1/power-b102/meter-b1/phase-loss', undefined, 'power'],
    ['hq/a/b1/power-b102/feed-2/kwh', 'Energy_Sensor', 'power'],
    ['hq/a/b1/pump-b101/leak-1/leak', 'Leak_Alarm', 'other'],
    ['hq/a/b1/pump-b101/water-main/flow', 'Water_Flow_Sensor', 'other'],
  ])('%s (%s) → %s', (id, brick, cls) => expect(pointClassOf(p(id, brick))).toBe(cls));
});

describe('isSecurityCommandPoint', () => {
  it.each<[string, string | undefined, boolean]>([
    ['hq/a/b1/archive-b103/door-1/lock-release', 'On_Off_Command', true],
    ['hq/a/l01/lobby-101/main-entrance/lock-release', 'On_Off_Command', true],
    ['hq/a/l01/lobby-101/camera-lobby/preset', undefined, false],
    ['hq/a/l01/weak-105/lighting-l01/entrance', 'On_Off_Command', false],
    ['hq/a/l02/office-201/vav-201/zone-temp-sp', 'Zone_Air_Temperature_Setpoint', false],
  ])('%s → %s', (id, brick, expected) => expect(isSecurityCommandPoint(p(id, brick))).toBe(expected));
});

describe('scopeRefusal', () => {
  const lock = p('hq/a/b1/archive-b103/door-1/lock-release', 'On_Off_Command');
  const setpoint = p('hq/a/l02/office-201/vav-201/zone-temp-sp', 'Zone_Air_Temperature_Setpoint');
  const bSetpoint = p('hq/b/l02/office-201/vav-201/zone-temp-sp', 'Zone_Air_Temperature_Setpoint');
  it.each([
    ['energy officer, lock', DEFAULT_ROLE_SCOPES.energy_officer, lock, /class security, outside this role's classes \(hvac, lighting, power\)/],
    ['energy officer, setpoint', DEFAULT_ROLE_SCOPES.energy_officer, setpoint, null],
    ['operator, lock', DEFAULT_ROLE_SCOPES.operator, lock, null],
    ['building a only, building b', { pointClasses: 'all', areas: ['a'] } as const, bSetpoint, /in b\/l02, outside this role's areas \(a\)/],
    ['floor a/l02, a/l02', { pointClasses: 'all', areas: ['a/l02'] } as const, setpoint, null],
    ['floor a/l03, a/l02', { pointClasses: 'all', areas: ['a/l03'] } as const, setpoint, /outside this role's areas \(a\/l03\)/],
    ['no classes', { pointClasses: [], areas: 'all' } as const, setpoint, /classes \(none\)/],
  ])('%s', (_name, scope, point, expected) => {
    const r = scopeRefusal(scope, point);
    if (expected === null) expect(r).toBeNull();
    else expect(r).toMatch(expected);
  });
});
