// REST API of the alarm list, operator actions, journal (JSON or CSV) and KPIs, under /api.
import Router, { type RouterMiddleware } from '@koa/router';
import { z } from 'zod';
import { ALARM_PRIORITIES, ALARM_STATES, JOURNAL_KINDS } from '../../contracts/alarms.js';
import type { Permission } from '../../contracts/auth.js';
import { HttpError } from '../api/errors.js';
import type { AlarmEngine } from './engine.js';
import type { ExternalAlarmLink } from './external-link.js';
import { journalCsv, type AlarmJournal } from './journal.js';
import { parseTimeText } from '../api/params.js';
import { ANNUNCIATING_KINDS, computeKpis } from './kpi.js';
import type { AlarmPush, ForwardedAction } from './push.js';

export interface AlarmRoutesOptions {
  engine: AlarmEngine;
  journal: AlarmJournal;
  /** External alarm systems (OPC UA A&C): their alarms are acknowledged at the source first. */
  external?: ExternalAlarmLink;
  /**
   * Several hubs: the list and summary merged over the hubs that own each alarm, and actions on an
   * alarm another hub owns forwarded there (checked for permission and CSRF here, run and audited there).
   */
  push?: Pick<AlarmPush, 'list' | 'summary' | 'elsewhere' | 'areaElsewhere' | 'forward'>;
  operatorPositions: number;
  requirePermission(p: Permission): RouterMiddleware;
}

const comment = z.string().trim().min(1).max(2000);
const reason = z.string().trim().min(1, 'a reason is required').max(2000);
export const AckBody = z.strictObject({ comment: comment.optional() });
export const AreaAckBody = z.strictObject({ area: z.string().regex(/^[a-z0-9-]+(\/[a-z0-9-]+){0,2}$/, 'must be building[/floor[/room]]'), comment: comment.optional() });
export const ShelveBody = z.strictObject({ durationMin: z.number().positive('must be more than 0'), reason });
export const ReasonBody = z.strictObject({ reason });
export const CommentBody = z.strictObject({ text: comment });
export const OptionalComment = z.strictObject({ comment: comment.optional() });

function parseBody<T>(schema: z.ZodType<T>, body: unknown, hint = ''): T {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  throw new HttpError(400, 'bad_request', `${where}${issue.message}${hint}`, { issues: r.error.issues.map((i) => ({ path: i.path, message: i.message })) });
}

/** A list query parameter: `a,b` or repeated; each value checked against `allowed`. */
function listParam<T extends string>(q: unknown, name: string, allowed: readonly T[]): T[] | undefined {
  if (q === undefined) return undefined;
  const values = (Array.isArray(q) ? q : [q]).flatMap((v) => String(v).split(',')).filter(Boolean);
  for (const v of values) {
    if (!(allowed as readonly string[]).includes(v)) throw new HttpError(400, 'bad_request', `${name}: unknown value "${v}" (one of ${allowed.join(', ')})`);
  }
  return values as T[];
}

/** A time parameter: ms since epoch or an ISO date. */
function timeParam(q: unknown, name: string): number | undefined {
  if (q === undefined || q === '') return undefined;
  // Bounded like every time parameter (hub/api/params.ts): 1970..9999, never a RangeError later.
  const r = parseTimeText(String(q));
  if ('error' in r) throw new HttpError(400, 'bad_request', `${name}: ${r.error}`, { param: name });
  return r.ms;
}

function str(q: unknown): string | undefined {
  return typeof q === 'string' && q !== '' ? q : undefined;
}

