// The onvif package's callback API as promises, kept in one place with the shapes we rely on.
import type { PtzLimits, PtzPosition, PtzPreset } from './registry.js';

// The package's typings are loose; we describe only what we use.
export interface RawCam {
  connect(cb: (err: Error | null) => void): void;
  activeSource?: { profileToken: string; encoding?: string; width?: number; height?: number; fps?: number; ptz?: unknown };
  profiles?: Array<{ $: { token: string }; PTZConfiguration?: unknown; videoEncoderConfiguration?: { encoding?: string; resolution?: { width: number; height: number }; rateControl?: { frameRateLimit?: number } } }>;
  uri?: Record<string, unknown>;
  [method: string]: unknown;
}

export interface CamOptions {
  hostname: string;
  port: number;
  username: string;
  password: string;
  path?: string;
  timeout: number;
}

/** The onvif package loads with the first camera connect, after the hub listens (start-up time). */
export async function createCam(o: CamOptions): Promise<RawCam> {
  const onvif = (await import('onvif')).default;
  const Cam = (onvif as unknown as { Cam: new (opts: object) => RawCam }).Cam;
  // preserveAddress: use our host/port even if the camera advertises other service addresses (NAT, proxies).
  return new Cam({ ...o, autoconnect: false, preserveAddress: true });
}

export function call<T = unknown>(cam: RawCam, method: string, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const fn = cam[method] as ((...a: unknown[]) => void) | undefined;
    if (typeof fn !== 'function') return reject(new Error(`onvif client has no ${method}`));
    fn.call(cam, ...args, (err: Error | null, data: T) => (err ? reject(err) : resolve(data)));
  });
}

export function connect(cam: RawCam): Promise<void> {
  return new Promise((resolve, reject) => cam.connect((err) => (err ? reject(err) : resolve())));
}

const num = (v: unknown, fallback: number) => {
  const n = typeof v === 'number' ? v : parseFloat(String(v));
  return Number.isFinite(n) ? n : fallback;
};

/** PTZ limits from GetConfigurations (strings in the package's output); generic spaces by default. */
export function limitsOf(configurations: unknown): PtzLimits {
  const limits: PtzLimits = { pan: [-1, 1], tilt: [-1, 1], zoom: [0, 1] };
  const first = Object.values((configurations ?? {}) as Record<string, any>)[0];
  const pt = first?.panTiltLimits;
  if (pt) {
    limits.pan = [num(pt.XRange?.min, -1), num(pt.XRange?.max, 1)];
    limits.tilt = [num(pt.YRange?.min, -1), num(pt.YRange?.max, 1)];
  }
  const z = first?.zoomLimits;
  if (z) limits.zoom = [num(z.XRange?.min, 0), num(z.XRange?.max, 1)];
  return limits;
}

/** GetPresets result (keyed by name) → list with positions. */
export function presetsOf(result: unknown): PtzPreset[] {
  return Object.values((result ?? {}) as Record<string, any>).map((p) => {
    const pos = p?.PTZPosition;
    return {
      token: String(p?.$?.token),
      name: String(p?.name ?? p?.$?.token),
      position: pos ? { pan: num(pos.panTilt?.$?.x, 0), tilt: num(pos.panTilt?.$?.y, 0), zoom: num(pos.zoom?.$?.x, 0) } : undefined,
    };
  });
}

export function positionOf(status: { position?: { x?: unknown; y?: unknown; zoom?: unknown } }): PtzPosition {
  return { pan: num(status.position?.x, 0), tilt: num(status.position?.y, 0), zoom: num(status.position?.zoom, 0) };
}
