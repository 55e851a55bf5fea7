// The simulated building controller's objects (a DDC panel in the B1 plant room): two AHUs, four
// VAV boxes, a lighting panel and an access-controlled door, plus optional bulk analog inputs for
// benchmarks. Instance numbers follow a common integrator scheme: 100s per equipment.
import { BacObject, OT, type ObjectSpec } from './objects.js';

const DEG_C = 62;
const PERCENT = 98;
const M3H = 135;
const LUX = 37;
const PA = 53;

function ahu(n: number): ObjectSpec[] {
  const b = n * 100;
  return [
    { type: OT.AI, instance: b + 1, name: `AHU-${n}.SupplyAirTemp`, description: `AHU-${n} supply air temperature`, units: DEG_C, value: 16.5, covIncrement: 0.1 },
    { type: OT.AI, instance: b + 2, name: `AHU-${n}.ReturnAirTemp`, description: `AHU-${n} return air temperature`, units: DEG_C, value: 24.2, covIncrement: 0.1 },
    { type: OT.AV, instance: b + 3, name: `AHU-${n}.SupplyTempSetpoint`, description: `AHU-${n} supply air temperature setpoint`, units: DEG_C, value: 16, commandable: true, min: 10, max: 30, covIncrement: 0.1 },
    { type: OT.AI, instance: b + 4, name: `AHU-${n}.DuctStaticPressure`, description: `AHU-${n} duct static pressure`, units: PA, value: 250, covIncrement: 2 },
    { type: OT.AO, instance: b + 5, name: `AHU-${n}.OutdoorDamper`, description: `AHU-${n} outdoor air damper command`, units: PERCENT, value: 30, min: 0, max: 100, covIncrement: 1 },
    { type: OT.BO, instance: b + 6, name: `AHU-${n}.FanCmd`, description: `AHU-${n} supply fan start/stop`, value: 1, activeText: 'Start', inactiveText: 'Stop' },
    { type: OT.BI, instance: b + 7, name: `AHU-${n}.FanStatus`, description: `AHU-${n} supply fan running`, value: 1, activeText: 'Running', inactiveText: 'Stopped' },
    { type: OT.MSV, instance: b + 8, name: `AHU-${n}.Mode`, description: `AHU-${n} operating mode`, value: 2, commandable: true, stateText: ['Off', 'Occupied', 'Unoccupied', 'Morning warm-up'] },
  ];
}

function vav(n: number): ObjectSpec[] {
  const b = 1000 + n * 10;
  return [
    { type: OT.AI, instance: b + 1, name: `VAV-${n}.ZoneTemp`, description: `VAV-${n} zone temperature`, units: DEG_C, value: 23 + n * 0.2, covIncrement: 0.1 },
    { type: OT.AV, instance: b + 2, name: `VAV-${n}.ZoneTempSetpoint`, description: `VAV-${n} zone temperature setpoint`, units: DEG_C, value: 24, commandable: true, min: 16, max: 30, covIncrement: 0.1 },
    { type: OT.AI, instance: b + 3, name: `VAV-${n}.Airflow`, description: `VAV-${n} supply airflow`, units: M3H, value: 420, covIncrement: 5 },
    { type: OT.AO, instance: b + 4, name: `VAV-${n}.Damper`, description: `VAV-${n} damper position command`, units: PERCENT, value: 45, min: 0, max: 100, covIncrement: 1 },
  ];
}

function lighting(): ObjectSpec[] {
  const circuits = ['Corridor', 'OpenOffice', 'MeetingRoom', 'Lobby'];
  return [
    ...circuits.map((c, i): ObjectSpec => ({ type: OT.BO, instance: 2001 + i, name: `LTG-B1.${c}`, description: `Lighting circuit ${c}`, value: 0, activeText: 'On', inactiveText: 'Off' })),
    { type: OT.AI, instance: 2010, name: 'LTG-B1.Illuminance', description: 'Corridor illuminance', units: LUX, value: 320, covIncrement: 5 },
  ];
}

