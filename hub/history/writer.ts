// Batches lines by size and time, keeps a bounded number of requests in flight, retries transient
// failures with backoff, spools to disk while InfluxDB is down and replays in order when it returns,
// and bisects rejected batches so only the lines InfluxDB refuses go to the dead-letter file.
import type { DeadLetterFile } from './deadLetter.js';
import type { WriteOutcome } from './influxHttp.js';
import { lineTimestamp } from './lineProtocol.js';
import type { Spool } from './spool.js';

export interface WriterLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface BatchWriterOptions {
  send(body: string): Promise<WriteOutcome>;
  ping(): Promise<boolean>;
  spool: Spool;
  deadLetter: DeadLetterFile;
  log: WriterLogger;
  batchSize: number;
  flushMs: number;
  maxInFlight: number;
  /** Sealed batches waiting in memory beyond this go to the spool instead (memory stays bounded; default 40). */
  maxQueuedBatches?: number;
  /** Immediate retries of a transient failure before the batch is spooled. */
  retries?: number;
  retryBaseMs?: number;
  /** Longest wait between /ping probes during an outage. */
  probeMaxMs?: number;
  /** Called after spooled lines (timestamps minTs..maxTs) were replayed, e.g. to backfill roll-ups. */
  onReplayed?(minTs: number, maxTs: number): void;
}

export interface WriterStats {
  connected: boolean;
  /** Lines InfluxDB accepted (including replayed ones). */
  written: number;
  /** Lines that went to the spool. */
  spooled: number;
  spooledBytes: number;
  deadLetters: number;
  /** When InfluxDB last accepted a write (ms), or null. */
  lastWriteTs: number | null;
  lastError: string | null;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class BatchWriter {
  private current: string[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly queue: string[][] = [];
  private readonly inFlight = new Set<string[]>();
  private online = true;
  private replaying = false;
  private probeTimer: NodeJS.Timeout | null = null;
  private probeDelay = 0;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];
  private readonly stats = { written: 0, spooled: 0, lastWriteTs: null as number | null, lastError: null as string | null };

  constructor(private readonly o: BatchWriterOptions) {
    // A spool left by an earlier run (or an earlier outage) is replayed first.
    if (!o.spool.isEmpty) queueMicrotask(() => this.startReplay());
  }

  /** Accepts lines; never blocks, never drops (memory → InfluxDB, or → spool on disk). */
  add(lines: string[]): void {
    if (this.stopped) throw new Error('history writer is stopped');
    for (const line of lines) {
      this.current.push(line);
      if (this.current.length >= this.o.batchSize) this.seal();
    }
    if (this.current.length > 0 && !this.timer) this.timer = setTimeout(() => this.seal(), this.o.flushMs);
  }

  getStats(): WriterStats {
    return {
      connected: this.online,
      ...this.stats,
      spooledBytes: this.o.spool.bytes,
      deadLetters: this.o.deadLetter.count,
    };
  }

  /** Resolves when everything added so far was written, or is safe in the spool. */
  async flush(): Promise<void> {
    this.seal();
    if (this.isIdle()) return;
    await new Promise<void>((r) => this.idleWaiters.push(r));
  }

  /** Seals the open batch, waits up to `graceMs` for requests in flight, spools whatever is left. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.stopped) return;
    this.seal();
    const deadline = Date.now() + graceMs;
    while (!this.isIdle() && this.online && Date.now() < deadline) await sleep(20);
    this.stopped = true;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    // Anything still in memory or unanswered goes to disk: a re-sent line only overwrites itself.
    for (const batch of [...this.inFlight, ...this.queue.splice(0)]) this.spoolLines(batch);
    this.inFlight.clear();
    this.o.spool.close();
    this.notifyIdle(true);
  }

  private isIdle(): boolean {
    return this.current.length === 0 && this.queue.length === 0 && this.inFlight.size === 0 && (this.o.spool.isEmpty || !this.online) && !this.replaying;
  }

  private notifyIdle(force = false): void {
    if (!force && !this.isIdle()) return;
    const waiters = this.idleWaiters.splice(0);
    for (const w of waiters) w();
  }

  private seal(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.current.length === 0) return;
    const batch = this.current;
    this.current = [];
    // While anything is spooled, new batches queue behind it on disk, so replay keeps the order.
    if (!this.online || this.replaying || !this.o.spool.isEmpty || this.stopped) this.spoolLines(batch);
    else if (this.queue.length >= (this.o.maxQueuedBatches ?? 40)) {
      this.spoolLines(batch);
      this.startReplay();
    } else {
      this.queue.push(batch);
      this.pump();
    }
  }

  private pump(): void {
    while (this.inFlight.size < this.o.maxInFlight && this.queue.length > 0 && !this.stopped) {
      const batch = this.queue.shift()!;
      this.inFlight.add(batch);
      void this.deliver(batch).finally(() => {
        this.inFlight.delete(batch);
        this.pump();
        this.notifyIdle();
      });
    }
  }

  private async deliver(batch: string[]): Promise<void> {
    let outcome = await this.sendWithRetry(batch);
    if (this.stopped) return;
    if (!outcome.ok && !outcome.retriable) outcome = await this.bisect(batch, outcome.status, outcome.reason);
    if (!outcome.ok && outcome.retriable && !this.stopped) {
      this.spoolLines(batch);
      this.enterOutage(outcome.reason);
    }
  }

  /** Transient failures are retried a few times with backoff; the caller spools when they persist. */
  private async sendWithRetry(lines: string[]): Promise<WriteOutcome> {
    const retries = this.online ? (this.o.retries ?? 2) : 0;
    let delay = this.o.retryBaseMs ?? 100;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.o.send(lines.join('\n'));
      if (outcome.ok) {
        this.stats.written += lines.length;
        this.stats.lastWriteTs = Date.now();
        return outcome;
      }
      this.stats.lastError = outcome.reason;
      if (!outcome.retriable || attempt >= retries || this.stopped) return outcome;
      await sleep(delay * (0.5 + Math.random()));
      delay *= 4;
    }
  }

