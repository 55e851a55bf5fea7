// Live config reload: validate the whole folder (the loader's checks, the same check-config runs),
// diff it against what runs, and apply the difference — drivers of changed/added/removed
// connections, points in state and live push, modules' reload hooks (alarm rules, history), users
// and their sessions — then audit it and tell the consoles. Untouched connections are not touched.
// A refused config changes nothing. Reloads run one at a time.
import { Worker } from 'node:worker_threads';
import type { BoundPoint } from '../../contracts/driver.js';
import type { SiteChanged } from '../../contracts/live.js';
import { ConfigError, formatProblem } from '../config/errors.js';
import type { LoadedConfig } from '../config/types.js';
import type { AuditLogLike, HubLogger } from '../ports.js';
import { auditDiff, diffConfig, isEmptyDiff, summarizeDiff, type ConfigDiff, type SiteSnapshot } from './diff.js';
import type { SessionStore } from '../auth/sessions.js';
import type { ReloadResult, ReloadTrigger } from './types.js';
import { readSections } from './sections.js';
import type { DriverUnits } from './units.js';
import type { WorkerInit, WorkerReply, WorkerRequest } from './validate-worker.js';

/** What a reload needs of the running hub (hub/server.ts wires it). */
export interface ReloadTarget {
  /** The hub's config object: updated in place, so everything that reads it sees the new site. */
  config: LoadedConfig;
  store: { upsertInfos(infos: BoundPoint['info'][]): void; removePoints(ids: readonly string[]): void };
  live: { addPoints(ids: readonly string[]): void; removePoints(ids: readonly string[]): void; setFloors(site: LoadedConfig['site']): void; siteChanged(e: SiteChanged): void; dropEndedSessions(): number };
  ingest: { forgetConnections(ids: readonly string[]): void };
  units: DriverUnits;
  sessions: Pick<SessionStore, 'refresh'>;
  modules: readonly ReloadableModule[];
  audit: AuditLogLike;
  log: HubLogger;
  /**
   * Validates and loads a config folder on the main thread (tests). Without it, a worker thread runs
   * `validateModule` (default validateConfigFolder, the checks check-config runs) and the diff, so a
   * large folder never stalls ingest.
   */
  load?(dir: string): LoadedConfig;
  /** Module exporting `validate(dir): LoadedConfig` for the worker (tests and benchmarks with their own drivers). */
  validateModule?: string;
}

type Validated = { ok: true; next: LoadedConfig; sections: Map<string, unknown>; diff: ConfigDiff } | { ok: false; problems: string[] };

export type { ReloadResult, ReloadTrigger } from './types.js';

/** What the reload calls on each module: the optional HubModule.reload hook (named structurally, no import of module.ts). */
export interface ReloadableModule {
  name: string;
  reload?(next: LoadedConfig, diff: ConfigDiff): ModuleAnswer | Promise<ModuleAnswer>;
}
type ModuleAnswer = void | { needsRestart?: string[] };

export { readSections } from './sections.js';

/**
 * Subsystem files a module applies live (its reload hook); the others are reported as needing a
 * restart. A module may still answer that one setting of its file waits for a restart.
 */
export const LIVE_SECTIONS = new Set(['alarms.yaml', 'schedules.yaml', 'lighting.yaml', 'broadcast.yaml', 'dispatch.yaml', 'patrols.yaml', 'recording.yaml', 'reports.yaml']);

export class Reloader {
  private current: SiteSnapshot;
  private version = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private worker: Worker | undefined;
  private workerReady: Promise<void> | undefined;
  private nextRequest = 1;
  private readonly waiting = new Map<number, (r: WorkerReply) => void>();

  constructor(private readonly t: ReloadTarget) {
    // Copies of the lists: the hub's config is updated in place by a reload.
    this.current = { config: { ...t.config, connections: [...t.config.connections], devices: [...t.config.devices], points: [...t.config.points], users: [...t.config.users] }, sections: safeSections(t.config.dir) };
  }