function door(): ObjectSpec[] {
  return [
    { type: OT.BI, instance: 3001, name: 'DOOR-B101.Position', description: 'Plant room door contact', value: 0, activeText: 'Open', inactiveText: 'Closed' },
    { type: OT.BO, instance: 3002, name: 'DOOR-B101.Lock', description: 'Plant room door lock', value: 1, activeText: 'Locked', inactiveText: 'Unlocked' },
    { type: OT.MSI, instance: 3003, name: 'DOOR-B101.AlarmState', description: 'Plant room door alarm state', value: 1, stateText: ['Normal', 'Forced open', 'Held open'] },
  ];
}

/** Bulk analog inputs (instances from 10000) for the COV benchmark. */
export function bulkObjects(count: number): ObjectSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    type: OT.AI, instance: 10_000 + i, name: `BULK.T${i}`, description: `Bulk sensor ${i}`, units: DEG_C, value: 20 + (i % 50) / 10, covIncrement: 0.05,
  }));
}

export function siteObjects(bulk = 0): BacObject[] {
  return [...ahu(1), ...ahu(2), ...[1, 2, 3, 4].flatMap(vav), ...lighting(), ...door(), ...bulkObjects(bulk)].map((s) => new BacObject(s));
}

/**
 * One step of plant behaviour: supply air follows its setpoint and the fan, zones follow their
 * setpoints with noise, the fan status follows its command, the door alarm follows position and lock.
 * `rand` is injectable so tests can make it deterministic.
 */
export function stepPhysics(get: (type: number, instance: number) => BacObject | undefined, dtS: number, rand: () => number = Math.random): void {
  const approach = (o: BacObject | undefined, target: number, rate: number, noise: number) => {
    if (!o || o.outOfService) return;
    o.processValue += (target - o.processValue) * Math.min(1, rate * dtS) + (rand() - 0.5) * noise;
    o.processValue = Math.round(o.processValue * 100) / 100;
  };
  for (const n of [1, 2]) {
    const b = n * 100;
    const fanOn = (get(OT.BO, b + 6)?.presentValue() ?? 0) === 1;
    const fanStatus = get(OT.BI, b + 7);
    if (fanStatus && !fanStatus.outOfService) fanStatus.processValue = fanOn ? 1 : 0;
    const sp = get(OT.AV, b + 3)?.presentValue() ?? 16;
    approach(get(OT.AI, b + 1), fanOn ? sp : 24, 0.2, 0.05);
    approach(get(OT.AI, b + 4), fanOn ? 250 : 0, 0.5, 1);
  }
  for (const n of [1, 2, 3, 4]) {
    const b = 1000 + n * 10;
    approach(get(OT.AI, b + 1), get(OT.AV, b + 2)?.presentValue() ?? 24, 0.05, 0.04);
    approach(get(OT.AI, b + 3), (get(OT.AO, b + 4)?.presentValue() ?? 45) * 9, 0.5, 2);
  }
  const alarm = get(OT.MSI, 3003);
  const open = get(OT.BI, 3001)?.presentValue() === 1;
  const locked = get(OT.BO, 3002)?.presentValue() === 1;
  if (alarm && !alarm.outOfService) alarm.processValue = open && locked ? 2 : 1;
}

/**
 * Bulk sensors: each step a `fraction` of them moves by 0.1 (past the 0.05 COV increment), so a
 * step sends about fraction × count notifications, like a building where a tenth of the sensors
 * change noticeably each second.
 */
export function stepBulk(objects: BacObject[], fraction = 0.1, rand: () => number = Math.random): void {
  for (const o of objects) {
    if (o.instance < 10_000 || o.outOfService || rand() >= fraction) continue;
    o.processValue = Math.round((o.processValue + (rand() < 0.5 ? -0.1 : 0.1)) * 100) / 100;
  }
}
