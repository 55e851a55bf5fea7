// Roles and what they may do. The hub enforces these; the console only uses them to hide controls.

export const ROLES = ['viewer', 'guard', 'operator', 'energy_officer', 'supervisor', 'admin'] as const;
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
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Default grants; config/users.yaml may only narrow or widen with known permissions. */
export const DEFAULT_ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  viewer: ['points:read', 'cameras:view'],
  guard: ['points:read', 'alarms:ack', 'cameras:view', 'cameras:ptz', 'cameras:record'],
  operator: ['points:read', 'points:write', 'alarms:ack', 'cameras:view', 'cameras:ptz', 'cameras:record', 'broadcast:send'],
  energy_officer: ['points:read', 'points:write', 'schedules:edit', 'cameras:view'],
  supervisor: ['points:read', 'points:write', 'alarms:ack', 'alarms:shelve', 'cameras:view', 'cameras:ptz', 'cameras:presets', 'cameras:record', 'broadcast:send', 'audit:read'],
  admin: [...PERMISSIONS],
};

export function can(permissions: readonly string[], p: Permission): boolean {
  return permissions.includes(p);
}
