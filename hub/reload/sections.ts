// Parsed subsystem files of a config folder (alarms.yaml, schedules.yaml, …), for the reload's diff.
// Read after the folder validated, so parsing cannot fail on content the loader accepted.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { SECTIONS } from '../config/sections.js';

/** By file name; missing files are left out. */
export function readSections(dir: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const s of SECTIONS) {
    const file = path.join(dir, s.file);
    if (fs.existsSync(file)) out.set(s.file, YAML.parse(fs.readFileSync(file, 'utf8')) ?? {});
  }
  return out;
}
