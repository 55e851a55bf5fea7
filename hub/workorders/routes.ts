// REST API of work orders, the roster, statistics and notifications, under /api. Every change
// needs a signed-in user with the right permission; the lifecycle decides who may take a step.
import fs from 'node:fs';
import Router, { type RouterMiddleware } from '@koa/router';
import { z } from 'zod';
import type { Permission } from '../../contracts/auth.js';
import { TRADES, WO_ACTIONS, WO_PRIORITIES, WO_STATES, type WoState } from '../../contracts/workorders.js';
import { InvalidError, NotFoundError } from '../errors.js';
import type { DeliveryLog } from '../notify/log.js';
import type { AlarmLink, AlarmSourceLike } from './alarm-link.js';
import type { Actor } from './lifecycle.js';
import { photoFile } from './photos.js';
import type { DispatchService } from './service.js';
import { computeStats, statsCsv, STATS_BY, type StatsBy } from './stats.js';
import type { WorkOrderStore } from './store.js';

export interface DispatchRoutesOptions {
  service: DispatchService;
  store: WorkOrderStore;
  link: AlarmLink;
  alarms(): AlarmSourceLike | undefined;
  log: DeliveryLog;
  vapidPublicKey?: string;
  dataDir: string;
  timezone: string;
  requirePermission(p: Permission): RouterMiddleware;
}

const area = z.string().regex(/^[a-z0-9-]+(\/[a-z0-9-]+){0,2}$/, 'must be building[/floor[/room]]');
const text = (max: number) => z.string().trim().max(max);
const part = z.strictObject({ name: text(100).min(1), qty: z.number().int().min(1).max(10_000), damaged: z.boolean().optional() });

export const CreateBody = z.strictObject({
  title: text(200).min(1, 'must not be empty'),
  description: text(4000).optional(),
  trade: z.enum(TRADES),
  area,
  device: text(200).optional(),
  priority: z.enum(WO_PRIORITIES).default('medium'),
});
export const FromAlarmBody = z.strictObject({ trade: z.enum(TRADES).optional(), priority: z.enum(WO_PRIORITIES).optional(), description: text(4000).optional() });
export const FromPatrolBody = CreateBody.extend({ patrolId: text(200).min(1) });
export const StepBody = z.strictObject({
  action: z.enum(WO_ACTIONS),
  version: z.number().int().min(1),
  note: text(2000).optional(),
  assignee: text(64).min(1).optional(),
  workDone: text(4000).optional(),
  parts: z.array(part).max(100).optional(),
});
export const PhotoBody = z.strictObject({ version: z.number().int().min(1).optional(), data: z.string().min(1).max(400_000) });
export const RateBody = z.strictObject({ score: z.number().int().min(1, 'must be 1..5').max(5, 'must be 1..5'), comment: text(2000).optional() });
export const SubscriptionBody = z.strictObject({ endpoint: z.url().max(2000).refine((u) => /^https?:/.test(u), 'must be http(s)'), keys: z.strictObject({ p256dh: z.string().min(20).max(200), auth: z.string().min(8).max(100) }), expirationTime: z.number().nullable().optional() });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const i = r.error.issues[0];
  throw new InvalidError('bad_request', `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`, { issues: r.error.issues.map((x) => ({ path: x.path, message: x.message })) });
}

function idParam(s: string | undefined): number {
  if (!s || !/^\d{1,12}$/.test(s)) throw new InvalidError('bad_request', `order id: "${String(s).slice(0, 40)}" is not a number`);
  return Number(s);
}

function timeParam(q: unknown, name: string): number | undefined {
  if (q === undefined || q === '') return undefined;
  const s = String(q);
  const t = /^\d{1,15}$/.test(s) ? Number(s) : Date.parse(s);
  if (!Number.isFinite(t)) throw new InvalidError('bad_request', `${name}: "${s.slice(0, 40)}" is not a time (ms since epoch or ISO 8601)`);
  return t;
}

type Ctx = { state: { user?: { username: string; permissions: readonly string[] } } };
const actorOf = (ctx: Ctx): Actor => {
  const u = ctx.state.user!;
  return { username: u.username, work: u.permissions.includes('workorders:work'), manage: u.permissions.includes('workorders:manage') };
};

