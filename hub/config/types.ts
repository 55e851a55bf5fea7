// The validated, resolved site configuration: what hub/config/load.ts returns.
import type { Permission, Role } from '../../contracts/auth.js';
import type { PointScope } from '../../contracts/scopes.js';
import type { SiteTree } from '../../contracts/api.js';
import type { BoundPoint, ConnectionConfig, DeviceConfig } from '../../contracts/driver.js';
import type { LocalizedText } from '../../contracts/point.js';
import type { HistorySettings } from '../history/settings.js';
import type { VideoSettings } from '../video/standby.js';
import type { BuildingPlan } from '../../contracts/geometry.js';

export interface HubSettings {
  host: string;
  port: number;
  /** Absolute path of the data folder. */
  dataDir: string;
  liveWindowMs: number;
  sessionTtlHours: number;
  /** Extra origins allowed to change state and open WebSockets (hub/auth/origin.ts). Optional: configs built in code leave it out. */
  allowedOrigins?: string[];
  /** Proxies (IPs, CIDR blocks) whose X-Forwarded-For names the client (hub/auth/client-address.ts). */
  trustedProxies?: string[];
  /** Session cookie with the Secure attribute (behind TLS). */
  secureCookies?: boolean;
  /** Send Strict-Transport-Security with this max-age (behind TLS). */
  hstsMaxAgeS?: number;
  /** Reload live when a config file changes (hub/reload/watch.ts). Optional: configs built in code leave it out. */
  watchConfig?: boolean;
  /** The `history:` section of hub.yaml, defaults applied. */
  history: HistorySettings;
  /** The `video:` section of hub.yaml. Optional: configs built in code leave it out (defaults apply). */
  video?: VideoSettings;
}

export interface DeviceEntry extends DeviceConfig {
  name: LocalizedText;
  location: { building: string; floor: string; room: string };
  /** Config file it came from, for error messages. */
  file: string;
}

export interface UserEntry {
  username: string;
  name: LocalizedText;
  role: Role;
  /** `scrypt$N$r$p$saltB64$hashB64` */
  passwordHash: string;
}

export interface LoadedConfig {
  /** Absolute path of the config folder. */
  dir: string;
  site: SiteTree;
  hub: HubSettings;
  connections: ConnectionConfig[];
  devices: DeviceEntry[];
  /** Every point, with `info` resolved (full id, protocol, intervalMs). */
  points: BoundPoint[];
  users: UserEntry[];
  rolePermissions: Record<Role, Permission[]>;
  /** Command scopes set in users.yaml `roles:`; roles left out use DEFAULT_ROLE_SCOPES (contracts/scopes.ts). */
  roleScopes?: Partial<Record<Role, PointScope>>;
  /**
   * The subsystem files (alarms.yaml, schedules.yaml, lighting.yaml, broadcast.yaml, …) as their
   * section schema validated and cross-checked them, by file name; a missing file is absent. Read
   * with sectionOf(config.sections, KEY) (hub/config/section-key.ts). Undefined: built by hand.
   */
  sections?: ReadonlyMap<string, unknown>;
  /**
   * The floor plan of each building that has one (floorplans/<building>.yaml), validated against
   * this config by validateConfigFolder; absent when the config was loaded without plans.
   */
  floorPlans?: ReadonlyMap<string, BuildingPlan>;
}
