// REST of the site map (docs/sitemap.md):
//   GET   /api/sitemap                    the map (points:read)
//   GET   /api/sitemap/coverage           coverage figures, cones, blind spots (points:read)
//   GET   /api/sitemap/nearest?x=&y=      | ?point=<point id> | ?room=<building/floor/room> (cameras:view)
//   PATCH /api/sitemap/cameras/:id        {at?, height?, heading?, fov?, range?} (sitemap:edit, audited)
import Router, { type RouterMiddleware } from '@koa/router';
import { z } from 'zod';
import type { Permission } from '../../contracts/auth.js';
import { InvalidError, NotFoundError, UnavailableError } from '../errors.js';
import type { CameraPosePatch, NearestResult, SiteCamera, SiteMap } from '../../contracts/sitemap.js';
import type { CoverageModel } from './coverage.js';
import type { Where } from './place.js';

const finite = z.number().finite();
export const poseBody = z
  .strictObject({
    at: z.tuple([finite.min(-100_000).max(100_000), finite.min(-100_000).max(100_000)]).optional(),
    height: finite.min(0).max(300).optional(),
    heading: finite.min(0).max(360).optional(),
    fov: finite.min(1).max(360).optional(),
    range: finite.min(1).max(2000).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give at least one of at, height, heading, fov, range');

function issues(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

/** The spot of a nearest-cameras query, or why the query is wrong. */
export function whereOfQuery(q: Record<string, unknown>): Where {
  const s = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
  const x = s('x');
  const y = s('y');
  if (x !== undefined || y !== undefined) {
    const at = [Number(x), Number(y)] as [number, number];
    if (x === undefined || y === undefined || !at.every(Number.isFinite)) throw new InvalidError('bad_spot', 'x and y must both be numbers (metres on the site map)');
    return { kind: 'xy', at };
  }
  const point = s('point');
  if (point) {
    const parts = point.split('/');
    if (parts.length < 5) throw new InvalidError('bad_point', `point "${point}" is not a point id (site/building/floor/room/equipment/point)`);
    return { kind: 'room', building: parts[1], floor: parts[2], room: parts[3], device: parts[4] };
  }
  const room = s('room');
  if (room) {
    const parts = room.split('/');
    if (parts.length !== 3) throw new InvalidError('bad_room', `room "${room}" must be building/floor/room`);
    return { kind: 'room', building: parts[0], floor: parts[1], room: parts[2] };
  }
  const device = s('device');
  if (device) return { kind: 'device', device };
  throw new InvalidError('bad_spot', 'give x and y, point, room or device');
}

/** What the routes need of the sitemap module (module.ts implements it). */
export interface SitemapApi {
  map(): SiteMap | undefined;
  coverage(): CoverageModel | undefined;
  nearest(where: Where, limit?: number): NearestResult | undefined;
  setPose(id: string, patch: CameraPosePatch, user: string): Promise<{ camera: SiteCamera; ms: number }>;
}

export function sitemapRoutes(deps: { module: SitemapApi; requirePermission(p: Permission): RouterMiddleware }): Router {
  const { module: m, requirePermission } = deps;
  const r = new Router();
  const need = () => {
    const map = m.map();
    const model = m.coverage();
    if (!map || !model) throw new UnavailableError('no_sitemap', 'this site has no site map (config/sitemap.geojson)');
    return { map, model };
  };
  r.get('/sitemap', requirePermission('points:read'), (ctx) => {
    ctx.set('cache-control', 'no-cache');
    ctx.body = need().map;
  });
  r.get('/sitemap/coverage', requirePermission('points:read'), (ctx) => {
    ctx.set('cache-control', 'no-cache');
    ctx.body = need().model.report();
  });
  r.get('/sitemap/nearest', requirePermission('cameras:view'), (ctx) => {
    need();
    const where = whereOfQuery(ctx.query as Record<string, unknown>);
    const limit = ctx.query.limit === undefined ? 5 : Number(ctx.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw new InvalidError('bad_limit', 'limit must be an integer 1..50');
    const res = m.nearest(where, limit);
    if (!res) throw new NotFoundError('no_place', 'that spot has no place on the site map (unknown device or building without a footprint)');
    ctx.body = res;
  });
  r.patch('/sitemap/cameras/:id', requirePermission('sitemap:edit'), async (ctx) => {
    const parsed = poseBody.safeParse(ctx.request.body);
    if (!parsed.success) throw new InvalidError('bad_pose', `pose must be {at?: [x, y], height?, heading?, fov?, range?}: ${issues(parsed.error)}`);
    const user = (ctx.state as { user?: { username: string } }).user?.username ?? 'unknown';
    const { camera, ms } = await m.setPose(ctx.params.id, parsed.data, user);
    ctx.body = { camera, recomputeMs: Math.round(ms * 100) / 100, cone: m.coverage()?.cone(camera.id), overall: m.coverage()?.report().overall };
  });
  return r;
}
