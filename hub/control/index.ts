// The control module: priority array, HVAC schedules, lighting, energy/water analysis.
// At start it attaches the priority array as the `priority` stage of the hub's command pipeline
// (hub/commands.ts) and registers the `schedule` alarm condition in the hub's condition registry.
import { totalOfDeltas } from './energy-total.js';
import type { PointInfo, PointValue } from '../../contracts/point.js';
import type { CommandService } from '../commands.js';
import type { HistoryStore } from '../history/store.js';
import { localParts, zonedToUtc } from '../../contracts/timezone.js';
import { energyMeterIds } from '../../contracts/energy.js';
import type { HubContext, HubModule } from '../module.js';
import { buildCalendar, type HolidayCalendar } from './calendar.js';
import { controlConfigOf } from './config.js';
import { openControlDb, PriorityRepo, type ControlDb } from './db.js';
import { compare, DEFAULT_NIGHT_FLOW, RuntimeTracker, scheduleSavings, type NightFlowOptions } from './energy.js';
import { LightingController, type LampFaultEvent } from './lighting.js';
import type { LightingFile } from './lighting-schema.js';
import { PriorityService } from './priority-service.js';
import { Reasserter, type ReassertOptions } from './reassert.js';
import { controlRoutes } from './routes.js';
import { ScheduleEngine } from './schedule-engine.js';
import { schedulesFileSchema, type ScheduleDoc, type SchedulesFile } from './schedule-schema.js';
import { ScheduleRepo } from './schedule-store.js';
import { isWaterFlowMeter, WaterWatch, type LeakEvent } from './water.js';
import type { DerivedSignalRegistry } from '../../drivers/derived/signals.js';
import { publishDerivedSignals } from './derived.js';
import { scheduleConditionEvaluator } from './schedule-condition.js';

export { checkSchedules, checkLighting, loadControlConfig, ControlConfigError, schedulesFileSchema, lightingFileSchema } from './config.js';
export type { LampFaultEvent } from './lighting.js';
export type { LeakEvent } from './water.js';
export { PriorityService } from './priority-service.js';

export interface ControlModuleOptions {
  /** Parsed files; default: schedules.yaml and lighting.yaml as the config loader validated them (missing = feature off). */
  schedules?: SchedulesFile;
  lighting?: LightingFile | null;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** false: no timers; call tick() yourself (tests with a fake clock). Default true. */
  timers?: boolean;
  /** Expiry / lighting / water timer (ms); default 1000. The schedule engine uses schedules.yaml engine.tickMs. */
  tickMs?: number;
  /** The history store, for energy comparisons (lead: `() => historyModule.store()`). */
  history?: () => HistoryStore | null;
  nightFlow?: Partial<Omit<NightFlowOptions, 'timezone'>>;
  /** Where lamp faults and night-flow verdicts are published as derived signals; default the hub's registry. */
  signals?: DerivedSignalRegistry;
  /** Re-asserting commands after a device reboot or a hub restart (defaults: once a minute per point, 5 failures). */
  reassert?: Pick<ReassertOptions, 'minIntervalMs' | 'maxFailures'>;
}

export interface ControlModule extends HubModule {
  /** Attaches the priority array as the pipeline's `priority` stage: plain writes become level-8 overrides. Once per service. */
  wrapCommands(commands: CommandService): void;
  priority(): PriorityService;
  reasserter(): Reasserter;
  engine(): ScheduleEngine;
  lighting(): LightingController | null;
  water(): WaterWatch;
  onLampFault(listener: (e: LampFaultEvent) => void): () => void;
  onLeakSuspected(listener: (e: LeakEvent) => void): () => void;
  /** One pass of everything time-driven: expiries, schedules, lighting, water. */
  tick(): Promise<void>;
}

const EMPTY_SCHEDULES: SchedulesFile = schedulesFileSchema.parse({ calendar: { holidays: [], workdays: [] }, groups: [], schedules: [] });

