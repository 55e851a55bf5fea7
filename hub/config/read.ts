// Reading one YAML config file without ever throwing: every way a file can be wrong (missing,
// a directory, not readable, too large, bad YAML, an alias bomb, an undefined alias, nesting
// deep enough to overflow the parser) becomes a problem with the file and the reason.
import fs from 'node:fs';
import YAML from 'yaml';
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
 * not parsed again. Callers get a copy, so nothing they do reaches the cache.
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
  try {
    const doc = YAML.parseDocument(text, { uniqueKeys: true });
    if (doc.errors.length > 0) {
      for (const e of doc.errors.slice(0, 20)) {
        const at = e.linePos?.[0];
        problems.add(file, [], `${at ? `line ${at.line}, column ${at.col}: ` : ''}${e.message.split('\n')[0]}`);
      }
      return undefined;
    }
    const value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
    if (parsed.size >= MAX_CACHED_FILES) parsed.clear();
    parsed.set(file, { text, value: structuredClone(value) });
    return value;
  } catch (err) {
    // toJS throws ReferenceError for an undefined alias or an alias bomb.
    problems.add(file, [], `YAML refused: ${oneLine(err)}`);
    return undefined;
  }
}
