// Schemas of the site config files. Protocol-specific parts (connection options,
// device options, point source) are left `unknown` here and validated by each
// driver's own schema in load.ts, so nothing protocol-specific leaks into this file.
import { z } from 'zod';
import { ID_SEGMENT, POINT_KINDS } from '../../contracts/point.js';
import { PERMISSIONS, ROLES } from '../../contracts/auth.js';
import { POINT_CLASSES } from '../../contracts/scopes.js';
import { historySettingsSchema } from '../history/settings.js';
import { videoSettingsSchema } from '../video/standby.js';
import { scryptHashProblem } from './scrypt.js';
import { trustedProxies } from '../auth/client-address.js';

const id = z.string().regex(ID_SEGMENT, 'must be lowercase letters, digits and dashes, starting with a letter or digit');

export const localizedText = z.strictObject({
  en: z.string().min(1, 'must not be empty'),
  'zh-CN': z.string().min(1, 'must not be empty'),
});

export const ROOM_TYPES = [
  'lobby', 'office', 'meeting', 'archive', 'weak-current', 'server', 'corridor',
  'plant', 'parking', 'restroom', 'stair', 'outdoor', 'other',
] as const;

const room = z.strictObject({ id, type: z.enum(ROOM_TYPES), name: localizedText });

const floor = z.strictObject({
  id,
  level: z.number().int().refine((n) => n !== 0, 'must not be 0 (basements are negative, ground is 1)'),
  name: localizedText,
  rooms: z.array(room).min(1, 'a floor needs at least one room'),
});

const building = z.strictObject({ id, name: localizedText, floors: z.array(floor).min(1) });

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const siteFileSchema = z.strictObject({
  site: z.strictObject({
    id,
    name: localizedText,
    timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
    buildings: z.array(building).min(1),
  }),
});

const limits = z
  .strictObject({ min: z.number().optional(), max: z.number().optional() })
  .refine((l) => l.min === undefined || l.max === undefined || l.min <= l.max, 'min must not exceed max');

const point = z.strictObject({
  id,
  name: localizedText,
  kind: z.enum(POINT_KINDS),
  unit: z.string().optional(),
  brick: z.string().regex(/^[A-Z][A-Za-z0-9_]*$/, 'must be a Brick class name such as Zone_Air_Temperature_Sensor').optional(),
  limits: limits.optional(),
  states: z.record(z.string().regex(/^-?\d+$/, 'state keys must be integers'), localizedText).optional(),
  writable: z.boolean().default(false),
  source: z.unknown(),
});

const locationRe = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/;

const device = z.strictObject({
  id,
  name: localizedText,
  location: z.string().regex(locationRe, 'must be building/floor/room, e.g. a/b1/pump-b101'),
  connection: id,
  options: z.unknown().optional(),
  points: z.array(point).min(1, 'a device needs at least one point'),
});

const connection = z.strictObject({ id, protocol: z.string().min(1), options: z.unknown().optional() });

export const devicesFileSchema = z.strictObject({
  connections: z.array(connection).default([]),
  devices: z.array(device).default([]),
});

const roleScopeSchema = z.strictObject({
  permissions: z.array(z.enum(PERMISSIONS)).optional(),
  pointClasses: z.union([z.literal('all'), z.array(z.enum(POINT_CLASSES))]).optional(),
  areas: z.union([z.literal('all'), z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)?$/, 'must be a building id or building/floor, e.g. a or a/l03'))]).optional(),
});

export const usersFileSchema = z.strictObject({
  users: z
    .array(
      z.strictObject({
        username: id,
        name: localizedText,
        role: z.enum(ROLES),
        password: z
          .string()
          .regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'must be a scrypt hash (npm run hash-password -- <password>), never plain text')
          .max(1000, 'is too long for a scrypt hash')
          .superRefine((v, ctx) => {
            // Bounded cost per login check (hub/config/scrypt.ts); only once the shape is right.
            const why = /^scrypt\$/.test(v) ? scryptHashProblem(v) : null;
            if (why) ctx.addIssue({ code: 'custom', message: why });
          }),
      }),
    )
    .min(1, 'at least one user is needed'),
  // A role is a list of permissions, or {permissions?, pointClasses?, areas?} to also scope its commands (contracts/scopes.ts).
  roles: z.partialRecord(z.enum(ROLES), z.union([z.array(z.enum(PERMISSIONS)), roleScopeSchema])).optional(),
});

export const hubFileSchema = z.strictObject({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8080),
  dataDir: z.string().default('data'),
  liveWindowMs: z.number().int().min(10).max(5000).default(50),
  sessionTtlHours: z.number().positive().max(24 * 30).default(12),
  /** Other origins whose pages may change state and open the WebSockets (hub/auth/origin.ts), e.g. the Vite dev server. */
  allowedOrigins: z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'must be an origin: http(s)://host[:port], no path')).max(50).default([]),
  /**
   * Behind nginx/HAProxy: the proxies (IP or CIDR) whose X-Forwarded-For is believed, so login
   * throttling and the audit log see the real client, not the proxy (hub/auth/client-address.ts).
   */
  trustedProxies: z.array(z.string()).max(50).default([]).superRefine((entries, ctx) => {
    try {
      trustedProxies(entries);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message.replace(/^trustedProxies: /, '') });
    }
  }),
  /** Behind TLS: the session cookie gets the Secure attribute. */
  secureCookies: z.boolean().default(false),
  /** Behind TLS: Strict-Transport-Security with this max-age (s); off when absent. */
  hstsMaxAgeS: z.number().int().min(0).max(2 * 365 * 86400).optional(),
  /** Reload the config live when a file in the config folder changes (hub/reload/watch.ts); off by default. */
  watchConfig: z.boolean().default(false),
  history: historySettingsSchema.prefault({}),
  /** Live video: how many alarm-linked cameras stream with no viewer (hub/video/standby.ts). */
  video: videoSettingsSchema.prefault({}),
});

export type SiteFile = z.infer<typeof siteFileSchema>;
export type DevicesFile = z.infer<typeof devicesFileSchema>;
export type UsersFile = z.infer<typeof usersFileSchema>;
export type HubFile = z.infer<typeof hubFileSchema>;
