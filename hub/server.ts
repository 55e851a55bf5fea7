// Assembles the hub: store, bus, ingest, live push, auth, audit, commands, REST, modules, drivers.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import Koa from 'koa';
import { Server as IoServer } from 'socket.io';
import type { Driver, DriverFactory } from '../contracts/driver.js';
import { coreRoutes } from './api/routes.js';
import { errorMiddleware, HttpError } from './api/errors.js';
import { jsonBody } from './api/body.js';
import { securityHeaders, serveConsole } from './api/static.js';
import { AuditLog } from './audit.js';
import { Auth, SESSION_COOKIE } from './auth/auth.js';
import { refuseDemoPasswordsOffLoopback } from './auth/demo-passwords.js';
import { hardenDataDir, usePrivateUmask } from './auth/files.js';
import { csrfGuard, handshakeRefusal } from './auth/origin.js';
import { SampleBus } from './bus.js';
import { CommandService } from './commands.js';
import type { LoadedConfig } from './config/types.js';
import { HealthRegistry } from './health.js';
import { Ingest } from './ingest.js';
import { Live, type LiveServer } from './live/live.js';
import { startCluster } from './edge/cluster.js';
import { createLogger } from './log.js';
import type { HubContext, HubLogger, HubModule } from './module.js';
import { startOrder } from './module-order.js';
import { createHubMetrics, type HubMetrics } from './metrics/metrics.js';
import { metricsRoute } from './metrics/route.js';
import { openApiRoutes, tagPermission } from './api/openapi-routes.js';
import { ExternalConditions } from './alarms/external.js';
import { createRegistries, driverServices, type HubRegistries } from './registries.js';
import { PointStore } from './state.js';
import { lookupDriver, registeredProtocols } from './drivers.js';
import { Reloader, type ReloadResult, type ReloadTrigger } from './reload/reloader.js';
import { reloadRoutes } from './reload/routes.js';
import { DriverUnits } from './reload/units.js';
import { watchConfig } from './reload/watch.js';

/** How long after listening the hub starts the reload's validation worker (hub/main.ts). */
const PREPARE_RELOAD_AFTER_MS = 10_000;

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface CreateHubOptions {
  /** Already created from the registry by the caller (see createDrivers in hub/drivers.ts). */
  drivers: Driver[];
  modules?: HubModule[];
  log?: HubLogger;
  /** Defaults to config.hub.host/port; port 0 picks a free port (tests). */
  listen?: { host?: string; port?: number };
  /** Built console folder; defaults to <repo>/dist/console. */
  consoleDir?: string;
  /** How often the stale check runs (ms); default 1000. */
  staleCheckMs?: number;
  /** Registries shared by modules and drivers (hub/registries.ts); default: new ones for this hub. */
  registries?: HubRegistries;
  /** Factories for connections a live reload adds or changes; default: the driver registry. */
  driverLookup?: (protocol: string) => DriverFactory | undefined;
  /** Validate config.dir for a live reload on the main thread (tests); default: in a worker thread (hub/reload). */
  validateConfig?: (dir: string) => LoadedConfig;
  /** For the reload worker: a module exporting `validate(dir)`; default validateConfigFolder (what check-config runs). */
  validateModule?: string;
  /** Called once the HTTP server listens, before the modules and drivers start (scripts/start.ts starts the simulators then). */
  onListening?: (url: string) => void;
  /**
   * The drivers of a protocol start once `startDriversAfter(protocol)` settles (scripts/start.ts:
   * when the demo's simulated devices of that protocol listen); meanwhile they prepare().
   */
  startDriversAfter?: (protocol: string) => Promise<unknown>;
  /** Start the reload's validation worker soon after start (PREPARE_RELOAD_AFTER_MS; hub/main.ts), not at the first reload. */
  prepareReload?: boolean;
}

export interface Hub {
  url: string;
  port: number;
  app: Koa;
  io: LiveServer;
  http: HttpServer;
  store: PointStore;
  bus: SampleBus;
  ingest: Ingest;
  live: Live;
  health: HealthRegistry;
  audit: AuditLog;
  auth: Auth;
  commands: CommandService;
  /** Prometheus metrics, served at /metrics (hub/metrics). */
  metrics: HubMetrics;
  registries: HubRegistries;
  /** Re-reads config.dir and applies the difference live (hub/reload); a refused config changes nothing. */
  reload(user: string, trigger: ReloadTrigger): Promise<ReloadResult>;
  /** Resolves when the reload's validation worker is up (benchmarks wait for it). */
  reloadReady(): Promise<void>;
  stop(): Promise<void>;
}

