// The alarm subsystem as a hub module: rules from config/alarms.yaml, evaluation on every
// ingested change, timers on a tick, journal in <dataDir>/alarms/journal.db, REST under /api,
// live push to the `alarms` Socket.IO room.
import path from 'node:path';
import type Router from '@koa/router';
import type { PointInfo } from '../../contracts/point.js';
import type { HubContext, HubModule } from '../module.js';
import { ActionRunner, type ActionHandler } from './actions.js';
import { AlarmEngine } from './engine.js';
import { AlarmJournal } from './journal.js';
import { linkExternalAlarms, type ExternalAlarmLink } from './external-link.js';
import { AlarmPush, DEFAULT_PUSH_WINDOW_MS } from './push.js';
import { alarmRoutes } from './routes.js';
import { alarmRulesOf, type CompiledAlarms } from './rules.js';
import type { AlarmAction } from './schema.js';

export { alarmsFileSchema } from './schema.js';
export type { AlarmsFile, AlarmRule, AlarmAction, Condition } from './schema.js';
export { alarmRulesOf, checkAlarmRules, compileRules, loadAlarmRules, areaOfPoint, ALARMS_SECTION } from './rules.js';
export type { AlarmDef, CompiledAlarms, RuleIssue } from './rules.js';
export { ConditionRegistry } from './conditions.js';
export { AlarmEngine, AlarmActionError } from './engine.js';
export { AlarmJournal, journalCsv } from './journal.js';
export { computeKpis } from './kpi.js';
export { step, initialState, displayState } from './machine.js';

export interface AlarmsModuleOptions {
  /** Rules already compiled; default: alarms.yaml as the config loader validated it (config.sections). */
  compiled?: CompiledAlarms;
  /** Clock for every timer and journal timestamp (tests). */
  now?: () => number;
  /** How often timers advance (ms); default 1000. 0 = never (tests call tick()). */
  tickMs?: number;
  /** Live push batching window (ms); default 50. */
  pushWindowMs?: number;
}

export interface AlarmsModule extends HubModule {
  /** Available after start(). */
  readonly engine: AlarmEngine | undefined;
  /** The alarm journal (read-only use: KPIs and reports), available after start(). */
  readonly journal: AlarmJournal | undefined;
  /** Operator positions the KPIs divide by (alarms.yaml). */
  readonly operatorPositions: number;
  /** Registers the handler of an action type (camera snapshot, broadcast). */
  registerAction<T extends AlarmAction['type']>(type: T, handler: ActionHandler<Extract<AlarmAction, { type: T }>>): void;
  /** Advances timers now and flushes the live push (tests). */
  tick(): void;
}

export const ALARMS_DIR = 'alarms';

