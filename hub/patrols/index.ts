// Guard tours and cleaning inspections as a hub module: checkpoints with signed QR codes (secrets
// in <dataDir>/patrols), tours scheduled by shift on the site calendar, scans from phones, alarms
// through the ISA-18.2 engine as the `patrols` rule source, work orders through dispatch, live
// status to the `patrols` Socket.IO room. Configured in config/patrols.yaml (docs/patrols.md).
import { guarded } from '../live/guard.js';
import fs from 'node:fs';
import path from 'node:path';
import type Router from '@koa/router';
import type { Socket } from 'socket.io';
import YAML from 'yaml';
import type { Permission } from '../../contracts/auth.js';
import type { RunStatus } from '../../contracts/patrols.js';
import type { AlarmEngine } from '../alarms/engine.js';
import { ConfigError } from '../config/errors.js';
import { sectionKey, sectionOf } from '../config/section-key.js';
import { buildCalendar, type HolidayCalendar } from '../control/calendar.js';
import type { SchedulesFile } from '../control/schedule-schema.js';
import type { HubContext, HubModule } from '../module.js';
import type { AlarmSink } from './alarms.js';
import { patrolRoutes } from './routes.js';
import { checkPatrols, patrolsFileSchema, type PatrolsFile } from './schema.js';
import { CheckpointSecrets } from './secrets.js';
import { PatrolService, type WorkOrderSink } from './service.js';
import { PatrolStore } from './store.js';

export { patrolsFileSchema, checkPatrols } from './schema.js';
export const PATROLS_FILE = 'patrols.yaml';
export const PATROLS_SECTION = sectionKey<PatrolsFile>(PATROLS_FILE);
export const PATROLS_ROOM = 'patrols';

export interface PatrolsModuleOptions {
  /** The alarm engine, once the alarms module started. */
  alarms?: () => Pick<AlarmEngine, 'setSourceConditions'> | undefined;
  /** Dispatch: the roster (who is on duty) and work orders for failed inspection items. */
  dispatch?: () => { onCall(trade: any, area: string, at?: number): { people: string[] } | undefined; create(input: any): { id: number } } | undefined;
  file?: PatrolsFile;
  calendar?: HolidayCalendar;
  now?: () => number;
  /** How often runs are judged and alarms synced (ms); default 1000; 0 = tests call tick(). */
  tickMs?: number;
}

export interface PatrolsModule extends HubModule {
  readonly service: PatrolService | undefined;
  tick(): void;
}

function readFile(configDir: string): PatrolsFile {
  const file = path.join(configDir, PATROLS_FILE);
  if (!fs.existsSync(file)) return patrolsFileSchema.parse({});
  const r = patrolsFileSchema.safeParse(YAML.parse(fs.readFileSync(file, 'utf8')) ?? {});
  if (!r.success) throw new ConfigError(r.error.issues.map((i) => ({ file, path: i.path as (string | number)[], message: i.message })));
  return r.data;
}

