// The simulated HVAC plant of the demo site: which equipment exists, which
// variables each exposes, and how they evolve. Deterministic given its inputs
// (state, elapsed simulated seconds, hour of day) so it is tested without a server.
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

export type VarType = 'Double' | 'Boolean' | 'Int16' | 'Int32';
export type Unit = 'degC' | 'kW' | 'percent' | 'Pa' | 'm3h' | 'ppm';

export interface VariableSpec {
  /** Full path, also the string NodeId identifier: `AHU-1.SupplyAirTemp`. */
  path: string;
  /** Folder (equipment) it lives in: `AHU-1`. */
  folder: string;
  name: string;
  type: VarType;
  unit?: Unit;
  range?: { low: number; high: number };
  writable: boolean;
  initial: number | boolean;
  description: string;
  /** Texts of a discrete state variable (index = value): modelled as MultiStateDiscreteType. */
  states?: string[];
}

export interface FolderSpec {
  name: string;
  description: string;
}

export type PlantState = Map<string, number | boolean>;

export const AHU_ZONES: Record<string, string[]> = {
  'AHU-1': ['meeting-103', 'office-201', 'office-202', 'office-203', 'meeting-204'],
  'AHU-2': ['office-301', 'office-302', 'meeting-304', 'office-401', 'office-402', 'office-403', 'meeting-404', 'office-503', 'meeting-505'],
};
export const ZONE_ROOMS = [...AHU_ZONES['AHU-1'], ...AHU_ZONES['AHU-2']];
export const MEETING_ROOMS = ZONE_ROOMS.filter((r) => r.startsWith('meeting-'));
export const ARCHIVE_ROOMS = ['archive-b103', 'archive-303'];
export const WEAK_ROOMS = ['weak-b104', 'weak-104', 'weak-205', 'weak-305', 'weak-405', 'weak-502'];
export const SERVER_ROOM = 'server-501';

/** `office-201` → `VAV-201`. */
export function vavFolder(room: string): string {
  return `VAV-${room.split('-')[1].toUpperCase()}`;
}
/** `archive-b103` → `Env-Archive-B103`. */
export function envFolder(room: string): string {
  return 'Env-' + room.split('-').map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('-');
}

