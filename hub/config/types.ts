// The validated, resolved site configuration: what hub/config/load.ts returns.
import type { Permission, Role } from '../../contracts/auth.js';
import type { SiteTree } from '../../contracts/api.js';
import type { BoundPoint, ConnectionConfig, DeviceConfig } from '../../contracts/driver.js';
import type { LocalizedText } from '../../contracts/point.js';
import type { HistorySettings } from '../history/settings.js';

export interface HubSettings {
  host: string;
  port: number;
  /** Absolute path of the data folder. */
  dataDir: string;
  liveWindowMs: number;
  sessionTtlHours: number;
  /** The `history:` section of hub.yaml, defaults applied. */
  history: HistorySettings;
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
}
