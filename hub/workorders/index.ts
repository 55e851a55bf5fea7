// The dispatch subsystem as a hub module: work orders (SQLite in <dataDir>/workorders/), the
// on-call roster and SLA escalation, alarm → order links, and the notification module
// (hub/notify) with its channels, all configured in config/dispatch.yaml.
import fs from 'node:fs';
import path from 'node:path';
import type Router from '@koa/router';
import YAML from 'yaml';
import type { Socket } from 'socket.io';
import { ConfigError } from '../config/errors.js';
import { sectionKey, sectionOf } from '../config/section-key.js';
import type { LoadedConfig } from '../config/types.js';
import type { SchedulesFile } from '../control/schedule-schema.js';
import { buildCalendar, type HolidayCalendar } from '../control/calendar.js';
import { calendarSchema } from '../control/schedule-schema.js';
import type { HubContext, HubModule } from '../module.js';
import { DeliveryLog } from '../notify/log.js';
import { ConsoleChannel, Notifier, userRoom } from '../notify/notifier.js';
import { RobotChannel } from '../notify/robots.js';
import type { SmtpChannel } from '../notify/smtp.js';
import type { Channel } from '../notify/types.js';
import { AlarmLink, type AlarmSourceLike } from './alarm-link.js';
import { dispatchRoutes } from './routes.js';
import { checkDispatch, dispatchFileSchema, type DispatchFile } from './schema.js';
import { DispatchService } from './service.js';
import { WorkOrderStore } from './store.js';

export { dispatchFileSchema, checkDispatch } from './schema.js';
export const DISPATCH_FILE = 'dispatch.yaml';

export interface DispatchModuleOptions {
  /** The alarm engine, once the alarms module started. */
  alarms?: () => AlarmSourceLike | undefined;
  /** Parsed dispatch.yaml; default: read from the config folder. */
  file?: DispatchFile;
  calendar?: HolidayCalendar;
  now?: () => number;
  /** SLA sweep and alarm watch period (ms); default 1000; 0 = tests call tick(). */
  tickMs?: number;
  /** Digest flush period (ms); default 500. */
  notifyTickMs?: number;
}

export interface DispatchModule extends HubModule {
  readonly service: DispatchService | undefined;
  readonly notifier: Notifier | undefined;
  readonly deliveries: DeliveryLog | undefined;
  /** The order store (read-only use: leaders' reports), available after start(). */
  readonly orders: WorkOrderStore | undefined;
  tick(): void;
}

function readYaml(file: string): unknown {
  const doc = YAML.parseDocument(fs.readFileSync(file, 'utf8'), { uniqueKeys: true });
  if (doc.errors.length > 0) throw new ConfigError(doc.errors.map((e) => ({ file, path: [], message: e.message.split('\n')[0] })));
  return doc.toJS() ?? {};
}

export function loadDispatchFile(configDir: string): DispatchFile {
  const file = path.join(configDir, DISPATCH_FILE);
  if (!fs.existsSync(file)) return dispatchFileSchema.parse({});
  const r = dispatchFileSchema.safeParse(readYaml(file));
  if (!r.success) throw new ConfigError(r.error.issues.map((i) => ({ file, path: i.path as (string | number)[], message: i.message })));
  return r.data;
}

/** dispatch.yaml as the config loader validated it (LoadedConfig.sections). */
export const DISPATCH_SECTION = sectionKey<DispatchFile>(DISPATCH_FILE);
const SCHEDULES_SECTION = sectionKey<SchedulesFile>('schedules.yaml');

/** The file of a loaded config (parsed once by the loader); a config built by hand reads its folder. */
function dispatchFileOf(config: LoadedConfig): DispatchFile {
  if (!config.sections) return loadDispatchFile(config.dir);
  return sectionOf(config.sections, DISPATCH_SECTION) ?? dispatchFileSchema.parse({});
}

/** The site calendar (holidays, 调休) of schedules.yaml, shared with the schedules module. */
function calendarOf(config: LoadedConfig): HolidayCalendar {
  if (!config.sections) return loadCalendar(config.dir);
  return buildCalendar(sectionOf(config.sections, SCHEDULES_SECTION)?.calendar ?? { holidays: [], workdays: [] });
}

/** The site calendar (holidays, 调休) from schedules.yaml, shared with the schedules module. */
function loadCalendar(configDir: string): HolidayCalendar {
  const file = path.join(configDir, 'schedules.yaml');
  if (!fs.existsSync(file)) return buildCalendar({ holidays: [], workdays: [] });
  const r = calendarSchema.safeParse((readYaml(file) as { calendar?: unknown }).calendar ?? { holidays: [], workdays: [] });
  return r.success ? buildCalendar(r.data) : buildCalendar({ holidays: [], workdays: [] });
}

