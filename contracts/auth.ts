// Roles and what they may do. The hub enforces these; the console only uses them to hide controls.

export const ROLES = ['viewer', 'guard', 'operator', 'energy_officer', 'supervisor', 'admin', 'maintainer', 'tester', 'leader'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'points:read',
  'points:write',
  'alarms:ack',
  'alarms:shelve',
  'schedules:edit',
  'broadcast:send',
  'cameras:view',
  'cameras:ptz',
  /** Save PTZ presets (moving to one only needs cameras:ptz). */
  'cameras:presets',
  /** Take snapshots and record clips (stored evidence); watching only needs cameras:view. */
  'cameras:record',
  'audit:read',
  /** Re-read config/ and apply the difference live (hub/reload). */
  'config:reload',
  /** Create, change and disable alarm rules (written back to config/alarms.yaml), and backtest them. */
  'alarms:rules',
  /** Report a fault (报修) and verify/rate one's own orders: every signed-in role. */
  'workorders:create',
  /** Carry out work orders assigned to oneself (accept, steps, photos, done). */
  'workorders:work',
  /** Assign, reassign, cancel, verify and close any order; statistics and delivery logs. */
  'workorders:manage',
  /** Scan patrol checkpoints and answer inspections (guard tours, cleaning rounds). */
  'patrols:scan',
  /** See tour status, where guards last scanned, and compliance reports. */
  'patrols:read',
  /** Rotate checkpoint codes, print them, and issue manual-entry overrides (supervisor). */
  'patrols:manage',
  /** Correct a camera's surveyed pose on the site map (position, height, heading, fov, range). */
  'sitemap:edit',
  /** Start/stop simulator scenarios, inject faults and run point-to-point checkout (test runs, commissioning). */
  'testruns:run',
  /** Play back recorded video and read the event timeline (every viewing is audited). */
  'recordings:view',
  /** Export evidence (clips + SHA-256 manifest) from recordings or incidents. */
  'recordings:export',
  /** Create and edit incidents (events, video ranges, notes, stills, status, owner). */
  'incidents:manage',
  /** The leader's decision view and the report archive (read-only). */
  'reports:read',
  /** Send a report now (admins); scheduled reports need no one. */
  'reports:send',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Default grants; config/users.yaml may only narrow or widen with known permissions. */
export const DEFAULT_ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  viewer: ['points:read', 'cameras:view', 'workorders:create'],
  guard: ['points:read', 'alarms:ack', 'cameras:view', 'cameras:ptz', 'cameras:record', 'workorders:create', 'patrols:scan', 'recordings:view', 'incidents:manage'],
  operator: ['points:read', 'points:write', 'alarms:ack', 'cameras:view', 'cameras:ptz', 'cameras:record', 'broadcast:send', 'workorders:create', 'patrols:read', 'recordings:view', 'incidents:manage'],
  energy_officer: ['points:read', 'points:write', 'schedules:edit', 'cameras:view', 'workorders:create'],
  supervisor: ['points:read', 'points:write', 'alarms:ack', 'alarms:shelve', 'cameras:view', 'cameras:ptz', 'cameras:presets', 'cameras:record', 'broadcast:send', 'audit:read', 'alarms:rules', 'workorders:create', 'workorders:work', 'workorders:manage', 'patrols:scan', 'patrols:read', 'patrols:manage', 'sitemap:edit', 'recordings:view', 'recordings:export', 'incidents:manage'],
  admin: [...PERMISSIONS],
  maintainer: ['points:read', 'cameras:view', 'workorders:create', 'workorders:work', 'patrols:scan'],
  // Commissioning / test engineer: drives simulators and checkout, acts as a user in test runs.
  // Leaders (领导): the decision view, reports and the sources they link to; read-only.
  leader: ['points:read', 'cameras:view', 'workorders:create', 'patrols:read', 'reports:read'],
  tester: ['points:read', 'points:write', 'alarms:ack', 'cameras:view', 'cameras:record', 'broadcast:send', 'audit:read', 'workorders:create', 'workorders:manage', 'testruns:run'],
};

export function can(permissions: readonly string[], p: Permission): boolean {
  return permissions.includes(p);
}
