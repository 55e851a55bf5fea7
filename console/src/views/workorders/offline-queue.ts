// Updates made without a connection: kept in localStorage in order, sent when the phone is back
// online. Each carries the order version it was made on, so the hub refuses (409) an update made on
// a stale order and the phone shows the refusal instead of overwriting someone else's step.
import type { StepBody } from '../../../../contracts/workorders.js';

export interface Queued {
  orderId: number;
  body: StepBody;
  queuedAt: number;
}

export interface FlushResult {
  sent: number;
  refused: Array<{ item: Queued; message: string }>;
  /** Still offline: kept for later. */
  kept: number;
}

type Store = Pick<Storage, 'getItem' | 'setItem'>;
const KEY = 'watchfloor.wo.queue';

export class OfflineQueue {
  constructor(private readonly store: Store, private readonly user: string) {}

  private key() {
    return `${KEY}.${this.user}`;
  }

  items(): Queued[] {
    try {
      return JSON.parse(this.store.getItem(this.key()) ?? '[]') as Queued[];
    } catch {
      return [];
    }
  }

  private save(items: Queued[]) {
    this.store.setItem(this.key(), JSON.stringify(items));
  }

  add(orderId: number, body: StepBody, now = Date.now()): void {
    this.save([...this.items(), { orderId, body, queuedAt: now }]);
  }

  /**
   * Sends in order. `send` resolves on success, rejects with {status, message}: status 0 = still
   * offline (stop, keep the rest), 4xx = refused (drop it and report it), other = keep and stop.
   */
  async flush(send: (q: Queued) => Promise<unknown>): Promise<FlushResult> {
    const items = this.items();
    const out: FlushResult = { sent: 0, refused: [], kept: 0 };
    let i = 0;
    for (; i < items.length; i++) {
      try {
        await send(items[i]);
        out.sent++;
      } catch (err) {
        const e = err as { status?: number; message?: string };
        if (e.status !== undefined && e.status >= 400 && e.status < 500) {
          out.refused.push({ item: items[i], message: e.message ?? 'refused' });
          // Later steps of the same order were built on the refused one: refuse them too.
          const id = items[i].orderId;
          for (let j = i + 1; j < items.length; j++) if (items[j].orderId === id) out.refused.push({ item: items[j], message: 'an earlier offline update of this order was refused' });
          items.splice(i + 1, items.length, ...items.slice(i + 1).filter((q) => q.orderId !== id));
          continue;
        }
        break;
      }
    }
    const rest = items.slice(i);
    out.kept = rest.length;
    this.save(rest);
    return out;
  }
}