  /**
   * InfluxDB refused the batch (on 1.x a 400 may be a partial write: some lines landed). Halve it
   * until each refused line stands alone; the good lines land (re-writing a landed line is harmless).
   * Returns a retriable failure if InfluxDB went away meanwhile: the caller spools the whole batch.
   */
  private async bisect(lines: string[], status: number, reason: string): Promise<WriteOutcome> {
    if (lines.length === 1) {
      this.o.deadLetter.add(lines, status, reason);
      this.o.log.warn({ status, reason, line: lines[0].slice(0, 300) }, 'InfluxDB refused a line; it went to the dead-letter file');
      return { ok: true };
    }
    const mid = lines.length >> 1;
    for (const half of [lines.slice(0, mid), lines.slice(mid)]) {
      const outcome = await this.sendWithRetry(half);
      if (outcome.ok) continue;
      if (outcome.retriable) return outcome;
      const inner = await this.bisect(half, outcome.status, outcome.reason);
      if (!inner.ok) return inner;
    }
    return { ok: true };
  }

  private spoolLines(lines: string[]): void {
    this.o.spool.append(lines);
    this.stats.spooled += lines.length;
  }

  private enterOutage(reason: string): void {
    if (!this.online) return;
    this.online = false;
    this.o.log.warn({ reason, spooledBytes: this.o.spool.bytes }, 'InfluxDB unavailable; spooling history to disk until it returns');
    this.probeDelay = 200;
    this.scheduleProbe();
    this.notifyIdle();
  }

  private scheduleProbe(): void {
    if (this.stopped || this.probeTimer) return;
    this.probeTimer = setTimeout(async () => {
      this.probeTimer = null;
      if (this.stopped) return;
      if (await this.o.ping()) {
        this.online = true;
        this.o.log.info({ spooledBytes: this.o.spool.bytes }, 'InfluxDB is back; replaying the spool');
        this.startReplay();
      } else {
        this.probeDelay = Math.min(this.probeDelay * 2, this.o.probeMaxMs ?? 5000);
        this.scheduleProbe();
      }
    }, this.probeDelay);
  }

  /** Sends spooled lines oldest first, one chunk at a time; stops (keeping the rest) on a new outage. */
  private startReplay(): void {
    if (this.replaying || this.stopped || !this.online) return;
    this.replaying = true;
    void (async () => {
      let minTs = Infinity;
      let maxTs = -Infinity;
      try {
        for (;;) {
          // Batches already in flight go first; a chunk read now includes everything sealed since.
          while (this.inFlight.size > 0 || this.queue.length > 0) await sleep(10);
          if (this.stopped) return;
          const chunk = this.o.spool.nextChunk(this.o.batchSize);
          if (!chunk) break;
          let outcome = await this.sendWithRetry(chunk.lines);
          if (this.stopped) return;
          if (!outcome.ok && !outcome.retriable) outcome = await this.bisect(chunk.lines, outcome.status, outcome.reason);
          if (!outcome.ok) {
            this.replaying = false;
            this.enterOutage(outcome.reason);
            return;
          }
          chunk.commit();
          for (const line of chunk.lines) {
            const ts = lineTimestamp(line);
            if (ts !== null) {
              if (ts < minTs) minTs = ts;
              if (ts > maxTs) maxTs = ts;
            }
          }
        }
        if (Number.isFinite(minTs)) this.o.onReplayed?.(minTs, maxTs);
      } catch (err) {
        this.o.log.error({ err }, 'spool replay failed');
      } finally {
        this.replaying = false;
        this.notifyIdle();
      }
    })();
  }
}
