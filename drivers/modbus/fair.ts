// Pure per-unit fair scheduling of one poll cycle's reads over a pipelined connection: up to
// `maxInFlight` requests at once on the socket, at most `perUnit` of them for any one unit id, and the
// units served round-robin, so a gateway's slow or silent unit cannot take every slot from the others
// (a serial gateway answers one unit at a time anyway; its other units should not wait behind it).

export interface FairOptions {
  /** Requests in flight on the connection (≥ 1). */
  maxInFlight: number;
  /** Requests in flight for one unit id (≥ 1). */
  perUnit: number;
}

export class FairScheduler<T extends { unitId: number }> {
  /** Per unit, its requests in plan order; units in order of first appearance. */
  private readonly queues = new Map<number, T[]>();
  private readonly heads = new Map<number, number>();
  private readonly busy = new Map<number, number>();
  private units: number[] = [];
  private turn = 0;
  private inFlight = 0;
  private left = 0;

  constructor(items: readonly T[], private readonly o: FairOptions) {
    for (const it of items) this.add(it);
  }

  /** Queues one more request (e.g. a read split in the middle of a cycle). */
  add(item: T): void {
    let q = this.queues.get(item.unitId);
    if (!q) {
      this.queues.set(item.unitId, (q = []));
      this.heads.set(item.unitId, 0);
      this.busy.set(item.unitId, 0);
      this.units.push(item.unitId);
    }
    q.push(item);
    this.left++;
  }

  /** Drops every queued (not yet started) request of a unit, returning them (a unit that went silent). */
  dropUnit(unitId: number): T[] {
    const q = this.queues.get(unitId);
    if (!q) return [];
    const head = this.heads.get(unitId)!;
    const dropped = q.slice(head);
    this.heads.set(unitId, q.length);
    this.left -= dropped.length;
    return dropped;
  }

  /** The next request to send now, or undefined when the limits say wait (or nothing is left). */
  next(): T | undefined {
    if (this.inFlight >= this.o.maxInFlight || this.left === 0) return undefined;
    const n = this.units.length;
    for (let k = 0; k < n; k++) {
      const unit = this.units[(this.turn + k) % n];
      const q = this.queues.get(unit)!;
      const head = this.heads.get(unit)!;
      if (head >= q.length || this.busy.get(unit)! >= this.o.perUnit) continue;
      this.heads.set(unit, head + 1);
      this.busy.set(unit, this.busy.get(unit)! + 1);
      this.inFlight++;
      this.left--;
      this.turn = (this.turn + k + 1) % n; // the next call starts after this unit: round-robin
      return q[head];
    }
    return undefined;
  }

  /** A request of `unitId` finished (answered, failed or timed out). */
  done(unitId: number): void {
    this.inFlight--;
    this.busy.set(unitId, this.busy.get(unitId)! - 1);
  }

  get pending(): number {
    return this.left;
  }

  get running(): number {
    return this.inFlight;
  }
}
