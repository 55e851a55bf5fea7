// The `history:` section of hub.yaml. Every key has a default so `npm start` works with nothing configured.
import { z } from 'zod';

const DURATION = /^(\d+)(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30d`, `1h`, `500ms` → milliseconds; null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * UNIT_MS[m[2]];
}

const duration = (what: string) =>
  z.string().refine((s) => (parseDuration(s) ?? 0) > 0, { message: `${what} must be a positive duration like 30d, 12h, 1m, 500ms` });

/** InfluxQL identifiers we create ourselves (database, RP names): keep them plain so no quoting surprises. */
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _ only, not starting with a digit');

export const rollupSchema = z.strictObject({
  /** Retention policy that holds the roll-up, e.g. `rollup_1m`. */
  retentionPolicy: identifier,
  /** Bucket width, e.g. `1m`, `1h`. */
  resolution: duration('resolution'),
  /** How long roll-up data is kept, e.g. `365d`; `INF` keeps it forever. */
  retention: z.union([duration('retention'), z.literal('INF')]),
});
export type RollupSettings = z.infer<typeof rollupSchema>;

export const historySettingsSchema = z.strictObject({
  /** `auto`: configured URL, else a local influxd on PATH, else the embedded SQLite store. */
  backend: z.enum(['auto', 'influxdb', 'embedded']).default('auto'),
  /** Base URL of an InfluxDB v1 HTTP API (1.x natively, 2.x/3.x via their v1 compatibility endpoints). */
  url: z.url({ protocol: /^https?$/ }).optional(),
  database: z.string().min(1).default('watchfloor'),
  /** Raw-data retention policy written to (on 2.x: the RP of the DBRP mapping). */
  retentionPolicy: identifier.default('raw'),
  username: z.string().optional(),
  password: z.string().optional(),
  /** 2.x/3.x API token: sent as `Authorization: Token …`. */
  token: z.string().optional(),
  /** Create the database, retention policies and continuous queries at start (1.x only; off for 2.x/3.x). */
  manageSchema: z.boolean().default(true),
  batchSize: z.number().int().min(1).max(100_000).default(10_000),
  flushMs: z.number().int().min(10).max(60_000).default(1000),
  maxInFlight: z.number().int().min(1).max(16).default(2),
  /**
   * Write-ahead group-commit window: the open batch is appended to disk this often, so a hub killed
   * with -9 loses at most this much history (0: no write-ahead log; a kill loses what is in memory).
   */
  walMs: z.number().int().min(0).max(10_000).default(200),
  /** Spool folder; relative paths are under the data folder. */
  spoolDir: z.string().min(1).default('history/spool'),
  rawRetention: duration('rawRetention').default('30d'),
  rollups: z
    .array(rollupSchema)
    .default([
      { retentionPolicy: 'rollup_1m', resolution: '1m', retention: '400d' },
      { retentionPolicy: 'rollup_1h', resolution: '1h', retention: 'INF' },
    ]),
  localInfluxd: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Preferred loopback port (0: any free one); a free one is used when it is taken. */
      port: z.number().int().min(0).max(65535).default(8086),
      binary: z.string().min(1).default('influxd'),
    })
    .default({ enabled: true, port: 8086, binary: 'influxd' }),
  /** Longest answer of GET /api/history per series; the step is chosen so it is not exceeded. */
  maxBuckets: z.number().int().min(10).max(100_000).default(2000),
});

export type HistorySettings = z.infer<typeof historySettingsSchema>;

/** Settings with every default applied (what the module uses when hub.yaml says nothing). */
export function defaultHistorySettings(overrides: Partial<z.input<typeof historySettingsSchema>> = {}): HistorySettings {
  return historySettingsSchema.parse(overrides);
}