/** Everything the address space exposes, in browse order. */
export function plantSpec(): { folders: FolderSpec[]; variables: VariableSpec[] } {
  const folders: FolderSpec[] = [];
  const variables: VariableSpec[] = [];
  const folder = (name: string, description: string) => folders.push({ name, description });
  const v = (f: string, name: string, type: VarType, initial: number | boolean, description: string, extra: Partial<VariableSpec> = {}) =>
    variables.push({ path: `${f}.${name}`, folder: f, name, type, initial, description, writable: false, ...extra });
  const temp = { unit: 'degC' as const, range: { low: -10, high: 60 } };
  const pct = { unit: 'percent' as const, range: { low: 0, high: 100 } };

  folder('Chiller-1', 'Chiller 1, plant room B105');
  v('Chiller-1', 'SupplyWaterTemp', 'Double', 7, 'Chilled water supply temperature', temp);
  v('Chiller-1', 'ReturnWaterTemp', 'Double', 12, 'Chilled water return temperature', temp);
  v('Chiller-1', 'Status', 'Boolean', true, 'Compressor running');
  v('Chiller-1', 'Power', 'Double', 40, 'Electrical power', { unit: 'kW', range: { low: 0, high: 150 } });
  v('Chiller-1', 'Fault', 'Boolean', false, 'Chiller tripped (alarm)');
  v('Chiller-1', 'Enable', 'Boolean', true, 'Chiller enable command', { writable: true });
  v('Chiller-1', 'DemandLimit', 'Int32', 100, 'Demand limit', { ...pct, writable: true });

  for (const ahu of Object.keys(AHU_ZONES)) {
    folder(ahu, `${ahu}, plant room B105`);
    v(ahu, 'SupplyAirTemp', 'Double', 13, 'Supply air temperature', temp);
    v(ahu, 'FanStatus', 'Boolean', true, 'Supply fan running');
    v(ahu, 'FanSpeed', 'Double', 75, 'Supply fan speed', pct);
    v(ahu, 'DamperPosition', 'Double', 30, 'Outside air damper position', pct);
    v(ahu, 'FilterDP', 'Double', 120, 'Filter differential pressure', { unit: 'Pa', range: { low: 0, high: 500 } });
    v(ahu, 'FanFault', 'Boolean', false, 'Supply fan failure (alarm)');
    v(ahu, 'Enable', 'Boolean', true, 'AHU enable command', { writable: true });
  }
  for (const room of ZONE_ROOMS) {
    const f = vavFolder(room);
    folder(f, `VAV box of ${room}`);
    v(f, 'ZoneTemp', 'Double', 24, 'Zone air temperature', temp);
    v(f, 'ZoneTempSetpoint', 'Double', 24, 'Zone air temperature setpoint', { unit: 'degC', range: { low: 16, high: 30 }, writable: true });
    v(f, 'Airflow', 'Double', 600, 'Supply airflow', { unit: 'm3h', range: { low: 0, high: 2000 } });
    v(f, 'DamperPosition', 'Double', 50, 'VAV damper position', pct);
    // 0 = follow schedule, 1 = occupied, 2 = unoccupied.
    v(f, 'OccupancyMode', 'Int16', 0, 'Occupancy mode (0 schedule, 1 occupied, 2 unoccupied)', { range: { low: 0, high: 2 }, writable: true, states: ['Schedule', 'Occupied', 'Unoccupied'] });
  }
  for (const room of ARCHIVE_ROOMS) {
    const f = envFolder(room);
    folder(f, `Environment sensors of ${room}`);
    v(f, 'Temperature', 'Double', 18, 'Room temperature', temp);
    v(f, 'Humidity', 'Double', 48, 'Relative humidity', pct);
    v(f, 'DehumidifierOn', 'Boolean', true, 'Dehumidifier running', { writable: true });
  }
  for (const room of WEAK_ROOMS) {
    const f = envFolder(room);
    folder(f, `Environment sensors of ${room}`);
    v(f, 'Temperature', 'Double', 25, 'Room temperature', temp);
  }
  for (const room of MEETING_ROOMS) {
    const f = envFolder(room);
    folder(f, `Environment sensors of ${room}`);
    v(f, 'CO2', 'Double', 450, 'CO2 concentration', { unit: 'ppm', range: { low: 0, high: 5000 } });
    v(f, 'Temperature', 'Double', 24, 'Room temperature', temp);
  }
  {
    const f = envFolder(SERVER_ROOM);
    folder(f, `Environment sensors of ${SERVER_ROOM}`);
    v(f, 'Temperature', 'Double', 22, 'Room temperature', temp);
    v(f, 'CRACStatus', 'Boolean', true, 'CRAC unit running');
    v(f, 'CRACFault', 'Boolean', false, 'CRAC unit failure (alarm)');
  }
  return { folders, variables };
}

export function createPlantState(): PlantState {
  const s: PlantState = new Map();
  for (const v of plantSpec().variables) s.set(v.path, v.initial);
  return s;
}

const num = (s: PlantState, p: string) => Number(s.get(p) ?? 0);
const bool = (s: PlantState, p: string) => Boolean(s.get(p));

