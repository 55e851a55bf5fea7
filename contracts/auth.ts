// Roles and what they may do. The hub enforces these; the console only uses them to hide controls.

export const ROLES = ['viewer', 'guard', 'operator', 'energy_officer', 'supervisor', 'admin', 'maintainer'] as const;
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
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Default grants; config/users.yaml may only narrow or widen with known permissions. */
export const DEFAULT_ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  viewer: ['points:read', 'cameras:view', 'workorders:create'],
  guard: ['points:read', 'alarms:ack', 'cameras:view', 'cameras:ptz', 'cameras:record', 'workorders:create'],
  operator: ['points:read', 'points:write', 'alarms:ack', 'cameras:view', 'cameras:ptz', 'cameras:record', 'broadcast:send', 'workorders:create'],
  energy_officer: ['points:read', 'points:write', 'schedules:edit', 'cameras:view', 'workorders:create'],
  supervisor: ['points:read', 'points:write', 'alarms:ack', 'alarms:shelve', 'cameras:view', 'cameras:ptz', 'cameras:presets', 'cameras:record', 'broadcast:send', 'audit:read', 'alarms:rules', 'workorders:create', 'workorders:work', 'workorders:manage'],
  admin: [...PERMISSIONS],
  maintainer: ['points:read', 'cameras:view', 'workorders:create', 'workorders:work'],
};

export function can(permissions: readonly string[], p: Permission): boolean {
  return permissions.includes(p);
}
