// What changed between two validated configs: a pure function, so the reload can say what it is
// about to do (and audit it) before touching anything. Equality is structural (stable JSON), so a
// re-ordered YAML map is no change, while any changed option of a point is.
import { isCameraProtocol } from '../../contracts/cameras.js';
import type { BoundPoint, ConnectionConfig } from '../../contracts/driver.js';
import type { LoadedConfig } from '../config/types.js';

/** The parts of a config a reload compares; `sections` holds the parsed subsystem files (alarms.yaml, …) by name. */
export interface SiteSnapshot {
  config: Pick<LoadedConfig, 'site' | 'hub' | 'connections' | 'devices' | 'points' | 'users' | 'rolePermissions' | 'floorPlans'>;
  sections: ReadonlyMap<string, unknown>;
}

export interface SetDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

export interface ConfigDiff {
  /** `changed`: the connection's options, or any of its devices or points, changed; it restarts. */
  connections: SetDiff;
  /** Keyed `building/floor/room/equipment` (equipment ids are unique per room only). */
  devices: SetDiff;
  points: SetDiff;
  /** By rule id; `settingsChanged`: defaults or time windows changed (every rule is recompiled). */
  alarmRules: SetDiff & { settingsChanged: boolean };
  /** ONVIF connections (a camera is one connection). */
  cameras: SetDiff;
  users: SetDiff;
  rolesChanged: boolean;
  siteChanged: boolean;
  /** Subsystem files other than alarms.yaml that changed (schedules.yaml, lighting.yaml, …). */
  sectionsChanged: string[];
  /** hub.yaml settings that only take effect at the next start (the listening socket, the data folder, history). */
  restartNeeded: string[];
}

/** JSON with object keys sorted, so two equal structures always print the same. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x,
  );
}

/** Added/removed/changed keys of two keyed collections. */
export function diffBy<T>(prev: readonly T[], next: readonly T[], key: (t: T) => string, same: (a: T, b: T) => boolean = (a, b) => stableJson(a) === stableJson(b)): SetDiff {
  const before = new Map(prev.map((t) => [key(t), t]));
  const after = new Map(next.map((t) => [key(t), t]));
  const out: SetDiff = { added: [], removed: [], changed: [] };
  for (const [k, t] of after) {
    const old = before.get(k);
    if (old === undefined) out.added.push(k);
    else if (!same(old, t)) out.changed.push(k);
  }
  for (const k of before.keys()) if (!after.has(k)) out.removed.push(k);
  return out;
}

const deviceKey = (d: { id: string; location: { building: string; floor: string; room: string } }) => `${d.location.building}/${d.location.floor}/${d.location.room}/${d.id}`;

/** Rules by id from a parsed alarms.yaml (raw YAML data: tolerant of a missing file or section). */
function rulesOf(file: unknown): Array<{ id: string }> {
  const rules = (file as { rules?: unknown } | undefined)?.rules;
  return Array.isArray(rules) ? rules.filter((r): r is { id: string } => typeof r?.id === 'string') : [];
}

function alarmSettings(file: unknown): string {
  const f = (file ?? {}) as { defaults?: unknown; timeWindows?: unknown };
  return stableJson([f.defaults ?? null, f.timeWindows ?? null]);
}

/**
 * hub.yaml keys a running hub cannot change under its feet (the listening socket, the data folder,
 * history, …): every key of hub.yaml is read once at start, so any changed key is reported.
 */
function changedHubKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => stableJson(a[k] ?? null) !== stableJson(b[k] ?? null));
}

