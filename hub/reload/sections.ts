// Parsed subsystem files of a config folder (alarms.yaml, schedules.yaml, …), for the reload's diff.
// Read after the folder validated, through the loader's reader (hub/config/read.ts): a file the
// loader just parsed comes from its memo as a copy, so config is parsed once — at hub start the
// Reloader's first snapshot no longer parses every section file a second time (~190 ms of cold
// CPU, docs/performance.md "Cold start"). A reload re-reads every file; an unchanged one is not
// parsed again.
import path from 'node:path';
import { readYamlFile } from '../config/read.js';
import { SECTIONS } from '../config/sections.js';

/** By file name; missing files are left out. Throws when a file cannot be read or parsed (the folder changed since it validated). */
export function readSections(dir: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const problems: string[] = [];
  const sink = { add: (file: string, _at: unknown, message: string) => problems.push(`${file}: ${message}`) };
  for (const s of SECTIONS) {
    const value = readYamlFile(path.join(dir, s.file), sink, false);
    if (value !== undefined) out.set(s.file, value);
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return out;
}
