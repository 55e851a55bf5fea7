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

/**
 * One InfluxDB of a sharded history: the buildings it holds, where it is, and what differs from the
 * top-level `history:` settings (batching, spooling and roll-ups are shared).
 */
export const shardSchema = z.strictObject({
  /** Names the shard in status and its spool folder (`<spoolDir>/<name>`); default from its buildings. */
  name: identifier.optional(),
  /** Building ids (the 2nd part of a point id) this shard holds, or `*`: every building no other shard names. */
  buildings: z.union([z.literal('*'), z.array(z.string().min(1, 'a building id')).min(1, 'name at least one building, or use "*"')]),
  url: z.url({ protocol: /^https?$/ }),
  /** Default: the top-level `database`. */
  database: z.string().min(1).optional(),
  retentionPolicy: identifier.optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  token: z.string().optional(),
  manageSchema: z.boolean().optional(),
});
export type ShardSettings = z.infer<typeof shardSchema>;

/** The name a shard goes by (status, spool folder): stable when shards are reordered. */
export function shardName(shard: ShardSettings): string {
  if (shard.name) return shard.name;
  return shard.buildings === '*' ? 'default' : shard.buildings.join('_').replace(/[^A-Za-z0-9_-]/g, '_');
}

/** Problems within `shards` alone (paths relative to `history`); the site's building list is checked by `shardSiteProblems`. */
export function shardProblems(shards: readonly ShardSettings[]): Array<{ path: Array<string | number>; message: string }> {
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  const owner = new Map<string, number>();
  const names = new Map<string, number>();
  let catchAll = -1;
  shards.forEach((shard, i) => {
    const name = shardName(shard);
    const clash = names.get(name);
    if (clash !== undefined) out.push({ path: ['shards', i, 'name'], message: `shard name "${name}" is also the name of shards[${clash}]; give each shard its own name` });
    else names.set(name, i);
    if (shard.buildings === '*') {
      if (catchAll >= 0) out.push({ path: ['shards', i, 'buildings'], message: `only one shard may be the catch-all "*" (shards[${catchAll}] already is)` });
      else catchAll = i;
      return;
    }
    shard.buildings.forEach((b, j) => {
      const prev = owner.get(b);
      if (prev !== undefined) out.push({ path: ['shards', i, 'buildings', j], message: `building "${b}" is already in shards[${prev}]; a building goes to exactly one shard` });
      else owner.set(b, i);
    });
  });
  return out;
}

/** Cross-check against site.yaml: every named building exists, and without a catch-all every building has a shard. */
export function shardSiteProblems(shards: readonly ShardSettings[], buildingIds: readonly string[]): Array<{ path: Array<string | number>; message: string }> {
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  const known = new Set(buildingIds);
  const covered = new Set<string>();
  shards.forEach((shard, i) => {
    if (shard.buildings === '*') return;
    shard.buildings.forEach((b, j) => {
      covered.add(b);
      if (!known.has(b)) out.push({ path: ['shards', i, 'buildings', j], message: `unknown building "${b}" (not in site.yaml)` });
    });
  });
  if (!shards.some((s) => s.buildings === '*')) {
    const missing = buildingIds.filter((b) => !covered.has(b));
    if (missing.length > 0) out.push({ path: ['shards'], message: `building${missing.length > 1 ? 's' : ''} ${missing.map((b) => `"${b}"`).join(', ')} in no shard; add ${missing.length > 1 ? 'them' : 'it'} to one, or add a catch-all shard (buildings: "*")` });
  }
  return out;
}

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
      /**
       * CPU niceness of the local influxd (0–19; 0 = the hub's own priority). Writing history is
       * throughput work with a backlog of its own (the hub spools when influxd falls behind); the
       * live picture and alarms are latency work. At 100k samples/s on 2 cores, influxd at 10
       * took device → client p99 from ~1.4–2 s to ~0.36 s with history still keeping up
       * (docs/performance.md, "Pipeline at 100k/s").
       */
      nice: z.number().int().min(0).max(19).default(10),
    })
    .default({ enabled: true, port: 8086, binary: 'influxd', nice: 10 }),
  /** Longest answer of GET /api/history per series; the step is chosen so it is not exceeded. */
  maxBuckets: z.number().int().min(10).max(100_000).default(2000),
  /**
   * History split by building over several InfluxDBs (docs/history.md, "Sharding"). Set: `url` and the
   * local influxd are not used; every other key applies to each shard.
   */
  shards: z.array(shardSchema).min(1, 'list at least one shard, or leave shards out').optional(),
}).superRefine((s, ctx) => {
  if (!s.shards) return;
  if (s.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'url and shards exclude each other: with shards, each shard has its own url' });
  if (s.backend === 'embedded') ctx.addIssue({ code: 'custom', path: ['backend'], message: 'backend "embedded" cannot be sharded: use "auto" or "influxdb" with shards' });
  for (const p of shardProblems(s.shards)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
});

export type HistorySettings = z.infer<typeof historySettingsSchema>;

/** Settings with every default applied (what the module uses when hub.yaml says nothing). */
export function defaultHistorySettings(overrides: Partial<z.input<typeof historySettingsSchema>> = {}): HistorySettings {
  return historySettingsSchema.parse(overrides);
}
