// The one entry point that checks a whole config folder the way the hub does at start: the site
// config (load.ts) and the floor plans drawn for its buildings. `npm run check-config`, the hub
// (main.ts) and live reload all call validateConfigFolder, so "check-config says OK" means
// "the hub will start with it" (issue 11 item 4). Throws ConfigError only.
import path from 'node:path';
import { FLOORPLANS_DIR } from '../../floorplans/load.js';
import type { BuildingPlan } from '../../floorplans/schema.js';
import { validateBuildingPlan } from '../../floorplans/validate.js';
import { ConfigError, type ConfigProblem } from './errors.js';
import { loadConfig, type LoadOptions } from './load.js';
import { oneLine, readYamlFile } from './read.js';
import type { LoadedConfig } from './types.js';
import { checkSiteMap } from '../sitemap/load.js';

export interface ValidateOptions extends LoadOptions {
  /** Folder of `<building>.yaml` floor plans; default the repository's floorplans/. `false` skips plans. */
  floorplansDir?: string | false;
}

export interface ValidatedConfig extends LoadedConfig {
  /** The floor plan of each building that has one, validated against this config. */
  floorPlans: ReadonlyMap<string, BuildingPlan>;
}

/** Every floor plan of the site's buildings, checked against the config; problems as config problems. */
export function checkFloorPlans(config: Pick<LoadedConfig, 'site' | 'devices'>, dir: string): { plans: Map<string, BuildingPlan>; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const sink = { add: (file: string, p: ConfigProblem['path'], message: string) => problems.push({ file, path: p, message }) };
  const plans = new Map<string, BuildingPlan>();
  for (const building of config.site.buildings) {
    const file = path.join(dir, `${building.id}.yaml`);
    const raw = readYamlFile(file, sink, false);
    if (raw === undefined) continue;
    try {
      const { plan, problems: found } = validateBuildingPlan(raw, file, { site: config.site, devices: config.devices });
      for (const p of found) problems.push({ file: p.file, path: p.path ? [p.path] : [], message: p.message });
      if (plan && found.length === 0) plans.set(building.id, plan);
    } catch (err) {
      problems.push({ file, path: [], message: `floor plan check failed: ${oneLine(err)}` });
    }
  }
  return { plans, problems };
}

/** Loads and validates the folder like the hub does at start; throws ConfigError listing every problem. */
export function validateConfigFolder(dir: string, opts: ValidateOptions = {}): ValidatedConfig {
  const config = loadConfig(dir, opts);
  if (opts.floorplansDir === false) return { ...config, floorPlans: new Map() };
  const { plans, problems } = checkFloorPlans(config, opts.floorplansDir ?? FLOORPLANS_DIR);
  // The site map (config/sitemap.geojson, optional): features checked against the site and devices.
  problems.push(...checkSiteMap(config).problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...config, floorPlans: plans };
}