/** Advances the plant by `dtSeconds` of simulated time at `hourOfDay` (0..24, fractional). */
export function stepPlant(s: PlantState, dtSeconds: number, hourOfDay: number): void {
  const outside = outsideTemperature(hourOfDay);
  const scheduleOccupied = isOccupiedHour(hourOfDay);

  const chillerRunning = bool(s, 'Chiller-1.Enable') && !bool(s, 'Chiller-1.Fault');
  s.set('Chiller-1.Status', chillerRunning);
  const chw = approach(num(s, 'Chiller-1.SupplyWaterTemp'), chillerRunning ? 7 : 18, chillerRunning ? 300 : 1200, dtSeconds);
  s.set('Chiller-1.SupplyWaterTemp', chw);

  // The chiller also carries the rest of the tower (perimeter units, lifts,
  // kitchens), which follows the outside temperature.
  let totalLoadKw = chillerRunning ? 150 + 10 * (outside - 30) : 0;
  for (const [ahu, rooms] of Object.entries(AHU_ZONES)) {
    const fanOn = bool(s, `${ahu}.Enable`) && !bool(s, `${ahu}.FanFault`);
    s.set(`${ahu}.FanStatus`, fanOn);
    s.set(`${ahu}.FanSpeed`, fanOn ? 75 + 5 * Math.sin(hourOfDay) : 0);
    s.set(`${ahu}.DamperPosition`, fanOn ? 30 : 0);
    s.set(`${ahu}.FilterDP`, fanOn ? 120 + 0.5 * Math.sin(hourOfDay * 3) : 0);
    const avgZone = rooms.reduce((a, r) => a + num(s, `${vavFolder(r)}.ZoneTemp`), 0) / rooms.length;
    const mixed = 0.8 * avgZone + 0.2 * outside;
    const sat = approach(num(s, `${ahu}.SupplyAirTemp`), supplyAirTarget(fanOn, chw, mixed), 120, dtSeconds);
    s.set(`${ahu}.SupplyAirTemp`, sat);
    if (fanOn && chillerRunning) totalLoadKw += 15; // outside-air share of the coil load

    for (const room of rooms) {
      const f = vavFolder(room);
      const zone = num(s, `${f}.ZoneTemp`);
      const mode = num(s, `${f}.OccupancyMode`);
      const occupied = mode === 1 || (mode === 0 && scheduleOccupied);
      const { damperPct, airflowM3h } = vavControl(zone, num(s, `${f}.ZoneTempSetpoint`), OFFICE_ZONE, fanOn);
      s.set(`${f}.DamperPosition`, damperPct);
      s.set(`${f}.Airflow`, airflowM3h);
      const next = stepZoneTemperature({ zoneC: zone, outsideC: outside, supplyAirC: sat, airflowM3h, occupied, params: OFFICE_ZONE, dtSeconds });
      s.set(`${f}.ZoneTemp`, next);
      if (chillerRunning) totalLoadKw += Math.max(0, supplyCoolingKw(airflowM3h, sat, next));
      if (room.startsWith('meeting-')) {
        const env = envFolder(room);
        s.set(`${env}.Temperature`, next + 0.2);
        s.set(`${env}.CO2`, stepCo2(num(s, `${env}.CO2`), occupied, airflowM3h, dtSeconds));
      }
    }
  }

  const demandLimit = num(s, 'Chiller-1.DemandLimit') / 100;
  s.set('Chiller-1.Power', Math.min(chillerPowerKw(totalLoadKw, chillerRunning), 120 * demandLimit));
  s.set('Chiller-1.ReturnWaterTemp', chilledWaterReturnC(chw, totalLoadKw));

  for (const room of ARCHIVE_ROOMS) {
    const f = envFolder(room);
    s.set(`${f}.Humidity`, stepArchiveHumidity(num(s, `${f}.Humidity`), bool(s, `${f}.DehumidifierOn`), dtSeconds));
    s.set(`${f}.Temperature`, approach(num(s, `${f}.Temperature`), 18 + 0.1 * (outside - 30), 3600, dtSeconds));
  }
  for (const room of WEAK_ROOMS) {
    const f = envFolder(room);
    s.set(`${f}.Temperature`, approach(num(s, `${f}.Temperature`), 25 + 0.2 * (outside - 30), 1800, dtSeconds));
  }
  const srv = envFolder(SERVER_ROOM);
  const cracOn = !bool(s, `${srv}.CRACFault`);
  s.set(`${srv}.CRACStatus`, cracOn);
  s.set(`${srv}.Temperature`, stepServerRoomTemperature(num(s, `${srv}.Temperature`), cracOn, dtSeconds));
}
