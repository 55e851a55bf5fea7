// The durable spool shared by the hub's history writer (line protocol, hub/history/writer.ts) and the
// edge agent's store and forward (Sparkplug batches as JSON lines, edge/agent.ts): append-only,
// segment files of complete lines, replayed oldest first. Once append() returns the lines survive a
// process crash (they are in the kernel's page cache); they are fdatasynced on libuv's thread pool
// right after, so a power loss loses at most the appends of the sync in progress. A synchronous fsync
// here held the event loop for the disk's flush time on every spooled batch (hundreds of ms under
// load, exactly when history falls behind and every batch is spooled: docs/performance.md). A
// committed chunk is never replayed; a torn last line after a crash is skipped.
// Layout: <dir>/segment-000000000001.lp (+ .done holding the byte offset already delivered).
// lib/ imports nothing of the project, so both the hub and the edge (which never imports the hub) use it.
import { closeSync, existsSync, fdatasync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const SEGMENT = /^segment-(\d{12})\.lp$/;

export interface SpoolChunk {
  /** Complete lines, each ending in `\n`, ready to send as they are. */
  body: Buffer;
  /** How many lines `body` holds. */
  count: number;
  /** The lines as text (decoded on demand; the replay sends `body`). */
  readonly lines: string[];
  /** True when these are the spool's last lines: nothing newer was appended before this chunk was taken. */
  readonly last: boolean;
  /** Marks these lines delivered (they will not be replayed again, even after a restart). */
  commit(): void;
}

export class Spool {
  private segments: number[] = [];
  /** Segment currently appended to (never the one being replayed). */
  private active: { seq: number; fd: number; size: number } | null = null;
  /** Replay cursor in the oldest segment. */
  private reading: { seq: number; buf: Buffer; offset: number } | null = null;
  private totalBytes = 0;
  /** Per descriptor with a fdatasync running: whether a write came after it started, and whether to close it after. */
  private readonly syncs = new Map<number, { again: boolean; close: boolean }>();
  private syncWaiters: Array<() => void> = [];

  constructor(readonly dir: string, private readonly maxSegmentBytes = 8 * 1024 * 1024) {
    mkdirSync(dir, { recursive: true });
    this.segments = readdirSync(dir)
      .map((f) => SEGMENT.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    for (const seq of this.segments) this.totalBytes += statSync(this.path(seq)).size - this.doneOffset(seq);
  }

  /** Bytes not yet delivered. */
  get bytes(): number {
    return this.totalBytes;
  }

  get isEmpty(): boolean {
    return this.totalBytes <= 0;
  }

  /**
   * Appends lines (text, or bytes of complete lines each ending in `\n`) with write(2): once this
   * returns, the lines survive a process crash. The fdatasync runs in the background (group commit:
   * appends during a running sync share the next one); `synced()` resolves when it is done.
   */
  append(lines: string[] | Uint8Array): void {
    if (lines.length === 0) return;
    const data = Array.isArray(lines) ? Buffer.from(lines.join('\n') + '\n', 'utf8') : lines;
    if (!this.active || this.active.size >= this.maxSegmentBytes) this.rotate();
    const active = this.active!;
    let written = 0;
    while (written < data.length) written += writeSync(active.fd, data, written, data.length - written);
    this.syncLater(active.fd);
    active.size += data.length;
    this.totalBytes += data.length;
  }

  /** Up to `maxLines` lines from the oldest undelivered segment, or null when the spool is empty. */
  nextChunk(maxLines: number): SpoolChunk | null {
    for (;;) {
      if (!this.reading) {
        const seq = this.segments[0];
        if (seq === undefined) return null;
        if (this.active?.seq === seq) this.closeActive(); // never read a file still being appended
        const raw = readFileSync(this.path(seq));
        // A crash mid-append can leave a torn last line: only complete lines count.
        const end = raw.lastIndexOf(0x0a) + 1;
        this.reading = { seq, buf: raw.subarray(0, end), offset: this.doneOffset(seq) };
      }
      const r = this.reading;
      if (r.offset >= r.buf.length) {
        this.dropSegment(r.seq);
        continue;
      }
      let pos = r.offset;
      let count = 0;
      while (count < maxLines && pos < r.buf.length) {
        const nl = r.buf.indexOf(0x0a, pos);
        if (nl > pos) count++;
        pos = nl + 1;
      }
      const start = r.offset;
      const body = r.buf.subarray(start, pos);
      return {
        body,
        count,
        last: pos >= r.buf.length && this.segments.length === 1 && this.active === null,
        get lines() {
          return body.toString('utf8').split('\n').filter((l) => l.length > 0);
        },
        commit: () => {
          if (this.reading !== r || r.offset !== start) return;
          r.offset = pos;
          this.totalBytes -= pos - start;
          if (r.offset >= r.buf.length) this.dropSegment(r.seq);
          else writeFileSync(this.donePath(r.seq), String(pos));
        },
      };
    }
  }

  close(): void {
    this.closeActive();
  }

  /** Resolves when every append so far is on disk (fdatasync done). */
  synced(): Promise<void> {
    if (this.syncs.size === 0) return Promise.resolve();
    return new Promise((ok) => this.syncWaiters.push(ok));
  }

  private syncLater(fd: number): void {
    const running = this.syncs.get(fd);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false, close: false };
    this.syncs.set(fd, state);
    const run = () =>
      fdatasync(fd, () => {
        // An error (EIO) cannot be acted on here: the bytes are written; the next append syncs again.
        if (state.again) {
          state.again = false;
          return run();
        }
        this.syncs.delete(fd);
        if (state.close) closeSync(fd);
        if (this.syncs.size === 0) for (const w of this.syncWaiters.splice(0)) w();
      });
    run();
  }

  private rotate(): void {
    this.closeActive();
    const seq = (this.segments.at(-1) ?? 0) + 1;
    const fd = openSync(this.path(seq), 'a');
    this.segments.push(seq);
    this.active = { seq, fd, size: 0 };
  }

  private closeActive(): void {
    if (!this.active) return;
    // Never close a descriptor a running fdatasync still uses (the number could be reused meanwhile).
    const sync = this.syncs.get(this.active.fd);
    if (sync) sync.close = true;
    else closeSync(this.active.fd);
    this.active = null;
  }

  private dropSegment(seq: number): void {
    const size = existsSync(this.path(seq)) ? statSync(this.path(seq)).size : 0;
    const done = this.reading?.seq === seq ? this.reading.offset : this.doneOffset(seq);
    // Bytes of a torn tail were never deliverable; stop counting them.
    this.totalBytes -= Math.max(0, size - done);
    rmSync(this.path(seq), { force: true });
    rmSync(this.donePath(seq), { force: true });
    this.segments = this.segments.filter((s) => s !== seq);
    if (this.reading?.seq === seq) this.reading = null;
  }

  private doneOffset(seq: number): number {
    try {
      const n = Number(readFileSync(this.donePath(seq), 'utf8'));
      return Number.isFinite(n) && n > 0 ? n : 0;
    } catch {
      return 0;
    }
  }

  private path(seq: number): string {
    return join(this.dir, `segment-${String(seq).padStart(12, '0')}.lp`);
  }

  private donePath(seq: number): string {
    return `${this.path(seq)}.done`;
  }
}
