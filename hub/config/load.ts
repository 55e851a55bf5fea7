// Loads and validates the site config folder. No I/O beyond reading the files:
// drivers connect later. Every problem is collected, then all are reported at once.
import fs from 'node:fs';
import path from 'node:path';
import type { ZodType } from 'zod';
import { DEFAULT_ROLE_PERMISSIONS, type Permission, type Role } from '../../contracts/auth.js';
import { DEFAULT_ROLE_SCOPES, type PointScope } from '../../contracts/scopes.js';
import type { SiteTree } from '../../contracts/api.js';
import type { BoundPoint, ConnectionConfig, DriverFactory } from '../../contracts/driver.js';
import type { PointInfo } from '../../contracts/point.js';
import { DRIVERS } from '../../drivers/registry.js';
import { ConfigError, type ConfigPath, type ConfigProblem } from './errors.js';
import { devicesFileSchema, hubFileSchema, siteFileSchema, usersFileSchema, type DevicesFile } from './schema.js';
import type { DeviceEntry, LoadedConfig } from './types.js';
import { SECTIONS, type ConfigSection } from './sections.js';
import { shardSiteProblems } from '../history/settings.js';
import { oneLine, readYamlFile } from './read.js';

export { ConfigError } from './errors.js';

export interface LoadOptions {
  /** Drivers whose schemas validate protocol-specific parts. Defaults to the registry. */
  drivers?: readonly DriverFactory[];
  /** Base for a relative hub.dataDir. Defaults to the parent of the config folder. */
  rootDir?: string;
  /** Optional subsystem files to validate. Defaults to SECTIONS. */
  sections?: readonly ConfigSection[];
}

class Problems {
  list: ConfigProblem[] = [];
  add(file: string, p: ConfigPath, message: string) {
    this.list.push({ file, path: p, message });
  }
}

function readYaml(file: string, problems: Problems, required: boolean): unknown {
  return readYamlFile(file, problems, required);
}

/** A check that throws (a bug, or input its author did not foresee) is a problem of its file, not a crash. */
function safely(file: string, problems: Problems, what: string, run: () => void): void {
  try {
    run();
  } catch (err) {
    problems.add(file, [], `${what} failed: ${oneLine(err)}`);
  }
}

function validate<T>(schema: ZodType<T>, value: unknown, file: string, base: ConfigPath, problems: Problems): T | undefined {
  let r;
  try {
    r = schema.safeParse(value);
  } catch (err) {
    problems.add(file, base, `could not be validated: ${oneLine(err)}`);
    return undefined;
  }
  if (r.success) return r.data;
  for (const issue of r.error.issues) problems.add(file, [...base, ...issue.path], issue.message);
  return undefined;
}

function siteTree(site: NonNullable<ReturnType<typeof siteFileSchema.parse>>['site']): SiteTree {
  return {
    id: site.id,
    name: site.name,
    timezone: site.timezone,
    buildings: site.buildings.map((b) => ({
      id: b.id,
      name: b.name,
      floors: b.floors.map((f) => ({
        id: f.id,
        key: `${site.id}/${b.id}/${f.id}`,
        name: f.name,
        level: f.level,
        rooms: f.rooms.map((r) => ({ id: r.id, name: r.name, type: r.type })),
      })),
    })),
  };
}

