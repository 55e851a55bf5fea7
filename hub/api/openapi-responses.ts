// Response schemas of the core routes, for the OpenAPI document. The payload types live in
// contracts/ (which imports nothing, zod included), so these zod schemas restate them; two things
// keep them honest: each is typed `z.ZodType<ContractType>` (tsc refuses a schema whose output is
// not the contract's type), and openapi-responses.test.ts parses real answers of a running hub with
// them in strict mode (an undocumented field fails). Add a line when a route's answer gets a contract.
import { z, type ZodType } from 'zod';
import type { HealthResponse, HistoryResponse, PointsPage, PointView, SessionInfo, SiteTree, WriteResponse } from '../../contracts/api.js';
import { PERMISSIONS, ROLES } from '../../contracts/auth.js';
import type { ConnectionStatus } from '../../contracts/driver.js';
import { POINT_KINDS, QUALITIES, type LocalizedText, type PointState } from '../../contracts/point.js';
import { POINT_CLASSES } from '../../contracts/scopes.js';

const localized: ZodType<LocalizedText> = z.strictObject({ en: z.string(), 'zh-CN': z.string() });
const pointValue = z.union([z.number(), z.boolean(), z.string(), z.null()]);

const connectionStatus: ZodType<ConnectionStatus> = z.strictObject({
  connection: z.string(),
  protocol: z.string(),
  state: z.enum(['connecting', 'online', 'offline', 'auth_failed', 'stopped']),
  detail: z.string().optional(),
  since: z.number(),
  lastCycleMs: z.number().optional(),
});

export const healthResponse: ZodType<HealthResponse> = z.strictObject({
  status: z.enum(['ok', 'degraded']),
  uptimeS: z.number(),
  points: z.number().int(),
  // Signed out, only connection, protocol, state and since are shown.
  drivers: z.array(connectionStatus),
  components: z.record(z.string(), z.looseObject({ ok: z.boolean() })),
});

export const sessionInfo: ZodType<SessionInfo> = z.strictObject({
  user: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  permissions: z.array(z.enum(PERMISSIONS)),
  token: z.string(),
  expiresAt: z.number(),
  displayName: localized.optional(),
  scope: z.strictObject({ pointClasses: z.union([z.array(z.enum(POINT_CLASSES)), z.literal('all')]), areas: z.union([z.array(z.string()), z.literal('all')]) }).optional(),
});

const pointState: ZodType<PointState> = z.strictObject({
  id: z.string(),
  value: pointValue,
  quality: z.enum(QUALITIES),
  detail: z.string().optional(),
  sourceTs: z.number().optional(),
  readTs: z.number(),
  changedTs: z.number(),
});

export const pointView: ZodType<PointView> = z.strictObject({
  id: z.string(),
  name: localized,
  kind: z.enum(POINT_KINDS),
  unit: z.string().optional(),
  brick: z.string().optional(),
  limits: z.strictObject({ min: z.number().optional(), max: z.number().optional() }).optional(),
  states: z.record(z.string(), localized).optional(),
  writable: z.boolean(),
  device: z.string(),
  protocol: z.string(),
  intervalMs: z.number(),
  state: pointState.nullable(),
});

export const pointsPage: ZodType<PointsPage> = z.strictObject({ items: z.array(pointView), total: z.number().int(), offset: z.number().int(), limit: z.number().int() });

export const writeResponse: ZodType<WriteResponse> = z.strictObject({
  pointId: z.string(),
  requested: pointValue,
  previous: pointValue,
  confirmed: z.boolean(),
  readBack: pointValue,
  detail: z.string().optional(),
});

export const siteTree: ZodType<SiteTree> = z.strictObject({
  id: z.string(),
  name: localized,
  timezone: z.string(),
  buildings: z.array(z.strictObject({
    id: z.string(),
    name: localized,
    floors: z.array(z.strictObject({
      id: z.string(), key: z.string(), name: localized, level: z.number(),
      rooms: z.array(z.strictObject({ id: z.string(), name: localized, type: z.string() })),
    })),
  })),
});

export const historyResponse: ZodType<HistoryResponse> = z.strictObject({
  from: z.number(),
  to: z.number(),
  stepMs: z.number(),
  agg: z.enum(['mean', 'min', 'max', 'last']),
  backend: z.enum(['influxdb', 'embedded']),
  series: z.array(z.strictObject({ pointId: z.string(), unit: z.string().optional(), points: z.array(z.tuple([z.number(), z.number()])) })),
});

/** 2XX answer schemas by `METHOD /koa/path`. */
export const RESPONSE_BODIES: ReadonlyMap<string, ZodType> = new Map<string, ZodType>([
  ['GET /api/health', healthResponse],
  ['POST /api/auth/login', sessionInfo],
  ['GET /api/auth/me', sessionInfo],
  ['GET /api/site', siteTree],
  ['GET /api/points', pointsPage],
  ['GET /api/points/*id', pointView],
  ['POST /api/points/*id/write', writeResponse],
  ['GET /api/history', historyResponse],
]);
