import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import { readYamlFile } from '../config/read.js';
import { readSections } from './sections.js';

// Parses are counted on the yaml package itself, with the persistent cache off, so every parse
// that happens is seen.
let dir: string;
let spies: Array<ReturnType<typeof vi.spyOn>>;
const parses = { toHaveBeenCalledTimes: (n: number) => expect(spies.reduce((sum, s) => sum + s.mock.calls.length, 0)).toBe(n) };
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-sections-'));
  vi.stubEnv('WATCHFLOOR_CACHE_DIR', 'off');
  spies = [vi.spyOn(YAML, 'parseDocument'), vi.spyOn(YAML, 'parse')];
});
afterEach(() => {
  for (const s of spies) s.mockRestore();
  vi.unstubAllEnvs();
  fs.rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
const noProblems = { add: (file: string, _p: unknown, m: string) => expect.fail(`${file}: ${m}`) };

describe('readSections: config parsed once', () => {
  it('does not parse again what the loader just read; a reload parses only the changed file', () => {
    write('alarms.yaml', 'rules: [{ id: r1 }]\n');
    write('broadcast.yaml', 'zones: [{ id: z1 }]\n');
    write('site.yaml', 'site: { id: hq }\n'); // not a section file: never read here
    // What the loader does at start (hub/config/load.ts reads every file through readYamlFile).
    for (const f of ['alarms.yaml', 'broadcast.yaml', 'site.yaml']) readYamlFile(path.join(dir, f), noProblems, true);
    parses.toHaveBeenCalledTimes(3);

    const sections = readSections(dir);
    parses.toHaveBeenCalledTimes(3);
    expect([...sections.keys()].sort()).toEqual(['alarms.yaml', 'broadcast.yaml']);
    expect(sections.get('alarms.yaml')).toEqual({ rules: [{ id: 'r1' }] });

    write('broadcast.yaml', 'zones: [{ id: z2 }]\n');
    expect(readSections(dir).get('broadcast.yaml')).toEqual({ zones: [{ id: 'z2' }] });
    parses.toHaveBeenCalledTimes(4);
  });

  it('hands out copies: a change to one snapshot is not in the next', () => {
    write('alarms.yaml', 'rules: [{ id: r1 }]\n');
    const first = readSections(dir).get('alarms.yaml') as { rules: unknown[] };
    first.rules.push('mutated');
    expect(readSections(dir).get('alarms.yaml')).toEqual({ rules: [{ id: 'r1' }] });
  });

  it('throws, naming the file, when a section file no longer parses (edited after it validated)', () => {
    write('alarms.yaml', 'rules: [\n');
    expect(() => readSections(dir)).toThrow(/alarms\.yaml: line \d+, column \d+/);
  });
});
