// REST API of patrols under /api/patrols: scans (guards' phones), status for the wall, runs,
// compliance (JSON or CSV, read by issue #20's reports), codes to print, rotation and supervisor
// overrides. Every change needs a permission and is audited by the service.
import Router, { type RouterMiddleware } from '@koa/router';
import { z } from 'zod';
import type { Permission } from '../../contracts/auth.js';
import { COMPLIANCE_BY, type ComplianceBy } from '../../contracts/patrols.js';
import { InvalidError } from '../errors.js';
import type { AuditLogLike } from '../module.js';
import type { PatrolService } from './service.js';

export interface PatrolRoutesOptions {
  service: PatrolService;
  audit: AuditLogLike;
  requirePermission(p: Permission): RouterMiddleware;
}

const id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a checkpoint id');
export const ScanBody = z.strictObject({
  scanId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'must be 8..64 letters, digits or - (a UUID)'),
  token: z.string().min(1).max(200).optional(),
  manual: z.strictObject({ checkpoint: id, overrideCode: z.string().regex(/^\d{8}$/, 'must be the 8-digit code from a supervisor') }).optional(),
  clientTs: z.number().int().min(0).max(8.64e15).optional(),
  offline: z.boolean().optional(),
  answers: z.record(z.string().max(64), z.boolean()).optional(),
  rating: z.number().int().min(1, 'must be 1..5').max(5, 'must be 1..5').optional(),
  photo: z.string().max(250_000).optional(),
  note: z.string().trim().max(2000).optional(),
});
const OverrideBody = z.strictObject({ checkpoint: id, forUser: z.string().min(1).max(64).optional() });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const i = r.error.issues[0];
  throw new InvalidError('bad_request', `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`, { issues: r.error.issues.map((x) => ({ path: x.path, message: x.message })) });
}

function timeParam(q: unknown, name: string, fallback: number): number {
  if (q === undefined || q === '') return fallback;
  const s = String(q);
  const t = /^\d{1,15}$/.test(s) ? Number(s) : Date.parse(s);
  if (!Number.isFinite(t)) throw new InvalidError('bad_request', `${name}: "${s.slice(0, 40)}" is not a time (ms since epoch or ISO 8601)`);
  return t;
}

type Ctx = { state: { user?: { username: string; permissions: readonly string[] } } };
const userOf = (ctx: unknown) => (ctx as Ctx).state.user!.username;

export function patrolRoutes(o: PatrolRoutesOptions): Router {
  const { service, requirePermission } = o;
  const r = new Router();
  const scan = requirePermission('patrols:scan');
  const read = requirePermission('patrols:read');
  const manage = requirePermission('patrols:manage');

  r.post('/patrols/scans', scan, (ctx) => {
    const body = parse(ScanBody, ctx.request.body);
    if (body.token === undefined && body.manual === undefined) throw new InvalidError('bad_request', 'token: required (or manual with an override code)');
    ctx.status = 201;
    ctx.body = service.scan(userOf(ctx), body);
  });

  /** The phone's view: what the signed-in person walks now (and the checkpoints' names). */
  r.get('/patrols/mine', scan, (ctx) => {
    const me = userOf(ctx);
    ctx.body = {
      serverTs: service.now(),
      runs: service.status().filter((s) => s.assignee === me && s.state !== 'done'),
      checkpoints: [...service.checkpoints.values()].map((c) => ({ id: c.id, name: c.name, area: c.area, checklist: c.checklist })),
    };
  });

  r.get('/patrols/status', read, (ctx) => {
    ctx.body = { serverTs: service.now(), runs: service.status() };
  });

  r.get('/patrols/config', read, (ctx) => {
    ctx.body = {
      tours: [...service.tours.values()].map((t) => ({ id: t.id, name: t.name, kind: t.kind, area: t.area, checkpoints: t.checkpoints, maxGapMin: t.maxGapMin, assign: t.assign })),
      checkpoints: [...service.checkpoints.values()].map((c) => ({ id: c.id, name: c.name, area: c.area, checklist: c.checklist, ...(c.position ? { position: c.position } : {}) })),
    };
  });

  r.get('/patrols/scans', read, (ctx) => {
    const q = ctx.query;
    const limit = q.limit === undefined ? 500 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 5000) throw new InvalidError('bad_request', 'limit: 1..5000');
    ctx.body = service.scans({ from: timeParam(q.from, 'from', 0), to: timeParam(q.to, 'to', Number.MAX_SAFE_INTEGER), ...(typeof q.user === 'string' ? { user: q.user } : {}), limit });
  });

  r.get('/patrols/compliance', read, (ctx) => {
    const q = ctx.query;
    const by = String(q.by ?? 'tour') as ComplianceBy;
    if (!COMPLIANCE_BY.includes(by)) throw new InvalidError('bad_request', `by: one of ${COMPLIANCE_BY.join(', ')}`);
    const to = timeParam(q.to, 'to', service.now());
    const from = timeParam(q.from, 'from', to - 30 * 24 * 3600_000);
    if (from >= to) throw new InvalidError('bad_request', 'from: must be before to');
    const rep = service.compliance(by, from, to);
    if (q.format === 'csv') {
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('content-disposition', `attachment; filename="patrols-by-${by}.csv"`);
      ctx.body = rep.csv();
    } else ctx.body = { by: rep.by, from: rep.from, to: rep.to, rows: rep.rows, total: rep.total };
  });

  r.get('/patrols/codes', manage, (ctx) => {
    o.audit.record({ user: userOf(ctx), action: 'patrol.codes_read', target: 'checkpoints', details: {} });
    ctx.body = service.codes();
  });

  r.post('/patrols/checkpoints/:id/rotate', manage, (ctx) => {
    ctx.body = service.rotate(userOf(ctx), parse(id, ctx.params.id));
  });

  r.post('/patrols/overrides', manage, (ctx) => {
    const b = parse(OverrideBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = service.issueOverride(userOf(ctx), b.checkpoint, b.forUser);
  });

  return r;
}
