// validateConfigFolder runs every check the hub runs at start (issue 11 item 4): the README's
// "pointing a driver at a real device" meter passed loadConfig (the old check-config) and then
// killed `npm run hub` with a FloorPlanError stack trace.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfigFolder } from './check.js';
import { ConfigError } from './errors.js';
import { loadConfig } from './load.js';
import { validateConfigFolder } from './validate.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-validate-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function demoCopy(name: string): string {
  const dir = path.join(tmp, name);
  fs.cpSync(path.join(REPO, 'config'), dir, { recursive: true });
  return dir;
}

const NEW_METER = `connections:
  - id: gw-l03-new
    protocol: modbus
    options: { host: 10.0.3.20, port: 502, pollMs: 1000 }
devices:
  - id: meter-l03-new
    name: { en: L3 power meter, zh-CN: 三层电表 }
    location: a/l03/weak-305
    connection: gw-l03-new
    options: { unitId: 7 }
    points:
      - id: kw
        name: { en: Active power, zh-CN: 有功功率 }
        kind: analog
        unit: kW
        source: { table: input, address: 0, type: float32, wordOrder: BE }
`;

describe('validateConfigFolder', () => {
  it('the demo config and its floor plan pass', () => {
    const cfg = validateConfigFolder(path.join(REPO, 'config'));
    expect(cfg.floorPlans.has('a')).toBe(true);
    expect(checkConfigFolder(path.join(REPO, 'config')).exitCode).toBe(0);
  });

  it('a new device with no place on the floor plan: loadConfig alone says OK, the folder check refuses it as file: path: reason', () => {
    const dir = demoCopy('new-meter');
    fs.writeFileSync(path.join(dir, 'devices', 'meter-l03-new.yaml'), NEW_METER);
    expect(() => loadConfig(dir)).not.toThrow(); // what check-config used to run
    let error: unknown;
    try {
      validateConfigFolder(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/floorplans\/a\.yaml: floors\[\d+\]\.devices: device "weak-305\/meter-l03-new" of the device config has no place/);
    const report = checkConfigFolder(dir);
    expect(report.exitCode).toBe(1);
    expect(report.text).not.toMatch(/\n\s+at /);
  });

  it('a floor plan that is a directory or broken YAML is a config problem, not a throw', () => {
    const plans = path.join(tmp, 'plans-dir');
    fs.mkdirSync(path.join(plans, 'a.yaml'), { recursive: true });
    expect(() => validateConfigFolder(path.join(REPO, 'config'), { floorplansDir: plans })).toThrow(/a\.yaml: is a directory, not a file/);
    const broken = path.join(tmp, 'plans-broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'a.yaml'), 'version: *v\n');
    expect(() => validateConfigFolder(path.join(REPO, 'config'), { floorplansDir: broken })).toThrow(/a\.yaml: YAML refused: Unresolved alias/);
  });

  it('floorplansDir: false checks the site config only', () => {
    expect(validateConfigFolder(path.join(REPO, 'config'), { floorplansDir: false }).floorPlans.size).toBe(0);
  });

  it('check-config reports a bug in a check as one line, exit code 2, never a stack', () => {
    const r = checkConfigFolder(path.join(REPO, 'config'), { drivers: [{ protocol: 'modbus' } as never] });
    expect([1, 2]).toContain(r.exitCode);
    expect(r.text).not.toMatch(/\n\s+at /);
  });
});