export function createPatrolsModule(opts: PatrolsModuleOptions = {}): PatrolsModule {
  let service: PatrolService | undefined;
  let store: PatrolStore | undefined;
  let timer: NodeJS.Timeout | undefined;
  let hubCtx: HubContext | undefined;
  let onConnection: ((s: Socket) => void) | undefined;
  let lastError: string | undefined;
  const now = opts.now ?? Date.now;

  const tick = () => {
    try {
      service?.tick();
      lastError = undefined;
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (msg !== lastError) hubCtx?.log.error({ err }, 'patrols tick failed');
      lastError = msg;
    }
  };

  return {
    name: 'patrols',
    after: ['alarms', 'dispatch'],
    get service() {
      return service;
    },
    tick,
    async start(hub) {
      hubCtx = hub;
      const file = opts.file ?? sectionOf(hub.config.sections, PATROLS_SECTION) ?? readFile(hub.config.dir);
      const problems = checkPatrols(file, new Set(hub.config.users.map((u) => u.username)));
      if (problems.length > 0) throw new ConfigError(problems.map((p) => ({ file: path.join(hub.config.dir, PATROLS_FILE), path: p.path, message: p.message })));
      const schedules = sectionOf(hub.config.sections, sectionKey<SchedulesFile>('schedules.yaml'));
      const calendar = opts.calendar ?? buildCalendar(schedules?.calendar ?? { holidays: [], workdays: [] });
      const dir = path.join(hub.dataDir, 'patrols');
      store = new PatrolStore(dir);
      const alarmSink = (): AlarmSink | undefined => {
        const e = opts.alarms?.();
        return e && { set: (items) => e.setSourceConditions(items) };
      };
      const wo = (): WorkOrderSink | undefined => {
        const d = opts.dispatch?.();
        return d && { create: (input) => d.create(input) };
      };
      const io = hub.io;
      service = new PatrolService({
        file, secrets: new CheckpointSecrets(dir, now), store, calendar, timezone: hub.config.site.timezone, now,
        onDuty: (trade, area, at) => opts.dispatch?.()?.onCall(trade, area, at)?.people[0],
        alarms: alarmSink, workOrders: wo, audit: hub.audit, log: hub.log,
        onChange: (runs: RunStatus[]) => io.to(PATROLS_ROOM).emit('patrols:update', runs),
      });
      service.start();
      // The wall joins the room; only users who may read patrols get the stream.
      onConnection = (s: Socket) => {
        // The ack is the last argument, whatever a (hostile or old) client sends before it; a throw answers too.
        s.on('patrols:subscribe', guarded(hub.log, 'patrols:subscribe', (...args: unknown[]) => {
          const ack = args.at(-1);
          if (typeof ack !== 'function') return;
          const perms: readonly Permission[] = hub.config.rolePermissions[s.data?.role as keyof typeof hub.config.rolePermissions] ?? [];
          if (!perms.includes('patrols:read')) return ack({ ok: false, error: 'forbidden: needs patrols:read' });
          void s.join(PATROLS_ROOM);
          ack({ ok: true, runs: service?.status() ?? [] });
        }));
        s.on('patrols:unsubscribe', guarded(hub.log, 'patrols:unsubscribe', (...args: unknown[]) => {
          void s.leave(PATROLS_ROOM);
          const ack = args.at(-1);
          if (typeof ack === 'function') ack({ ok: true });
        }));
      };
      hub.io.on('connection', onConnection);
      const tickMs = opts.tickMs ?? 1000;
      if (tickMs > 0) {
        timer = setInterval(tick, tickMs);
        timer.unref();
      }
      hub.health.register('patrols', () => ({ ok: lastError === undefined, tours: service?.tours.size ?? 0, checkpoints: service?.checkpoints.size ?? 0, openRuns: service?.status().length ?? 0, ...(lastError ? { error: lastError } : {}) }));
      hub.log.info({ tours: file.tours.length, checkpoints: file.checkpoints.length }, 'patrols started');
    },
    reload(next, diff) {
      const changed = diff.sectionsChanged.includes(PATROLS_FILE) || (diff.sectionsChanged.includes('schedules.yaml') && !opts.calendar);
      if (!service || opts.file || !changed) return;
      const file = sectionOf(next.sections, PATROLS_SECTION) ?? (next.sections ? patrolsFileSchema.parse({}) : readFile(next.dir));
      const schedules = sectionOf(next.sections, sectionKey<SchedulesFile>('schedules.yaml'));
      service.reconfigure(file, opts.calendar ?? buildCalendar(schedules?.calendar ?? { holidays: [], workdays: [] }));
      hubCtx?.log.info({ tours: file.tours.length, checkpoints: file.checkpoints.length }, 'patrols config reloaded');
    },
    routes(): Router {
      if (!service || !hubCtx) throw new Error('patrols module: routes() called before start()');
      return patrolRoutes({ service, audit: hubCtx.audit, requirePermission: hubCtx.requirePermission });
    },
    async stop() {
      if (timer) clearInterval(timer);
      if (onConnection) hubCtx?.io.off('connection', onConnection);
      store?.close();
    },
  };
}