export function dispatchRoutes(o: DispatchRoutesOptions): Router {
  const { service, store, requirePermission } = o;
  const r = new Router();
  const create = requirePermission('workorders:create');
  const manage = requirePermission('workorders:manage');

  r.get('/workorders', create, (ctx) => {
    const q = ctx.query;
    const states = q.state === undefined ? undefined : String(q.state).split(',').filter(Boolean);
    for (const s of states ?? []) if (!(WO_STATES as readonly string[]).includes(s)) throw new InvalidError('bad_request', `state: unknown value "${s.slice(0, 40)}" (one of ${WO_STATES.join(', ')})`);
    const me = actorOf(ctx as Ctx).username;
    const mine = q.mine === '1' || q.mine === 'true';
    ctx.body = store.list({
      state: states as WoState[] | undefined,
      ...(mine ? { assignee: me } : {}),
      ...(q.requested === '1' ? { requester: me } : {}),
      ...(typeof q.alarm === 'string' ? { alarmId: q.alarm } : {}),
      limit: 500,
    });
  });

  r.post('/workorders', create, (ctx) => {
    const b = parse(CreateBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = service.create({ source: 'manual', ...b, requester: actorOf(ctx as Ctx).username });
  });

  r.post('/workorders/from-alarm/:alarmId', create, (ctx) => {
    const b = parse(FromAlarmBody, ctx.request.body);
    const v = o.alarms()?.view(ctx.params.alarmId);
    if (!v) throw new NotFoundError('unknown_alarm', `unknown alarm "${ctx.params.alarmId.slice(0, 100)}"`);
    const { order, created } = o.link.orderFor(v, actorOf(ctx as Ctx).username, b);
    ctx.status = created ? 201 : 200;
    ctx.body = order;
  });

  // For guard tours (the patrols issue): a finding at a checkpoint becomes an order.
  r.post('/workorders/from-patrol', create, (ctx) => {
    const { patrolId, ...b } = parse(FromPatrolBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = service.create({ source: 'patrol', ...b, patrolId, requester: actorOf(ctx as Ctx).username });
  });

  r.get('/workorders/stats', manage, (ctx) => {
    const by = (ctx.query.by ?? 'trade') as StatsBy;
    if (!STATS_BY.includes(by)) throw new InvalidError('bad_request', `by: one of ${STATS_BY.join(', ')}`);
    const from = timeParam(ctx.query.from, 'from');
    const to = timeParam(ctx.query.to, 'to');
    const stats = computeStats(store.list({ from, to, limit: 1_000_000 }), by, o.timezone);
    if (ctx.query.format === 'csv') {
      ctx.type = 'text/csv; charset=utf-8';
      ctx.set('content-disposition', `attachment; filename="workorders-by-${by}.csv"`);
      ctx.body = statsCsv(stats);
    } else ctx.body = stats;
  });

  r.get('/workorders/:id', create, (ctx) => {
    ctx.body = service.get(idParam(ctx.params.id));
  });

  r.post('/workorders/:id/steps', create, (ctx) => {
    const b = parse(StepBody, ctx.request.body);
    ctx.body = service.step(idParam(ctx.params.id), actorOf(ctx as Ctx), b);
  });

  r.post('/workorders/:id/photos', create, (ctx) => {
    const b = parse(PhotoBody, ctx.request.body);
    const bytes = Buffer.from(b.data.replace(/^data:[^,]*,/, ''), 'base64');
    ctx.status = 201;
    ctx.body = service.addPhoto(idParam(ctx.params.id), actorOf(ctx as Ctx), bytes, b.version);
  });

  r.get('/workorders/:id/photos/:name', create, (ctx) => {
    const id = idParam(ctx.params.id);
    const order = service.get(id);
    const f = order.photos.includes(ctx.params.name) ? photoFile(o.dataDir, id, ctx.params.name) : null;
    if (!f || !fs.existsSync(f.file)) throw new NotFoundError('unknown_photo', `order #${id} has no photo "${ctx.params.name.slice(0, 40)}"`);
    ctx.type = f.mime;
    ctx.set('cache-control', 'private, max-age=86400');
    ctx.body = fs.createReadStream(f.file);
  });

  r.post('/workorders/:id/rating', create, (ctx) => {
    const b = parse(RateBody, ctx.request.body);
    ctx.body = service.rate(idParam(ctx.params.id), actorOf(ctx as Ctx).username, b.score, b.comment);
  });

  r.get('/alarms/:id/workorders', create, (ctx) => {
    ctx.body = store.list({ alarmId: ctx.params.id, limit: 100 });
  });

  r.get('/dispatch/oncall', create, (ctx) => {
    const at = timeParam(ctx.query.at, 'at') ?? service.now();
    ctx.body = service.file.trades.flatMap((t) => t.areas.map((a) => ({ trade: t.id, area: a, ...(service.onCall(t.id, a, at) ?? { people: [] }) })));
  });

  // ---- notifications ----
  r.get('/notify/vapid', create, (ctx) => {
    if (!o.vapidPublicKey) throw new NotFoundError('push_not_configured', 'Web Push is not configured (dispatch.yaml notify.push)');
    ctx.body = { publicKey: o.vapidPublicKey };
  });

  r.post('/notify/subscriptions', create, (ctx) => {
    const b = parse(SubscriptionBody, ctx.request.body);
    o.log.saveSubscription(actorOf(ctx as Ctx).username, { endpoint: b.endpoint, keys: b.keys }, Date.now());
    ctx.status = 201;
    ctx.body = { ok: true };
  });

  r.post('/notify/subscriptions/remove', create, (ctx) => {
    const b = parse(z.strictObject({ endpoint: z.string().min(1).max(2000) }), ctx.request.body);
    ctx.body = { removed: o.log.forgetSubscription(b.endpoint, actorOf(ctx as Ctx).username) };
  });

  r.get('/notify/inbox', create, (ctx) => {
    ctx.body = o.log.inbox(actorOf(ctx as Ctx).username);
  });

  r.get('/notify/deliveries', manage, (ctx) => {
    const m = ctx.query.message;
    ctx.body = o.log.deliveries({ ...(typeof m === 'string' ? { messageId: idParam(m) } : {}), ...(typeof ctx.query.user === 'string' ? { user: ctx.query.user } : {}), limit: 1000 });
  });

  return r;
}
