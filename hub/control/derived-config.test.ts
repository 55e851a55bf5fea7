// The demo config with one thing broken at a time: derived points and schedule conditions are
// refused at load with the file, the path inside it and the reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/load.js';
import { formatConfigPath } from '../config/errors.js';

const REPO = path.resolve(import.meta.dirname, '../..');
let dir: string | undefined;

afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A copy of the demo config with `edit(text)` applied to one file. */
function configWith(file: string, edit: (text: string) => string): string {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-derived-config-'));
  fs.cpSync(path.join(REPO, 'config'), dir, { recursive: true });
  const f = path.join(dir, file);
  const before = fs.readFileSync(f, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  fs.writeFileSync(f, after);
  return dir;
}

function problems(d: string): string[] {
  try {
    loadConfig(d);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${path.basename(p.file)}: ${formatConfigPath(p.path)}: ${p.message}`);
  }
  throw new Error('config was accepted');
}

describe('derived points and schedule conditions at config load', () => {
  it('the demo config declares a lamp-fault point per lighting zone and a night-flow-leak point, and loads', () => {
    const config = loadConfig(path.join(REPO, 'config'));
    const derived = config.points.filter((p) => p.info.protocol === 'derived');
    const lighting = fs.readFileSync(path.join(REPO, 'config/lighting.yaml'), 'utf8').match(/^\s+circuit: /gm)!.length;
    expect(derived.filter((p) => (p.source as { signal: string }).signal === 'lamp-fault')).toHaveLength(lighting);
    expect(derived.filter((p) => (p.source as { signal: string }).signal === 'night-flow-leak').map((p) => (p.source as { of: string }).of)).toEqual(['hq/a/b1/pump-b101/water-main/flow']);
    expect(derived.every((p) => p.info.kind === 'binary' && p.info.intervalMs === 10_000)).toBe(true);
  });

  it('refuses a derived point whose source point does not exist', () => {
    const d = configWith('devices/derived.yaml', (t) => t.replace('of: hq/a/b1/weak-b104/lighting-b1/ramp }', 'of: hq/a/b1/weak-b104/lighting-b1/rampe }'));
    expect(problems(d)).toEqual([expect.stringMatching(/^derived\.yaml: devices\[0\]\.points\[2\]\.source\.of: unknown point "hq\/a\/b1\/weak-b104\/lighting-b1\/rampe"/)]);
  });

  it('refuses an unknown signal', () => {
    const d = configWith('devices/derived.yaml', (t) => t.replace('signal: night-flow-leak', 'signal: night-leak'));
    expect(problems(d)).toEqual([expect.stringMatching(/^derived\.yaml: devices\[\d+\]\.points\[0\]\.source\.signal: unknown signal "night-leak"/)]);
  });

  it('refuses a schedule condition naming an unknown zone group', () => {
    const d = configWith('alarms.yaml', (t) => t.replace('group: offices, when: unoccupied', 'group: archives, when: unoccupied'));
    const rule = fs.readFileSync(path.join(REPO, 'config/alarms.yaml'), 'utf8');
    expect(rule).toContain('group: offices, when: unoccupied');
    expect(problems(d)).toEqual([expect.stringMatching(/^alarms\.yaml: rules\[\d+\]\.when\[0\]\.group: unknown zone group "archives" \(groups of schedules\.yaml: offices, meeting-rooms\)$/)]);
  });

  it('refuses a schedule condition when schedules.yaml is missing', () => {
    const d = configWith('schedules.yaml', () => '');
    fs.rmSync(path.join(d, 'schedules.yaml'));
    expect(problems(d)).toEqual([expect.stringContaining('group: zone group "offices" needs config/schedules.yaml, which is missing')]);
  });
});
