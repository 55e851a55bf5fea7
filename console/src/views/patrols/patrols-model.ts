// What the patrol pages show, without the DOM: the next stop of a run, the wall's order (overdue
// first), progress, whether a decoded text is a checkpoint code, and the offline scan queue.
import type { RunCheckpoint, RunStatus, ScanRequest } from '../../../../contracts/patrols.js';
import { TOKEN_PREFIX } from '../../../../contracts/patrols.js';

export function isCheckpointCode(text: string): boolean {
  return text.startsWith(`${TOKEN_PREFIX}.`) && text.split('.').length === 4;
}

/** The first stop not scanned and not missed yet (the guard's next target). */
export function nextStop(run: RunStatus): RunCheckpoint | undefined {
  return run.checkpoints.find((c) => c.status === 'pending');
}

export function progress(run: RunStatus): { done: number; total: number; pct: number } {
  const total = run.checkpoints.length;
  const done = run.checkpoints.filter((c) => c.scannedAt !== undefined).length;
  return { done, total, pct: total ? Math.round((done / total) * 100) : 0 };
}

const STATE_RANK = { in_progress: 0, upcoming: 1, done: 2 } as const;

/** Wall order: runs with something overdue first, then in progress, then upcoming; earlier start first. */
export function wallOrder(runs: readonly RunStatus[]): RunStatus[] {
  return [...runs].sort((a, b) =>
    Number(b.overdue.length > 0) - Number(a.overdue.length > 0) || STATE_RANK[a.state] - STATE_RANK[b.state] || a.start - b.start || a.runId.localeCompare(b.runId));
}

/** Today's runs with the pushed changes applied: a changed run replaces its old self, a new one is added. */
export function mergeRuns(current: readonly RunStatus[], changed: readonly RunStatus[]): RunStatus[] {
  const byId = new Map(current.map((r) => [r.runId, r]));
  for (const r of changed) byId.set(r.runId, r);
  return [...byId.values()];
}

/** A client-made scan id (UUID v4 when the browser has crypto.randomUUID). */
export function newScanId(rand: () => string = () => globalThis.crypto.randomUUID()): string {
  return rand();
}

type Store = Pick<Storage, 'getItem' | 'setItem'>;
const KEY = 'watchfloor.patrols.queue';

/** Scans made offline, kept in order per user; each keeps its scan id so a resend is never a second scan. */
export class ScanQueue {
  constructor(private readonly store: Store, private readonly user: string) {}

  private key() {
    return `${KEY}.${this.user}`;
  }

  items(): ScanRequest[] {
    try {
      return JSON.parse(this.store.getItem(this.key()) ?? '[]') as ScanRequest[];
    } catch {
      return [];
    }
  }

  add(s: ScanRequest): number {
    const items = [...this.items().filter((x) => x.scanId !== s.scanId), { ...s, offline: true }];
    this.store.setItem(this.key(), JSON.stringify(items));
    return items.length;
  }

  /**
   * Sends in order. `send` resolves when the hub took it, rejects with {status} otherwise: a
   * network failure (status 0) stops and keeps the rest; a refusal (4xx, incl. 409 replay = already
   * recorded) drops the scan and reports it.
   */
  async flush(send: (s: ScanRequest) => Promise<void>): Promise<{ sent: number; refused: Array<{ scan: ScanRequest; message: string }>; kept: number }> {
    const items = this.items();
    const refused: Array<{ scan: ScanRequest; message: string }> = [];
    let sent = 0;
    let i = 0;
    for (; i < items.length; i++) {
      try {
        await send(items[i]);
        sent++;
      } catch (err) {
        const e = err as { status?: number; message?: string };
        if (!e.status) break;
        refused.push({ scan: items[i], message: e.message ?? String(err) });
      }
    }
    const kept = items.slice(i);
    this.store.setItem(this.key(), JSON.stringify(kept));
    return { sent, refused, kept: kept.length };
  }
}