export function alarmRoutes(o: AlarmRoutesOptions): Router {
  const { engine, journal, requirePermission } = o;
  const r = new Router();
  const user = (ctx: { state: { user?: { username: string } } }) => ctx.state.user?.username ?? 'unknown';
  const known = (id: string) => {
    if (!engine.def(id)) throw new HttpError(404, 'not_found', `unknown alarm "${id}"`);
    return id;
  };
  const push = o.push;
  /** Runs an action here, or on the hub that owns the alarm. */
  const act = async (id: string, here: () => unknown, there: ForwardedAction) => (push?.elsewhere(id) ? push.forward(there) : here());

  r.get('/alarms', requirePermission('points:read'), async (ctx) => {
    const q = ctx.query;
    const filter = {
      priority: listParam(q.priority, 'priority', ALARM_PRIORITIES),
      state: listParam(q.state, 'state', ALARM_STATES),
      area: str(q.area),
      point: str(q.point),
      all: q.all === '1' || q.all === 'true',
    };
    ctx.body = push ? await push.list(filter) : engine.list(filter);
  });

  r.get('/alarms/summary', requirePermission('points:read'), (ctx) => {
    ctx.body = push ? push.summary() : engine.summary();
  });

  r.get('/alarms/journal', requirePermission('points:read'), (ctx) => {
    const q = ctx.query;
    const limit = q.limit === undefined ? undefined : Number(q.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new HttpError(400, 'bad_request', `limit: must be a positive integer, not "${q.limit}"`);
    const rows = journal.query({
      from: timeParam(q.from, 'from'),
      to: timeParam(q.to, 'to'),
      priority: listParam(q.priority, 'priority', ALARM_PRIORITIES),
      state: listParam(q.state, 'state', ALARM_STATES),
      kind: listParam(q.kind, 'kind', JOURNAL_KINDS),
      area: str(q.area),
      point: str(q.point),
      alarm: str(q.alarm),
      limit,
    });
    if (q.format === 'csv') {
      ctx.type = 'text/csv; charset=utf-8';
      ctx.attachment('alarm-journal.csv');
      ctx.body = journalCsv(rows);
    } else if (q.format === undefined || q.format === 'json') {
      ctx.body = rows;
    } else throw new HttpError(400, 'bad_request', `format: must be json or csv, not "${q.format}"`);
  });

  r.get('/alarms/kpi', requirePermission('points:read'), (ctx) => {
    const to = timeParam(ctx.query.to, 'to') ?? engine.now();
    const from = timeParam(ctx.query.from, 'from') ?? to - 24 * 3600_000;
    if (from >= to) throw new HttpError(400, 'bad_request', 'from must be before to');
    if (to - from > 366 * 24 * 3600_000) throw new HttpError(400, 'bad_request', 'the KPI period may be at most 366 days');
    const rows = journal.query({ from, to, kind: [...ANNUNCIATING_KINDS], ascending: true, limit: 100_000 });
    ctx.body = computeKpis(rows, engine.states(), { from, to, operatorPositions: o.operatorPositions });
  });

  r.post('/alarms/ack', requirePermission('alarms:ack'), async (ctx) => {
    const body = parseBody(AreaAckBody, ctx.request.body);
    if (push?.areaElsewhere(body.area)) {
      ctx.body = { acknowledged: await push.forward({ type: 'ack-area', area: body.area, user: user(ctx), comment: body.comment }) };
      return;
    }
    const acknowledged = engine.ackArea(body.area, user(ctx), body.comment);
    if (o.external) acknowledged.push(...(await o.external.acknowledgeArea(body.area, user(ctx), body.comment)));
    ctx.body = { acknowledged };
  });

  r.get('/alarms/:id', requirePermission('points:read'), async (ctx) => {
    const id = known(ctx.params.id);
    if (!push?.elsewhere(id)) return void (ctx.body = engine.view(id));
    const found = (await push.list({ all: true, point: engine.def(id)!.pointId })).find((v) => v.id === id);
    if (!found) throw new HttpError(503, 'owner_unreachable', `the hub that owns alarm "${id}" did not answer; try again`);
    ctx.body = found;
  });

  r.post('/alarms/:id/ack', requirePermission('alarms:ack'), async (ctx) => {
    const id = known(ctx.params.id);
    const body = parseBody(AckBody, ctx.request.body);
    ctx.body = o.external?.owns(id)
      ? await o.external.acknowledge(id, user(ctx), body.comment)
      : await act(id, () => engine.ack(id, user(ctx), body.comment), { type: 'ack', id, user: user(ctx), comment: body.comment });
  });

  r.post('/alarms/:id/comments', requirePermission('alarms:ack'), async (ctx) => {
    const id = known(ctx.params.id);
    const body = parseBody(CommentBody, ctx.request.body);
    ctx.body = await act(id, () => engine.comment(id, user(ctx), body.text), { type: 'comment', id, user: user(ctx), text: body.text });
    ctx.status = 201;
  });

  r.post('/alarms/:id/shelve', requirePermission('alarms:shelve'), async (ctx) => {
    const id = known(ctx.params.id);
    const maxMin = engine.def(id)!.maxShelveMs / 60_000;
    const body = parseBody(ShelveBody, ctx.request.body, ` (shelve ${id} for at most ${maxMin} min)`);
    const durationMs = Math.round(body.durationMin * 60_000);
    ctx.body = await act(id, () => engine.shelve(id, user(ctx), durationMs, body.reason), { type: 'shelve', id, user: user(ctx), durationMs, reason: body.reason });
  });

  r.post('/alarms/:id/unshelve', requirePermission('alarms:shelve'), async (ctx) => {
    const id = known(ctx.params.id);
    const { comment } = parseBody(OptionalComment, ctx.request.body);
    ctx.body = await act(id, () => engine.unshelve(id, user(ctx), comment), { type: 'unshelve', id, user: user(ctx), comment });
  });

  r.post('/alarms/:id/out-of-service', requirePermission('alarms:shelve'), async (ctx) => {
    const id = known(ctx.params.id);
    const { reason } = parseBody(ReasonBody, ctx.request.body);
    ctx.body = await act(id, () => engine.outOfService(id, user(ctx), reason), { type: 'out-of-service', id, user: user(ctx), reason });
  });

  r.post('/alarms/:id/return-to-service', requirePermission('alarms:shelve'), async (ctx) => {
    const id = known(ctx.params.id);
    const { comment } = parseBody(OptionalComment, ctx.request.body);
    ctx.body = await act(id, () => engine.returnToService(id, user(ctx), comment), { type: 'return-to-service', id, user: user(ctx), comment });
  });

  return r;
}
