// The `edge` hub module: the Sparkplug host's face in the hub. The host itself runs inside the
// remote drivers (hub/edge/remote.ts: edge points must enter ingest like a driver's); this module
// checks edge.yaml against the site, and serves GET /api/edge (which edge agents are alive).
import Router from '@koa/router';
import type { HubContext, HubModule } from '../module.js';
import { ESTATE_SECTION } from './remote.js';
import { sectionOf } from '../config/section-key.js';

export { estateFileSchema } from '../../drivers/mqtt/estate.js';
export { createHubDriversWith, createEdgeHost } from './remote.js';
export { checkEstate } from './check.js';

export interface EdgeNodeStatus {
  building: string;
  /** Points of the building by quality, as the hub holds them now. */
  qualities: Record<string, number>;
  /** Every point good: the edge is alive and its devices answer. */
  current: boolean;
}

/** Per edge building: its points by quality (pure, table-tested). */
export function edgeNodeStatus(buildings: readonly string[], siteId: string, states: ReadonlyArray<{ id: string; quality: string }>): EdgeNodeStatus[] {
  return buildings.map((b) => {
    const prefix = `${siteId}/${b}/`;
    const qualities: Record<string, number> = {};
    for (const s of states) if (s.id.startsWith(prefix)) qualities[s.quality] = (qualities[s.quality] ?? 0) + 1;
    const total = Object.values(qualities).reduce((a, n) => a + n, 0);
    return { building: b, qualities, current: total > 0 && qualities.good === total };
  });
}

export function createEdgeModule(): HubModule {
  let hub: HubContext | null = null;
  return {
    name: 'edge',
    async start(h) {
      hub = h;
      const estate = sectionOf(h.config.sections, ESTATE_SECTION);
      const buildings = Object.keys(estate?.buildings ?? {});
      h.health.register('edge', () => ({ ok: true, buildings }));
      // Several hubs (hub.redisUrl): the Socket.IO Redis adapter, shared sessions and the cluster live
      // push are wired by createHub (hub/edge/cluster.ts), so that they exist before any socket connects.
    },
    async stop() {},
    routes() {
      const r = new Router();
      // routes() runs after start(): hub is set.
      r.get('/edge', hub!.requirePermission('points:read'), (ctx) => {
        const estate = hub ? sectionOf(hub.config.sections, ESTATE_SECTION) : undefined;
        ctx.body = { nodes: hub ? edgeNodeStatus(Object.keys(estate?.buildings ?? {}), hub.config.site.id, hub.store.all()) : [] };
      });
      return r;
    },
  };
}
