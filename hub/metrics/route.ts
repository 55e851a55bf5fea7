// GET /metrics for Prometheus. Who may scrape (docs/api.md, "Metrics"): metrics name every
// connection, point count and alarm figure of the site, so they are not public. Allowed:
//   - a scraper on the same machine (loopback: Prometheus beside the hub, or nginx in front of it), or
//   - a bearer token equal to WATCHFLOOR_METRICS_TOKEN, for a Prometheus elsewhere.
// Anything else gets 403 (401 for a wrong token), with the reason. No session cookie: a scraper has none.
import { timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import type { HubMetrics } from './metrics.js';

export type MetricsAccess = { ok: true } | { ok: false; status: 401 | 403; message: string };

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** Pure: may this request read /metrics? */
export function metricsAccess(remoteAddress: string | undefined, authorization: string | undefined, token: string | undefined): MetricsAccess {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (bearer !== undefined) {
    if (!token) return { ok: false, status: 403, message: 'metrics: no token is configured (WATCHFLOOR_METRICS_TOKEN); scrape from the hub machine instead' };
    const a = Buffer.from(bearer);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b) ? { ok: true } : { ok: false, status: 401, message: 'metrics: wrong bearer token' };
  }
  if (remoteAddress && LOOPBACK.test(remoteAddress)) return { ok: true };
  return { ok: false, status: 403, message: 'metrics: only loopback scrapers, or a bearer token (WATCHFLOOR_METRICS_TOKEN), may read /metrics' };
}

export function metricsRoute(metrics: HubMetrics, token: () => string | undefined = () => process.env.WATCHFLOOR_METRICS_TOKEN): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== '/metrics') return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, HEAD');
      ctx.body = { error: { code: 'method_not_allowed', message: `metrics: ${ctx.method} is not allowed; use GET` } };
      return;
    }
    const access = metricsAccess(ctx.req.socket.remoteAddress, ctx.get('authorization') || undefined, token());
    if (!access.ok) {
      ctx.status = access.status;
      ctx.body = { error: { code: access.status === 401 ? 'unauthorized' : 'forbidden', message: access.message } };
      return;
    }
    ctx.set('Content-Type', metrics.contentType);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await metrics.render();
  };
}