export function createAlarmsModule(opts: AlarmsModuleOptions = {}): AlarmsModule {
  let engine: AlarmEngine | undefined;
  let journal: AlarmJournal | undefined;
  let push: AlarmPush | undefined;
  let hubCtx: HubContext | undefined;
  let compiled: CompiledAlarms | undefined;
  let timer: NodeJS.Timeout | undefined;
  let offBus: (() => void) | undefined;
  let lastError: string | undefined;
  let runner: ActionRunner | undefined;
  let external: ExternalAlarmLink | undefined;
  const pendingActions: Array<[string, ActionHandler<any>]> = [];

  const module: AlarmsModule = {
    name: 'alarms',
    // Schedule conditions come from the control module: when it runs, it starts first so the
    // first evaluation already sees them. Camera and broadcast actions need their modules running.
    after: ['control', 'video', 'broadcast'],
    get engine() {
      return engine;
    },
    get journal() {
      return journal;
    },
    get operatorPositions() {
      return compiled?.operatorPositions ?? 1;
    },
    registerAction(type, handler) {
      if (pendingActions.some(([t]) => t === type)) throw new Error(`an alarm action handler for "${type}" is already registered`);
      pendingActions.push([type, handler]);
      runner?.register(type, handler);
    },
    tick() {
      engine?.tick();
      push?.flush();
    },
    reload(next, diff) {
      // Rules are recompiled when they or the points they name changed (a unit, a removed point).
      const touched = diff.alarmRules.added.length + diff.alarmRules.removed.length + diff.alarmRules.changed.length > 0 ||
        diff.alarmRules.settingsChanged || diff.points.changed.length + diff.points.removed.length + diff.points.added.length > 0;
      if (!engine || !touched || opts.compiled) return;
      const points = new Map<string, PointInfo>(next.points.map((p) => [p.info.id, p.info]));
      compiled = alarmRulesOf(next, points);
      const r = engine.replaceDefs(compiled);
      push?.flush();
      hubCtx?.log.info({ alarms: engine.size, added: r.added.length, removed: r.removed.length }, 'alarm rules reloaded');
    },
    async start(hub) {
      hubCtx = hub;
      const log = hub.log;
      const points = new Map<string, PointInfo>(hub.config.points.map((p) => [p.info.id, p.info]));
      compiled = opts.compiled ?? alarmRulesOf(hub.config, points);
      journal = new AlarmJournal(path.join(hub.dataDir, ALARMS_DIR));
      runner = new ActionRunner(log);
      for (const [t, h] of pendingActions) runner.register(t as AlarmAction['type'], h);
      let pushRef: AlarmPush | undefined;
      engine = new AlarmEngine({
        compiled, journal, point: (id) => hub.store.get(id), timezone: hub.config.site.timezone,
        now: opts.now, log, audit: hub.audit, actions: runner, conditions: hub.registries.conditions,
        onEscalate: (view, ms) => pushRef?.escalate(view, ms),
        testTag: (pointId) => hub.registries.testMarks?.tagOf(pointId),
        // Several hubs: only the hub that owns an alarm's building journals it and hands its state on.
        ...(hub.alarmCluster ? { owned: (def: { pointId: string }) => hub.alarmCluster!.scope(def.pointId) !== 'none', onJournal: (b: Parameters<NonNullable<typeof hub.alarmCluster>['saveStates']>[0]) => hub.alarmCluster!.saveStates(b) } : {}),
      });
      push = pushRef = new AlarmPush(hub.io, engine, opts.pushWindowMs ?? DEFAULT_PUSH_WINDOW_MS, hub.log, hub.alarmCluster);
      push.start();
      engine.evaluateAll();
      if (hub.externalConditions) external = linkExternalAlarms(engine, hub.externalConditions, log, hub.audit);
      offBus = hub.bus.subscribe(function alarms({ changed }) {
        engine!.onChanged(changed);
      });
      const tickMs = opts.tickMs ?? 1000;
      if (tickMs > 0) {
        timer = setInterval(() => {
          try {
            engine!.tick();
            if (lastError) log.info({}, 'alarm timers recovered');
            lastError = undefined;
          } catch (err) {
            const msg = err instanceof Error ? err.message : String(err);
            if (msg !== lastError) log.error({ err }, 'alarm tick failed');
            lastError = msg;
          }
        }, tickMs);
        timer.unref();
      }
      hub.health.register('alarms', () => ({
        ok: lastError === undefined,
        rules: engine!.size,
        journalLastSeq: journal!.lastSeq(),
        // Counts for /metrics (watchfloor_alarms*): unacknowledged by priority, active, shelved…
        ...(({ unacked, active, shelved, suppressed, outOfService }) => ({ unacked, active, shelved, suppressed, outOfService }))(engine!.summary()),
        ...(lastError ? { error: lastError } : {}),
      }));
      log.info({ alarms: engine.size, journal: path.join(hub.dataDir, ALARMS_DIR) }, 'alarms started');
    },
    routes(): Router {
      if (!engine || !journal || !compiled || !hubCtx) throw new Error('alarms module: routes() called before start()');
      return alarmRoutes({ engine, journal, external, push, operatorPositions: compiled.operatorPositions, requirePermission: hubCtx.requirePermission });
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      offBus?.();
      external?.stop();
      push?.flush();
      push?.stop();
      journal?.close();
    },
  };
  return module;
}
