// The alarm-rule editor as a hub module, under /api/alarm-rules (permission alarms:rules):
//   GET  /alarm-rules                 the rules as written in config/alarms.yaml, with defaults and time windows
//   POST /alarm-rules                 create a rule            PUT /alarm-rules/:id   change it
//   POST /alarm-rules/:id/disable     {disabled: boolean}      GET /alarm-rules/versions  who changed what, when
//   POST /alarm-rules/backtest        {rule, days?, points?, chatter?}: when would it have fired?
// Edits are written back to the YAML, versioned, audited and applied by the live reload.
import fs from 'node:fs';
import path from 'node:path';
import Router, { type RouterMiddleware } from '@koa/router';
import YAML from 'yaml';
import { z } from 'zod';
import type { PointInfo } from '../../contracts/point.js';
import { HttpError } from '../api/errors.js';
import type { HistoryStore } from '../history/store.js';
import type { HubContext, HubModule } from '../module.js';
import { backtest, DEFAULT_CHATTER } from './backtest.js';
import { loadBacktestHistory } from './backtest-history.js';
import { editRulesText, parseRule, RuleEditError, RuleVersions, writeAtomic, ALARMS_FILE, type RuleEdit } from './rule-edit.js';
import { checkAlarmRules, compileRules } from './rules.js';
import { alarmsFileSchema } from './schema.js';

export interface RuleEditorOptions {
  /** The running history store (null before start): backtests read it. */
  history(): HistoryStore | null;
  now?: () => number;
}

const MAX_BACKTEST_DAYS = 31;
export const backtestBody = z.strictObject({
  rule: z.unknown(),
  days: z.number().positive().max(MAX_BACKTEST_DAYS, `must be at most ${MAX_BACKTEST_DAYS}`).default(7),
  /** Replay the same rule on these points instead of its own (e.g. every archive room's humidity). */
  points: z.array(z.string()).min(1).max(50).optional(),
  chatter: z.strictObject({ count: z.number().int().min(2).max(100), windowMs: z.number().int().min(1000).max(3_600_000) }).optional(),
});
export const disableBody = z.strictObject({ disabled: z.boolean() });

