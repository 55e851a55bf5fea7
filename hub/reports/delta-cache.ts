// Hourly meter consumption for the decision view, kept between refreshes. The view asks for this
// month (and the baseline days) every time it refreshes; on 1 s meter data that query reads millions
// of rows, although only the current hour has changed. Closed hours (older than `settleMs`, so
// samples still in flight have landed) are kept; a refresh asks the store only for the hours since.
// An entry is dropped after `maxAgeMs`, so data that arrives very late (an edge replaying its
// spool hours later) is picked up within that time.
import type { CounterDelta } from '../history/energy.js';
import type { HistoryStore } from '../history/store.js';

export interface DeltaCacheOptions {
  /** Hours that ended this long ago are kept (default 2 h). */
  settleMs?: number;
  /** An entry is refetched whole after this long (default 1 h). */
  maxAgeMs?: number;
  now?: () => number;
}

interface Entry {
  bucketMs: number;
  /** Buckets with ts in [from, to) are kept; `to` is a bucket boundary. */
  from: number;
  to: number;
  deltas: CounterDelta[];
  at: number;
}

/** Where a request can be answered from an entry: the kept part and the range to ask the store for. */
export function planFetch(e: Entry | undefined, from: number, to: number, bucketMs: number, at: number, maxAgeMs: number): { kept: CounterDelta[]; fetchFrom: number } {
  const usable = e !== undefined && e.bucketMs === bucketMs && at - e.at < maxAgeMs && e.from === from && e.to <= to;
  if (!usable) return { kept: [], fetchFrom: from };
  return { kept: e.deltas, fetchFrom: e.to };
}

/** The last bucket boundary at or before min(to, now − settle): what may be kept. */
export function keepUntil(to: number, bucketMs: number, now: number, settleMs: number): number {
  return Math.floor(Math.min(to, now - settleMs) / bucketMs) * bucketMs;
}

export class CounterDeltaCache {
  private readonly entries = new Map<string, Entry>();
  private readonly settleMs: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  /** Rows asked of the store (hours requested), for tests and the bench. */
  fetchedHours = 0;

  constructor(o: DeltaCacheOptions = {}) {
    this.settleMs = o.settleMs ?? 2 * 3_600_000;
    this.maxAgeMs = o.maxAgeMs ?? 3_600_000;
    this.now = o.now ?? Date.now;
  }

  async counterDeltas(store: HistoryStore, pointId: string, from: number, to: number, bucketMs: number): Promise<CounterDelta[]> {
    const at = this.now();
    // Only whole buckets can be combined: a request starting inside a bucket goes to the store.
    if (from % bucketMs !== 0) return store.counterDeltas(pointId, from, to, bucketMs);
    const key = `${pointId}\u0000${from}\u0000${bucketMs}`;
    const e = this.entries.get(key);
    const plan = planFetch(e, from, to, bucketMs, at, this.maxAgeMs);
    this.fetchedHours += Math.max(0, to - plan.fetchFrom) / bucketMs;
    const fresh = plan.fetchFrom < to ? await store.counterDeltas(pointId, plan.fetchFrom, to, bucketMs) : [];
    const all = plan.kept.length ? [...plan.kept, ...fresh] : fresh;
    const until = keepUntil(to, bucketMs, at, this.settleMs);
    if (until > from) {
      const kept = all.filter((d) => d.ts < until);
      this.entries.set(key, { bucketMs, from, to: until, deltas: kept, at: plan.kept.length ? e!.at : at });
    }
    this.prune(at);
    return all;
  }

  clear(): void {
    this.entries.clear();
  }

  private prune(at: number): void {
    for (const [k, e] of this.entries) if (at - e.at >= this.maxAgeMs) this.entries.delete(k);
  }
}
