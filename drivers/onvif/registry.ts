// The typed camera API beside the point model: PTZ is not a point write, so the driver exposes
// each connected camera here and the video gateway (hub/video) reaches them through this registry.
// The PTZ vocabulary (commands, positions, presets, limits) is the console's too: it is defined
// once, in contracts/cameras.ts, and only re-exported here.
import type { Axis, PtzCommand, PtzLimits, PtzPosition, PtzPreset, PtzResult, Range } from '../../contracts/cameras.js';
import type { ConnectionState } from '../../contracts/driver.js';

export type { Axis, PtzCommand, PtzLimits, PtzPosition, PtzPreset, PtzResult, Range };

/** A PTZ command outside what the camera can do; `range` says what it can. */
export class PtzRangeError extends Error {
  constructor(message: string, public readonly axis: Axis | 'velocity', public readonly range: Range) {
    super(message);
    this.name = 'PtzRangeError';
  }
}

/** A preset token the camera does not have. */
export class UnknownPresetError extends Error {
  constructor(message: string, public readonly presets: string[]) {
    super(message);
    this.name = 'UnknownPresetError';
  }
}

/** Saving a preset under a name another preset of the camera has (ONVIF ter:PresetExist). */
export class PresetExistsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PresetExistsError';
  }
}

/** The camera cannot take commands now (offline, auth failed, no PTZ). */
export class CameraUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CameraUnavailableError';
  }
}

export interface CameraInfo {
  /** Camera id = the connection id in config. */
  id: string;
  /** Equipment ids (config devices) on this connection. */
  devices: string[];
  state: ConnectionState;
  detail?: string;
  since: number;
  streamUri?: string;
  snapshotUri?: string;
  /** Video encoding the camera reports, e.g. H264, H265. */
  codec?: string;
  width?: number;
  height?: number;
  fps?: number;
  manufacturer?: string;
  model?: string;
  ptz: boolean;
  limits?: PtzLimits;
  presets?: PtzPreset[];
  /** Live viewers at once (config); undefined: the gateway's default. */
  maxViewers?: number;
}

/**
 * How to open the camera's RTSP stream: kept out of CameraInfo (which is listed, emitted and may
 * be logged) so the password only travels to the one place that opens the stream.
 */
export interface StreamAccess {
  credentials?: { username: string; password: string };
  /** Fixed by config; undefined: TCP first, UDP if TCP never delivers. */
  transport?: 'tcp' | 'udp';
}

export interface CameraHandle {
  readonly id: string;
  info(): CameraInfo;
  ptz(cmd: PtzCommand): Promise<PtzResult>;
  streamAccess?(): StreamAccess;
}

export class CameraRegistry {
  private readonly cameras = new Map<string, CameraHandle>();
  private readonly listeners = new Set<(info: CameraInfo) => void>();

  register(h: CameraHandle): void {
    this.cameras.set(h.id, h);
  }
  unregister(id: string, h?: CameraHandle): void {
    if (!h || this.cameras.get(id) === h) this.cameras.delete(id);
  }
  get(id: string): CameraHandle | undefined {
    return this.cameras.get(id);
  }
  list(): CameraInfo[] {
    return [...this.cameras.values()].map((c) => c.info());
  }
  /** Status changes (online, offline, auth_failed, stream URI known...). */
  onChange(listener: (info: CameraInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(info: CameraInfo): void {
    for (const l of this.listeners) {
      try {
        l(info);
      } catch {
        /* a listener's bug must not break the driver */
      }
    }
  }
}
