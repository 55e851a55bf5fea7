// GET /api/floorplans/:building — the building's floor plan (floorplans/<building>.yaml). Plans are
// loaded and validated once with the rest of the config (validateConfigFolder → LoadedConfig.floorPlans,
// so check-config and a live reload see them) and served from there; a reload serves the new ones.
import Router from '@koa/router';
import { FLOORPLANS_DIR, loadFloorPlans } from '../../floorplans/load.js';
import type { BuildingPlan } from '../../floorplans/schema.js';
import type { HubContext, HubModule } from '../module.js';
import { HttpError } from './errors.js';

export interface FloorplansOptions {
  /** Folder of `<building>.yaml` files read at start instead of the config's plans (tests); default: the plans the config loader validated. */
  dir?: string;
}

export function createFloorplansModule(opts: FloorplansOptions = {}): HubModule & { plans(): ReadonlyMap<string, BuildingPlan> } {
  let plans = new Map<string, BuildingPlan>();
  let hub: HubContext | null = null;
  return {
    name: 'floorplans',
    plans: () => plans,
    async start(ctx) {
      hub = ctx;
      // A bad plan stops the start with every problem (file: path: reason), like a bad config does.
      // A config loaded without plans (loadConfig, built by hand) falls back to reading the repository's folder.
      const injected = opts.dir === undefined ? ctx.config.floorPlans : undefined;
      plans = injected ? new Map(injected) : loadFloorPlans(opts.dir ?? FLOORPLANS_DIR, { site: ctx.config.site, devices: ctx.config.devices });
      ctx.log.info({ buildings: [...plans.keys()] }, 'floor plans loaded');
    },
    reload(next) {
      if (opts.dir !== undefined || !next.floorPlans) return;
      plans = new Map(next.floorPlans);
      hub?.log.info({ buildings: [...plans.keys()] }, 'floor plans reloaded');
    },
    routes() {
      const r = new Router();
      r.get('/floorplans/:building', async (ctx, next) => {
        if (!hub) throw new HttpError(503, 'not_ready', 'floor plans are not loaded yet');
        await hub.requirePermission('points:read')(ctx as never, next);
      }, (ctx) => {
        const plan = plans.get(ctx.params.building);
        if (!plan) throw new HttpError(404, 'no_floorplan', `no floor plan for building "${ctx.params.building}" (have: ${[...plans.keys()].join(', ') || 'none'})`);
        ctx.set('cache-control', 'no-cache');
        ctx.body = plan;
      });
      return r;
    },
  };
}