export function createDispatchModule(opts: DispatchModuleOptions = {}): DispatchModule {
  let service: DispatchService | undefined;
  let store: WorkOrderStore | undefined;
  let log: DeliveryLog | undefined;
  let notifier: Notifier | undefined;
  let link: AlarmLink | undefined;
  let smtp: SmtpChannel | undefined;
  let timer: NodeJS.Timeout | undefined;
  let pendingCheck: NodeJS.Timeout | undefined;
  let offBus: (() => void) | undefined;
  let onConnection: ((s: Socket) => void) | undefined;
  let hubCtx: HubContext | undefined;
  let vapidPublicKey: string | undefined;
  let lastError: string | undefined;
  let file: DispatchFile | undefined;
  // The notifier keeps this map: a reload updates it in place (new mobiles, languages).
  const people = new Map<string, DispatchFile['people'][number]>();
  const now = opts.now ?? Date.now;

  const tick = () => {
    try {
      service?.sweep();
      link?.check(now());
      lastError = undefined;
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (msg !== lastError) hubCtx?.log.error({ err }, 'dispatch tick failed');
      lastError = msg;
    }
  };

  return {
    name: 'dispatch',
    after: ['alarms'],
    get service() {
      return service;
    },
    get notifier() {
      return notifier;
    },
    get deliveries() {
      return log;
    },
    get orders() {
      return store;
    },
    tick,
    async start(hub) {
      hubCtx = hub;
      file = opts.file ?? dispatchFileOf(hub.config);
      const problems = checkDispatch(file, new Set(hub.config.users.map((u) => u.username)));
      if (problems.length > 0) throw new ConfigError(problems.map((p) => ({ file: path.join(hub.config.dir, DISPATCH_FILE), path: p.path, message: p.message })));
      const calendar = opts.calendar ?? calendarOf(hub.config);
      store = new WorkOrderStore(path.join(hub.dataDir, 'workorders'));
      log = new DeliveryLog(path.join(hub.dataDir, 'notify'));
      const n = file.notify;
      for (const p of file.people) people.set(p.user, p);
      const channels: Partial<Record<'email' | 'push' | 'console', Channel>> = { console: new ConsoleChannel(hub.io) };
      // nodemailer and web-push load only when configured (start-up time, docs/performance.md).
      if (n.smtp) channels.email = smtp = new (await import('../notify/smtp.js')).SmtpChannel(n.smtp);
      if (n.push) {
        const { loadOrCreateVapid, WebPushChannel } = await import('../notify/webpush.js');
        const vapid = loadOrCreateVapid(path.join(hub.dataDir, 'notify'));
        vapidPublicKey = vapid.publicKey;
        const l = log;
        channels.push = new WebPushChannel(vapid, n.push.subject, (u) => l.subscriptions(u), (e) => l.forgetSubscription(e));
      }
      notifier = new Notifier({
        config: n, people, timezone: hub.config.site.timezone, log, channels,
        robots: n.robots.map((r) => ({ id: r.id, channel: new RobotChannel(r.type, r.url, r.secret), trades: r.trades, lang: r.lang })),
        now, logger: hub.log.child({ part: 'notify' }), tickMs: opts.notifyTickMs,
      });
      // Console notifications go to a room per user; sockets are authenticated before 'connection'.
      onConnection = (s: Socket) => {
        if (typeof s.data?.user === 'string') void s.join(userRoom(s.data.user));
      };
      hub.io.on('connection', onConnection);
      const alarms = opts.alarms ?? (() => undefined);
      service = new DispatchService({
        file, store, calendar, timezone: hub.config.site.timezone, dataDir: hub.dataDir, notifier, audit: hub.audit, log: hub.log, now,
        commentAlarm: (id, user, text) => alarms()?.comment(id, user, text),
      });
      const protocols = new Map(hub.config.points.map((p) => [p.info.id, p.info.protocol]));
      link = new AlarmLink({ alarms, service, store, notifier, protocolOf: (id) => protocols.get(id), log: hub.log });
      offBus = hub.bus.subscribe(() => {
        // Alarms evaluate synchronously on the same batch; look a moment later, coalesced.
        pendingCheck ??= setTimeout(() => {
          pendingCheck = undefined;
          link?.check(now());
        }, 50);
      });
      const tickMs = opts.tickMs ?? 1000;
      if (tickMs > 0) {
        timer = setInterval(tick, tickMs);
        timer.unref();
      }
      hub.health.register('dispatch', () => ({ ok: lastError === undefined, open: store!.open().length, pendingNotifications: notifier!.pending(), ...(lastError ? { error: lastError } : {}) }));
      hub.log.info({ people: file.people.length, roster: file.roster.entries.length, robots: n.robots.length, smtp: !!n.smtp, push: !!n.push }, 'dispatch started');
    },
    reload(next, diff) {
      // dispatch.yaml (roster, people, SLAs) or the calendar changed: the next dispatch uses them.
      // Notification channels (SMTP, push, robots) are built at start and wait for a restart.
      const changed = diff.sectionsChanged.includes(DISPATCH_FILE) || (diff.sectionsChanged.includes('schedules.yaml') && !opts.calendar);
      if (!service || !file || !changed) return;
      const nf = opts.file ?? dispatchFileOf(next);
      const needsRestart = JSON.stringify(nf.notify) !== JSON.stringify(file.notify) ? [`${DISPATCH_FILE} notify`] : [];
      file = nf;
      people.clear();
      for (const p of nf.people) people.set(p.user, p);
      service.reconfigure(nf, opts.calendar ?? calendarOf(next));
      hubCtx?.log.info({ people: nf.people.length, roster: nf.roster.entries.length }, 'dispatch config reloaded');
      return needsRestart.length ? { needsRestart } : undefined;
    },
    routes(): Router {
      if (!service || !store || !link || !log || !hubCtx) throw new Error('dispatch module: routes() called before start()');
      return dispatchRoutes({
        service, store, link, alarms: opts.alarms ?? (() => undefined), log, vapidPublicKey, dataDir: hubCtx.dataDir,
        timezone: hubCtx.config.site.timezone, requirePermission: hubCtx.requirePermission,
      });
    },
    async stop() {
      if (timer) clearInterval(timer);
      if (pendingCheck) clearTimeout(pendingCheck);
      offBus?.();
      if (onConnection) hubCtx?.io.off('connection', onConnection);
      await notifier?.close();
      smtp?.close();
      store?.close();
      log?.close();
    },
  };
}
