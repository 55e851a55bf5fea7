// Test runs as a hub module: scenarios and fault injection against the running simulators, and
// point-to-point checkout. Off unless config/testruns.yaml says `enabled: true`; a fault on a
// connection that is not simulated is refused unless that connection is allowed by name. Every
// action is audited with `test: true`, and the points it drives are marked so the alarms they
// raise carry a test tag (hub/testruns/marks.ts).
import path from 'node:path';
import Router from '@koa/router';
import { z } from 'zod';
import { paRecordEntryOf, type PaRecordView } from '../../contracts/pa.js';
import type { PointValue } from '../../contracts/point.js';
import { FAULT_KINDS, type FaultView, type TestrunsStatus } from '../../contracts/testruns.js';
import type { AlarmEngine } from '../alarms/engine.js';
import type { AuthUser } from '../auth/auth.js';
import { sectionOf } from '../config/section-key.js';
import { ConflictError, ForbiddenError, InvalidError } from '../errors.js';
import type { HubContext, HubModule } from '../module.js';
import type { AlarmCheckDeps } from './alarm-check.js';
import { Checkout, type CheckoutWriter } from './checkout.js';
import { TestMarks } from './marks.js';
import { testrunsFileSchema, TESTRUNS_SECTION, type TestrunsFile } from './schema.js';
import { simClient, tokenFromFile, type SimClient } from './sim-client.js';
import { assertDrivable, connectionRefusal, resolveFault } from './targets.js';

export { testrunsFileSchema, checkTestruns, TESTRUNS_SECTION } from './schema.js';

/** What checkout needs of the control module: commands at a priority level, and their release. */
export interface PriorityLike {
  command(input: { actor: { user: string; role: string }; pointId: string; value: PointValue; level: number; note?: string }): Promise<{ confirmed: boolean | null; readBack: PointValue; detail?: string }>;
  release(actor: { user: string; role: string }, pointId: string, level: number, reason?: string): Promise<{ readBack: PointValue }>;
}

export interface TestrunsModuleOptions {
  /** Parsed file; default: testruns.yaml as the loader validated it (missing = disabled). */
  file?: TestrunsFile;
  /** The control channel (tests); default: testruns.yaml control.url with the token file. */
  sim?: SimClient;
  /** The priority array (control module); without it checkout writes and writes the original back. */
  priority?: () => PriorityLike | undefined;
  /** The alarm engine (alarms module): checkout with `alarms: true` trips and clears alarms. */
  alarms?: () => AlarmEngine | undefined;
}

export interface TestrunsModule extends HubModule {
  checkout(): Checkout | undefined;
}

const FaultBody = z.strictObject({
  kind: z.enum(FAULT_KINDS),
  point: z.string().min(1).max(300).optional(),
  connection: z.string().min(1).max(100).optional(),
  camera: z.string().min(1).max(100).optional(),
  value: z.union([z.number(), z.boolean()]).optional(),
  to: z.number().optional(),
  rampS: z.number().positive().max(86_400).optional(),
  amplitude: z.number().positive().optional(),
  periodS: z.number().min(0.2).max(3600).optional(),
  durationS: z.number().positive().max(7 * 86_400).optional(),
  tag: z.string().trim().min(1).max(100).optional(),
});
const ScenarioBody = z.strictObject({ timeScale: z.number().positive().max(1000).optional(), tag: z.string().trim().min(1).max(100).optional() });
const CheckoutBody = z.strictObject({
  area: z.string().regex(/^[a-z0-9-]+(\/[a-z0-9-]+)?$/, 'must be building[/floor]').optional(),
  confirmed: z.array(z.string().max(300)).max(1000).optional(),
  alarms: z.boolean().optional(),
  alarmMaxDelayS: z.number().min(0).max(600).optional(),
});
const SignOffBody = z.strictObject({ note: z.string().trim().max(2000).optional() });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  throw new InvalidError('bad_request', r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
}

const userOf = (ctx: { state: { user?: AuthUser } }) => ctx.state.user!;

