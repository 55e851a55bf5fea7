// Core REST routes: health, site, points, point writes, audit. Mounted under /api.
import Router, { type RouterMiddleware } from '@koa/router';
import { z } from 'zod';
import type { HealthResponse, PointView, PointsPage, SiteTree } from '../../contracts/api.js';
import type { ConnectionStatus } from '../../contracts/driver.js';
import type { Permission } from '../../contracts/auth.js';
import type { PointState } from '../../contracts/point.js';
import type { AuditLog } from '../audit.js';
import type { AuthUser } from '../auth/auth.js';
import type { CommandService } from '../commands.js';
import { overallStatus, type HealthRegistry } from '../health.js';
import type { PointStore } from '../state.js';
import { HttpError } from './errors.js';
import { matchesPointQuery, parsePointQuery } from './point-query.js';
import { optionalInt, optionalString, optionalTime } from './params.js';

export interface CoreRoutesDeps {
  site: SiteTree;
  store: PointStore;
  health: HealthRegistry;
  statuses(): ConnectionStatus[];
  audit: AuditLog;
  commands: CommandService;
  requirePermission(p: Permission): RouterMiddleware;
  /** True when the request carries a live session (health details are for signed-in users only). */
  isSignedIn(authorization: string | undefined, cookie: string | undefined): boolean;
  startedAt: number;
  /**
   * Several hubs: current states of points (those of edge buildings another hub owns come from their
   * owner, hub/edge/cluster-live.ts); absent on a single hub (the store is current).
   */
  currentStates?(ids: readonly string[]): Promise<ReadonlyMap<string, PointState>>;
}

export const WriteBody = z.strictObject({ value: z.union([z.number(), z.boolean(), z.string(), z.null()]) });

export function coreRoutes(d: CoreRoutesDeps): Router {
  const r = new Router();
  /** States of `ids` now: this hub's store, or the owning hubs' (several hubs). */
  const statesOf = async (ids: readonly string[]): Promise<(id: string) => PointState | null> => {
    if (!d.currentStates || ids.length === 0) return (id) => d.store.get(id) ?? null;
    const m = await d.currentStates(ids);
    return (id) => m.get(id) ?? null;
  };
  const view = async (id: string): Promise<PointView | undefined> => {
    const info = d.store.info(id);
    return info && { ...info, state: (await statesOf([id]))(id) };
  };

  // Public: what a load balancer needs — states only. Failure details name internal hosts and
  // ports, so they are shown to signed-in users only.
  r.get('/health', (ctx) => {
    const components = d.health.components();
    const drivers = d.statuses();
    const full = d.isSignedIn(ctx.get('authorization') || undefined, ctx.get('cookie') || undefined);
    const body: HealthResponse = {
      status: overallStatus(components, drivers),
      uptimeS: Math.round((Date.now() - d.startedAt) / 1000),
      points: d.store.size,
      drivers: full ? drivers : drivers.map(({ connection, protocol, state, since }) => ({ connection, protocol, state, since })),
      components: full ? components : Object.fromEntries(Object.entries(components).map(([k, c]) => [k, { ok: c.ok }])),
    };
    ctx.body = body;
  });

  r.get('/site', d.requirePermission('points:read'), (ctx) => {
    ctx.body = d.site;
  });

  r.get('/points', d.requirePermission('points:read'), async (ctx) => {
    const q = parsePointQuery(ctx.query);
    const matching = d.store.infos().filter((info) => matchesPointQuery(info, q));
    const slice = matching.slice(q.offset, q.offset + q.limit);
    const state = await statesOf(slice.map((info) => info.id));
    const page: PointsPage = {
      items: slice.map((info) => ({ ...info, state: state(info.id) })),
      total: matching.length,
      offset: q.offset,
      limit: q.limit,
    };
    ctx.body = page;
  });

  // Point ids contain slashes: both /api/points/hq/a/b1/… and /api/points/hq%2Fa%2Fb1%2F… work.
  r.post('/points/*id/write', d.requirePermission('points:write'), async (ctx) => {
    const id = ctx.params.id;
    if (!d.store.info(id)) throw new HttpError(404, 'unknown_point', `no point ${id}`);
    const body = WriteBody.safeParse(ctx.request.body);
    if (!body.success) {
      throw new HttpError(400, 'bad_request', `write body must be {"value": number | boolean | string | null}: ${body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
    }
    const user = ctx.state.user as AuthUser;
    ctx.body = await d.commands.write(user.username, id, body.data.value);
  });

  r.get('/points/*id', d.requirePermission('points:read'), async (ctx) => {
    const v = await view(ctx.params.id);
    if (!v) throw new HttpError(404, 'unknown_point', `no point ${ctx.params.id}`);
    ctx.body = v;
  });

  r.get('/audit', d.requirePermission('audit:read'), (ctx) => {
    const limit = optionalInt('limit', ctx.query.limit, 1, 1000) ?? 200;
    ctx.body = d.audit.query({
      from: optionalTime('from', ctx.query.from),
      to: optionalTime('to', ctx.query.to),
      user: optionalString('user', ctx.query.user),
      action: optionalString('action', ctx.query.action),
      limit,
    });
  });

  return r;
}
