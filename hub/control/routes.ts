// REST under /api/control: priority arrays, schedules (versioned editor API + preview), lighting,
// energy/water analysis. Every refusal is an HttpError in the hub's one error shape.
import Router from '@koa/router';
import { z } from 'zod';
import type { AuthUser } from '../auth/auth.js';
import { HttpError } from '../api/errors.js';
import type { HubContext } from '../module.js';
import { addDays, dayInfo, parseIsoDate, type HolidayCalendar } from './calendar.js';
import { MANUAL_LEVEL } from './priority.js';
import type { Actor, PriorityService } from './priority-service.js';
import { evaluateAt, scheduleDocProblems } from './schedule.js';
import { scheduleDocSchema, type ScheduleDoc, type ZoneGroup } from './schedule-schema.js';
import type { ScheduleRepo } from './schedule-store.js';
import type { LightingController } from './lighting.js';
import type { ScheduleEngine } from './schedule-engine.js';

export interface ControlRouteDeps {
  hub: HubContext;
  priority: PriorityService;
  schedules: { repo: ScheduleRepo; current(): { version: number; doc: ScheduleDoc; user: string; savedAt: number }; apply(doc: ScheduleDoc): void };
  engine: ScheduleEngine;
  groups: readonly ZoneGroup[];
  calendar: HolidayCalendar;
  lighting: LightingController | null;
  energy: () => Promise<unknown>;
  water: () => unknown;
  now: () => number;
}

export const CommandBody = z.strictObject({
  value: z.union([z.number(), z.boolean(), z.string()]),
  level: z.number().int().optional(),
  expiresInMin: z.number().nullable().optional(),
  note: z.string().max(200).optional(),
});
export const ReleaseBody = z.strictObject({ level: z.number().int() });
export const PutBody = z.strictObject({ doc: scheduleDocSchema, expectedVersion: z.number().int().nonnegative().optional(), comment: z.string().max(500).optional() });
export const PreviewBody = z.strictObject({ doc: scheduleDocSchema.optional(), date: z.string(), stepMin: z.number().int().min(5).max(240).optional() });

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => ({ path: i.path, message: i.message }));
  throw new HttpError(400, 'invalid_body', `${what}: ${problems.map((p) => `${p.path.join('.') || 'body'}: ${p.message}`).join('; ')}`, { problems });
}

const actorOf = (ctx: { state: { user?: AuthUser } }): Actor => ({ user: ctx.state.user!.username, role: ctx.state.user!.role });