  /**
   * Starts the validation worker now instead of at the first reload (hub/main.ts does, so a
   * SIGHUP applies at once; tests that never reload never pay for a thread).
   */
  prepare(): Promise<void> {
    if (this.t.load) return Promise.resolve();
    this.workerReady ??= new Promise<void>((ok, fail) => {
      const init: WorkerInit = {
        config: { ...this.current.config, points: undefined } as unknown as WorkerInit['config'],
        points: this.current.config.points as BoundPoint[],
        sections: [...this.current.sections],
        validateModule: this.t.validateModule,
      };
      const entry = new URL('./validate-worker.ts', import.meta.url).href;
      const w = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { ...init, __entry: entry } });
      w.unref();
      w.on('message', (m: WorkerReply | { ready: true }) => {
        if ('ready' in m) return ok();
        this.waiting.get(m.id)?.(m);
        this.waiting.delete(m.id);
      });
      const down = (why: string) => {
        // A dead worker answers every open request with a refusal; the next reload starts a new one.
        if (this.worker === w) {
          this.worker = undefined;
          this.workerReady = undefined;
        }
        for (const [id, reply] of this.waiting) reply({ id, ok: false, problems: [`config validation worker failed: ${why}`] });
        this.waiting.clear();
        fail(new Error(why));
      };
      w.on('error', (err) => down(err.message));
      w.on('exit', (code) => down(`exited with code ${code}`));
      this.worker = w;
    });
    return this.workerReady;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.workerReady = undefined;
    await w?.terminate();
  }

  private async validate(dir: string): Promise<Validated> {
    if (this.t.load) {
      try {
        const next = this.t.load(dir);
        const sections = readSections(dir);
        return { ok: true, next, sections, diff: diffConfig(this.current, { config: next, sections }) };
      } catch (err) {
        return { ok: false, problems: err instanceof ConfigError ? err.problems.map(formatProblem) : [`${dir}: ${err instanceof Error ? err.message : String(err)}`] };
      }
    }
    try {
      await this.prepare();
    } catch (err) {
      return { ok: false, problems: [`config validation worker failed to start: ${err instanceof Error ? err.message : String(err)}`] };
    }
    const id = this.nextRequest++;
    const reply = await new Promise<WorkerReply>((ok) => {
      this.waiting.set(id, ok);
      this.worker!.postMessage({ id, type: 'reload', dir } satisfies WorkerRequest);
    });
    if (!reply.ok) return reply;
    // The new point list, from the running points plus what changed: nothing is parsed twice.
    const byId = new Map(this.t.config.points.map((p) => [p.info.id, p]));
    for (const p of reply.changed) byId.set(p.info.id, p);
    const next = { ...reply.next, points: reply.order.map((pid) => byId.get(pid)!) } as LoadedConfig;
    return { ok: true, next, sections: new Map(reply.sections), diff: reply.diff };
  }

  /** Reloads `config.dir`; reloads queue behind each other. Never throws for a bad config: it answers ok: false. */
  reload(user: string, trigger: ReloadTrigger): Promise<ReloadResult> {
    const run = this.queue.then(() => this.run(user, trigger));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(user: string, trigger: ReloadTrigger): Promise<ReloadResult> {
    const t0 = performance.now();
    const dir = this.t.config.dir;
    const v = await this.validate(dir);
    if (!v.ok) {
      const problems = v.problems;
      this.t.audit.record({ user, action: 'config.reload_refused', target: dir, details: { trigger, problems: problems.slice(0, 50) } });
      this.t.log.warn({ trigger, problems: problems.slice(0, 20) }, 'config reload refused');
      return { ok: false, problems };
    }
    const { next, sections, diff } = v;
    const nextSnap: SiteSnapshot = { config: next, sections };
    this.worker?.postMessage({ id: 0, type: 'commit' } satisfies WorkerRequest);
    const needsRestart = [...diff.restartNeeded, ...diff.sectionsChanged.filter((f) => !LIVE_SECTIONS.has(f) && !f.startsWith('floorplans/')).map((f) => `needs restart: ${f} (read at start)`)];
    if (isEmptyDiff(diff)) {
      this.t.audit.record({ user, action: 'config.reload', target: dir, details: { trigger, summary: 'no change' } });
      return { ok: true, version: this.version, summary: 'no change', diff, ms: performance.now() - t0, applyMs: 0, stopped: [], started: [], needsRestart };
    }

    const tApply = performance.now();
    const { stopped, started } = await this.t.units.apply(next, new Set(diff.connections.changed), new Set(diff.connections.removed), () => {
      // Between stopping and starting drivers: the store and live push learn the new point list.
      const byId = new Map(next.points.map((p) => [p.info.id, p.info]));
      this.t.store.removePoints(diff.points.removed);
      this.t.live.removePoints(diff.points.removed);
      this.t.store.upsertInfos([...diff.points.added, ...diff.points.changed].map((id) => byId.get(id)!));
      this.t.live.addPoints(diff.points.added);
      this.t.ingest.forgetConnections(diff.connections.removed);
      applyInPlace(this.t.config, next);
      if (diff.siteChanged) this.t.live.setFloors(next.site);
    });

    for (const m of this.t.modules) {
      try {
        const answer = await m.reload?.(this.t.config, diff);
        for (const k of answer?.needsRestart ?? []) needsRestart.push(`needs restart: ${k}`);
      } catch (err) {
        // Validation ran first, so this is a module bug; the rest of the reload still stands.
        this.t.log.error({ err, module: m.name }, 'module failed to apply the reload');
      }
    }

    let endedUsers: string[] = [];
    if (diff.users.removed.length + diff.users.changed.length > 0 || diff.rolesChanged) {
      const cfg = this.t.config;
      endedUsers = this.t.sessions.refresh((username) => {
        const u = cfg.users.find((x) => x.username === username);
        return u && { username: u.username, name: u.name.en, role: u.role, permissions: cfg.rolePermissions[u.role] ?? [] };
      });
      this.t.live.dropEndedSessions();
    }

    this.current = nextSnap;
    this.version++;
    const summary = summarizeDiff(diff) + (needsRestart.length > diff.restartNeeded.length ? `; ${needsRestart.slice(diff.restartNeeded.length).join(', ')}` : '');
    const ms = performance.now() - t0;
    const applyMs = performance.now() - tApply;
    this.t.live.siteChanged({
      version: this.version, at: Date.now(),
      pointsAdded: diff.points.added, pointsRemoved: diff.points.removed, pointsChanged: diff.points.changed,
      alarmRulesChanged: diff.alarmRules.added.length + diff.alarmRules.removed.length + diff.alarmRules.changed.length > 0 || diff.alarmRules.settingsChanged,
    });
    this.t.audit.record({
      user, action: 'config.reload', target: dir,
      details: { trigger, version: this.version, ms: Math.round(ms), applyMs: Math.round(applyMs), ...auditDiff(diff), stopped, started, ...(endedUsers.length ? { sessionsEnded: endedUsers } : {}), ...(needsRestart.length ? { needsRestart } : {}) },
    });
    this.t.log.info({ trigger, user, ms: Math.round(ms), stopped, started, needsRestart }, `config reloaded: ${summary}`);
    return { ok: true, version: this.version, summary, diff, ms, applyMs, stopped, started, needsRestart };
  }
}

