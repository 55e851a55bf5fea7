// GET /api/floorplans/:building — the building's floor plan (floorplans/<building>.yaml),
// validated against the site config when the hub starts. A hub module, so the hub core does not
// change: add `createFloorplansModule()` to the modules (hub/modules.ts) to serve plans.
import Router from '@koa/router';
import { FLOORPLANS_DIR, loadFloorPlans } from '../../floorplans/load.js';
import type { BuildingPlan } from '../../floorplans/schema.js';
import type { HubContext, HubModule } from '../module.js';
import { HttpError } from './errors.js';

export interface FloorplansOptions {
  /** Folder of `<building>.yaml` files; default the repository's floorplans/. */
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
      plans = loadFloorPlans(opts.dir ?? FLOORPLANS_DIR, { site: ctx.config.site, devices: ctx.config.devices });
      ctx.log.info({ buildings: [...plans.keys()] }, 'floor plans loaded');
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
