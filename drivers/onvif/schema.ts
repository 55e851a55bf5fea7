// Config schemas of the ONVIF camera driver (one connection = one camera). No I/O.
import { z } from 'zod';

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const backoffSchema = z
  .strictObject({
    initialMs: int(10, 3_600_000).default(1000),
    maxMs: int(10, 3_600_000).default(30_000),
    /** Wrong credentials will not fix themselves: retry slowly. */
    authFailedMs: int(1000, 86_400_000).default(300_000),
  })
  .refine((b) => b.initialMs <= b.maxMs, { message: 'initialMs must be <= maxMs', path: ['initialMs'] });
export type OnvifBackoff = z.output<typeof backoffSchema>;

export const connectionSchema = z.strictObject({
  host: z.string().min(1),
  port: int(1, 65535).default(80),
  username: z.string().min(1),
  password: z.string(),
  /** Device service path. */
  path: z.string().startsWith('/', 'must start with /').optional(),
  backoff: backoffSchema.optional(),
  /** How often the camera is checked (PTZ status) and point values are republished. */
  pollMs: int(200, 3_600_000).default(5000),
  /** Per SOAP request. */
  timeoutMs: int(100, 120_000).default(5000),
  /** Live viewers of this camera at once (default: the gateway's limit, 16). */
  maxViewers: int(1, 256).optional(),
  /** The RTSP stream: by default the ONVIF user and password answer its Basic/Digest challenge. */
  rtsp: z
    .strictObject({
      /** Another RTSP account (some cameras keep RTSP users apart). */
      username: z.string().min(1).optional(),
      password: z.string().optional(),
      /** false: never send credentials to the RTSP server. */
      sendCredentials: z.boolean().default(true),
      transport: z.enum(['tcp', 'udp']).optional(),
    })
    .refine((r) => (r.username === undefined) === (r.password === undefined), { message: 'give rtsp.username and rtsp.password together', path: ['username'] })
    .optional(),
});
export type OnvifConnectionOptions = z.output<typeof connectionSchema>;

export const deviceSchema = z.strictObject({
  /** Media profile to stream and steer; default the camera's first. */
  profileToken: z.string().min(1).optional(),
});
export type OnvifDeviceOptions = z.output<typeof deviceSchema>;

export const STATUS_STATES = ['unreachable', 'online', 'auth_failed', 'connecting'] as const;

export const sourceSchema = z.discriminatedUnion('kind', [
  /** Camera status: multistate 0 unreachable, 1 online, 2 auth_failed, 3 connecting (or a string point). */
  z.strictObject({ kind: z.literal('status') }),
  /** An ONVIF event property (binary), e.g. tns1:VideoSource/MotionAlarm. */
  z.strictObject({
    kind: z.literal('event'),
    topic: z.string().regex(/^[\w-]+:[\w/-]+$/, 'must be an ONVIF topic such as tns1:VideoSource/MotionAlarm'),
    /** Data item carrying the state; default the first one. */
    item: z.string().min(1).optional(),
    /** Only messages whose Source has this item value (e.g. InputToken DI1). */
    sourceValue: z.string().min(1).optional(),
  }),
  /** PTZ position axis (analog, read by polling GetStatus). */
  z.strictObject({ kind: z.literal('ptz'), axis: z.enum(['pan', 'tilt', 'zoom']) }),
  /** Writable preset token: writing moves the camera to it; confirmed by the reported position. */
  z.strictObject({ kind: z.literal('preset') }),
]);
export type OnvifSource = z.output<typeof sourceSchema>;
