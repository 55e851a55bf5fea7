// Deduplication and rate limiting per recipient and channel, so a flood becomes a few digests
// instead of 500 messages. Pure state machine with an injected clock: the notifier offers each
// message and sends what offer() and due() return.
//
// Per recipient key: up to `burst` messages leave in any `windowMs`; past that the recipient is in
// digest mode: messages queue and leave together one window after the queue opened; digest mode
// ends after a window in which nothing arrived. Held messages (quiet hours) queue until `holdUntil`.

export interface LimiterOptions {
  burst: number;
  windowMs: number;
  dedupMs: number;
}

export type Offer<T> = { action: 'send' } | { action: 'duplicate' } | { action: 'queued'; flushAt: number };

interface Lane<T> {
  sent: number[];
  queue: T[];
  flushAt: number | null;
  /** Quiet hours: kept apart so urgent messages still pass. */
  held: T[];
  heldUntil: number | null;
  digestMode: boolean;
  seen: Map<string, number>;
}

export class Limiter<T> {
  private readonly lanes = new Map<string, Lane<T>>();

  constructor(private readonly o: LimiterOptions) {}

  private lane(key: string): Lane<T> {
    let l = this.lanes.get(key);
    if (!l) this.lanes.set(key, (l = { sent: [], queue: [], flushAt: null, held: [], heldUntil: null, digestMode: false, seen: new Map() }));
    return l;
  }

  offer(key: string, dedupKey: string, item: T, now: number, holdUntil?: number): Offer<T> {
    const l = this.lane(key);
    const last = l.seen.get(dedupKey);
    if (last !== undefined && now - last < this.o.dedupMs) return { action: 'duplicate' };
    l.seen.set(dedupKey, now);
    if (l.seen.size > 10_000) for (const [k, t] of l.seen) if (now - t >= this.o.dedupMs) l.seen.delete(k);
    while (l.sent.length > 0 && now - l.sent[0] >= this.o.windowMs) l.sent.shift();
    if (holdUntil !== undefined && holdUntil > now) {
      l.held.push(item);
      l.heldUntil = Math.max(l.heldUntil ?? 0, holdUntil);
      return { action: 'queued', flushAt: l.heldUntil };
    }
    if (!l.digestMode && l.queue.length === 0 && l.sent.length < this.o.burst) {
      l.sent.push(now);
      return { action: 'send' };
    }
    l.queue.push(item);
    l.digestMode = true;
    l.flushAt ??= now + this.o.windowMs;
    return { action: 'queued', flushAt: l.flushAt };
  }

  /** Queues whose time has come: each becomes one digest (or one message if it holds one item). */
  due(now: number): Array<{ key: string; items: T[] }> {
    const out: Array<{ key: string; items: T[] }> = [];
    for (const [key, l] of this.lanes) {
      if (l.heldUntil !== null && l.heldUntil <= now) {
        out.push({ key, items: l.held });
        l.held = [];
        l.heldUntil = null;
        l.sent.push(now);
      }
      if (l.flushAt === null || l.flushAt > now) continue;
      if (l.queue.length === 0) {
        // A whole window went by without a message: the flood is over.
        l.flushAt = null;
        l.digestMode = false;
        continue;
      }
      out.push({ key, items: l.queue });
      l.queue = [];
      l.sent.push(now);
      l.flushAt = l.digestMode ? now + this.o.windowMs : null;
    }
    return out;
  }

  /** Earliest pending flush (for the timer). */
  nextDue(): number | null {
    let min: number | null = null;
    for (const l of this.lanes.values()) {
      for (const t of [l.flushAt, l.heldUntil]) if (t !== null && (min === null || t < min)) min = t;
    }
    return min;
  }

  pending(): number {
    let n = 0;
    for (const l of this.lanes.values()) n += l.queue.length + l.held.length;
    return n;
  }
}