export function controlRoutes(d: ControlRouteDeps): Router {
  const r = new Router();
  const need = d.hub.requirePermission;

  r.get('/control/points/*id/priority', need('points:read'), (ctx) => {
    ctx.body = d.priority.view(ctx.params.id);
  });
  r.post('/control/points/*id/command', need('points:write'), async (ctx) => {
    const b = parse(CommandBody, ctx.request.body, 'command body must be {value, level?, expiresInMin?, note?}');
    ctx.body = await d.priority.command({ actor: actorOf(ctx), pointId: ctx.params.id, value: b.value, level: b.level ?? MANUAL_LEVEL, expiresInMin: b.expiresInMin, note: b.note });
  });
  r.post('/control/points/*id/release', need('points:write'), async (ctx) => {
    const b = parse(ReleaseBody, ctx.request.body, 'release body must be {level}');
    ctx.body = await d.priority.release(actorOf(ctx), ctx.params.id, b.level);
  });
  r.get('/control/overrides', need('points:read'), (ctx) => {
    ctx.body = { items: d.priority.activeSlots((l) => l <= 13) };
  });

  r.get('/control/schedules', need('points:read'), (ctx) => {
    ctx.body = { ...d.schedules.current(), groups: d.groups };
  });
  r.get('/control/schedules/versions', need('points:read'), (ctx) => {
    ctx.body = { items: d.schedules.repo.history() };
  });
  r.get('/control/schedules/status', need('points:read'), (ctx) => {
    ctx.body = { items: d.engine.decisions };
  });
  r.put('/control/schedules', need('schedules:edit'), (ctx) => {
    const b = parse(PutBody, ctx.request.body, 'schedule body must be {doc: {schedules: [...]}, expectedVersion?, comment?}');
    const problems = scheduleDocProblems(b.doc, d.groups);
    if (problems.length) throw new HttpError(400, 'invalid_schedule', `schedule refused: ${problems.map((p) => `doc.${p.path.join('.')}: ${p.message}`).join('; ')}`, { problems });
    const user = actorOf(ctx).user;
    const version = d.schedules.repo.save(b.doc, user, d.now(), b.expectedVersion ?? null, b.comment);
    if (version === null) throw new HttpError(409, 'version_conflict', `schedules changed since version ${b.expectedVersion} (now ${d.schedules.current().version}); reload and edit again`);
    d.schedules.apply(b.doc);
    d.hub.audit.record({ user, action: 'schedules.save', target: `version ${version}`, details: { comment: b.comment ?? null, schedules: b.doc.schedules.map((s) => s.id) } });
    ctx.body = { version, user, savedAt: d.now() };
  });
  r.post('/control/schedules/preview', need('schedules:edit'), (ctx) => {
    const b = parse(PreviewBody, ctx.request.body, 'preview body must be {date: "YYYY-MM-DD", doc?, stepMin?}');
    const date = parseIsoDate(b.date);
    if (!date) throw new HttpError(400, 'invalid_date', `date "${b.date}" is not a calendar date YYYY-MM-DD`);
    const doc = b.doc ?? d.schedules.current().doc;
    const problems = scheduleDocProblems(doc, d.groups);
    if (problems.length) throw new HttpError(400, 'invalid_schedule', `schedule refused: ${problems.map((p) => `doc.${p.path.join('.')}: ${p.message}`).join('; ')}`, { problems });
    const groups = new Map(d.groups.map((g) => [g.id, g]));
    const zones = [];
    for (const s of doc.schedules) {
      // Segments where the mode changes, from 00:00 to 24:00 (no optimal start: it depends on live temperatures).
      const segments: Array<{ from: string; to: string; mode: string; setpoint: number; fan: boolean }> = [];
      for (let m = 0; m < 1440; m++) {
        const mode = evaluateAt(s, d.calendar, date, m).mode;
        const last = segments[segments.length - 1];
        if (last && last.mode === mode) continue;
        if (last) last.to = hhmm(m);
        segments.push({ from: hhmm(m), to: '24:00', mode, setpoint: s.modes[mode].setpoint, fan: s.modes[mode].fan });
      }
      const plan = evaluateAt(s, d.calendar, date, 0).plan;
      for (const gid of s.groups) {
        for (const z of groups.get(gid)?.zones ?? []) {
          zones.push({ schedule: s.id, group: gid, zone: z.id, setpointPoint: z.setpoint, day: plan.day, source: plan.source, note: plan.note ?? null,
            segments: segments.map((x) => ({ ...x, setpoint: Math.min(z.limits.max, Math.max(z.limits.min, x.setpoint)) })) });
        }
      }
    }
    ctx.body = { date: b.date, zones };
  });
  r.get('/control/calendar', need('points:read'), (ctx) => {
    const year = Number(ctx.query.year ?? new Date(d.now()).getUTCFullYear());
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new HttpError(400, 'invalid_year', `year ${String(ctx.query.year)} must be 2000..2100`);
    const days = [];
    for (let x = { year, month: 1, day: 1 }; x.year === year; x = addDays(x, 1)) {
      const info = dayInfo(d.calendar, x);
      if (info.type === 'holiday' || info.type === 'makeup-workday') days.push(info);
    }
    ctx.body = { year, days };
  });

  r.get('/control/lighting/zones', need('points:read'), (ctx) => {
    ctx.body = { items: lighting().zoneList() };
  });
  r.get('/control/lighting/faults', need('points:read'), (ctx) => {
    ctx.body = { items: lighting().faults() };
  });
  // The zone's circuit and dimmer are what the authorise step checks (scope by class and area).
  const zoneTargets = (ctx: { params?: Record<string, string> }) => {
    const z = d.lighting?.zoneList().find((x) => x.id === ctx.params?.zone);
    return z ? [z.circuit, ...(z.dim ? [z.dim] : [])] : [];
  };
  r.post('/control/lighting/zones/:zone/set', need('points:write', zoneTargets), async (ctx) => {
    ctx.body = { results: await lighting().set(actorOf(ctx), ctx.params.zone, (ctx.request.body ?? {}) as Record<string, unknown>) };
  });
  r.post('/control/lighting/zones/:zone/reenable', need('points:write', zoneTargets), async (ctx) => {
    ctx.body = await lighting().reenable(actorOf(ctx), ctx.params.zone);
  });
  r.post('/control/lighting/sweep', need('schedules:edit'), async (ctx) => {
    d.hub.audit.record({ user: actorOf(ctx).user, action: 'lighting.sweep-requested', target: 'lighting' });
    ctx.body = await lighting().sweep();
  });

  r.get('/control/energy/summary', need('points:read'), async (ctx) => {
    ctx.body = await d.energy();
  });
  r.get('/control/water/night-flow', need('points:read'), (ctx) => {
    ctx.body = d.water();
  });

  function lighting(): LightingController {
    if (!d.lighting) throw new HttpError(404, 'no_lighting', 'no lighting is configured (config/lighting.yaml)');
    return d.lighting;
  }
  return r;
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
