// Permission scopes: which points a role may command, by point class and by area. Pure, shared by
// the hub (which enforces them) and the console (which only hides what a user cannot do).
import type { Role } from './auth.js';

/** `security`: access control and intrusion (doors, locks, gates, cameras, window contacts). */
export const POINT_CLASSES = ['security', 'hvac', 'lighting', 'power', 'other'] as const;
export type PointClass = (typeof POINT_CLASSES)[number];

/**
 * What a role may command. `areas` are `building` or `building/floor` ids (the 2nd and 3rd
 * segments of a point id); 'all' means no restriction.
 */
export interface PointScope {
  pointClasses: readonly PointClass[] | 'all';
  areas: readonly string[] | 'all';
}

export const ALL_SCOPE: PointScope = { pointClasses: 'all', areas: 'all' };

/** Defaults; config/users.yaml `roles:` may replace a role's scope. Roles without points:write never command anyway. */
export const DEFAULT_ROLE_SCOPES: Record<Role, PointScope> = {
  viewer: ALL_SCOPE,
  guard: ALL_SCOPE,
  operator: ALL_SCOPE,
  // Tunes comfort and energy; never opens a door or touches an alarm-bearing security point.
  energy_officer: { pointClasses: ['hvac', 'lighting', 'power'], areas: 'all' },
  supervisor: ALL_SCOPE,
  admin: ALL_SCOPE,
  // Work orders only (no points:write): the scope never applies.
  maintainer: ALL_SCOPE,
  tester: ALL_SCOPE,
  // Read-only (no points:write): the scope never applies.
  leader: ALL_SCOPE,
};

/** The part of a point the class is derived from (PointInfo satisfies it). */
export interface ClassifiablePoint {
  id: string;
  /** Equipment id (5th id segment). */
  device: string;
  brick?: string;
}

const seg = (words: string) => new RegExp(`(^|-)(${words})(-|$)`);
// Security wins over everything: a lock relay carries the same Brick class (On_Off_Command) as a
// lighting circuit, so the equipment and point names must be able to claim it.
const SECURITY_DEVICE = seg('door|doors|lock|locks|access|entrance|gate|gates|turnstile|barrier|camera|cam|intrusion|window|windows|reader|card-reader');
const SECURITY_POINT = seg('lock|unlock|door|forced|tamper|intrusion|gate|barrier');
const SECURITY_BRICK = /Door|Lock|Access|Intrusion|Motion|Camera|Tamper|Badge|Gate|Turnstile/;

const DEVICE_CLASS: Array<[RegExp, PointClass]> = [
  [seg('lighting|light|lights|lamp|lamps|luminaire'), 'lighting'],
  [seg('ahu|vav|fcu|rtu|chiller|boiler|crac|crah|dehum|humidifier|hvac|heatpump|cooling-tower|env'), 'hvac'],
  [seg('meter|meters|panel|switchgear|ups|pdu|genset|generator|transformer|breaker|feeder'), 'power'],
];
const BRICK_CLASS: Array<[RegExp, PointClass]> = [
  [/Lighting|Luminance|Lamp|Light/, 'lighting'],
  [/Air|Damper|Fan|Chiller|Chilled_Water|Hot_Water|Filter|Humidity|Dewpoint|CO2|Occupancy|Heating|Cooling|Thermostat|Zone/, 'hvac'],
  [/Electric|Energy|Voltage|Current|Power|Frequency/, 'power'],
];

/** The class of a point, from its equipment id, point name and Brick class. Pure. */
export function pointClassOf(p: ClassifiablePoint): PointClass {
  const name = p.id.split('/').pop() ?? '';
  if (SECURITY_DEVICE.test(p.device) || SECURITY_POINT.test(name) || (p.brick && SECURITY_BRICK.test(p.brick))) return 'security';
  for (const [re, cls] of DEVICE_CLASS) if (re.test(p.device)) return cls;
  if (p.brick) for (const [re, cls] of BRICK_CLASS) if (re.test(p.brick)) return cls;
  return 'other';
}

/**
 * A command that physically opens or unlocks something (door release, lock override): it needs
 * `confirm: true` and a reason. Camera presets are security-class but move no lock.
 */
export function isSecurityCommandPoint(p: ClassifiablePoint): boolean {
  if (pointClassOf(p) !== 'security') return false;
  const name = p.id.split('/').pop() ?? '';
  return /(^|-)(lock|unlock|release|door|gate|barrier|turnstile)(-|$)/.test(name) || /Lock|Door|Gate/.test(p.brick ?? '');
}

/** Why this scope does not cover the point, or null when it does. Pure. */
export function scopeRefusal(scope: PointScope, p: ClassifiablePoint): string | null {
  const cls = pointClassOf(p);
  if (scope.pointClasses !== 'all' && !scope.pointClasses.includes(cls)) {
    return `point ${p.id} is in class ${cls}, outside this role's classes (${scope.pointClasses.join(', ') || 'none'})`;
  }
  if (scope.areas !== 'all') {
    const [, building, floor] = p.id.split('/');
    const ok = scope.areas.some((a) => a === building || a === `${building}/${floor}`);
    if (!ok) return `point ${p.id} is in ${building}/${floor}, outside this role's areas (${scope.areas.join(', ') || 'none'})`;
  }
  return null;
}

export const inScope = (scope: PointScope | undefined, p: ClassifiablePoint): boolean => scopeRefusal(scope ?? ALL_SCOPE, p) === null;
