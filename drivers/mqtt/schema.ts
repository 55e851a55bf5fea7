// Config schemas of the MQTT input driver (`protocol: mqtt`): third-party sensors that publish plain
// JSON or text on topics. Unknown keys are refused (DriverFactory contract).
import { z } from 'zod';

/** A concrete topic: no wildcards (a point is one topic), no empty levels at the ends. */
const topic = z
  .string()
  .min(1)
  .max(512)
  .refine((t) => !/[#+]/.test(t), 'a point topic must not contain the wildcards + or #')
  .refine((t) => !t.startsWith('$'), 'topics starting with $ are the broker\'s');

/** JSON path: dot-separated keys with [n] indexes, e.g. `sensors[0].temperature` or `$.temp`. */
export const JSON_PATH = /^(\$\.?)?([A-Za-z0-9_\- ]+|\[\d+\])(\.[A-Za-z0-9_\- ]+|\[\d+\])*$/;

export const connectionSchema = z.strictObject({
  /** mqtt://host:1883 or mqtts://host:8883 */
  url: z.string().regex(/^mqtts?:\/\/[^/\s]+$/, 'must be mqtt://host:port or mqtts://host:port'),
  username: z.string().min(1).optional(),
  /** Name of an environment variable holding the password (passwords do not go into YAML). */
  passwordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name').optional(),
  /** PEM CA file for mqtts (absolute, or relative to the working folder). */
  caFile: z.string().min(1).optional(),
  keepaliveS: z.number().int().min(1).max(3600).default(30),
  /** A sensor silent for longer than this is `stale` (the hub's stale check); per point overridable. */
  expectEveryMs: z.number().int().min(100).default(60_000),
  /** How long a write waits for the device to report the new value (read-back). */
  writeTimeoutMs: z.number().int().min(100).max(60_000).default(3000),
});

export const deviceSchema = z.strictObject({
  /** Prepended (with `/`) to every point topic of the device, e.g. `zigbee2mqtt/leak-3f`. */
  topicPrefix: z.string().min(1).optional(),
});

export const sourceSchema = z
  .strictObject({
    topic,
    /** json (default): parse the payload and take `path`; text: the payload itself is the value. */
    format: z.enum(['json', 'text']).default('json'),
    path: z.string().regex(JSON_PATH, 'a JSON path such as temperature or sensors[0].value').optional(),
    /** Linear scaling for numbers: value × scale + offset. */
    scale: z.number().refine((n) => n !== 0, 'must not be 0').optional(),
    offset: z.number().optional(),
    /** Binary points: texts meaning true / false (compared case-insensitively), besides true/false/1/0. */
    trueValues: z.array(z.string().min(1)).optional(),
    falseValues: z.array(z.string().min(1)).optional(),
    /** Topic the value is written to (writable points); the state topic must then report it back. */
    writeTopic: topic.optional(),
    /** How a written value is sent: `text` (default) as plain text, `json` as {<last path key>: value}. */
    writeFormat: z.enum(['text', 'json']).default('text'),
    expectEveryMs: z.number().int().min(100).optional(),
  })
  .refine((s) => s.format === 'json' || s.path === undefined, { message: 'path is only for format json', path: ['path'] });

export type MqttConnectionOptions = z.infer<typeof connectionSchema>;
export type MqttDeviceOptions = z.infer<typeof deviceSchema>;
export type MqttSource = z.infer<typeof sourceSchema>;
