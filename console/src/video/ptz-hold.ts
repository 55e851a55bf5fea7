// Press-and-hold PTZ: pressing starts a continuous move, releasing stops it. Commands go out one
// after another (a quick tap must not let its `stop` overtake its `move`), and every move
// carries a timeout so the camera stops by itself if the console vanishes mid-press (tab closed,
// network lost); while the button stays held the move is re-sent before that timeout runs out.
import type { PtzCommand, PtzResult } from './camera-types.js';

export type Direction = 'up' | 'down' | 'left' | 'right' | 'zoomIn' | 'zoomOut';
export const DIRECTIONS: readonly Direction[] = ['up', 'down', 'left', 'right', 'zoomIn', 'zoomOut'];

export function moveOf(dir: Direction, speed: number, timeoutMs: number): PtzCommand {
  const v = { up: { tilt: speed }, down: { tilt: -speed }, left: { pan: -speed }, right: { pan: speed }, zoomIn: { zoom: speed }, zoomOut: { zoom: -speed } }[dir];
  return { type: 'move', ...v, timeoutMs };
}

/** Keyboard: arrows move, + / - (and PageUp / PageDown) zoom. */
export function directionOfKey(key: string): Direction | undefined {
  return ({ ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right', '+': 'zoomIn', '=': 'zoomIn', PageUp: 'zoomIn', '-': 'zoomOut', PageDown: 'zoomOut' } as Record<string, Direction>)[key];
}

/** The axis and range of an `out_of_range` refusal (the hub's 400 details), else undefined. */
export function outOfRangeOf(err: unknown): { axis: string; min: number; max: number } | undefined {
  const e = err as { code?: string; details?: { axis?: unknown; range?: unknown } } | null;
  if (e?.code !== 'out_of_range') return undefined;
  const range = e.details?.range;
  if (!Array.isArray(range) || range.length !== 2 || typeof range[0] !== 'number' || typeof range[1] !== 'number') return undefined;
  return { axis: String(e.details?.axis ?? '?'), min: range[0], max: range[1] };
}

export interface PtzHoldOptions {
  send(cmd: PtzCommand): Promise<PtzResult>;
  speed?: number;
  /** Safety timeout sent with each move (ms). */
  timeoutMs?: number;
  /** Re-send period while held; below timeoutMs. */
  refreshMs?: number;
  onResult?(cmd: PtzCommand, result: PtzResult): void;
  onError?(cmd: PtzCommand, err: unknown): void;
  timers?: { set(f: () => void, ms: number): unknown; clear(handle: unknown): void };
}

export class PtzHold {
  private held?: Direction;
  private timer: unknown;
  private chain: Promise<void> = Promise.resolve();
  private readonly timers: NonNullable<PtzHoldOptions['timers']>;

  constructor(private readonly o: PtzHoldOptions) {
    this.timers = o.timers ?? { set: (f, ms) => setTimeout(f, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };
  }

  get holding(): Direction | undefined {
    return this.held;
  }

  press(dir: Direction): void {
    if (this.held === dir) return;
    this.held = dir;
    this.timers.clear(this.timer);
    this.sendMove(dir);
  }

  /** Stop whatever is held; a release without a press sends nothing. */
  release(): void {
    if (!this.held) return;
    this.held = undefined;
    this.timers.clear(this.timer);
    this.enqueue({ type: 'stop' });
  }

  /** Resolves when every queued command has been answered. */
  idle(): Promise<void> {
    return this.chain;
  }

  enqueue(cmd: PtzCommand): Promise<void> {
    this.chain = this.chain.then(async () => {
      try {
        const result = await this.o.send(cmd); // (not inside onResult?.(): that would skip the send)
        this.o.onResult?.(cmd, result);
      } catch (err) {
        this.o.onError?.(cmd, err);
      }
    });
    return this.chain;
  }

  private sendMove(dir: Direction): void {
    const timeoutMs = this.o.timeoutMs ?? 2500;
    void this.enqueue(moveOf(dir, this.o.speed ?? 0.5, timeoutMs));
    this.timer = this.timers.set(() => {
      if (this.held === dir) this.sendMove(dir);
    }, this.o.refreshMs ?? Math.round(timeoutMs * 0.6));
  }
}
