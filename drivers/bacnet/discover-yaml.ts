// Pure part of `npm run bacnet:discover`: a device's object list (names, units, state texts)
// → ready-to-paste connection/device/point config YAML.
import { Document } from 'yaml';
import type { PointKind } from '../../contracts/point.js';
import { familyOf, isInput, type ObjectTypeName } from './objects.js';

export interface DiscoveredObject {
  type: ObjectTypeName;
  instance: number;
  name: string;
  description?: string;
  /** BACnet EngineeringUnits enumeration value. */
  units?: number;
  stateText?: string[];
  activeText?: string;
  inactiveText?: string;
  /** Has a priority array (outputs; commandable values). */
  commandable: boolean;
}

export interface DiscoveredDevice {
  host: string;
  port: number;
  instance: number;
  name: string;
  objects: DiscoveredObject[];
}

/** EngineeringUnits (135 clause 21) → the unit symbols the console shows. */
const UNIT_SYMBOLS: Record<number, string> = {
  62: '°C', 64: '°F', 98: '%', 29: '%RH', 53: 'Pa', 54: 'kPa', 135: 'm³/h', 87: 'L/s', 48: 'kW', 47: 'W',
  19: 'kWh', 37: 'lx', 96: 'ppm', 5: 'V', 3: 'A', 27: 'Hz',
};
const NO_UNITS = 95;

export function unitSymbol(units: number | undefined, names: Record<number, string> = {}): string | undefined {
  if (units === undefined || units === NO_UNITS) return undefined;
  return UNIT_SYMBOLS[units] ?? names[units]?.toLowerCase().replace(/_/g, '-') ?? `bacnet-unit-${units}`;
}

/** `AHU-1.SupplyAirTemp` → `supply-air-temp` (the part after the equipment prefix); `CO2` → `co2`. */
export function slug(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'point';
}

/** Equipment and point part of an object name: `AHU-1.SupplyAirTemp` → [`AHU-1`, `SupplyAirTemp`]. */
export function splitName(name: string): [string | null, string] {
  const i = name.search(/[.:/]/);
  return i > 0 ? [name.slice(0, i), name.slice(i + 1)] : [null, name];
}

export function kindOf(type: ObjectTypeName): PointKind {
  return familyOf(type);
}

export function discoveredToYaml(dev: DiscoveredDevice, o: { connectionId?: string; location?: string; unitNames?: Record<number, string> } = {}): string {
  const connection = o.connectionId ?? `bacnet-${dev.instance}`;
  // Objects named `EQUIP.Point` become one device entry per equipment; the rest go on the panel itself.
  const groups = new Map<string, DiscoveredObject[]>();
  for (const obj of dev.objects) {
    const [equip] = splitName(obj.name);
    const key = equip ?? dev.name;
    groups.set(key, [...(groups.get(key) ?? []), obj]);
  }
  const comments: Array<{ path: (string | number)[]; text: string }> = [];
  const devices = [...groups.entries()].map(([equip, objs], di) => {
    const usedIds = new Set<string>();
    const points = objs.map((obj, pi) => {
      let id = slug(splitName(obj.name)[1]);
      while (usedIds.has(id)) id = `${id}-${obj.instance}`;
      usedIds.add(id);
      const label = obj.description || obj.name;
      const kind = kindOf(obj.type);
      const p: Record<string, unknown> = { id, name: { en: label, 'zh-CN': label }, kind };
      const unit = kind === 'analog' ? unitSymbol(obj.units, o.unitNames) : undefined;
      if (unit) p.unit = unit;
      if (kind === 'multistate' && obj.stateText?.length) {
        p.states = Object.fromEntries(obj.stateText.map((t, i) => [String(i + 1), { en: t, 'zh-CN': t }]));
      }
      if (kind === 'binary' && (obj.activeText || obj.inactiveText)) {
        comments.push({ path: ['devices', di, 'points', pi], text: ` ${obj.type}:${obj.instance}: true = ${obj.activeText ?? 'active'}, false = ${obj.inactiveText ?? 'inactive'}` });
      }
      p.writable = obj.commandable && !isInput(obj.type);
      p.source = { object: `${obj.type}:${obj.instance}` };
      return p;
    });
    return { id: slug(equip), name: { en: equip, 'zh-CN': equip }, location: o.location ?? 'a/CHANGE-ME/CHANGE-ME', connection, options: { instance: dev.instance }, points };
  });
  const doc = new Document({
    connections: [{ id: connection, protocol: 'bacnet', options: { host: dev.host, port: dev.port, pollMs: 5000 } }],
    devices,
  });
  for (const c of comments) {
    const node = doc.getIn(c.path, true) as { commentBefore?: string } | undefined;
    if (node) node.commentBefore = c.text;
  }
  doc.commentBefore = [
    ` Discovered device ${dev.instance} "${dev.name}" at ${dev.host}:${dev.port} on ${new Date().toISOString()}.`,
    ' Fill in each device location (building/floor/room from site.yaml), zh-CN names and Brick classes.',
    ' writable: true is proposed for objects with a priority array (outputs, commandable values); review each.',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}
