// Batches lines by size and time, keeps a bounded number of requests in flight, retries transient
// failures with backoff, spools to disk while InfluxDB is down and replays in order when it returns,
// and bisects rejected batches so only the lines InfluxDB refuses go to the dead-letter file.
import type { DeadLetterFile } from './deadLetter.js';
import type { WriteOutcome } from './influxHttp.js';
import { LineBuffer, batchLines, batchTimeRange, lineEnds, splitBatch, type LineBatch } from './lineBuffer.js';
import type { Spool } from '../../lib/spool.js';
import type { WriteAheadLog } from './wal.js';

/** The project's one logger interface (contracts/log.ts). */
export type WriterLogger = import('../../contracts/log.js').Logger;

export interface BatchWriterOptions {
  /** POSTs complete lines (each ending in `\n`). */
  send(body: Uint8Array): Promise<WriteOutcome>;
  ping(): Promise<boolean>;
  spool: Spool;
  deadLetter: DeadLetterFile;
  log: WriterLogger;
  batchSize: number;
  flushMs: number;
  maxInFlight: number;
  /**
   * Bytes of sealed batches waiting in memory; beyond this new batches go to the spool instead, so memory
   * stays bounded when InfluxDB is slower than the producers (default 64 MiB ≈ 350k samples).
   */
  maxQueuedBytes?: number;
  /** Immediate retries of a transient failure before the batch is spooled. */
  retries?: number;
  retryBaseMs?: number;
  /** Longest wait between /ping probes during an outage. */
  probeMaxMs?: number;
  /** Called after spooled lines (timestamps minTs..maxTs) were replayed, e.g. to backfill roll-ups. */
  onReplayed?(minTs: number, maxTs: number): void;
  /** Called with the bytes of every batch InfluxDB accepted (live, retried, bisected or replayed). */
  onDelivered?(body: Uint8Array): void;
  /**
   * Write-ahead log of the batches held in memory: a process killed with -9 loses at most `walMs` of
   * samples (the open batch's part not yet committed). Leftovers of a killed process are spooled at start.
   */
  wal?: WriteAheadLog;
  /** Group-commit window of the write-ahead log (default 200 ms). */
  walMs?: number;
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
  /** How long that write took (ms), or null. */
  lastWriteMs: number | null;
  lastError: string | null;
  /** Lines a killed process left in the write-ahead log, spooled for replay at start. */
  recovered: number;
}