export function createTestrunsModule(opts: TestrunsModuleOptions = {}): TestrunsModule {
  let hub: HubContext | undefined;
  let file: TestrunsFile = testrunsFileSchema.parse({});
  let sim: SimClient | undefined;
  let marks: TestMarks = new TestMarks();
  let checkout: Checkout | undefined;
  /** Faults injected through this hub: sim fault id → who, which tag, which points. */
  const ours = new Map<string, { by: string; tag: string; target: string; pointIds: string[] }>();

  const enabled = () => file.enabled;
  const requireEnabled = () => {
    if (!enabled()) throw new ForbiddenError('testruns_disabled', 'test runs are disabled on this site (config/testruns.yaml enabled: false or missing)');
    return sim!;
  };
  const audit = (user: string, action: string, target: string, details: Record<string, unknown>) => hub!.audit.record({ user, action, target, details: { test: true, ...details } });

  const simulatedSet = async (s: SimClient) => {
    const st = await s.status();
    const ids = new Set(st.connections);
    return { st, simulated: hub!.config.connections.filter((c) => connectionRefusal(c, ids, []) === null).map((c) => c.id), ids };
  };

  /** Unmarks points of faults that ended by themselves (durationS) and of finished scenarios. */
  const reconcile = (st: Awaited<ReturnType<SimClient['status']>>) => {
    const live = new Set(st.faults.map((f) => f.id));
    for (const [id, f] of ours) if (!live.has(id)) {
      marks.unmark(f.pointIds);
      ours.delete(id);
    }
    if (!st.runs.some((r) => r.state === 'running')) marks.unmarkAll();
  };

  const status = async (): Promise<TestrunsStatus> => {
    const base = { simulated: [], allowed: file.allowConnections, scenarios: [], runs: [], faults: [] };
    if (!enabled()) return { enabled: false, reason: 'disabled in config/testruns.yaml', ...base };
    try {
      const { st, simulated } = await simulatedSet(sim!);
      reconcile(st);
      const faults: FaultView[] = st.faults.map((f) => {
        const o = ours.get(f.id);
        return { id: f.id, kind: f.spec.kind as FaultView['kind'], target: o?.target ?? JSON.stringify(f.spec.target), tag: o?.tag ?? f.spec.tag ?? '', by: o?.by ?? 'simulators', startedAt: f.startedAt, until: f.until, state: f.state, ...(f.error ? { error: f.error } : {}) };
      });
      return { enabled: true, simulated, allowed: file.allowConnections, scenarios: st.scenarios, runs: st.runs, faults };
    } catch (err) {
      return { enabled: true, reason: (err as Error).message, ...base };
    }
  };

  /** Injects a fault as `user`; `allowed`: real connections that may be driven anyway. */
  const injectFault = async (user: string, b: z.infer<typeof FaultBody>, allowed: readonly string[]): Promise<FaultView> => {
    const s = requireEnabled();
    const resolved = resolveFault(b, hub!.config);
    const { ids } = await simulatedSet(s);
    assertDrivable(resolved, hub!.config, ids, allowed);
    const tag = b.tag ?? 'manual';
    const { kind, value, to, rampS, amplitude, periodS, durationS } = b;
    const spec = Object.fromEntries(Object.entries({ kind, target: resolved.target, value, to, rampS, amplitude, periodS, durationS, tag }).filter(([, v]) => v !== undefined));
    // Mark first: the alarm may fire before the channel even answers.
    marks.mark(resolved.pointIds, tag);
    let fault;
    try {
      fault = await s.inject(spec);
    } catch (err) {
      marks.unmark(resolved.pointIds);
      audit(user, 'testrun.fault.refused', resolved.label, { kind, tag, error: (err as Error).message });
      throw err;
    }
    ours.set(fault.id, { by: user, tag, target: resolved.label, pointIds: resolved.pointIds });
    audit(user, 'testrun.fault.inject', resolved.label, { kind, tag, fault: fault.id, spec });
    return { id: fault.id, kind, target: resolved.label, tag, by: user, startedAt: fault.startedAt, until: fault.until, state: fault.state };
  };

  const clearFault = async (user: string, id: string) => {
    const f = await requireEnabled().clear(id);
    const o = ours.get(id);
    if (o) marks.unmark(o.pointIds);
    ours.delete(id);
    audit(user, 'testrun.fault.clear', o?.target ?? id, { fault: f.id, kind: f.spec.kind });
    return f;
  };

  /** What alarm checks drive: step faults on simulated connections only (allowConnections is not honoured here). */
  const alarmDeps = (engine: () => AlarmEngine | undefined): AlarmCheckDeps => ({
    defs: () => (engine()?.list({ all: true }) ?? []).flatMap((v) => engine()?.def(v.id) ?? []),
    view: (id) => engine()?.view(id),
    ack: (id, user, comment) => void engine()?.ack(id, user, comment),
    refusal: async (pointId) => {
      try {
        const resolved = resolveFault({ kind: 'step', point: pointId, value: 0 }, hub!.config);
        assertDrivable(resolved, hub!.config, (await simulatedSet(requireEnabled())).ids, []);
        return null;
      } catch (err) {
        return `not driven: ${(err as Error).message}`;
      }
    },
    inject: async (pointId, value, tag, user) => (await injectFault(user, { kind: 'step', point: pointId, value, tag }, [])).id,
    clear: async (id, user) => void (await clearFault(user, id)),
  });

  const writerFor = (user: string, role: string): CheckoutWriter => {
    const actor = { user, role };
    const pr = opts.priority?.();
    if (pr) {
      return {
        write: (pointId, value) => pr.command({ actor, pointId, value, level: 8, note: 'checkout (test)' }),
        restore: (pointId) => pr.release(actor, pointId, 8, 'checkout restore'),
        hold: (pointId, original) => pr.command({ actor, pointId, value: original, level: 8, note: 'checkout restore (no commanded value to fall back to)' }),
      };
    }
    return {
      write: (pointId, value) => hub!.commands!.write(user, pointId, value),
      restore: (pointId, original) => hub!.commands!.write(user, pointId, original),
    };
  };

  const module: TestrunsModule = {
    name: 'testruns',
    after: ['control', 'alarms'],
    checkout: () => checkout,
    async start(h) {
      hub = h;
      file = opts.file ?? sectionOf(h.config.sections, TESTRUNS_SECTION) ?? testrunsFileSchema.parse({});
      marks = h.registries.testMarks ?? marks;
      sim = opts.sim ?? simClient(file.control.url, tokenFromFile(path.resolve(file.control.tokenFile)));
      checkout = new Checkout({
        points: () => h.config.points.map((p) => p.info),
        state: (id) => h.store.get(id),
        writer: writerFor,
        safetyPatterns: file.checkout.safety,
        audit: (action, target, details) => h.audit.record({ user: 'checkout', action, target, details }),
        waitMs: file.checkout.readBackS * 1000,
        ...(opts.alarms ? { alarms: alarmDeps(opts.alarms) } : {}),
      });
      h.log.info({ enabled: file.enabled, control: file.control.url }, file.enabled ? 'test runs enabled (scenarios, faults, checkout)' : 'test runs disabled');
    },
    async stop() {
      await checkout?.stop();
      // Leave no fault behind that this hub injected (a gateway kept down, a value pinned).
      if (enabled() && sim) for (const id of ours.keys()) await sim.clear(id).catch(() => {});
      ours.clear();
    },
    routes() {
      const r = new Router();
      const need = hub!.requirePermission('testruns:run');
      r.get('/testruns/status', need, async (ctx) => {
        ctx.body = await status();
      });
      r.post('/testruns/scenarios/:name/start', need, async (ctx) => {
        const s = requireEnabled();
        const b = parse(ScenarioBody, ctx.request.body);
        const user = userOf(ctx).username;
        const { simulated } = await simulatedSet(s);
        if (simulated.length === 0) throw new ForbiddenError('not_simulated', 'no connection of this site is served by the simulators on loopback');
        const tag = b.tag ?? `scenario ${ctx.params.name}`;
        const run = await s.startScenario(ctx.params.name, { timeScale: b.timeScale, tag });
        marks.markAll(tag);
        audit(user, 'testrun.scenario.start', ctx.params.name, { tag, run: run.id, timeScale: b.timeScale ?? 1 });
        ctx.body = run;
      });
      r.post('/testruns/runs/:id/stop', need, async (ctx) => {
        const s = requireEnabled();
        const run = await s.stopRun(ctx.params.id);
        audit(userOf(ctx).username, 'testrun.scenario.stop', run.scenario, { run: run.id });
        ctx.body = run;
      });
      r.post('/testruns/faults', need, async (ctx) => {
        requireEnabled();
        ctx.body = await injectFault(userOf(ctx).username, parse(FaultBody, ctx.request.body), file.allowConnections);
      });
      r.post('/testruns/faults/:id/clear', need, async (ctx) => {
        const f = await clearFault(userOf(ctx).username, ctx.params.id);
        ctx.body = { id: f.id, state: 'cleared' };
      });
      r.post('/testruns/stop-all', need, async (ctx) => {
        const s = requireEnabled();
        const st = await s.status();
        for (const run of st.runs.filter((x) => x.state === 'running')) await s.stopRun(run.id);
        const out = await s.clearAll();
        for (const o of ours.values()) marks.unmark(o.pointIds);
        ours.clear();
        marks.unmarkAll();
        audit(userOf(ctx).username, 'testrun.stop_all', 'simulators', { faults: out.cleared });
        ctx.body = out;
      });
      // What the PA amplifiers (simulated) received: read through the control channel the hub is
      // configured with, never from the simulators' files. A read: not audited.
      r.get('/testruns/pa-record', need, async (ctx) => {
        const out = await requireEnabled().paRecord(50);
        ctx.body = { items: out.items.map(paRecordEntryOf).filter((e) => e !== null) } satisfies PaRecordView;
      });
      r.get('/testruns/checkout', need, (ctx) => {
        ctx.body = checkout!.view(ctx.query.items === '1');
      });
      r.post('/testruns/checkout/start', need, (ctx) => {
        if (!enabled()) throw new ForbiddenError('testruns_disabled', 'checkout is disabled on this site (config/testruns.yaml)');
        const b = parse(CheckoutBody, ctx.request.body);
        const u = userOf(ctx);
        try {
          ctx.body = checkout!.start({ username: u.username, role: u.role }, b);
        } catch (err) {
          throw new ConflictError('checkout_running', (err as Error).message);
        }
      });
      r.post('/testruns/checkout/stop', need, async (ctx) => {
        ctx.body = await checkout!.stop();
      });
      r.post('/testruns/checkout/sign-off', need, (ctx) => {
        const b = parse(SignOffBody, ctx.request.body);
        try {
          ctx.body = checkout!.signOff(userOf(ctx).username, b.note);
        } catch (err) {
          throw new ConflictError('checkout_not_done', (err as Error).message);
        }
      });
      return r;
    },
  };
  return module;
}