export function diffConfig(prev: SiteSnapshot, next: SiteSnapshot): ConfigDiff {
  const a = prev.config;
  const b = next.config;
  const pointKey = (p: BoundPoint) => p.info.id;
  const points = diffBy(a.points, b.points, pointKey);
  const devices = diffBy(a.devices.map(stripFile), b.devices.map(stripFile), deviceKey);
  const connections = diffBy(a.connections, b.connections, (c) => c.id);

  // A connection restarts when anything its driver was built from changed: its own options, a
  // device on it, or a point read through it (on either side of a move between connections).
  const touched = new Set<string>(connections.changed);
  const pointsBefore = new Map(a.points.map((p) => [p.info.id, p]));
  const pointsAfter = new Map(b.points.map((p) => [p.info.id, p]));
  for (const id of [...points.added, ...points.changed]) touched.add(pointsAfter.get(id)!.connection);
  for (const id of [...points.removed, ...points.changed]) touched.add(pointsBefore.get(id)!.connection);
  const devBefore = new Map(a.devices.map((d) => [deviceKey(d), d]));
  const devAfter = new Map(b.devices.map((d) => [deviceKey(d), d]));
  for (const k of [...devices.added, ...devices.changed]) touched.add(devAfter.get(k)!.connection);
  for (const k of [...devices.removed, ...devices.changed]) touched.add(devBefore.get(k)!.connection);
  const existsBoth = new Set(a.connections.map((c) => c.id).filter((id) => b.connections.some((c) => c.id === id)));
  connections.changed = [...touched].filter((id) => existsBoth.has(id)).sort();

  const prevAlarms = prev.sections.get('alarms.yaml');
  const nextAlarms = next.sections.get('alarms.yaml');
  const alarmRules = { ...diffBy(rulesOf(prevAlarms), rulesOf(nextAlarms), (r) => r.id), settingsChanged: alarmSettings(prevAlarms) !== alarmSettings(nextAlarms) };

  const onvif = (cs: readonly ConnectionConfig[]) => cs.filter((c) => isCameraProtocol(c.protocol));
  const cameras = diffBy(onvif(a.connections), onvif(b.connections), (c) => c.id);
  cameras.changed = cameras.changed.concat(connections.changed.filter((id) => isCameraProtocol(b.connections.find((c) => c.id === id)?.protocol ?? '') && !cameras.changed.includes(id)));

  const sectionNames = new Set([...prev.sections.keys(), ...next.sections.keys()]);
  sectionNames.delete('alarms.yaml');
  const sectionsChanged = [...sectionNames].filter((f) => stableJson(prev.sections.get(f) ?? null) !== stableJson(next.sections.get(f) ?? null));
  // Floor plans (floorplans/<building>.yaml) as validated with the folder; compared when both sides loaded them.
  if (a.floorPlans && b.floorPlans) {
    for (const building of new Set([...a.floorPlans.keys(), ...b.floorPlans.keys()])) {
      if (stableJson(a.floorPlans.get(building) ?? null) !== stableJson(b.floorPlans.get(building) ?? null)) sectionsChanged.push(`floorplans/${building}.yaml`);
    }
  }
  sectionsChanged.sort();

  const restartNeeded = changedHubKeys(a.hub as unknown as Record<string, unknown>, b.hub as unknown as Record<string, unknown>).map((k) => `needs restart: hub.yaml ${k}`);

  return {
    connections,
    devices,
    points,
    alarmRules,
    cameras,
    users: diffBy(a.users, b.users, (u) => u.username),
    rolesChanged: stableJson(a.rolePermissions) !== stableJson(b.rolePermissions),
    siteChanged: stableJson(a.site) !== stableJson(b.site),
    sectionsChanged,
    restartNeeded,
  };
}

function stripFile<T extends { file?: string }>(d: T): Omit<T, 'file'> {
  const { file: _file, ...rest } = d;
  return rest;
}

/** True when applying the diff would change nothing. */
export function isEmptyDiff(d: ConfigDiff): boolean {
  const sets = [d.connections, d.devices, d.points, d.alarmRules, d.cameras, d.users];
  return sets.every((s) => s.added.length + s.removed.length + s.changed.length === 0) &&
    !d.alarmRules.settingsChanged && !d.rolesChanged && !d.siteChanged && d.sectionsChanged.length === 0 && d.restartNeeded.length === 0;
}

/** One line for the log and the audit: `points +1000 −0 ~0; connections +1 …`; parts with no change are left out. */
export function summarizeDiff(d: ConfigDiff): string {
  const parts: string[] = [];
  const set = (name: string, s: SetDiff) => {
    if (s.added.length + s.removed.length + s.changed.length > 0) parts.push(`${name} +${s.added.length} −${s.removed.length} ~${s.changed.length}`);
  };
  set('connections', d.connections);
  set('devices', d.devices);
  set('points', d.points);
  set('alarm rules', d.alarmRules);
  if (d.alarmRules.settingsChanged) parts.push('alarm defaults/time windows changed');
  set('cameras', d.cameras);
  set('users', d.users);
  if (d.rolesChanged) parts.push('role permissions changed');
  if (d.siteChanged) parts.push('site tree changed');
  if (d.sectionsChanged.length) parts.push(`changed: ${d.sectionsChanged.join(', ')}`);
  if (d.restartNeeded.length) parts.push(d.restartNeeded.join(', '));
  return parts.length ? parts.join('; ') : 'no change';
}

/** The diff with id lists capped, for the audit log (a 1,000-point reload must not write a 1,000-line entry). */
export function auditDiff(d: ConfigDiff, cap = 20): Record<string, unknown> {
  const capSet = (s: SetDiff) => Object.fromEntries(
    (['added', 'removed', 'changed'] as const).filter((k) => s[k].length > 0).map((k) => [k, s[k].length > cap ? { count: s[k].length, first: s[k].slice(0, cap) } : s[k]]),
  );
  return {
    summary: summarizeDiff(d),
    connections: capSet(d.connections), devices: capSet(d.devices), points: capSet(d.points),
    alarmRules: capSet(d.alarmRules), cameras: capSet(d.cameras), users: capSet(d.users),
    ...(d.sectionsChanged.length ? { sectionsChanged: d.sectionsChanged } : {}),
    ...(d.restartNeeded.length ? { restartNeeded: d.restartNeeded } : {}),
  };
}
