// The `edge` hub module: the Sparkplug host's face in the hub. The host itself runs inside the
// remote drivers (hub/edge/remote.ts: edge points must enter ingest like a driver's); this module
// checks edge.yaml against the site, and serves GET /api/edge (which edge agents are alive).
import Router from '@koa/router';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
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
  let redis: Redis[] = [];
  return {
    name: 'edge',
    async start(h) {
      hub = h;
      const estate = sectionOf(h.config.sections, ESTATE_SECTION);
      const buildings = Object.keys(estate?.buildings ?? {});
      h.health.register('edge', () => ({ ok: true, buildings }));
      // Several hubs: Socket.IO rooms span them through Redis, so a client on any hub gets the
      // updates the owning hub of a building emits (nginx keeps each client on one hub: docs/scale.md).
      if (estate?.hub.redisUrl) {
        const pub = new Redis(estate.hub.redisUrl, { maxRetriesPerRequest: 2 });
        const sub = pub.duplicate();
        pub.on('error', (err) => h.log.warn({ err: err.message }, 'socket.io redis adapter: redis error'));
        sub.on('error', () => {});
        redis = [pub, sub];
        h.io.adapter(createAdapter(pub, sub, { key: `wf:io:${estate.group ?? h.config.site.id}` }));
      }
    },
    async stop() {
      for (const r of redis) r.disconnect();
      redis = [];
    },
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
