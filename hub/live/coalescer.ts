// Per-room coalescing: within one window the latest state of each point wins, and each room
// gets one batch per window. Pure: the caller owns the timer and the sockets.
import type { PointState } from '../../contracts/point.js';

export class RoomCoalescer {
  private pending = new Map<string, Map<string, PointState>>();

  add(room: string, state: PointState): void {
    let m = this.pending.get(room);
    if (!m) this.pending.set(room, (m = new Map()));
    m.set(state.id, state);
  }

  /** Everything pending, one batch per room, and a fresh start. */
  drain(): Array<[room: string, batch: PointState[]]> {
    const out: Array<[string, PointState[]]> = [];
    for (const [room, m] of this.pending) out.push([room, [...m.values()]]);
    this.pending = new Map();
    return out;
  }

  get isEmpty(): boolean {
    return this.pending.size === 0;
  }
}
