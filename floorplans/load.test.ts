// The demo building's plan against the real demo config: complete and valid, and a broken
// copy is refused with file, path and reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadConfig } from '../hub/config/load.js';
import { drawBuilding, toYaml } from './gen-demo.js';
import { FLOORPLANS_DIR, loadFloorPlan, loadFloorPlans } from './load.js';
import { FloorPlanError } from './validate.js';

const config = loadConfig(path.join(FLOORPLANS_DIR, '..', 'config'));
const ctx = { site: config.site, devices: config.devices };

describe('the demo floor plan', () => {
  it('draws every room of the site and places every device', () => {
    const plans = loadFloorPlans(FLOORPLANS_DIR, ctx);
    const plan = plans.get('a')!;
    expect(plan).toBeDefined();
    const rooms = plan.floors.flatMap((f) => f.rooms.map((r) => `${f.id}/${r.id}`)).sort();
    const siteRooms = config.site.buildings[0].floors.flatMap((f) => f.rooms.map((r) => `${f.id}/${r.id}`)).sort();
    expect(rooms).toEqual(siteRooms);
    const devices = plan.floors.flatMap((f) => f.devices).length;
    expect(devices).toBe(config.devices.filter((d) => d.location.building === 'a').length);
  });

  it('is what the generator draws today (re-run scripts/gen-floorplans.ts after a config change)', () => {
    const onDisk = YAML.parse(fs.readFileSync(path.join(FLOORPLANS_DIR, 'a.yaml'), 'utf8'));
    expect(onDisk).toEqual(YAML.parse(toYaml(drawBuilding(config.site, config.devices, 'a'))));
  });

  it('refuses a broken file with every problem, each with file and path', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floorplan-'));
    try {
      const plan = YAML.parse(fs.readFileSync(path.join(FLOORPLANS_DIR, 'a.yaml'), 'utf8'));
      plan.floors[1].rooms[0].polygon = [[0, 0], [5, 5], [5, 0], [0, 5]];
      plan.floors[2].devices[0].at = [-50, -50];
      const file = path.join(dir, 'a.yaml');
      fs.writeFileSync(file, YAML.stringify(plan));
      let error: unknown;
      try {
        loadFloorPlan(file, ctx);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(FloorPlanError);
      const message = (error as Error).message;
      expect(message).toContain(`${file}: floors[1].rooms[0].polygon: self-intersecting`);
      expect(message).toMatch(new RegExp(`${file.replace(/[/.]/g, '\\$&')}: floors\\[2\\]\\.devices\\[0\\]\\.at: \\[-50, -50\\] is outside its room`));
      fs.writeFileSync(file, 'version: 1\nfloors: [unclosed');
      expect(() => loadFloorPlan(file, ctx)).toThrow(new RegExp(`^${file.replace(/[/.]/g, '\\$&')}: \\(root\\): `));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
