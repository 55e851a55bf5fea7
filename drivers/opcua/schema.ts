// Config schemas of the OPC UA driver (zod strict: unknown keys are refused).
import { z } from 'zod';
import { parseNodeIdText } from './nodeid.js';

export const backoffSchema = z.strictObject({
  /** First retry delay after a failure (ms). */
  initialMs: z.number().int().min(100).max(600_000).default(1000),
  /** Upper bound of the exponential backoff (ms). */
  maxMs: z.number().int().min(100).max(3_600_000).default(30_000),
});

const areaText = z.string().regex(/^[a-z0-9-]+(\/[a-z0-9-]+){0,2}$/, 'must be building[/floor[/room]]');

/** Alarms & Conditions: subscribe to the events of one notifier (default the Server object, i=2253). */
export const eventsSchema = z.strictObject({
  notifier: z.string().default('i=2253').superRefine((text, ctx) => {
    const parsed = parseNodeIdText(text);
    if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
  }),
  /** Server-side event queue of the monitored item. */
  queueSize: z.number().int().min(1).max(10_000).default(1000),
  /** `building/floor/room` where this server's conditions show (alarm list, floor plan, area acks). */
  area: areaText.optional(),
  /** Per SourceName (e.g. `AHU-1.FanFault`): the area of that source's conditions; overrides `area`. */
  areas: z.record(z.string().min(1), areaText).default({}),
});
export type OpcuaEventsOptions = z.infer<typeof eventsSchema>;

export const connectionSchema = z
  .strictObject({
    endpointUrl: z.string().regex(/^opc\.tcp:\/\/[^/\s:]+(:\d{1,5})?(\/\S*)?$/, 'must look like opc.tcp://host:port'),
    securityMode: z.enum(['None', 'Sign', 'SignAndEncrypt']).default('None'),
    securityPolicy: z.enum(['None', 'Basic256Sha256']).default('None'),
    username: z.string().min(1).optional(),
    password: z.string().optional(),
    /**
     * `manual` (default): an unknown server certificate is refused and parked in
     * `<dataDir>/opcua/pki/rejected/`; move it to `trusted/certs/` to trust it.
     * `auto`: trust any server certificate on first use (lab use only).
     */
    trustServerCertificate: z.enum(['auto', 'manual']).default('manual'),
    /** Subscription publishing interval (ms). */
    publishingIntervalMs: z.number().int().min(50).max(60_000).default(1000),
    /** Timeout of one OPC UA request (ms). */
    requestTimeoutMs: z.number().int().min(500).max(120_000).default(10_000),
    backoff: backoffSchema.optional(),
    /** Optional: map the server's A&C conditions to Watchfloor external alarms. */
    events: eventsSchema.optional(),
  })
  .superRefine((c, ctx) => {
    if ((c.securityMode === 'None') !== (c.securityPolicy === 'None')) {
      ctx.addIssue({
        code: 'custom',
        path: ['securityPolicy'],
        message: `securityMode ${c.securityMode} needs securityPolicy ${c.securityMode === 'None' ? 'None' : 'Basic256Sha256'}`,
      });
    }
    if (c.password !== undefined && c.username === undefined) {
      ctx.addIssue({ code: 'custom', path: ['username'], message: 'password given without username' });
    }
  });
export type OpcuaConnectionOptions = z.infer<typeof connectionSchema>;

export const deviceSchema = z.strictObject({
  /** Optional NodeId of the equipment folder (documentation / browse start). */
  browseRoot: z.string().optional(),
});
export type OpcuaDeviceOptions = z.infer<typeof deviceSchema>;

const nodeIdSchema = z.string().superRefine((text, ctx) => {
  const parsed = parseNodeIdText(text);
  if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
});

export const sourceSchema = z
  .strictObject({
    /** `nsu=urn:watchfloor:hvac;s=AHU-1.SupplyAirTemp`, `ns=2;i=1234`, `i=2258`… */
    nodeId: nodeIdSchema,
    mode: z.enum(['subscribe', 'poll']).default('subscribe'),
    /** Server-side sampling interval (ms); defaults to the publishing interval. */
    samplingIntervalMs: z.number().int().min(0).max(3_600_000).optional(),
    queueSize: z.number().int().min(1).max(1000).optional(),
    deadband: z.strictObject({ type: z.enum(['absolute', 'percent']), value: z.number().min(0) }).optional(),
    /** Read period for mode `poll` (ms). */
    pollMs: z.number().int().min(100).max(3_600_000).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.mode === 'poll' && (s.samplingIntervalMs !== undefined || s.queueSize !== undefined || s.deadband !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['mode'], message: 'samplingIntervalMs/queueSize/deadband apply to mode subscribe only' });
    }
    if (s.mode === 'subscribe' && s.pollMs !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['pollMs'], message: 'pollMs applies to mode poll only' });
    }
    if (s.deadband?.type === 'percent' && s.deadband.value > 100) {
      ctx.addIssue({ code: 'custom', path: ['deadband', 'value'], message: 'percent deadband must be 0..100' });
    }
  });
export type OpcuaSource = z.infer<typeof sourceSchema>;

/** Servers send a keep-alive after this many empty publishing intervals. */
export const MAX_KEEP_ALIVE_COUNT = 10;
export const DEFAULT_POLL_MS = 1000;

/**
 * Expected interval between samples of a point, for staleness (the hub marks a
 * point stale at 3 × this). A subscribed value that does not change (or stays
 * inside its deadband) is legitimately silent, so the driver re-publishes the
 * last value of a healthy subscription once per keep-alive period
 * (publishingInterval × MAX_KEEP_ALIVE_COUNT); the interval is therefore the
 * larger of the sampling interval and that keep-alive period.
 */
export function intervalMs(connection: OpcuaConnectionOptions, source: OpcuaSource): number {
  if (source.mode === 'poll') return source.pollMs ?? DEFAULT_POLL_MS;
  const publishing = connection.publishingIntervalMs ?? 1000;
  const sampling = source.samplingIntervalMs ?? publishing;
  return Math.max(sampling, publishing * MAX_KEEP_ALIVE_COUNT);
}
