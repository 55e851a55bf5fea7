import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PointInfo } from '../../contracts/point.js';
import { loadConfig } from '../config/load.js';
import { ControlConfigError, loadControlConfig } from './config.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const config = loadConfig(path.join(REPO, 'config'));
const points = new Map<string, PointInfo>(config.points.map((p) => [p.info.id, p.info]));

describe('control config files', () => {
  it('the shipped schedules.yaml and lighting.yaml are valid against the demo site', () => {
    const c = loadControlConfig(path.join(REPO, 'config'), points);
    expect(c.schedules?.groups.map((g) => g.id)).toEqual(['offices', 'meeting-rooms']);
    expect(c.lighting?.zones.length).toBeGreaterThan(50);
  });

  it('refuses a bad file with the file, the path and the reason', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-ctlcfg-'));
    try {
      const text = fs.readFileSync(path.join(REPO, 'config/schedules.yaml'), 'utf8')
        .replace('setpoint: hq/a/l02/office-201/vav-201/zone-temp-sp', 'setpoint: hq/a/l02/office-201/vav-201/zone-temp')
        .replace('{ start: "12:00", end: "13:30", mode: standby }', '{ start: "12:00", end: "11:30", mode: standby }');
      fs.writeFileSync(path.join(dir, 'schedules.yaml'), text);
      fs.writeFileSync(path.join(dir, 'lighting.yaml'), 'sweep: { at: "25:00", kinds: [corridor] }\nzones: []\n');
      let err: unknown;
      try {
        loadControlConfig(dir, points);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ControlConfigError);
      const msg = (err as Error).message;
      expect(msg).toContain('lighting.yaml: sweep.at: must be HH:MM');
      // Schema errors stop before cross-checks; fix lighting and see the schedule problems.
      fs.writeFileSync(path.join(dir, 'lighting.yaml'), 'sweep: { at: "20:00", kinds: [corridor] }\nzones: []\n');
      const msg2 = (() => { try { loadControlConfig(dir, points); return ''; } catch (e) { return (e as Error).message; } })();
      expect(msg2).toContain('schedules.yaml: groups.0.zones.0.setpoint: hq/a/l02/office-201/vav-201/zone-temp must be a writable analog point');
      expect(msg2).toContain('schedules.yaml: schedules.0.week.mon.1: period 12:00-11:30 ends before it starts');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
