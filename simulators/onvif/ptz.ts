// The simulated PTZ head: position moves over time while a ContinuousMove runs, within limits.
export interface PtzPosition { pan: number; tilt: number; zoom: number }
export interface PtzLimits { pan: [number, number]; tilt: [number, number]; zoom: [number, number] }

export const DEFAULT_PTZ_LIMITS: PtzLimits = { pan: [-1, 1], tilt: [-1, 1], zoom: [0, 1] };
/** Position units per second at velocity 1. */
export const PTZ_SPEED = 0.5;

const clamp = (v: number, [lo, hi]: [number, number]) => Math.min(hi, Math.max(lo, v));

export class PtzHead {
  private origin: PtzPosition = { pan: 0, tilt: 0, zoom: 0 };
  private velocity: PtzPosition = { pan: 0, tilt: 0, zoom: 0 };
  private since = 0;
  private until = Infinity;

  constructor(readonly limits: PtzLimits = DEFAULT_PTZ_LIMITS, private readonly now: () => number = Date.now) {
    this.since = now();
  }

  position(): PtzPosition {
    const t = Math.min(this.now(), this.until);
    const dt = Math.max(0, t - this.since) / 1000;
    return {
      pan: clamp(this.origin.pan + this.velocity.pan * PTZ_SPEED * dt, this.limits.pan),
      tilt: clamp(this.origin.tilt + this.velocity.tilt * PTZ_SPEED * dt, this.limits.tilt),
      zoom: clamp(this.origin.zoom + this.velocity.zoom * PTZ_SPEED * dt, this.limits.zoom),
    };
  }

  moving(): boolean {
    const v = this.velocity;
    return (v.pan !== 0 || v.tilt !== 0 || v.zoom !== 0) && this.now() < this.until;
  }

  continuousMove(v: PtzPosition, timeoutMs?: number): void {
    this.origin = this.position();
    this.since = this.now();
    this.velocity = { pan: clamp(v.pan, [-1, 1]), tilt: clamp(v.tilt, [-1, 1]), zoom: clamp(v.zoom, [-1, 1]) };
    this.until = timeoutMs === undefined ? Infinity : this.since + timeoutMs;
  }

  stop(): void {
    this.origin = this.position();
    this.since = this.now();
    this.velocity = { pan: 0, tilt: 0, zoom: 0 };
    this.until = Infinity;
  }

  /** Which axis is out of range, or undefined. */
  outOfRange(p: Partial<PtzPosition>): string | undefined {
    for (const axis of ['pan', 'tilt', 'zoom'] as const) {
      const v = p[axis];
      if (v === undefined) continue;
      const [lo, hi] = this.limits[axis];
      if (!(v >= lo && v <= hi)) return `${axis} ${v} outside ${lo}..${hi}`;
    }
    return undefined;
  }

  /** Moves at once (callers check outOfRange first). */
  absoluteMove(p: Partial<PtzPosition>): void {
    const cur = this.position();
    this.origin = { pan: p.pan ?? cur.pan, tilt: p.tilt ?? cur.tilt, zoom: p.zoom ?? cur.zoom };
    this.velocity = { pan: 0, tilt: 0, zoom: 0 };
    this.since = this.now();
    this.until = Infinity;
  }
}