/** Duplicate ids inside one list, reported at the later occurrence. */
function checkUnique<T>(items: T[], key: (t: T) => string, file: (t: T) => string, at: (t: T, i: number) => ConfigPath, what: string, problems: Problems) {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) problems.add(file(item), at(item, i), `duplicate ${what} "${k}"`);
    else seen.set(k, i);
  });
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function loadConfig(dir: string, opts: LoadOptions = {}): LoadedConfig {
  const configDir = path.resolve(dir);
  const drivers = opts.drivers ?? DRIVERS;
  const problems = new Problems();

  if (!isDirectory(configDir)) {
    throw new ConfigError([{ file: configDir, path: [], message: 'config folder not found' }]);
  }

  const siteFile = path.join(configDir, 'site.yaml');
  const usersFile = path.join(configDir, 'users.yaml');
  const hubFile = path.join(configDir, 'hub.yaml');
  const site = validate(siteFileSchema, readYaml(siteFile, problems, true), siteFile, [], problems);
  const users = validate(usersFileSchema, readYaml(usersFile, problems, true), usersFile, [], problems);
  const hub = validate(hubFileSchema, readYaml(hubFile, problems, false) ?? {}, hubFile, [], problems);

  const devicesDir = path.join(configDir, 'devices');
  let deviceFiles: string[] = [];
  try {
    deviceFiles = fs.readdirSync(devicesDir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(devicesDir, f));
    if (deviceFiles.length === 0) problems.add(devicesDir, [], 'no device files (devices/*.yaml)');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    problems.add(devicesDir, [], code === 'ENOENT' ? 'no device files (devices/*.yaml)' : code === 'ENOTDIR' ? 'is a file, not a folder of device files' : `cannot read: ${code ?? oneLine(err)}`);
  }

  const parsedDeviceFiles: Array<{ file: string; data: DevicesFile }> = [];
  for (const file of deviceFiles) {
    const data = validate(devicesFileSchema, readYaml(file, problems, true), file, [], problems);
    if (data) parsedDeviceFiles.push({ file, data });
  }

  // Site structure: unique ids at each level, and a lookup of valid locations.
  const rooms = new Set<string>();
  if (site) {
    const s = site.site;
    checkUnique(s.buildings, (b) => b.id, () => siteFile, (_b, i) => ['site', 'buildings', i, 'id'], 'building id', problems);
    s.buildings.forEach((b, bi) => {
      checkUnique(b.floors, (f) => f.id, () => siteFile, (_f, i) => ['site', 'buildings', bi, 'floors', i, 'id'], 'floor id', problems);
      b.floors.forEach((f, fi) => {
        checkUnique(f.rooms, (r) => r.id, () => siteFile, (_r, i) => ['site', 'buildings', bi, 'floors', fi, 'rooms', i, 'id'], 'room id', problems);
        for (const r of f.rooms) rooms.add(`${b.id}/${f.id}/${r.id}`);
      });
    });
  }
  if (users) {
    checkUnique(users.users, (u) => u.username, () => usersFile, (_u, i) => ['users', i, 'username'], 'username', problems);
  }

  const driverByProtocol = new Map(drivers.map((d) => [d.protocol, d]));
  const known = [...driverByProtocol.keys()].join(', ');

  // Connections, across all device files.
  const connections = new Map<string, { conn: ConnectionConfig; file: string; factory?: DriverFactory }>();
  for (const { file, data } of parsedDeviceFiles) {
    data.connections.forEach((c, i) => {
      if (connections.has(c.id)) {
        problems.add(file, ['connections', i, 'id'], `duplicate connection id "${c.id}" (also in ${path.basename(connections.get(c.id)!.file)})`);
        return;
      }
      const factory = driverByProtocol.get(c.protocol);
      if (!factory) problems.add(file, ['connections', i, 'protocol'], `unknown protocol "${c.protocol}" (known: ${known})`);
      const options = factory ? validate(factory.connectionSchema, c.options ?? {}, file, ['connections', i, 'options'], problems) : undefined;
      connections.set(c.id, { conn: { id: c.id, protocol: c.protocol, options }, file, factory });
    });
  }

  const siteId = site?.site.id ?? 'site';
  const devices: DeviceEntry[] = [];
  const points: BoundPoint[] = [];
  const pointFile = new Map<string, { file: string; at: ConfigPath }>();
  type CheckEntry = Parameters<NonNullable<DriverFactory['check']>>[0][number];
  const checkInput = new Map<DriverFactory, Map<string, CheckEntry[]>>();

  for (const { file, data } of parsedDeviceFiles) {
    data.devices.forEach((d, di) => {
      const base: ConfigPath = ['devices', di];
      if (site && !rooms.has(d.location)) problems.add(file, [...base, 'location'], `unknown room "${d.location}" (not in site.yaml)`);
      const c = connections.get(d.connection);
      if (!c) problems.add(file, [...base, 'connection'], `unknown connection "${d.connection}"`);
      const factory = c?.factory;
      const options = factory ? validate(factory.deviceSchema, d.options ?? {}, file, [...base, 'options'], problems) : undefined;
      const [building, floor, room] = d.location.split('/');
      const device: DeviceEntry = { id: d.id, connection: d.connection, options, name: d.name, location: { building, floor, room }, file };
      devices.push(device);
      const bound: Array<{ index: number; point: BoundPoint }> = [];
      d.points.forEach((p, pi) => {
        const at: ConfigPath = [...base, 'points', pi];
        const source = factory ? validate(factory.sourceSchema as ZodType, p.source, file, [...at, 'source'], problems) : undefined;
        if (p.states && p.kind !== 'multistate') problems.add(file, [...at, 'states'], 'states are only for multistate points');
        if (p.limits && p.kind !== 'analog') problems.add(file, [...at, 'limits'], 'limits are only for analog points');
        const pointId = `${siteId}/${d.location}/${d.id}/${p.id}`;
        const prior = pointFile.get(pointId);
        if (prior) {
          problems.add(file, [...at, 'id'], `duplicate point id "${pointId}" (first at ${path.basename(prior.file)}: ${prior.at.join('.')})`);
          return;
        }
        pointFile.set(pointId, { file, at });
        const info: PointInfo = {
          id: pointId,
          name: p.name,
          kind: p.kind,
          unit: p.unit,
          brick: p.brick,
          limits: p.limits,
          states: p.states,
          writable: p.writable,
          device: d.id,
          protocol: c?.conn.protocol ?? 'unknown',
          intervalMs: factory && source !== undefined && c?.conn.options !== undefined ? factory.intervalMs(c.conn.options, source) : 1000,
        };
        const bp: BoundPoint = { info, device: d.id, connection: d.connection, source };
        points.push(bp);
        // Cross-checks only see points whose source validated.
        if (source !== undefined) bound.push({ index: pi, point: bp });
      });
      if (factory && options !== undefined && c?.conn.options !== undefined) {
        const byFile = checkInput.get(factory) ?? new Map<string, CheckEntry[]>();
        checkInput.set(factory, byFile);
        const list = byFile.get(file) ?? [];
        byFile.set(file, list);
        list.push({ index: di, device, connection: c.conn, points: bound });
      }
    });
  }

  // Protocol cross-checks (e.g. overlapping register maps), only on entries that validated.
  const allPoints = new Map(points.map((p) => [p.info.id, p.info]));
  for (const [factory, byFile] of checkInput) {
    if (!factory.check) continue;
    for (const [file, entries] of byFile) {
      safely(file, problems, `${factory.protocol} cross-check`, () => {
        for (const issue of factory.check!(entries, { points: allPoints })) problems.add(file, issue.path, issue.message);
      });
    }
  }

  // history.shards name buildings: a typo would leave a building's history unstored, so it is refused here.
  if (site && hub?.history.shards) {
    for (const p of shardSiteProblems(hub.history.shards, site.site.buildings.map((b) => b.id))) problems.add(hubFile, ['history', ...p.path], p.message);
  }

  // Subsystem files (alarm rules, schedules...), checked against the points only when those are sound.
  // The parsed data is kept (LoadedConfig.sections): subsystems get it instead of reading YAML again.
  const sections = new Map<string, unknown>();
  if (site) {
    const pointInfos = new Map(points.map((p) => [p.info.id, p.info]));
    const tree = siteTree(site.site);
    // Rosters, patrol tours and report recipients name users: checked here, so a reload refuses an unknown one.
    const usernames = users ? new Set(users.users.map((u) => u.username)) : null;
    // Parse every section first: a check may look at another file (alarm rules name schedule groups).
    const parsed = sections;
    const checks: Array<() => void> = [];
    for (const section of opts.sections ?? SECTIONS) {
      const file = path.join(configDir, section.file);
      const raw = readYaml(file, problems, false);
      if (raw === undefined) continue;
      const data = validate(section.schema, raw, file, [], problems);
      if (data === undefined) continue;
      parsed.set(section.file, data);
      if (section.check) {
        const check = section.check;
        checks.push(() => {
          safely(file, problems, 'cross-check', () => {
            for (const issue of check(data, pointInfos, tree, parsed, [...connections.values()].map((c) => c.conn), usernames)) problems.add(file, issue.path, issue.message);
          });
        });
      }
    }
    for (const check of checks) check();
  }

  if (problems.list.length > 0 || !site || !users || !hub) throw new ConfigError(problems.list);

  const rolePermissions = { ...DEFAULT_ROLE_PERMISSIONS } as Record<Role, Permission[]>;
  const roleScopes: Partial<Record<Role, PointScope>> = {};
  for (const [role, entry] of Object.entries(users.roles ?? {})) {
    if (Array.isArray(entry)) rolePermissions[role as Role] = entry as Permission[];
    else if (entry) {
      if (entry.permissions) rolePermissions[role as Role] = entry.permissions as Permission[];
      const base = DEFAULT_ROLE_SCOPES[role as Role];
      roleScopes[role as Role] = { pointClasses: entry.pointClasses ?? base.pointClasses, areas: entry.areas ?? base.areas };
    }
  }

  const rootDir = opts.rootDir ?? path.dirname(configDir);
  return {
    dir: configDir,
    site: siteTree(site.site),
    hub: {
      host: hub.host,
      port: hub.port,
      dataDir: path.resolve(rootDir, hub.dataDir),
      liveWindowMs: hub.liveWindowMs,
      sessionTtlHours: hub.sessionTtlHours,
      allowedOrigins: hub.allowedOrigins,
      trustedProxies: hub.trustedProxies,
      secureCookies: hub.secureCookies,
      ...(hub.hstsMaxAgeS !== undefined ? { hstsMaxAgeS: hub.hstsMaxAgeS } : {}),
      watchConfig: hub.watchConfig,
      history: hub.history,
      video: hub.video,
    },
    connections: [...connections.values()].map((c) => c.conn),
    devices,
    points,
    users: users.users.map((u) => ({ username: u.username, name: u.name, role: u.role, passwordHash: u.password })),
    rolePermissions,
    roleScopes,
    sections,
  };
}
