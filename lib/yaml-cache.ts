// A parse cache for YAML shared across processes and starts. Why: parsing YAML with a cold JIT is
// a large share of a cold start's CPU (docs/performance.md, "Cold start": the demo's config, 250 KB
// of YAML, takes ~450–650 ms to parse in a fresh process and ~15–40 ms to read back from here),
// and the hub and the simulators' process parse files at every start that rarely change. An entry is the parsed
// value, `v8.serialize`d (keeps Infinity, NaN, Dates and shared references, unlike JSON), under the
// sha-256 of (this file's format, the `yaml` package version, the parse options, the text): a new
// text, option or yaml release is a new key, so an entry is never stale, only unused.
//
// Only successful parses are stored, so a broken file is always parsed and reports its errors as
// before. A cache that cannot be written (read-only tree, full disk) only costs the parse; a corrupt
// or unreadable entry is a miss and is rewritten. Writes go to a temporary file renamed into place,
// so concurrent processes never read half an entry. Callers still validate every value they get.
//
// Where: <repo root>/node_modules/.cache/watchfloor/yaml/ (git-ignored, and removed with
// node_modules), or <WATCHFLOOR_CACHE_DIR>/yaml/; WATCHFLOOR_CACHE_DIR=off disables the cache.
// lib/ imports nothing of the project, so the hub and the simulators both use it.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import YAML, { type DocumentOptions, type ParseOptions, type SchemaOptions, type ToJSOptions } from 'yaml';

/** Options that change what a text parses to; part of every key. */
export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions & Omit<ToJSOptions, 'reviver' | 'onAnchor'>;

/** The cache folder: an explicit path, or null for no cache (parse every time). */
export type YamlCacheDir = string | null;

/** Bumped when the entry layout below changes, so old entries are simply never read again. */
const FORMAT = 'wf-yaml-1';
/** Entry = MAGIC, sha-256 of the body, body (v8.serialize of the value): a damaged entry is detected, not trusted. */
const MAGIC = Buffer.from('WFY1');
const DIGEST_BYTES = 32;
/**
 * Entries kept (~10 KB each for the demo's files); beyond this the least recently used are removed.
 * Room for a test run's many small sites without evicting the demo's; a removed entry costs one parse.
 */
export const MAX_YAML_CACHE_ENTRIES = 1024;
/** Larger values are not stored (bounds the folder at MAX_YAML_CACHE_ENTRIES × this). */
export const MAX_YAML_CACHE_ENTRY_BYTES = 8 * 1024 * 1024;
const ENTRY = /^[0-9a-f]{64}\.v8$/;
const TEMP = /^[0-9a-f]{64}\.v8\.[0-9a-f]+\.tmp$/;

/** The default folder, read from the environment on each call (tests point it elsewhere). */
export function defaultYamlCacheDir(env: NodeJS.ProcessEnv = process.env): YamlCacheDir {
  const root = env.WATCHFLOOR_CACHE_DIR;
  if (root === 'off') return null;
  if (root) return join(root, 'yaml');
  return fileURLToPath(new URL('../node_modules/.cache/watchfloor/yaml/', import.meta.url));
}

let yamlVersion: string | undefined;
/** The installed `yaml` version: a new release may parse a text differently. */
function installedYamlVersion(): string {
  yamlVersion ??= (createRequire(import.meta.url)('yaml/package.json') as { version: string }).version;
  return yamlVersion;
}

/** Options as text, keys sorted, so `{a, b}` and `{b, a}` share entries. */
function optionsText(options: YamlOptions): string {
  const o = options as Record<string, unknown>;
  return JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
}

export function yamlCacheKey(text: string, options: YamlOptions): string {
  return createHash('sha256').update(`${FORMAT}\0${installedYamlVersion()}\0${optionsText(options)}\0`).update(text).digest('hex');
}

export type CacheLookup = { hit: true; value: unknown } | { hit: false };

/** The stored value for this text and these options, as a fresh copy; a miss when absent or damaged. */
export function lookupYaml(text: string, options: YamlOptions, dir: YamlCacheDir = defaultYamlCacheDir()): CacheLookup {
  if (dir === null) return { hit: false };
  const file = join(dir, `${yamlCacheKey(text, options)}.v8`);
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch {
    return { hit: false };
  }
  const found = decodeEntry(raw);
  if (found.hit) markUsed(file);
  return found;
}

/** A hit moves the entry's mtime to now, so pruning removes the least recently used, not the oldest written. */
function markUsed(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // A read-only cache still serves hits.
  }
}

function decodeEntry(raw: Buffer): CacheLookup {
  const head = MAGIC.length + DIGEST_BYTES;
  if (raw.length <= head || !raw.subarray(0, MAGIC.length).equals(MAGIC)) return { hit: false };
  const body = raw.subarray(head);
  if (!createHash('sha256').update(body).digest().equals(raw.subarray(MAGIC.length, head))) return { hit: false };
  try {
    return { hit: true, value: deserialize(body) };
  } catch {
    return { hit: false };
  }
}

/**
 * Stores a successfully parsed value. Never throws: a folder that cannot be created or written,
 * or a value v8 cannot serialize, leaves the cache as it was.
 */
export function storeYaml(text: string, options: YamlOptions, value: unknown, dir: YamlCacheDir = defaultYamlCacheDir()): void {
  if (dir === null) return;
  try {
    const body = serialize(value);
    if (body.length > MAX_YAML_CACHE_ENTRY_BYTES) return;
    const digest = createHash('sha256').update(body).digest();
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${yamlCacheKey(text, options)}.v8`);
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(temp, Buffer.concat([MAGIC, digest, body]));
    try {
      renameSync(temp, file);
    } catch {
      rmSync(temp, { force: true });
      return;
    }
    pruneYamlCache(dir);
  } catch {
    // Unwritable or full: the caller has its value; the next start parses again.
  }
}

/** Keeps the folder at most `max` entries, removing the least recently used (and stray temporary files). */
export function pruneYamlCache(dir: string, max = MAX_YAML_CACHE_ENTRIES): void {
  const names = readdirSync(dir).filter((n) => ENTRY.test(n) || TEMP.test(n));
  if (names.length <= max) return;
  const byAge = names
    .map((name) => {
      try {
        return { name, mtime: statSync(join(dir, name)).mtimeMs };
      } catch {
        return null; // removed by another process meanwhile
      }
    })
    .filter((e): e is { name: string; mtime: number } => e !== null)
    .sort((a, b) => a.mtime - b.mtime);
  // Down to ~3/4 of the bound, so a busy folder is not pruned on every write.
  for (const e of byAge.slice(0, byAge.length - Math.floor((max * 3) / 4))) rmSync(join(dir, e.name), { force: true });
}

/**
 * `YAML.parse(text, options)` through the cache: the same value, the same throw, the same warnings.
 * A text with errors or warnings is handed to YAML.parse itself and never stored, so it reports
 * exactly as before on every parse; a clean one is parsed once and stored.
 */
export function parseYamlCached(text: string, options: YamlOptions = {}, dir: YamlCacheDir = defaultYamlCacheDir()): unknown {
  const cached = lookupYaml(text, options, dir);
  if (cached.hit) return cached.value;
  const doc = YAML.parseDocument(text, options);
  if (doc.errors.length > 0 || doc.warnings.length > 0) return YAML.parse(text, options);
  const value = doc.toJS(options);
  storeYaml(text, options, value, dir);
  return value;
}
