// Assembles the hub: store, bus, ingest, live push, auth, audit, commands, REST, modules, drivers.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { Server as IoServer } from 'socket.io';
import type { Driver } from '../contracts/driver.js';
import { coreRoutes } from './api/routes.js';
import { errorMiddleware, HttpError } from './api/errors.js';
import { securityHeaders, serveConsole } from './api/static.js';
import { AuditLog } from './audit.js';
import { Auth } from './auth/auth.js';
import { SampleBus } from './bus.js';
import { CommandService } from './commands.js';
import type { LoadedConfig } from './config/types.js';
import { HealthRegistry } from './health.js';
import { Ingest } from './ingest.js';
import { Live, type LiveServer } from './live/live.js';
import { createLogger } from './log.js';
import type { HubContext, HubLogger, HubModule } from './module.js';
import { PointStore } from './state.js';

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
  stop(): Promise<void>;
}

export async function createHub(config: LoadedConfig, opts: CreateHubOptions): Promise<Hub> {
  const log = opts.log ?? createLogger();
  const modules = opts.modules ?? [];
  const dataDir = config.hub.dataDir;
  const startedAt = Date.now();

  const store = new PointStore(config.points.map((p) => p.info), log.child({ part: 'state' }));
  const bus = new SampleBus(log.child({ part: 'bus' }));
  const health = new HealthRegistry();
  const audit = new AuditLog(join(dataDir, 'audit'), log.child({ part: 'audit' }));
  const auth = new Auth(config, audit, log.child({ part: 'auth' }));
  const ingest = new Ingest(store, bus, log.child({ part: 'ingest' }), dataDir);
  const commands = new CommandService(store, opts.drivers, audit, log.child({ part: 'commands' }));

  const app = new Koa();
  app.on('error', (err) => log.warn({ err }, 'http stream error'));
  // Koa composes its middleware when callback() is called: build the handler after mounting routes.
  let handler: ReturnType<Koa['callback']> | undefined;
  const http = createServer((req, res) => handler!(req, res));
  // Coalesced batches are large and frequent: deflate would cost more CPU than loopback/LAN bandwidth.
  const io: LiveServer = new IoServer(http, { perMessageDeflate: false, httpCompression: false, serveClient: false });
  const live = new Live({
    io, store, site: config.site, windowMs: config.hub.liveWindowMs || 50,
    pointIds: config.points.map((p) => p.info.id),
    authenticate: (token, cookie) => (token ? auth.sessions.get(token) : auth.sessionOf(undefined, cookie)),
    statuses: () => ingest.statuses(),
    log: log.child({ part: 'live' }),
  });
  const offLive = bus.subscribe(live.onIngest);
  const offSessionEnd = auth.onSessionEnd((token) => live.endSession(token));
  const offStatus = ingest.onStatus((s) => live.pushStatuses(s));

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
    requirePermission: auth.requirePermission,
  };
  try {
    for (const m of modules) {
      await m.start?.({ ...moduleContext, log: log.child({ module: m.name }) });
      started.push(m);
    }
  } catch (err) {
    await stopModules();
    io.close();
    audit.close();
    throw err;
  }

  const routers: Router[] = [
    coreRoutes({ site: config.site, store, health, statuses: () => ingest.statuses(), audit, commands, requirePermission: auth.requirePermission, isSignedIn: (a, c) => auth.sessionOf(a, c) !== undefined, startedAt }),
    auth.routes(),
    ...modules.flatMap((m) => (m.routes ? [m.routes()] : [])),
  ];
  app.use(errorMiddleware(log));
  app.use(securityHeaders());
  app.use(bodyParser({
    enableTypes: ['json'],
    jsonLimit: '256kb',
    onError: (err) => {
      throw new HttpError(400, 'invalid_json', `request body is not valid JSON: ${err.message}`);
    },
  }));
  for (const r of routers) {
    r.prefix('/api');
    app.use(r.routes());
  }
  app.use(async (ctx, next) => {
    if (ctx.path === '/api' || ctx.path.startsWith('/api/')) throw new HttpError(404, 'not_found', `no API route ${ctx.method} ${ctx.path}`);
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

  for (const d of opts.drivers) {
    try {
      await d.start(ingest.contextFor(d.protocol));
    } catch (err) {
      log.error({ err, protocol: d.protocol }, 'driver failed to start');
    }
  }
  const staleTimer = setInterval(() => ingest.sweepStale(), opts.staleCheckMs ?? 1000);
  staleTimer.unref();
  log.info({ url, points: store.size, drivers: opts.drivers.map((d) => d.protocol), modules: modules.map((m) => m.name) }, 'hub listening');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(staleTimer);
      await Promise.allSettled(
        opts.drivers.map((d) => d.stop().catch((err) => log.error({ err, protocol: d.protocol }, 'driver failed to stop'))),
      );
      ingest.close();
      await stopModules();
      offLive();
      offStatus();
      offSessionEnd();
      live.close();
      io.disconnectSockets(true);
      await new Promise<void>((ok) => {
        io.close(() => ok()); // also closes the http server
        http.closeAllConnections();
      });
      audit.close();
      log.info({}, 'hub stopped');
    })());

  return { url, port, app, io, http, store, bus, ingest, live, health, audit, auth, commands, stop };
}