export function createControlModule(opts: ControlModuleOptions = {}): ControlModule {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms)));
  let hub: HubContext | null = null;
  let db: ControlDb | null = null;
  let priority: PriorityService | null = null;
  let reasserter: Reasserter | null = null;
  let engine: ScheduleEngine | null = null;
  let lighting: LightingController | null = null;
  let water: WaterWatch | null = null;
  let scheduleRepo: ScheduleRepo | null = null;
  let calendar: HolidayCalendar = buildCalendar({ holidays: [], workdays: [] });
  let file: SchedulesFile = EMPTY_SCHEDULES;
  let current: { version: number; doc: ScheduleDoc; user: string; savedAt: number } = { version: 0, doc: { schedules: [] }, user: 'config', savedAt: 0 };
  const timers: NodeJS.Timeout[] = [];
  const cleanups: Array<() => void> = [];
  let runtime = new RuntimeTracker('Asia/Shanghai');
  let runtimePoints = new Set<string>();
  const pendingLamp: Array<(e: LampFaultEvent) => void> = [];
  const pendingLeak: Array<(e: LeakEvent) => void> = [];
  let ticking: Promise<void> | null = null;
  // What a live reload (reload(next, diff)) replaces: set at start.
  let lightFile: LightingFile | null = null;
  const groupIds = new Set<string>();
  let derived: { close(): void } | null = null;
  let slowTimer: NodeJS.Timeout | null = null;

  const started = <T>(x: T | null, what: string): T => {
    if (!x) throw new Error(`control module: ${what} is not available before start()`);
    return x;
  };

  async function fastTick(): Promise<void> {
    await priority!.expireDue();
    reasserter?.tick();
    lighting?.tick();
    water?.tick();
  }

  async function energySummary() {
    const h = hub!;
    const tz = h.config.site.timezone;
    const t = now();
    const p = localParts(t, tz);
    const dayStart = zonedToUtc(tz, p.year, p.month, p.day, 0);
    const DAY = 86_400_000;
    const store = opts.history?.() ?? null;
    const sumOf = async (ids: string[], from: number, to: number): Promise<number | null> => {
      if (!store || ids.length === 0) return null;
      const perMeter = [];
      for (const id of ids) perMeter.push(await store.counterDeltas(id, from, to, to - from));
      return totalOfDeltas(perMeter);
    };
    const counters = (unit: string) => h.config.points.filter((bp) => bp.info.kind === 'analog' && bp.info.unit === unit).map((bp) => bp.info.id);
    // Energy meters by Brick class (contracts/energy.ts: the console uses the same rule).
    const electricity = energyMeterIds(h.config.points.map((bp) => bp.info));
    const period = async (ids: string[]) => ({
      todaySoFar: compare(await sumOf(ids, dayStart, t), await sumOf(ids, dayStart - DAY, t - DAY)),
      vsLastWeek: compare(await sumOf(ids, dayStart, t), await sumOf(ids, dayStart - 7 * DAY, t - 7 * DAY)),
    });
    const date = { year: p.year, month: p.month, day: p.day };
    const iso = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
    const groups = new Map(file.groups.map((g) => [g.id, g]));
    return {
      historyAvailable: store !== null,
      note: 'per hour/day/month series: GET /api/energy?meters=&from=&to=&interval=',
      electricity: { meters: electricity, ...(await period(electricity)) },
      water: { meters: counters('m³'), ...(await period(counters('m³'))) },
      runtimeHoursToday: Object.fromEntries([...runtimePoints].map((id) => [id, Math.round(runtime.hours(id, iso, t) * 100) / 100])),
      scheduleSavingsToday: current.doc.schedules.map((s) => ({
        schedule: s.id,
        ...scheduleSavings(s, calendar, date, s.groups.flatMap((g) => groups.get(g)?.zones ?? [])),
      })),
    };
  }

  /**
   * schedules.yaml / lighting.yaml changed (hub/reload): zone groups, calendar and schedule level
   * go to the running engine, which is re-evaluated at once; schedules changed in the file become a
   * new schedule version (config is code); lighting zones are reconfigured in place. The priority
   * array's settings belong to the command path and wait for a restart.
   */
  function reloadControl(next: Parameters<NonNullable<HubModule['reload']>>[0], diff: Parameters<NonNullable<HubModule['reload']>>[1]): { needsRestart: string[] } | void {
    const h = hub;
    const changedS = diff.sectionsChanged.includes('schedules.yaml');
    const changedL = diff.sectionsChanged.includes('lighting.yaml');
    if (!h || !engine || !priority || !scheduleRepo || (!changedS && !changedL) || (opts.schedules !== undefined && opts.lighting !== undefined)) return;
    const points = new Map<string, PointInfo>(next.points.map((bp) => [bp.info.id, bp.info]));
    const loaded = controlConfigOf(next, points);
    const needsRestart: string[] = [];
    const tz = next.site.timezone;
    if (changedS) {
      const nf = opts.schedules ?? loaded.schedules ?? EMPTY_SCHEDULES;
      if (JSON.stringify(nf.priority) !== JSON.stringify(file.priority)) needsRestart.push('schedules.yaml priority');
      const yamlSchedulesChanged = JSON.stringify(nf.schedules) !== JSON.stringify(file.schedules);
      const tickChanged = nf.engine.tickMs !== file.engine.tickMs;
      file = nf;
      calendar = buildCalendar(nf.calendar);
      groupIds.clear();
      for (const g of nf.groups) groupIds.add(g.id);
      engine.reconfigure({ groups: nf.groups, calendar, level: nf.engine.level });
      if (yamlSchedulesChanged) {
        const doc: ScheduleDoc = { schedules: nf.schedules };
        const version = scheduleRepo.save(doc, 'config/schedules.yaml', now(), null, 'config reload');
        const latest = scheduleRepo.latest()!;
        current = { version: version ?? latest.version, doc, user: latest.user, savedAt: latest.savedAt };
        engine.setDoc(doc);
      }
      if (tickChanged && slowTimer) {
        clearInterval(slowTimer);
        slowTimer = setInterval(() => void engine!.tick().catch((err) => h.log.error({ err }, 'schedule tick failed')), nf.engine.tickMs);
        slowTimer.unref();
        timers.push(slowTimer);
      }
    }
    if (changedL || changedS) {
      const nl = opts.lighting !== undefined ? opts.lighting : loaded.lighting;
      const zonesChanged = JSON.stringify(nl?.zones ?? []) !== JSON.stringify(lightFile?.zones ?? []);
      if (nl && lighting) lighting.reconfigure(nl, calendar);
      else if (nl) {
        lighting = new LightingController({ file: nl, calendar, timezone: tz, now, sleep, store: h.store, priority, audit: h.audit, log: h.log.child({ part: 'lighting' }) });
        for (const l of pendingLamp) lighting.onLampFault(l);
      } else lighting = null;
      lightFile = nl;
      if (zonesChanged && water) {
        // Lamp-fault points follow the zones: the producer is registered again with the new list.
        derived?.close();
        derived = publishDerivedSignals({ lighting, zones: nl?.zones ?? [], water, registry: opts.signals ?? h.registries.derivedSignals, now });
        for (const z of nl?.zones ?? []) runtimePoints.add(z.circuit);
      }
    }
    void engine.tick().catch((err) => h.log.error({ err }, 'schedule tick failed'));
    h.log.info({ schedules: current.doc.schedules.length, scheduleVersion: current.version, zoneGroups: file.groups.length, lightingZones: lightFile?.zones.length ?? 0 }, 'control config reloaded');
    return needsRestart.length ? { needsRestart } : undefined;
  }

  const wrapped = new WeakSet<CommandService>();
  const mod: ControlModule = {
    name: 'control',
    // Energy comparisons read the history store when it runs.
    after: ['history'],
    async start(ctx) {
      hub = ctx;
      const points = new Map<string, PointInfo>(ctx.config.points.map((bp) => [bp.info.id, bp.info]));
      const loaded = opts.schedules !== undefined && opts.lighting !== undefined
        ? { schedules: opts.schedules, lighting: opts.lighting }
        : controlConfigOf(ctx.config, points);
      file = opts.schedules ?? loaded.schedules ?? EMPTY_SCHEDULES;
      lightFile = opts.lighting !== undefined ? opts.lighting : loaded.lighting;
      calendar = buildCalendar(file.calendar);
      const tz = ctx.config.site.timezone;
      db = openControlDb(ctx.dataDir);
      const roles = new Map(ctx.config.users.map((u) => [u.username, u.role]));
      const relinquishDefaults: Record<string, PointValue> = {};
      // Lights fall back to off: the end of a re-enable or an override never switches a zone on by surprise.
      for (const z of lightFile?.zones ?? []) relinquishDefaults[z.circuit] = false;
      priority = new PriorityService({
        points, store: ctx.store, repo: new PriorityRepo(db), audit: ctx.audit, log: ctx.log.child({ part: 'priority' }), now,
        levelsByRole: file.priority.levelsByRole, defaultManualExpiryMin: file.priority.defaultManualExpiryMin,
        relinquishDefaults, roleOf: (u) => roles.get(u),
        device: ctx.commands?.device, check: ctx.commands ? (p, v) => ctx.commands!.check(p, v) : undefined,
        nativePriority: ctx.commands ? (p) => ctx.commands!.nativePriority(p) : undefined,
      });
      scheduleRepo = new ScheduleRepo(db);
      const saved = scheduleRepo.latest();
      current = saved ? { version: saved.version, doc: saved.doc, user: saved.user, savedAt: saved.savedAt } : { version: 0, doc: { schedules: file.schedules }, user: 'config/schedules.yaml', savedAt: 0 };
      engine = new ScheduleEngine({ groups: file.groups, calendar, timezone: tz, now, store: ctx.store, priority, level: file.engine.level, log: ctx.log.child({ part: 'schedules' }) });
      engine.setDoc(current.doc);
      if (lightFile) {
        lighting = new LightingController({ file: lightFile, calendar, timezone: tz, now, sleep, store: ctx.store, priority, audit: ctx.audit, log: ctx.log.child({ part: 'lighting' }) });
        for (const l of pendingLamp) lighting.onLampFault(l);
      }
      const meters = [...points.values()].filter(isWaterFlowMeter);
      water = new WaterWatch(meters, { ...DEFAULT_NIGHT_FLOW, ...opts.nightFlow, timezone: tz, now, audit: ctx.audit, log: ctx.log.child({ part: 'water' }) });
      for (const l of pendingLeak) water.onLeakSuspected(l);
      cleanups.push(ctx.bus.subscribe(water.onIngest));
      // Lamp faults and night-flow verdicts become derived points (config/devices/derived.yaml), so
      // alarm rules, history and the console see them; stopping withdraws them (comm_fail).
      derived = publishDerivedSignals({ lighting, zones: lightFile?.zones ?? [], water, registry: opts.signals ?? ctx.registries.derivedSignals, now });
      cleanups.push(() => derived?.close());
      // Alarm rules may be gated on a zone group's schedule ("a door open after hours").
      for (const g of file.groups) groupIds.add(g.id);
      cleanups.push(ctx.registries.conditions.register('schedule', scheduleConditionEvaluator(() => ({ doc: current.doc, calendar, timezone: tz }), () => groupIds)));
      // Runtime of AHU fans and lighting circuits.
      runtimePoints = new Set([
        ...[...points.values()].filter((p) => p.kind === 'binary' && /fan-status$|run-status$/.test(p.id)).map((p) => p.id),
        ...(lightFile?.zones ?? []).map((z) => z.circuit),
      ]);
      runtime = new RuntimeTracker(tz);
      cleanups.push(ctx.bus.subscribe((e) => {
        for (const s of e.changed) if (runtimePoints.has(s.id)) runtime.observe(s.id, s.value, s.changedTs);
      }));
      // Every command goes through the priority array from here on (hub writes default to level 8).
      if (ctx.commands) mod.wrapCommands(ctx.commands);
      // Devices that lost their command (reboot, or drift while the hub was down) get it again.
      const re = new Reasserter({ priority, store: ctx.store, now, log: ctx.log.child({ part: 'reassert' }), ...opts.reassert });
      reasserter = re;
      cleanups.push(ctx.bus.subscribe((e) => re.onChanged(e.changed)));
      re.start();
      ctx.health.register('control', () => ({
        ok: true, scheduleVersion: current.version, overrides: priority!.activeSlots().length, lampFaults: lighting?.faults().length ?? 0,
        reassertGaveUp: reasserter?.pending().filter((p) => p.gaveUp).map((p) => p.pointId) ?? [],
      }));
      if (opts.timers !== false) {
        const fast = setInterval(() => {
          if (ticking) return;
          ticking = fastTick().catch((err) => ctx.log.error({ err }, 'control tick failed')).finally(() => (ticking = null));
        }, opts.tickMs ?? 1000);
        const slow = (slowTimer = setInterval(() => void engine!.tick().catch((err) => ctx.log.error({ err }, 'schedule tick failed')), file.engine.tickMs));
        // First schedule pass once drivers have had a moment to deliver values.
        const first = setTimeout(() => void engine!.tick().catch((err) => ctx.log.error({ err }, 'schedule tick failed')), Math.min(5000, file.engine.tickMs));
        timers.push(fast, slow, first);
        for (const t of timers) t.unref();
      }
      ctx.log.info({ schedules: current.doc.schedules.length, scheduleVersion: current.version, zoneGroups: file.groups.length, lightingZones: lightFile?.zones.length ?? 0, waterMeters: meters.length }, 'control started');
    },
    reload(next, diff) {
      return reloadControl(next, diff);
    },
    routes() {
      const h = started(hub, 'routes');
      return controlRoutes({
        hub: h, priority: started(priority, 'priority'), engine: started(engine, 'engine'), now,
        // Read at each request: a config reload replaces them.
        get groups() {
          return file.groups;
        },
        get calendar() {
          return calendar;
        },
        get lighting() {
          return lighting;
        },
        schedules: {
          repo: started(scheduleRepo, 'schedules'),
          current: () => current,
          apply(doc) {
            const latest = scheduleRepo!.latest()!;
            current = { version: latest.version, doc, user: latest.user, savedAt: latest.savedAt };
            engine!.setDoc(doc);
            void engine!.tick().catch((err) => h.log.error({ err }, 'schedule tick failed'));
          },
        },
        energy: energySummary,
        water: () => ({ meters: water!.meters.map((m) => m.id), latest: [...water!.latest.values()] }),
      });
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      timers.length = 0;
      for (const c of cleanups) c();
      cleanups.length = 0;
      await ticking;
      await reasserter?.idle();
      await priority?.idle();
      db?.close();
      db = null;
    },
    wrapCommands(commands) {
      // Once per CommandService: a second attach would put the priority array in front of itself.
      if (wrapped.has(commands)) return;
      wrapped.add(commands);
      const detach = commands.attach('priority', started(priority, 'priority').stage);
      cleanups.push(() => {
        detach();
        wrapped.delete(commands);
      });
    },
    priority: () => started(priority, 'priority'),
    reasserter: () => started(reasserter, 'reasserter'),
    engine: () => started(engine, 'engine'),
    lighting: () => lighting,
    water: () => started(water, 'water'),
    onLampFault(l) {
      pendingLamp.push(l);
      return lighting?.onLampFault(l) ?? (() => pendingLamp.splice(pendingLamp.indexOf(l), 1));
    },
    onLeakSuspected(l) {
      pendingLeak.push(l);
      return water?.onLeakSuspected(l) ?? (() => pendingLeak.splice(pendingLeak.indexOf(l), 1));
    },
    async tick() {
      await fastTick();
      await engine!.tick();
    },
  };
  return mod;
}