export const DEFAULT_MAX_QUEUED_BYTES = 64 * 1024 * 1024;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class BatchWriter {
  private readonly current: LineBuffer;
  private timer: NodeJS.Timeout | null = null;
  private readonly queue: LineBatch[] = [];
  private queuedBytes = 0;
  private readonly inFlight = new Set<LineBatch>();
  private online = true;
  private replaying = false;
  private probeTimer: NodeJS.Timeout | null = null;
  private probeDelay = 0;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];
  private readonly stats = { written: 0, spooled: 0, lastWriteTs: null as number | null, lastWriteMs: null as number | null, lastError: null as string | null, recovered: 0 };
  /** Write-ahead file of the open batch, and how many of its bytes are in it. */
  private walId: number | null = null;
  private walDone = 0;
  private walTimer: NodeJS.Timeout | null = null;
  private walCommittedAt = Date.now();

  constructor(private readonly o: BatchWriterOptions) {
    this.current = new LineBuffer(Math.min(o.batchSize, 10_000) * 200);
    if (o.wal) {
      this.stats.recovered = o.wal.recoverInto(o.spool);
      if (this.stats.recovered > 0) o.log.warn({ lines: this.stats.recovered }, 'history: samples of a hub that did not stop cleanly were recovered from the write-ahead log; replaying them');
    }
    // A spool left by an earlier run (or an earlier outage) is replayed first.
    if (!o.spool.isEmpty) queueMicrotask(() => this.startReplay());
  }

  /** Accepts lines (text, no newlines); never blocks, never drops (memory → InfluxDB, or → spool on disk). */
  add(lines: string[]): void {
    this.addEncoded(lines, (line, out) => out.writeLine(line));
  }

  /**
   * Accepts items that `encode` appends as exactly one line each (the hub's path: samples encoded
   * straight into the batch's bytes). Never blocks, never drops.
   */
  addEncoded<T>(items: readonly T[], encode: (item: T, out: LineBuffer) => void): void {
    if (this.stopped) throw new Error('history writer is stopped');
    const out = this.current;
    for (let i = 0; i < items.length; i++) {
      const mark = out.mark();
      try {
        encode(items[i], out);
      } catch (err) {
        out.rollback(mark); // never leave half a line to corrupt the next one
        throw err;
      }
      if (out.lines >= this.o.batchSize) this.seal();
    }
    if (out.lines > 0 && !this.timer) this.timer = setTimeout(() => this.seal(), this.o.flushMs);
    if (this.o.wal && out.bytes > this.walDone) {
      // Commit when the window is over even if the timer is late (a busy event loop), and arm the
      // timer for producers that go quiet.
      if (Date.now() - this.walCommittedAt >= (this.o.walMs ?? 200)) this.commitWal();
      else if (!this.walTimer) this.walTimer = setTimeout(() => this.commitWal(), this.o.walMs ?? 200);
    }
  }

  /** Group commit: the open batch's new lines go to its write-ahead file; every file written is synced. */
  private commitWal(): void {
    if (this.walTimer) clearTimeout(this.walTimer);
    this.walTimer = null;
    const wal = this.o.wal;
    if (!wal || this.stopped) return;
    this.walAppendOpen();
    wal.sync();
    this.walCommittedAt = Date.now();
  }

  private walAppendOpen(): void {
    const wal = this.o.wal!;
    if (this.current.bytes <= this.walDone) return;
    this.walId ??= wal.begin();
    wal.append(this.walId, this.current.view(this.walDone));
    this.walDone = this.current.bytes;
  }

  private release(batch: LineBatch): void {
    if (batch.walId !== undefined) this.o.wal?.release(batch.walId);
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
    this.queuedBytes = 0;
    this.inFlight.clear();
    if (this.walTimer) clearTimeout(this.walTimer);
    this.o.wal?.close();
    this.o.spool.close();
    this.notifyIdle(true);
  }

  private isIdle(): boolean {
    return this.current.lines === 0 && this.queue.length === 0 && this.inFlight.size === 0 && (this.o.spool.isEmpty || !this.online) && !this.replaying;
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
    if (this.current.lines === 0) return;
    let walId: number | undefined;
    if (this.o.wal) {
      // The whole batch is in its write-ahead file before it leaves the open buffer (synced with the window).
      this.walAppendOpen();
      walId = this.walId ?? undefined;
      this.walId = null;
      this.walDone = 0;
      if (!this.walTimer && !this.stopped) this.walTimer = setTimeout(() => this.commitWal(), this.o.walMs ?? 200);
    }
    const batch = this.current.take();
    batch.walId = walId;
    // While anything is spooled, new batches queue behind it on disk, so replay keeps the order.
    if (!this.online || this.replaying || !this.o.spool.isEmpty || this.stopped) this.spoolLines(batch);
    else if (this.queue.length > 0 && this.queuedBytes + batch.body.length > (this.o.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES)) {
      this.spoolLines(batch);
      this.startReplay();
    } else {
      this.queue.push(batch);
      this.queuedBytes += batch.body.length;
      this.pump();
    }
  }

  private pump(): void {
    while (this.inFlight.size < this.o.maxInFlight && this.queue.length > 0 && !this.stopped) {
      const batch = this.queue.shift()!;
      this.queuedBytes -= batch.body.length;
      this.inFlight.add(batch);
      void this.deliver(batch).finally(() => {
        // Delivered, dead-lettered or spooled (by deliver or by stop): the write-ahead copy is not needed.
        this.release(batch);
        this.inFlight.delete(batch);
        this.pump();
        this.notifyIdle();
      });
    }
  }

  private async deliver(batch: LineBatch): Promise<void> {
    let outcome = await this.sendWithRetry(batch);
    if (this.stopped) return;
    if (!outcome.ok && !outcome.retriable) outcome = await this.bisect(batch, outcome.status, outcome.reason);
    if (!outcome.ok && outcome.retriable && !this.stopped) {
      this.spoolLines(batch);
      this.enterOutage(outcome.reason);
    }
  }

  /** Transient failures are retried a few times with backoff; the caller spools when they persist. */
  private async sendWithRetry(batch: LineBatch): Promise<WriteOutcome> {
    const retries = this.online ? (this.o.retries ?? 2) : 0;
    let delay = this.o.retryBaseMs ?? 100;
    for (let attempt = 0; ; attempt++) {
      const t0 = performance.now();
      const outcome = await this.o.send(batch.body);
      if (outcome.ok) {
        this.stats.written += batch.lines;
        this.stats.lastWriteTs = Date.now();
        this.stats.lastWriteMs = performance.now() - t0; // for /metrics: history write latency
        this.o.onDelivered?.(batch.body);
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
  private async bisect(batch: LineBatch, status: number, reason: string): Promise<WriteOutcome> {
    if (batch.lines <= 1) {
      const lines = batchLines(batch.body);
      this.o.deadLetter.add(lines, status, reason);
      this.o.log.warn({ status, reason, line: (lines[0] ?? '').slice(0, 300) }, 'InfluxDB refused a line; it went to the dead-letter file');
      return { ok: true };
    }
    const ends = lineEnds(batch.body);
    const mid = ends.length >> 1;
    const halves: LineBatch[] = [
      { body: batch.body.subarray(0, ends[mid - 1]), lines: mid },
      { body: batch.body.subarray(ends[mid - 1]), lines: ends.length - mid },
    ];
    for (const half of halves) {
      const outcome = await this.sendWithRetry(half);
      if (outcome.ok) continue;
      if (outcome.retriable) return outcome;
      const inner = await this.bisect(half, outcome.status, outcome.reason);
      if (!inner.ok) return inner;
    }
    return { ok: true };
  }

  private spoolLines(batch: LineBatch): void {
    this.o.spool.append(batch.body);
    this.stats.spooled += batch.lines;
    // The spool's fdatasync runs in the background: keep the write-ahead copy until it is done, so a
    // power loss in between loses nothing (a replay of both copies only rewrites the same points).
    void this.o.spool.synced().then(() => this.release(batch));
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

  /**
   * Sends spooled lines oldest first; stops (keeping the rest) on a new outage. Each chunk is
   * `maxInFlight` batches read at once and sent in parallel, committed only when all landed (a batch
   * re-sent after a failure only overwrites itself), so a replay is as fast as live writing.
   */
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
          const chunk = this.o.spool.nextChunk(this.o.batchSize * this.o.maxInFlight);
          if (!chunk) break;
          const parts = splitBatch({ body: chunk.body, lines: chunk.count }, this.o.maxInFlight);
          const outcomes = await Promise.all(
            parts.map(async (part) => {
              const outcome = await this.sendWithRetry(part);
              return !outcome.ok && !outcome.retriable && !this.stopped ? this.bisect(part, outcome.status, outcome.reason) : outcome;
            }),
          );
          if (this.stopped) return;
          const failed = outcomes.find((o) => !o.ok);
          if (failed && !failed.ok) {
            this.replaying = false;
            this.enterOutage(failed.reason);
            return;
          }
          chunk.commit();
          const range = batchTimeRange(chunk.body);
          if (range) {
            minTs = Math.min(minTs, range.min);
            maxTs = Math.max(maxTs, range.max);
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
