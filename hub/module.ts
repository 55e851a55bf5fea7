// The seam through which subsystems (history, alarms, schedules, video...) plug into the hub
// without the hub knowing them. The composition root (hub/modules.ts → hub/server.ts) starts
// modules in dependency order (`dependsOn`, `after`) and stops them in reverse.
import type Router from '@koa/router';
import type { RouterMiddleware } from '@koa/router';
import type { Server as IoServer } from 'socket.io';
import type { Permission } from '../contracts/auth.js';
import type { LoadedConfig } from './config/types.js';
import type { CommandService } from './commands.js';
import type { HubRegistries } from './registries.js';
import type { AuditLogLike, HealthRegistryLike, HubLogger, PointStoreLike, SampleBusLike } from './ports.js';

export type { AuditEntry, AuditLogLike, HealthRegistryLike, HubLogger, IngestEvent, PointStoreLike, SampleBusLike } from './ports.js';
export type { HubRegistries } from './registries.js';

export interface HubContext {
  /** Loaded and validated once; subsystem files are in `config.sections` (no module re-reads YAML). */
  config: LoadedConfig;
  log: HubLogger;
  dataDir: string;
  bus: SampleBusLike;
  store: PointStoreLike;
  health: HealthRegistryLike;
  audit: AuditLogLike;
  io: IoServer;
  /** Registries shared between subsystems and drivers, created once by the composition root. */
  registries: HubRegistries;
  /** Operator commands (hub/commands.ts); the control module attaches the priority array with `commands.attach('priority', …)` at start. */
  commands?: CommandService;
  /**
   * Koa middleware: 401 without a session, 403 without the permission. Sets ctx.state.user = { username, role, permissions }.
   * For points:write it also authorises the command on the points `targets` names (default: the route's `*id`):
   * scope by point class/area, confirm + reason for security commands (hub/auth/point-guard.ts).
   */
  requirePermission(p: Permission, targets?: (ctx: { params?: Record<string, string> }) => string[]): RouterMiddleware;
  /** Conditions of external alarm systems (OPC UA A&C) the drivers report; absent in hubs built by hand in tests. */
  externalConditions?: import('./alarms/external.js').ExternalConditions;
  /** Several hubs (edge.yaml hub.redisUrl): which hub owns which alarm, and the messages between hubs (hub/edge/cluster-alarms.ts). */
  alarmCluster?: import('./alarms/cluster-port.js').AlarmClusterLink;
  /** Re-reads the config folder and applies the difference live (hub/reload): for editors that write config files. */
  reload?(user: string, trigger: import('./reload/types.js').ReloadTrigger): Promise<import('./reload/types.js').ReloadResult>;
  /** The hub's HTTP server, for modules that serve WebSocket upgrades beside Socket.IO (video gateway). */
  httpServer?: import('node:http').Server;
}

export interface HubModule {
  name: string;
  /**
   * Modules that must run for this one to work, by name: they start first, and a hub whose module
   * list lacks one refuses to start with a clear error.
   */
  dependsOn?: readonly string[];
  /** Modules that, when present, start before this one (soft order: absent ones are fine). */
  after?: readonly string[];
  start?(hub: HubContext): Promise<void>;
  /** Mounted under /api. */
  routes?(): Router;
  stop?(): Promise<void>;
  /**
   * A live config reload (hub/reload), called after the new config was validated whole and the
   * drivers and point store were updated. `next` is the new config; modules without this hook
   * keep running on what they read at start (the reload reports their files as needing a restart).
   */
  reload?(next: LoadedConfig, diff: import('./reload/diff.js').ConfigDiff): ModuleReloadAnswer | Promise<ModuleReloadAnswer>;
}

/** What a module's reload hook may answer: settings it could not apply live (`file: key`), reported as "needs restart: …". */
export type ModuleReloadAnswer = void | { needsRestart?: string[] };
