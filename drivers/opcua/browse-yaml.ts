// Pure part of `npm run opcua:browse`: browsed variables → ready-to-paste
// device/point config YAML (nsu= NodeIds, kinds from DataType, units from
// EngineeringUnits, writable from AccessLevel).
import { stringify } from 'yaml';
import type { PointKind } from '../../contracts/point.js';

export interface BrowsedVariable {
  /** NodeId in `nsu=` form (or ns=0 bare). */
  nodeId: string;
  /** Browse name of the parent object (folder): becomes the device. */
  parent: string;
  browseName: string;
  description?: string;
  /** Built-in DataType name (`Double`, `Boolean`, `Int16`…) or the type's NodeId. */
  dataType: string;
  /** EngineeringUnits display name, e.g. `°C`. */
  unit?: string;
  /** EURange. */
  range?: { low: number; high: number };
  writable: boolean;
  /** The variable has EnumStrings/EnumValues (a multistate). */
  enumerated?: boolean;
  /** EnumStrings texts, index = value. */
  states?: string[];
}

const INTEGER_TYPES = new Set(['SByte', 'Byte', 'Int16', 'UInt16', 'Int32', 'UInt32', 'Int64', 'UInt64']);
const NUMBER_TYPES = new Set([...INTEGER_TYPES, 'Float', 'Double']);

export function kindOf(v: Pick<BrowsedVariable, 'dataType' | 'enumerated'>): PointKind | null {
  if (v.dataType === 'Boolean') return 'binary';
  if (v.enumerated && INTEGER_TYPES.has(v.dataType)) return 'multistate';
  if (NUMBER_TYPES.has(v.dataType)) return 'analog';
  if (v.dataType === 'String' || v.dataType === 'LocalizedText') return 'string';
  return null;
}

/** `SupplyAirTemp` → `supply-air-temp`; `AHU-1` → `ahu-1`; `CO2` → `co2`. */
export function slug(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'point';
}

/** Returns the YAML text and the variables skipped (types no point kind fits). */
export function browsedToYaml(endpointUrl: string, vars: BrowsedVariable[], connectionId = 'opcua-browsed'): { yaml: string; skipped: BrowsedVariable[] } {
  const skipped: BrowsedVariable[] = [];
  const devices = new Map<string, { id: string; name: { en: string; 'zh-CN': string }; location: string; connection: string; options: object; points: object[] }>();
  for (const v of vars) {
    const kind = kindOf(v);
    if (!kind) {
      skipped.push(v);
      continue;
    }
    const deviceId = slug(v.parent);
    let device = devices.get(deviceId);
    if (!device) {
      device = { id: deviceId, name: { en: v.parent, 'zh-CN': v.parent }, location: 'a/CHANGE-ME/CHANGE-ME', connection: connectionId, options: {}, points: [] };
      devices.set(deviceId, device);
    }
    const label = v.description || v.browseName;
    const p: Record<string, unknown> = { id: slug(v.browseName), name: { en: label, 'zh-CN': label }, kind };
    if (v.unit) p.unit = v.unit;
    if (v.range && kind === 'analog') p.limits = { min: v.range.low, max: v.range.high };
    if (kind === 'multistate' && v.states) p.states = Object.fromEntries(v.states.map((text, i) => [String(i), { en: text, 'zh-CN': text }]));
    p.writable = v.writable;
    p.source = { nodeId: v.nodeId };
    device.points.push(p);
  }
  const doc = {
    connections: [{ id: connectionId, protocol: 'opcua', options: { endpointUrl, securityMode: 'None', securityPolicy: 'None' } }],
    devices: [...devices.values()],
  };
  const header = [
    `# Browsed from ${endpointUrl} on ${new Date().toISOString()}.`,
    '# Fill in each device location (building/floor/room from site.yaml), zh-CN names and Brick classes.',
  ];
  if (skipped.length) header.push(`# Skipped ${skipped.length} variable(s) with no matching point kind: ${skipped.slice(0, 5).map((s) => `${s.nodeId} (${s.dataType})`).join(', ')}${skipped.length > 5 ? ', …' : ''}`);
  return { yaml: header.join('\n') + '\n' + stringify(doc, { lineWidth: 0 }), skipped };
}