/** Replaces the config's contents without replacing its objects, so holders of `config.points` or `config.site` see the new site. */
function applyInPlace(config: LoadedConfig, next: LoadedConfig): void {
  const replace = <T>(arr: T[], items: readonly T[]) => {
    arr.length = 0;
    for (const x of items) arr.push(x);
  };
  replace(config.connections, next.connections);
  replace(config.devices, next.devices);
  replace(config.points, next.points);
  replace(config.users, next.users);
  // Everything else the loader produces (role permissions and scopes, the validated subsystem
  // sections, …) is taken as is, so fields added to LoadedConfig later reload too.
  const special = new Set(['dir', 'site', 'hub', 'connections', 'devices', 'points', 'users']);
  for (const [k, v] of Object.entries(next)) if (!special.has(k)) (config as unknown as Record<string, unknown>)[k] = v;
  for (const k of Object.keys(config.site) as Array<keyof typeof config.site>) delete config.site[k];
  Object.assign(config.site, next.site);
  // hub.yaml settings all wait for a restart (the diff reports them in needsRestart).
}

/** The sections at start; a folder that cannot be read (configs built in code, tests) has none. */
function safeSections(dir: string): Map<string, unknown> {
  try {
    return readSections(dir);
  } catch {
    return new Map();
  }
}
