// The slice of the site config one edge agent runs: the connections, devices and points of one
// building, validated by the same driver schemas the hub uses. The edge never imports the hub, so
// this reads site.yaml, devices/*.yaml and edge.yaml itself; the hub validates the whole folder
// (`npm run check-config`), this refuses what the edge cannot run, with the file and the reason.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import type { ZodType } from 'zod';
import type { BoundPoint, ConnectionConfig, DeviceConfig, DriverFactory } from '../contracts/driver.js';
import type { PointInfo, PointKind } from '../contracts/point.js';
import { DRIVERS } from '../drivers/registry.js';
import { ESTATE_FILE, estateFileSchema, type EstateFile } from '../drivers/mqtt/estate.js';

export interface BuildingSlice {
  siteId: string;
  building: string;
  connections: ConnectionConfig[];
  devices: DeviceConfig[];
  points: BoundPoint[];
  estate: EstateFile;
  /** Absolute config folder (relative files in edge.yaml resolve against it). */
  dir: string;
}

export class EdgeConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'EdgeConfigError';
  }
}

interface RawPoint { id: string; name: PointInfo['name']; kind: PointKind; unit?: string; brick?: string; limits?: PointInfo['limits']; states?: PointInfo['states']; writable?: boolean; source: unknown }
interface RawDevice { id: string; location: string; connection: string; options?: unknown; points?: RawPoint[] }
interface RawDeviceFile { connections?: Array<{ id: string; protocol: string; options?: unknown }>; devices?: RawDevice[] }

function readYaml(file: string, problems: string[]): unknown {
  try {
    return YAML.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push(`${file}: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

function check<T>(schema: ZodType<T>, value: unknown, where: string, problems: string[]): T | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const i of r.error.issues) problems.push(`${where}${i.path.length ? '.' + i.path.join('.') : ''}: ${i.message}`);
  return undefined;
}

/** Loads one building's connections/devices/points and edge.yaml; throws EdgeConfigError listing every problem. */
export function loadBuilding(configDir: string, building: string, drivers: readonly DriverFactory[] = DRIVERS): BuildingSlice {
  const dir = resolve(configDir);
  const problems: string[] = [];
  const site = readYaml(join(dir, 'site.yaml'), problems) as { site?: { id?: string; buildings?: Array<{ id: string }> } } | undefined;
  const siteId = site?.site?.id;
  if (!siteId) problems.push(`${join(dir, 'site.yaml')}: site.id is missing`);
  if (site?.site?.buildings && !site.site.buildings.some((b) => b.id === building)) {
    problems.push(`${join(dir, 'site.yaml')}: no building "${building}" (buildings: ${site.site.buildings.map((b) => b.id).join(', ')})`);
  }
  const estateRaw = readYaml(join(dir, ESTATE_FILE), problems);
  const estate = estateRaw === undefined ? undefined : check(estateFileSchema, estateRaw, join(dir, ESTATE_FILE), problems);
  if (estate && !Object.hasOwn(estate.buildings, building)) problems.push(`${join(dir, ESTATE_FILE)}: buildings has no entry "${building}" (it is not served by an edge agent)`);

  const byProtocol = new Map(drivers.map((d) => [d.protocol, d]));
  const connections = new Map<string, { conn: ConnectionConfig; factory: DriverFactory }>();
  const rawDevices: Array<{ d: RawDevice; where: string }> = [];
  let files: string[] = [];
  try {
    files = readdirSync(join(dir, 'devices')).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    problems.push(`${join(dir, 'devices')}: no device files`);
  }
  for (const f of files) {
    const file = join(dir, 'devices', f);
    const data = readYaml(file, problems) as RawDeviceFile | undefined;
    data?.connections?.forEach((c, i) => {
      const factory = byProtocol.get(c.protocol);
      if (!factory) return void problems.push(`${file}: connections.${i}.protocol: unknown protocol "${c.protocol}"`);
      const options = check(factory.connectionSchema, c.options ?? {}, `${file}: connections.${i}.options`, problems);
      if (options !== undefined) connections.set(c.id, { conn: { id: c.id, protocol: c.protocol, options }, factory });
    });
    data?.devices?.forEach((d, i) => rawDevices.push({ d, where: `${file}: devices.${i}` }));
  }

  const devices: DeviceConfig[] = [];
  const points: BoundPoint[] = [];
  const used = new Set<string>();
  for (const { d, where } of rawDevices) {
    if (typeof d.location !== 'string' || d.location.split('/')[0] !== building) continue;
    const c = connections.get(d.connection);
    if (!c) {
      problems.push(`${where}.connection: unknown connection "${d.connection}"`);
      continue;
    }
    used.add(c.conn.id);
    const [b, floor, room] = d.location.split('/');
    const options = check(c.factory.deviceSchema, d.options ?? {}, `${where}.options`, problems);
    devices.push({ id: d.id, connection: d.connection, options, location: { building: b, floor, room } });
    (d.points ?? []).forEach((p, pi) => {
      const source = check(c.factory.sourceSchema, p.source, `${where}.points.${pi}.source`, problems);
      if (source === undefined) return;
      const info: PointInfo = {
        id: `${siteId}/${d.location}/${d.id}/${p.id}`, name: p.name, kind: p.kind, unit: p.unit, brick: p.brick, limits: p.limits, states: p.states,
        writable: p.writable ?? false, device: d.id, protocol: c.conn.protocol, intervalMs: c.factory.intervalMs(c.conn.options, source),
      };
      points.push({ info, device: d.id, connection: d.connection, source });
    });
  }
  // A connection shared with another building would be polled twice (by this edge and elsewhere).
  for (const { d, where } of rawDevices) {
    if (d.location?.split('/')[0] !== building && used.has(d.connection)) problems.push(`${where}: connection "${d.connection}" also serves building ${d.location.split('/')[0]}; an edge agent needs connections of its own building only`);
  }
  if (problems.length === 0 && points.length === 0) problems.push(`building "${building}" has no points in ${join(dir, 'devices')}`);
  if (problems.length > 0 || !estate || !siteId) throw new EdgeConfigError(problems);
  return { siteId, building, connections: [...connections.values()].filter((c) => used.has(c.conn.id)).map((c) => c.conn), devices, points, estate, dir };
}
