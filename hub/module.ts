// The seam through which subsystems (history, alarms, schedules, video...) plug into the hub
// without the hub knowing them. hub/server.ts starts modules in order and stops them in reverse.
import type Router from '@koa/router';
import type { RouterMiddleware } from '@koa/router';
import type { Server as IoServer } from 'socket.io';
import type { Permission } from '../contracts/auth.js';
import type { PointState, Sample } from '../contracts/point.js';
import type { LoadedConfig } from './config/types.js';
import type { CommandService } from './commands.js';

export interface HubLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  child(bindings: object): HubLogger;
}

/** One ingested batch: every raw sample, and the point states it changed. */
export interface IngestEvent {
  samples: Sample[];
  changed: PointState[];
}

export interface SampleBusLike {
  /** Listeners run synchronously after state is updated; a throwing listener is logged, never breaks ingest. */
  subscribe(listener: (event: IngestEvent) => void): () => void;
}

export interface HealthRegistryLike {
  register(name: string, probe: () => { ok: boolean; [k: string]: unknown }): void;
}

export interface AuditEntry {
  ts: number;
  user: string;
  action: string;
  target: string;
  details?: Record<string, unknown>;
}

export interface AuditLogLike {
  record(entry: Omit<AuditEntry, 'ts'> & { ts?: number }): void;
}

export interface PointStoreLike {
  get(id: string): PointState | undefined;
  all(): PointState[];
}

export interface HubContext {
  config: LoadedConfig;
  log: HubLogger;
  dataDir: string;
  bus: SampleBusLike;
  store: PointStoreLike;
  health: HealthRegistryLike;
  audit: AuditLogLike;
  io: IoServer;
  /** Operator commands; the priority array wraps `commands.applyCommand` at start. */
  commands?: CommandService;
  /** Koa middleware: 401 without a session, 403 without the permission. Sets ctx.state.user = { username, role, permissions }. */
  requirePermission(p: Permission): RouterMiddleware;
  /** The hub's HTTP server, for modules that serve WebSocket upgrades beside Socket.IO (video gateway). */
  httpServer?: import('node:http').Server;
}

export interface HubModule {
  name: string;
  start?(hub: HubContext): Promise<void>;
  /** Mounted under /api. */
  routes?(): Router;
  stop?(): Promise<void>;
}
