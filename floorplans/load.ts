// Reads floorplans/<building>.yaml and validates it (validate.ts). Throws FloorPlanError with
// every problem (file: path: reason) so a bad plan is refused whole, never half drawn.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import type { BuildingPlan } from './schema.js';
import { FloorPlanError, validateBuildingPlan, type PlanContext } from './validate.js';

export const FLOORPLANS_DIR = path.dirname(fileURLToPath(import.meta.url));

export function loadFloorPlan(file: string, ctx: PlanContext): BuildingPlan {
  let raw: unknown;
  try {
    raw = YAML.parse(fs.readFileSync(file, 'utf8'), { uniqueKeys: true });
  } catch (err) {
    throw new FloorPlanError([{ file, path: '', message: (err as Error).message.split('\n')[0] }]);
  }
  const { plan, problems } = validateBuildingPlan(raw, file, ctx);
  if (!plan) throw new FloorPlanError(problems);
  return plan;
}

/** Every `<building>.yaml` in the folder that names a building of the site, by building id. */
export function loadFloorPlans(dir: string, ctx: PlanContext): Map<string, BuildingPlan> {
  const plans = new Map<string, BuildingPlan>();
  if (!fs.existsSync(dir)) return plans;
  for (const building of ctx.site.buildings) {
    const file = path.join(dir, `${building.id}.yaml`);
    if (fs.existsSync(file)) plans.set(building.id, loadFloorPlan(file, ctx));
  }
  return plans;
}