export async function createHub(config: LoadedConfig, opts: CreateHubOptions): Promise<Hub> {
  const log = opts.log ?? createLogger();
  // Dependency order (HubModule.dependsOn/after); a missing dependency or a cycle refuses to start.
  const modules = startOrder(opts.modules ?? []);
  const registries = opts.registries ?? createRegistries();
  const services = driverServices(registries);
  const dataDir = config.hub.dataDir;
  const startedAt = Date.now();
  // Demo passwords never leave loopback; runtime files are 0600 in a 0700 folder (hub/auth/demo-passwords.ts, files.ts).
  await refuseDemoPasswordsOffLoopback(opts.listen?.host ?? config.hub.host ?? '127.0.0.1', config.users);
  usePrivateUmask();
  hardenDataDir(dataDir);

  const store = new PointStore(config.points.map((p) => p.info), log.child({ part: 'state' }));
  const bus = new SampleBus(log.child({ part: 'bus' }));
  const health = new HealthRegistry();
  const audit = new AuditLog(join(dataDir, 'audit'), log.child({ part: 'audit' }));
  const auth = new Auth(config, audit, log.child({ part: 'auth' }));
  // Tagged with its permission, so the OpenAPI document says who may call each route.
  const requirePermission: typeof auth.requirePermission = (p) => tagPermission(auth.requirePermission(p), p);
  const ingest = new Ingest(store, bus, log.child({ part: 'ingest' }), dataDir);
  // Gauges are read at scrape time; `io` is assigned below, before anything can scrape.
  const metrics = createHubMetrics({ statuses: () => ingest.statuses(), components: () => health.components(), socketClients: () => io.engine.clientsCount, points: () => store.size });
  const offMetrics = bus.subscribe(metrics.onIngest);
  // Drivers run as units a live reload stops and starts one connection at a time; commands reach
  // them through one routing facade per protocol (hub/reload/units.ts).
  // OPC UA A&C conditions: drivers report them here, the alarms module shows them, acks go back
  // through the driver serving the connection (`units` is assigned before any driver starts).
  const externalConditions = new ExternalConditions((conn, id, comment, user) => units.acknowledgeCondition(conn, id, comment, user));
  const units: DriverUnits = new DriverUnits(opts.drivers, config, { lookup: opts.driverLookup ?? lookupDriver, contextFor: (p) => {
    const c = ingest.contextFor(p);
    return { ...c, services, status: (st) => (metrics.observeStatus(st), c.status(st)), publishConditions: (cs) => externalConditions.publish(cs) };
  }, log: log.child({ part: 'drivers' }) });
  const protocols = new Set([...opts.drivers.map((d) => d.protocol), ...registeredProtocols()]);
  const commands = new CommandService(store, [...protocols].map((p) => units.facade(p)), audit, log.child({ part: 'commands' }));

  const app = new Koa();
  app.on('error', (err) => log.warn({ err }, 'http stream error'));
  // Koa composes its middleware when callback() is called: build the handler after mounting routes.
  let handler: ReturnType<Koa['callback']> | undefined;
  const http = createServer((req, res) => handler!(req, res));
  // Coalesced batches are large and frequent: deflate would cost more CPU than loopback/LAN bandwidth.
  const io: LiveServer = new IoServer(http, {
    perMessageDeflate: false, httpCompression: false, serveClient: false,
    // Cross-site WebSocket hijacking: a browser handshake must come from this hub's origin (hub/auth/origin.ts).
    allowRequest: (req, cb) => {
      const refusal = handshakeRefusal(req.headers, config.hub.allowedOrigins ?? []);
      if (refusal) log.warn({ origin: req.headers.origin }, 'Socket.IO handshake refused: foreign origin');
      cb(refusal, refusal === null);
    },
  });
  // Listen first, start modules after (cold start, docs/performance.md): /api/health answers at once
  // and names the modules still starting; their routes answer 503 until then, and Socket.IO
  // handshakes wait for them, so no module misses a connection it registers a handler for.
  const starting = new Set(modules.map((m) => m.name));
  let modulesStarted!: (err?: Error) => void;
  const modulesReady = new Promise<void>((ok, fail) => (modulesStarted = (err) => (err ? fail(err) : ok())));
  modulesReady.catch(() => undefined);
  io.use((_socket, next) => void modulesReady.then(() => next(), (err: Error) => next(err)));
  health.register('startup', () => (starting.size === 0 ? { ok: true } : { ok: false, starting: [...starting] }));
  const live = new Live({
    io, store, site: config.site, windowMs: config.hub.liveWindowMs || 50,
    pointIds: config.points.map((p) => p.info.id),
    authenticate: (token, cookie) => (token ? auth.sessions.get(token) : auth.sessionOf(undefined, cookie)),
    statuses: () => ingest.statuses(),
    log: log.child({ part: 'live' }),
  });
  const offLive = bus.subscribe(live.onIngest);
  const offSessionEnd = auth.onSessionEnd((token) => live.endSession(token));
  // Several hubs (edge.yaml hub.redisUrl): Redis adapter, shared sessions, one push per sample (hub/edge/cluster.ts).
  const cluster = await startCluster({ config, io, live, store, sessions: auth.sessions, drivers: opts.drivers, statuses: () => ingest.statuses(), log: log.child({ part: 'cluster' }) });
  const offStatus = ingest.onStatus((s) => (live.pushStatuses(s), cluster?.statusesChanged()));
  const reloader = new Reloader({ config, store, live, ingest, units, sessions: auth.sessions, modules, audit, log: log.child({ part: 'reload' }), load: opts.validateConfig, validateModule: opts.validateModule });

  const started: HubModule[] = [];
  const stopModules = async () => {
    for (const m of [...started].reverse()) {
      try {
        await m.stop?.();
      } catch (err) {
        log.error({ err, module: m.name }, 'module failed to stop');
      }
    }
    started.length = 0;
  };
  const moduleContext: HubContext = {
    config, log, dataDir, bus, store, health, audit,
    io: io as unknown as IoServer,
    httpServer: http,
    commands,
    registries,
    externalConditions,
    alarmCluster: cluster?.alarms,
    requirePermission,
    reload: (user, trigger) => reloader.reload(user, trigger),
  };
  const routers: Router[] = [
    coreRoutes({ site: config.site, store, health, statuses: () => ingest.statuses(), audit, commands, requirePermission, isSignedIn: (a, c) => auth.sessionOf(a, c) !== undefined, startedAt, ...(cluster ? { currentStates: (ids: readonly string[]) => cluster.live.current(ids) } : {}) }),
    auth.routes(),
    reloadRoutes({ reload: (user) => reloader.reload(user, 'api'), requirePermission }),
  ];
  // Generated from every router (module routers join once their modules run) and the zod schemas that validate their bodies.
  const openApi = openApiRoutes(() => routers);
  app.use(errorMiddleware(log));
  app.use(securityHeaders({ hstsMaxAgeS: config.hub.hstsMaxAgeS }));
  app.use(metricsRoute(metrics));
  app.use(csrfGuard(config.hub.allowedOrigins ?? [], SESSION_COOKIE));
  app.use(jsonBody());
  for (const r of routers) {
    r.prefix('/api');
    app.use(r.routes());
  }
  // The modules' routers and the OpenAPI document of all, mounted here once the modules have started.
  let moduleRoutes: Koa.Middleware | undefined;
  let moduleMiddlewares: Koa.Middleware[] = [];
  const moduleGate: Koa.Middleware & { mounted?: () => Koa.Middleware[] } = (ctx, next) => (moduleRoutes ? moduleRoutes(ctx, next) : next());
  // What the gate mounts, for tools that read the routers off the app (the fuzz suite's route list).
  moduleGate.mounted = () => moduleMiddlewares;
  app.use(moduleGate);
  app.use(async (ctx, next) => {
    if (ctx.path === '/api' || ctx.path.startsWith('/api/')) {
      if (starting.size > 0) throw new HttpError(503, 'starting', `the hub is starting (${[...starting].join(', ')}); try again in a moment`);
      throw new HttpError(404, 'not_found', `no API route ${ctx.method} ${ctx.path}`);
    }
    await next();
  });
  app.use(serveConsole(opts.consoleDir ?? join(REPO_ROOT, 'dist', 'console')));
  handler = app.callback();

  const host = opts.listen?.host ?? config.hub.host ?? '127.0.0.1';
  const wantPort = opts.listen?.port ?? config.hub.port;
  await new Promise<void>((ok, fail) => {
    http.once('error', fail);
    http.listen(wantPort, host, () => {
      http.off('error', fail);
      ok();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const listenMs = Math.round(performance.now());
  opts.onListening?.(url);

  try {
    for (const m of modules) {
      // A turn of the event loop between modules: requests that came in meanwhile (health) are answered.
      await new Promise<void>((ok) => setImmediate(ok));
      await m.start?.({ ...moduleContext, log: log.child({ module: m.name }) });
      started.push(m);
      starting.delete(m.name);
    }
  } catch (err) {
    modulesStarted(err as Error);
    await stopModules();
    await cluster?.stop();
    io.close(); // also closes the http server
    http.closeAllConnections();
    cluster?.disconnect();
    audit.close();
    throw err;
  }

  const lateRouters = [...modules.flatMap((m) => (m.routes ? [m.routes()] : [])), openApi];
  for (const r of lateRouters) r.prefix('/api');
  routers.push(...lateRouters);
  moduleMiddlewares = lateRouters.map((r) => r.routes() as unknown as Koa.Middleware);
  moduleRoutes = chain(moduleMiddlewares);
  modulesStarted();

  if (opts.startDriversAfter) units.prepareAll(); // e.g. the OPC UA client's library and certificate, while the simulators start
  await units.startAll(opts.startDriversAfter);
  // The reload's validation worker boots its own loader and config checks (~1–2 s of CPU): not while
  // the drivers take their first values on a 2-core box. A reload before then starts it itself.
  const prepareTimer = opts.prepareReload ? setTimeout(() => reloader.prepare().catch((err) => log.warn({ err }, 'config reload worker did not start; it is retried at the first reload')), PREPARE_RELOAD_AFTER_MS) : undefined;
  prepareTimer?.unref();
  const stopWatch = config.hub.watchConfig ? watchConfig(config.dir, () => reloader.reload('system', 'watch'), log.child({ part: 'reload' })) : () => {};
  const staleTimer = setInterval(() => ingest.sweepStale(), opts.staleCheckMs ?? 1000);
  staleTimer.unref();
  // Milliseconds since the process started (a CLI start: hub/main.ts, scripts/start.ts).
  log.info({ url, points: store.size, drivers: opts.drivers.map((d) => d.protocol), modules: modules.map((m) => m.name), listenMs, startedMs: Math.round(performance.now()) }, 'hub listening');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(staleTimer);
      clearTimeout(prepareTimer);
      stopWatch();
      await reloader.close();
      await units.stopAll();
      ingest.close();
      await stopModules();
      offLive();
      offMetrics();
      offStatus();
      offSessionEnd();
      await cluster?.stop();
      live.close();
      // Local: with the Redis adapter a bare disconnectSockets() would close every hub's sockets.
      io.local.disconnectSockets(true);
      await new Promise<void>((ok) => {
        io.close(() => ok()); // also closes the http server
        http.closeAllConnections();
      });
      cluster?.disconnect();
      audit.close();
      log.info({}, 'hub stopped');
    })());

  const reload = (user: string, trigger: ReloadTrigger) => reloader.reload(user, trigger);
  return { url, port, app, io, http, store, bus, ingest, live, health, audit, auth, commands, metrics, registries, reload, reloadReady: () => reloader.prepare(), stop };
}

/** Koa middlewares run as one, in order (the modules' routers, mounted after the hub listens). */
function chain(mws: Koa.Middleware[]): Koa.Middleware {
  return (ctx, next) => {
    const run = (i: number): Promise<void> => (i === mws.length ? next() : Promise.resolve(mws[i](ctx, () => run(i + 1))));
    return run(0);
  };
}
