// The driver contract. Every protocol folder under drivers/ implements it and
// registers one DriverFactory in drivers/registry.ts.
import type { ZodType } from 'zod';
import type { ExternalCondition } from './alarms.js';
import type { Logger } from './log.js';
import type { PointInfo, PointValue, Sample } from './point.js';

export type ConnectionState = 'connecting' | 'online' | 'offline' | 'auth_failed' | 'stopped';

/** Status of one shared connection (one endpoint: a Modbus gateway, an OPC UA server, a camera). */
export interface ConnectionStatus {
  /** Connection id from config. */
  connection: string;
  protocol: string;
  state: ConnectionState;
  /** Human-readable reason for a non-online state. */
  detail?: string;
  /** When the state last changed (ms). */
  since: number;
  /** Duration of the last poll cycle (ms), for polling drivers. */
  lastCycleMs?: number;
}

/** The project's one logger interface (contracts/log.ts), under the name drivers have always used. */
export type DriverLogger = Logger;

/**
 * In-process registries the composition root shares with drivers (e.g. `derivedSignals`, which hub
 * subsystems publish into; `cameras`, where the ONVIF driver exposes PTZ to the video gateway).
 * Keyed by name; each driver checks the type of what it takes. Never a module-level singleton.
 */
export interface DriverServices {
  readonly [name: string]: unknown;
}

/** What the hub gives a driver. The driver never talks to anything else. */
export interface DriverContext {
  /** Publish a batch of samples. Never called after stop() resolves. */
  publish(batch: Sample[]): void;
  /** Report a connection's status; the hub logs transitions and shows them. */
  status(status: ConnectionStatus): void;
  log: DriverLogger;
  /** The project's data folder (PKI, caches). */
  dataDir: string;
  /** Registries shared with hub subsystems (see DriverServices); absent when a test runs a driver alone. */
  services?: DriverServices;
  /**
   * Conditions of an external alarm system (OPC UA A&C) changed: each entry is a condition's full
   * current state. Absent when the hub (or a test) takes no external alarms.
   */
  publishConditions?(conditions: ExternalCondition[]): void;
}

/**
 * How the hub's priority array reaches a device that keeps its own (BACnet commandable objects):
 * the level of the hub's winning slot, or the slot the hub released. Drivers whose devices have no
 * priority array ignore it and simply write `value` (the hub's effective value).
 */
export interface WriteOptions {
  /** The hub's priority-array level 1..16 (1 strongest) this write belongs to. */
  priority?: number;
  /**
   * Release slot `priority` on the device (BACnet: write NULL at that priority) instead of writing
   * `value`; the device falls back to its next slot or its relinquish default, which the read-back
   * reports. Only sent for points whose driver says `nativePriority(pointId)`.
   */
  relinquish?: boolean;
}

export interface WriteResult {
  /** True when the value read back after the write equals what was written. */
  confirmed: boolean;
  readBack: PointValue;
  detail?: string;
}

/** A typed error a driver throws from write(): the hub turns `code` into an HTTP status. */
export class DriverWriteError extends Error {
  constructor(
    public readonly code: 'invalid_value' | 'not_writable' | 'unknown_point' | 'device_error' | 'timeout' | 'offline',
    message: string,
  ) {
    super(message);
    this.name = 'DriverWriteError';
  }
}

export interface Driver {
  readonly protocol: string;
  /** Connects in the background with retry and backoff; resolves once polling/subscribing has been scheduled. */
  start(ctx: DriverContext): Promise<void>;
  /**
   * Optional local work before the first connect (loading the protocol library, creating the client
   * certificate), for a hub whose driver start waits for something else (the demo's simulators): it
   * calls this first, so that work overlaps the wait. Never connects or publishes; start() works
   * without it and may be called while it still runs.
   */
  prepare?(ctx: DriverContext): Promise<void>;
  /**
   * Write a point and confirm by reading it back. Range/type checked before anything is sent.
   * `options` carries the hub's priority level (see WriteOptions); drivers without a native priority
   * array ignore it.
   */
  write(pointId: string, value: PointValue, options?: WriteOptions): Promise<WriteResult>;
  /**
   * True when the point's device keeps its own 16-level priority array (BACnet AO/AV/BO/BV/MSO/MSV):
   * the hub then writes its winning level into the device slot of the same number and, when it
   * releases a level, relinquishes that slot instead of writing the fallback value, so the device's
   * array falls back exactly as the hub's does. Level 6 (BACnet minimum on/off) stays the device's:
   * the hub refuses commands at 6 for such points. Absent or false: the hub writes effective values.
   */
  nativePriority?(pointId: string): boolean;
  /**
   * Why the device could not take `value` at `pointId` (its wire type: a uint16 takes whole numbers
   * 0..65535), or null when it can. No I/O. The hub asks before it stores a command at any priority
   * level, so a value the device cannot hold never enters the priority array.
   */
  checkWrite?(pointId: string, value: PointValue): string | null;
  /**
   * Acknowledges an external condition (ExternalCondition.id) at its source, on behalf of `user`.
   * Only drivers that publish conditions implement it.
   */
  acknowledgeCondition?(id: string, comment: string, user: string): Promise<void>;
  /** Stops all I/O; nothing is published after this resolves. */
  stop(): Promise<void>;
}

/** A connection entry of the config, its options already validated by the driver's schema. */
export interface ConnectionConfig<C = unknown> {
  id: string;
  protocol: string;
  options: C;
}

/** A device (equipment) entry of the config. */
export interface DeviceConfig<D = unknown> {
  /** Equipment id (5th segment of its point ids). */
  id: string;
  connection: string;
  options: D;
  /**
   * Where the device is. Equipment ids are unique per room only, so a driver needs this to tell
   * two same-named devices on one connection apart (the hub's config entries always carry it).
   */
  location?: { building: string; floor: string; room: string };
}

/** A point bound to its device, with the driver-validated source. */
export interface BoundPoint<S = unknown> {
  info: PointInfo;
  device: string;
  connection: string;
  source: S;
}

/** A config problem found by a driver's cross-checks (e.g. overlapping registers). */
export interface ConfigIssue {
  /** Path inside the config, e.g. ['devices', 3, 'points', 12, 'source', 'address']. */
  path: (string | number)[];
  message: string;
}

/** Everything the config loader and the hub need to know about a protocol. */
export interface DriverFactory<C = any, D = any, S = any> {
  protocol: string;
  /** Validates connections[].options. Must reject unknown keys. */
  connectionSchema: ZodType<C>;
  /** Validates devices[].options. Must reject unknown keys. */
  deviceSchema: ZodType<D>;
  /** Validates devices[].points[].source. Must reject unknown keys. */
  sourceSchema: ZodType<S>;
  /** Expected sample interval of a point (for staleness), from its connection options. */
  intervalMs(connection: C, source: S): number;
  /**
   * Cross-checks beyond one entry's schema (no I/O), per device file. Paths are inside that file, e.g. ['devices', 3, 'points', 12, 'source', 'address'].
   * `site.points` holds every configured point of every protocol (e.g. for a source that refers to another point).
   */
  check?(devices: Array<{ index: number; device: DeviceConfig<D>; connection: ConnectionConfig<C>; points: Array<{ index: number; point: BoundPoint<S> }> }>, site?: { points: ReadonlyMap<string, PointInfo> }): ConfigIssue[];
  /** Builds the driver for all of its connections. No I/O until start(). */
  create(connections: ConnectionConfig<C>[], devices: DeviceConfig<D>[], points: BoundPoint<S>[]): Driver;
}