function bodyError(what: string, err: z.ZodError): HttpError {
  return new HttpError(400, 'bad_request', `${what}: ${err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
}

function refusal(err: RuleEditError): HttpError {
  const status = err.code === 'unknown_rule' ? 404 : err.code === 'duplicate_rule' ? 409 : 400;
  return new HttpError(status, err.code, err.problems.join('\n'), { problems: err.problems });
}

export function createRuleEditorModule(o: RuleEditorOptions): HubModule {
  let hub: HubContext | undefined;
  let versions: RuleVersions | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const now = o.now ?? Date.now;

  const ctxOf = () => {
    if (!hub || !versions) throw new HttpError(503, 'not_started', 'the alarm-rule editor is not started');
    return { hub, versions };
  };
  const fileOf = (h: HubContext) => path.join(h.config.dir, ALARMS_FILE);
  const readText = (h: HubContext) => (fs.existsSync(fileOf(h)) ? fs.readFileSync(fileOf(h), 'utf8') : '');
  const pointsOf = (h: HubContext) => new Map<string, PointInfo>(h.config.points.map((p) => [p.info.id, p.info]));

  /** One edit at a time: read → validate → keep the old version → write → reload (→ restore if refused). */
  const edit = (user: string, e: RuleEdit) => {
    const run = queue.then(async () => {
      const { hub: h, versions: v } = ctxOf();
      if (!h.reload) throw new HttpError(503, 'reload_unavailable', 'this hub cannot apply config changes live');
      const before = readText(h);
      let next: { text: string; ruleId: string };
      try {
        next = editRulesText(before, e, pointsOf(h));
      } catch (err) {
        if (err instanceof RuleEditError) throw refusal(err);
        throw err;
      }
      const version = v.keep(before, { ts: now(), user, action: e.op, ruleId: next.ruleId });
      writeAtomic(fileOf(h), next.text);
      const r = await h.reload(user, 'rule-edit');
      if (!r.ok) {
        // Something else in the folder is refused: put the file back, so disk and hub agree.
        writeAtomic(fileOf(h), before);
        throw new HttpError(422, 'config_refused', `the rule is valid, but the config folder is refused, nothing changed:\n${r.problems.join('\n')}`, { problems: r.problems });
      }
      h.audit.record({ user, action: `alarm_rule.${e.op}`, target: next.ruleId, details: { version: version.version, reload: r.summary, ...(e.op === 'disable' ? { disabled: e.disabled } : {}) } });
      return { ruleId: next.ruleId, previousVersion: version.version, reload: { summary: r.summary, version: r.version } };
    });
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    name: 'alarm-rules',
    async start(ctx) {
      hub = ctx;
      versions = new RuleVersions(ctx.dataDir);
    },
    routes() {
      const r = new Router();
      const perm: RouterMiddleware = (ctx, next) => ctxOf().hub.requirePermission('alarms:rules')(ctx, next);
      const user = (ctx: { state: { user?: { username: string } } }) => ctx.state.user!.username;

      r.get('/alarm-rules', perm, (ctx) => {
        const { hub: h } = ctxOf();
        const parsed = alarmsFileSchema.safeParse(YAML.parse(readText(h)) ?? {});
        if (!parsed.success) throw new HttpError(409, 'alarms_file_invalid', `${ALARMS_FILE} does not validate; fix it on disk first`);
        const raw = (YAML.parse(readText(h)) ?? {}) as { rules?: unknown[] };
        ctx.body = { rules: raw.rules ?? [], defaults: parsed.data.defaults, timeWindows: parsed.data.timeWindows };
      });
      r.get('/alarm-rules/versions', perm, (ctx) => {
        ctx.body = { versions: ctxOf().versions.list().reverse() };
      });
      r.post('/alarm-rules', perm, async (ctx) => {
        ctx.body = await edit(user(ctx), { op: 'create', rule: (ctx.request as { body?: unknown }).body });
        ctx.status = 201;
      });
      r.put('/alarm-rules/:id', perm, async (ctx) => {
        ctx.body = await edit(user(ctx), { op: 'update', id: ctx.params.id, rule: (ctx.request as { body?: unknown }).body });
      });
      r.post('/alarm-rules/:id/disable', perm, async (ctx) => {
        const b = disableBody.safeParse((ctx.request as { body?: unknown }).body);
        if (!b.success) throw bodyError('disable body must be {"disabled": boolean}', b.error);
        ctx.body = await edit(user(ctx), { op: 'disable', id: ctx.params.id, disabled: b.data.disabled });
      });
      r.post('/alarm-rules/backtest', perm, async (ctx) => {
        const { hub: h } = ctxOf();
        const b = backtestBody.safeParse((ctx.request as { body?: unknown }).body);
        if (!b.success) throw bodyError('backtest body must be {"rule": {...}, "days"?: number, "points"?: string[], "chatter"?: {count, windowMs}}', b.error);
        let rule;
        try {
          rule = parseRule(b.data.rule, 'rule');
        } catch (err) {
          if (err instanceof RuleEditError) throw refusal(err);
          throw err;
        }
        const file = alarmsFileSchema.parse(YAML.parse(readText(h)) ?? {});
        const rules = (b.data.points ?? [rule.point]).map((p, i) => ({ ...rule, id: b.data.points ? `${rule.id}-${i + 1}` : rule.id, point: p, disabled: false }));
        const candidate = { ...file, rules };
        const points = pointsOf(h);
        const issues = checkAlarmRules(candidate, points);
        if (issues.length) throw new HttpError(400, 'invalid_rule', issues.map((i) => `rule${b.data.points ? ` on ${String(rules[Number(i.path[1])]?.point)}` : ''}: ${i.path.slice(2).join('.')}: ${i.message}`).join('\n'));
        const store = o.history();
        if (!store) throw new HttpError(503, 'history_unavailable', 'history is not running: nothing to replay');
        const t0 = performance.now();
        const to = now();
        const from = to - b.data.days * 86_400_000;
        const defs = compileRules(candidate, points).defs;
        const loaded = await loadBacktestHistory(store, defs, (id) => points.get(id), from, to);
        const result = backtest(defs, (def) => loaded.byDef.get(def.id)!, {
          from, to, timezone: h.config.site.timezone, timeWindows: file.timeWindows, chatter: b.data.chatter ?? DEFAULT_CHATTER,
        });
        ctx.body = { ...result, resolution: loaded.resolution, stepMs: loaded.stepMs, rows: loaded.rows, ms: Math.round(performance.now() - t0) };
      });
      return r;
    },
  };
}
