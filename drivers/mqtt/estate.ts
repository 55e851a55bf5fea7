// The schema of the config folder's `edge.yaml`: which buildings run as edge agents over MQTT
// Sparkplug B, the broker, and the credentials. Read by the edge agent (edge/) and the hub
// (hub/edge/, registered as a config section), so it lives beside the Sparkplug mapping.
import { z } from 'zod';

const credentials = z.strictObject({
  username: z.string().min(1).optional(),
  /** A file (relative to the config folder) holding the password; never the password itself in YAML. */
  passwordFile: z.string().min(1).optional(),
});

export const estateFileSchema = z.strictObject({
  /** Sparkplug group id; default: the site id. */
  group: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only (it is an MQTT topic level)').optional(),
  broker: z.strictObject({
    /** mqtt://host:1883 or mqtts://host:8883 */
    url: z.string().regex(/^mqtts?:\/\/[^/]+$/, 'mqtt://host:port or mqtts://host:port'),
    /** PEM CA file (relative to the config folder) that signed the broker's certificate. */
    caFile: z.string().min(1).optional(),
    /** MQTT keepalive (s): the broker publishes an edge's death certificate after 1.5 × this of silence. */
    keepaliveS: z.number().int().min(1).max(600).default(5),
  }),
  /** The hub's own credentials and its shared-subscription group (several hubs split the samples). */
  hub: credentials.extend({
    shareGroup: z.string().regex(/^[A-Za-z0-9_-]+$/).optional(),
    /** Sparkplug 3.0 primary host id: edges publish only while this host's STATE is online (nothing is sent into the void after a broker restart). */
    hostId: z.string().regex(/^[A-Za-z0-9_-]+$/).optional(),
    /** Several hubs: Redis holding one lease per building; the owning hub alone takes that building's data (alarms, history). */
    redisUrl: z.string().regex(/^rediss?:\/\/\S+$/, 'redis://host:port').optional(),
    /** Lease time to live: a dead hub's buildings are taken over within about 4/3 of this. */
    leaseMs: z.number().int().min(300).max(60_000).default(3000),
  }).default({ leaseMs: 3000 }),
  /** Buildings served by an edge agent, with that agent's credentials. The hub runs no driver for their connections. */
  buildings: z.record(z.string().min(1), credentials.default({})),
  /** How long the hub waits for an edge's command result. */
  commandTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  /** Store-and-forward cap on the edge's disk (MB); the oldest data is kept, new data refused past it. */
  spoolMaxMb: z.number().int().min(1).default(1024),
});

export type EstateFile = z.infer<typeof estateFileSchema>;
export const ESTATE_FILE = 'edge.yaml';
