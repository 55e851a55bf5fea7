// GET /api/history and GET /api/energy (JSON, or CSV with format=csv / Accept: text/csv).
import Router, { type RouterMiddleware } from '@koa/router';
import type { Context } from 'koa';
import type { ApiError, EnergyResponse, HistoryResponse } from '../../contracts/api.js';
import type { PointInfo } from '../../contracts/point.js';
import { energyCsv, historyCsv } from './csv.js';
import { fineBucketMs, groupIntoLocalBuckets } from './energy.js';
import { ParamError, parseEnergyRequest, parseTrendRequest } from './query.js';
import type { HistoryStore } from './store.js';

export interface HistoryRouteDeps {
  /** Null until the module has started. */
  store(): HistoryStore | null;
  point(id: string): PointInfo | undefined;
  timezone(): string;
  maxBuckets(): number;
  /** `requirePermission('points:read')`, resolved at request time (the hub context arrives at start). */
  guard: RouterMiddleware;
  now?: () => number;
  log: { warn(o: object, m?: string): void };
}

function fail(ctx: Context, status: number, code: string, message: string, details?: unknown): void {
  ctx.status = status;
  ctx.body = { error: { code, message, ...(details === undefined ? {} : { details }) } } satisfies ApiError;
}

function wantsCsv(ctx: Context): boolean {
  if (ctx.query.format === 'csv') return true;
  if (ctx.query.format === 'json') return false;
  return ctx.accepts('application/json', 'text/csv') === 'text/csv' && !ctx.get('Accept').includes('application/json');
}

function queryRecord(ctx: Context): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(ctx.query)) out[k] = Array.isArray(v) ? v.join(',') : v;
  return out;
}

export function historyRoutes(deps: HistoryRouteDeps): Router {
  const router = new Router();
  const now = deps.now ?? Date.now;

  /** Runs a handler with the shared error mapping: bad params → 400 naming the param, backend errors → 502. */
  const handle = (fn: (ctx: Context, store: HistoryStore) => Promise<void>): RouterMiddleware => async (routerCtx) => {
    const ctx = routerCtx as unknown as Context;
    const store = deps.store();
    if (!store) return fail(ctx, 503, 'history_unavailable', 'history is not started');
    try {
      await fn(ctx, store);
    } catch (err) {
      if (err instanceof ParamError) return fail(ctx, 400, 'invalid_param', err.message, { param: err.param });
      deps.log.warn({ err: (err as Error).message, url: ctx.url }, 'history query failed');
      fail(ctx, 502, 'history_backend_error', (err as Error).message);
    }
  };

  const lookup = (ids: string[], param: string, accept: (p: PointInfo) => string | null) => {
    return ids.map((id) => {
      const info = deps.point(id);
      if (!info) throw Object.assign(new Error(`unknown point "${id}"`), { status: 404, param });
      const why = accept(info);
      if (why) throw new ParamError(param, `${id} ${why}`);
      return info;
    });
  };

  const withUnknown = (fn: (ctx: Context, store: HistoryStore) => Promise<void>) => async (ctx: Context, store: HistoryStore) => {
    try {
      await fn(ctx, store);
    } catch (err) {
      const e = err as { status?: number; param?: string; message: string };
      if (e.status === 404) return fail(ctx, 404, 'unknown_point', e.message, { param: e.param });
      throw err;
    }
  };

  router.get(
    '/history',
    deps.guard,
    handle(
      withUnknown(async (ctx, store) => {
        const req = parseTrendRequest(queryRecord(ctx), now(), deps.timezone(), deps.maxBuckets());
        const infos = lookup(req.points, 'points', (p) => (p.kind === 'string' ? 'is a string point; trends need numeric points' : null));
        const series = await store.trend(req);
        const body: HistoryResponse = {
          from: req.from,
          to: req.to,
          stepMs: req.stepMs,
          agg: req.agg,
          backend: store.backend,
          series: series.map((s, i) => ({ pointId: s.pointId, ...(infos[i].unit ? { unit: infos[i].unit } : {}), points: s.points })),
        };
        if (wantsCsv(ctx)) {
          ctx.type = 'text/csv; charset=utf-8';
          ctx.attachment('history.csv');
          ctx.body = historyCsv(body, deps.timezone());
        } else ctx.body = body;
      }),
    ),
  );

  router.get(
    '/energy',
    deps.guard,
    handle(
      withUnknown(async (ctx, store) => {
        const tz = deps.timezone();
        const req = parseEnergyRequest(queryRecord(ctx), tz);
        const infos = lookup(req.meters, 'meters', (p) => (p.kind !== 'analog' ? `is a ${p.kind} point; energy needs an analog cumulative counter` : null));
        const fine = fineBucketMs(req.from, req.to, tz);
        const meters = await Promise.all(
          infos.map(async (info) => {
            const deltas = await store.counterDeltas(info.id, req.from, req.to, fine);
            const buckets = groupIntoLocalBuckets(deltas, req.from, req.to, tz, req.interval);
            const total = Math.round(buckets.reduce((sum, b) => sum + (b.value ?? 0), 0) * 1e6) / 1e6;
            return { pointId: info.id, ...(info.unit ? { unit: info.unit } : {}), total, buckets };
          }),
        );
        const body: EnergyResponse = { from: req.from, to: req.to, interval: req.interval, timezone: tz, meters };
        if (wantsCsv(ctx)) {
          ctx.type = 'text/csv; charset=utf-8';
          ctx.attachment('energy.csv');
          ctx.body = energyCsv(body);
        } else ctx.body = body;
      }),
    ),
  );

  return router;
}
