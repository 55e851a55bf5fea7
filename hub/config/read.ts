// Reading one YAML config file without ever throwing: every way a file can be wrong (missing,
// a directory, not readable, too large, bad YAML, an alias bomb, an undefined alias, nesting
// deep enough to overflow the parser) becomes a problem with the file and the reason.
import fs from 'node:fs';
import YAML from 'yaml';
import { lookupYaml, storeYaml } from '../../lib/yaml-cache.js';
import type { ConfigPath } from './errors.js';

/**
 * Largest config file read (bytes). The demo's largest device file is ~110 KB; a large estate
 * splits devices over several files. Parsing costs ~100× the file size in memory, so without a
 * bound a 41 MB file ran for minutes and ran out of memory (issue 11 item 5).
 */
export const MAX_CONFIG_FILE_BYTES = 4 * 1024 * 1024;
/** Aliases one file may expand: far more than hand-written YAML uses, far less than a "billion laughs". */
export const MAX_ALIAS_COUNT = 200;

export interface ProblemSink {
  add(file: string, path: ConfigPath, message: string): void;
}

/** The message of anything thrown, one line, bounded: for problems and logs, never a stack. */
export function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].slice(0, 300);
}

const MB = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Why a path cannot be read as a config file, or null when it can. */
export function fileProblem(file: string, maxBytes = MAX_CONFIG_FILE_BYTES): string | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'file is missing' : `cannot read: ${code ?? oneLine(err)}`;
  }
  if (st.isDirectory()) return 'is a directory, not a file';
  if (!st.isFile()) return 'is not a regular file';
  if (st.size > maxBytes) return `file is ${MB(st.size)}; the limit is ${MB(maxBytes)} (split devices over several files)`;
  return null;
}

/**
 * The last good parse of each file, by path, with its text: a reload re-reads every file of the
 * folder, and YAML parsing is most of its cost (~0.5 s for 3,000 points); an unchanged file is
 * not parsed again. Callers get a copy, so nothing they do reaches the cache. The reload's
 * readSections reads through here too, so at start-up the section files are parsed once.
 */
const parsed = new Map<string, { text: string; value: unknown }>();
const MAX_CACHED_FILES = 5000;

/**
 * Parsed YAML as plain data, or undefined with the problems added. `required: false` makes a
 * missing file silently undefined (optional subsystem files); every other problem is reported.
 */
export function readYamlFile(file: string, problems: ProblemSink, required: boolean, maxBytes = MAX_CONFIG_FILE_BYTES): unknown {
  const why = fileProblem(file, maxBytes);
  if (why === 'file is missing' && !required) return undefined;
  if (why) {
    problems.add(file, [], why);
    return undefined;
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    problems.add(file, [], `cannot read: ${(err as NodeJS.ErrnoException).code ?? oneLine(err)}`);
    return undefined;
  }
  const hit = parsed.get(file);
  if (hit && hit.text === text) return structuredClone(hit.value);
  const value = parseConfigYaml(file, text, problems);
  if (value === undefined) return undefined;
  if (parsed.size >= MAX_CACHED_FILES) parsed.clear();
  parsed.set(file, { text, value: structuredClone(value) });
  return value;
}

// How config files are parsed; also part of the persistent cache's key, so a change is a new entry.
const PARSE_OPTIONS = { uniqueKeys: true } as const;
const TO_JS_OPTIONS = { maxAliasCount: MAX_ALIAS_COUNT } as const;
/** The options config files are parsed with, as the persistent cache's key names them (exported for tests). */
export const CONFIG_YAML_OPTIONS = { ...PARSE_OPTIONS, ...TO_JS_OPTIONS };

/**
 * One file's text as plain data ({} for an empty file), or undefined with the problems added.
 * A text parsed cleanly before, in any process, comes from the persistent parse cache
 * (lib/yaml-cache.ts): a cold parse is ~0.5 s of the hub's start-up CPU (docs/performance.md,
 * "Cold start"). Only clean parses are stored, so a broken file is always parsed here and reports
 * its lines and columns; a stored value was parsed with these same options (alias limit included).
 */
function parseConfigYaml(file: string, text: string, problems: ProblemSink): unknown {
  const cached = lookupYaml(text, CONFIG_YAML_OPTIONS);
  if (cached.hit) return cached.value ?? {};
  try {
    const doc = YAML.parseDocument(text, PARSE_OPTIONS);
    if (doc.errors.length > 0) {
      for (const e of doc.errors.slice(0, 20)) {
        const at = e.linePos?.[0];
        problems.add(file, [], `${at ? `line ${at.line}, column ${at.col}: ` : ''}${e.message.split('\n')[0]}`);
      }
      return undefined;
    }
    const value: unknown = doc.toJS(TO_JS_OPTIONS);
    storeYaml(text, CONFIG_YAML_OPTIONS, value);
    return value ?? {};
  } catch (err) {
    // toJS throws ReferenceError for an undefined alias or an alias bomb.
    problems.add(file, [], `YAML refused: ${oneLine(err)}`);
    return undefined;
  }
}
