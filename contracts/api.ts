// REST payloads shared by the hub (hub/api) and the console.
import type { ConnectionStatus } from './driver.js';
import type { LocalizedText, PointInfo, PointState, PointValue } from './point.js';
import type { Permission, Role } from './auth.js';
import type { PointClass } from './scopes.js';

/** Every error response has this one shape. */
export interface ApiError {
  error: { code: string; message: string; details?: unknown };
}

export interface LoginRequest { username: string; password: string }
export interface SessionInfo {
  user: string;
  name: string;
  role: Role;
  permissions: Permission[];
  token: string;
  expiresAt: number;
  /** The user's display name in each language (from config/users.yaml); `name` is its English form. */
  displayName?: LocalizedText;
  /** Which points the role may command (contracts/scopes.ts); the console hides the rest. */
  scope?: { pointClasses: PointClass[] | 'all'; areas: string[] | 'all' };
}

export interface HealthResponse {
  status: 'ok' | 'degraded';
  uptimeS: number;
  points: number;
  drivers: ConnectionStatus[];
  /** Filled by later subsystems (history, alarms, video) through the health registry. */
  components: Record<string, { ok: boolean; [k: string]: unknown }>;
}

export interface PointView extends PointInfo { state: PointState | null }

export interface PointsPage { items: PointView[]; total: number; offset: number; limit: number }

export interface WriteRequestBody { value: PointValue }
export interface WriteResponse {
  pointId: string;
  requested: PointValue;
  previous: PointValue;
  confirmed: boolean;
  readBack: PointValue;
  detail?: string;
}

export interface RoomNode { id: string; name: LocalizedText; type: string }
export interface FloorNode { id: string; key: string; name: LocalizedText; level: number; rooms: RoomNode[] }
export interface BuildingNode { id: string; name: LocalizedText; floors: FloorNode[] }
export interface SiteTree { id: string; name: LocalizedText; timezone: string; buildings: BuildingNode[] }

/** GET /api/history: aggregated trend per point (buckets aligned to `stepMs`, empty buckets left out). */
export interface HistoryResponse {
  from: number;
  to: number;
  stepMs: number;
  agg: 'mean' | 'min' | 'max' | 'last';
  backend: 'influxdb' | 'embedded';
  series: Array<{ pointId: string; unit?: string; points: Array<[number, number]> }>;
}

/** GET /api/energy: consumption per local hour/day/month from cumulative counters; `value` null = no reading in the bucket. */
export interface EnergyResponse {
  from: number;
  to: number;
  interval: 'hour' | 'day' | 'month';
  timezone: string;
  meters: Array<{ pointId: string; unit?: string; total: number; buckets: Array<{ start: number; end: number; value: number | null }> }>;
}
