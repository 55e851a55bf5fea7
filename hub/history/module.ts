// The history module: every raw sample from the bus → the chosen store; /api/history and /api/energy.
import { join } from 'node:path';
import type Router from '@koa/router';
import type { RouterMiddleware } from '@koa/router';
import type { PointInfo } from '../../contracts/point.js';
import type { HubContext, HubModule } from '../module.js';
import { resolveHistoryBackend, type BackendChoice } from './backend.js';
import { InfluxdProcess, findExecutable } from './influxdProcess.js';
import { InfluxStore } from './influxStore.js';
import { historyRoutes } from './routes.js';
import { createShardedInfluxStore } from './shardedStore.js';
import { historySettingsSchema, parseDuration, type HistorySettings } from './settings.js';
import { SqliteStore } from './sqliteStore.js';
import type { HistoryStore } from './store.js';

export interface HistoryOptions {
  /** Overrides `config.hub.history` (the validated `history:` section of hub.yaml). */
  settings?: HistorySettings;
  /** Longest wait between /ping probes during an outage (tests use a short one). */
  probeMaxMs?: number;
  now?: () => number;
}

export interface HistoryModule extends HubModule {
  /** The running store (null before start / after stop). */
  store(): HistoryStore | null;
  /** What resolveHistoryBackend chose at start. */
  choice(): BackendChoice | null;
}

export function createHistoryModule(opts: HistoryOptions = {}): HistoryModule {
  let settings: HistorySettings = opts.settings ?? historySettingsSchema.parse({});
  let hub: HubContext | null = null;
  let store: HistoryStore | null = null;
  let choice: BackendChoice | null = null;
  let influxd: InfluxdProcess | null = null;
  let unsubscribe: (() => void) | null = null;
  let points = new Map<string, PointInfo>();
  let router: Router | null = null;

  const embedded = (dataDir: string, log: HubContext['log']) =>
    new SqliteStore({
      path: join(dataDir, 'history', 'embedded.sqlite'),
      // Each commit is durable against a process kill (WAL mode), so committing every write-ahead
      // window bounds what a kill -9 loses the same way as the InfluxDB path's write-ahead log.
      flushMs: settings.walMs > 0 ? Math.min(settings.flushMs, settings.walMs) : settings.flushMs,
      batchSize: settings.batchSize,
      retentionMs: parseDuration(settings.rawRetention)!,
      log,
    });

  return {
    name: 'history',
    store: () => store,
    choice: () => choice,

    async start(ctx: HubContext): Promise<void> {
      hub = ctx;
      settings = opts.settings ?? ctx.config.hub.history ?? settings;
      const log = ctx.log.child({ module: 'history' });
      points = new Map(ctx.config.points.map((p) => [p.info.id, p.info]));
      const infos = [...points.values()];
      choice = settings.shards
        ? { kind: 'influxdb', url: settings.shards.map((sh) => sh.url).join(', '), reason: `history.shards: ${settings.shards.length} InfluxDBs by building` }
        : resolveHistoryBackend(settings, { findExecutable });
      if (settings.shards) {
        store = createShardedInfluxStore({ settings, dataDir: ctx.dataDir, points: infos, log, probeMaxMs: opts.probeMaxMs, now: opts.now });
      } else if (choice.kind === 'influxdb') {
        store = new InfluxStore({ settings, url: choice.url, dataDir: ctx.dataDir, points: infos, log, probeMaxMs: opts.probeMaxMs, now: opts.now });
      } else if (choice.kind === 'local-influxd') {
        const proc = new InfluxdProcess({
          dataDir: join(ctx.dataDir, 'influxdb'),
          port: choice.port,
          binary: choice.binary,
          nice: choice.nice,
          onExit: (code, signal) => {
            if (influxd === proc) log.error({ code, signal }, 'local influxd exited; history spools to disk');
          },
        });
        try {
          await proc.start();
          influxd = proc;
          store = new InfluxStore({ settings, url: proc.url, dataDir: ctx.dataDir, points: infos, log, label: `local influxd ${proc.url} (pid ${proc.pid}, data ${join(ctx.dataDir, 'influxdb')})`, probeMaxMs: opts.probeMaxMs, now: opts.now });
        } catch (err) {
          log.error({ err: (err as Error).message }, 'could not start the local influxd; falling back to the embedded store');
          choice = { kind: 'embedded', reason: `local influxd failed to start: ${(err as Error).message}` };
        }
      }
      if (!store) store = embedded(ctx.dataDir, log);
      await store.start();
      const running = store;
      log.info({ backend: running.backend, reason: choice.reason }, `history: ${running.description}`);
      unsubscribe = ctx.bus.subscribe(function historyIngest(event) {
        running.write(event.samples);
      });
      ctx.health.register('history', () => (store ?? running).status());
    },

    reload(next): void {
      // A live config reload: trends of added points answer, removed ones 404 (their stored history stays).
      points = new Map(next.points.map((p) => [p.info.id, p.info]));
    },

    routes(): Router {
      router ??= historyRoutes({
        store: () => store,
        point: (id) => points.get(id),
        timezone: () => hub?.config.site.timezone ?? 'UTC',
        maxBuckets: () => settings.maxBuckets,
        guard: (async (ctx, next) => {
          if (!hub) {
            ctx.status = 503;
            ctx.body = { error: { code: 'history_unavailable', message: 'history is not started' } };
            return;
          }
          return hub.requirePermission('points:read')(ctx, next);
        }) as RouterMiddleware,
        now: opts.now,
        log: { warn: (o, m) => hub?.log.warn(o, m) },
      });
      return router;
    },

    async stop(): Promise<void> {
      unsubscribe?.();
      unsubscribe = null;
      const s = store;
      store = null;
      await s?.stop();
      const proc = influxd;
      influxd = null;
      await proc?.stop();
    },
  };
}
