// Write-ahead log of the batches the writer holds in memory (the open batch, queued and in-flight ones),
// so a hub killed with -9 loses at most one commit window of samples instead of everything unacknowledged.
//
// One file per batch, `<dir>/wal-<n>.lp`, holding exactly that batch's lines. The open batch is appended
// once per commit window (group commit: one write(2) per window, not per sample; one fdatasync per window
// at most) and its rest when it is sealed. A file is deleted once its batch is in InfluxDB or in the spool.
// At start, leftover files (a killed hub) are moved into the spool and replayed; a line that had already
// landed only overwrites itself (same series and time).
import { close as closeFd, fdatasync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Spool } from '../../lib/spool.js';

const WAL_FILE = /^wal-(\d{12})\.lp$/;

export class WriteAheadLog {
  private seq = 0;
  private readonly open = new Map<number, number>();
  /** Files written since the last fdatasync. */
  private readonly unsynced = new Set<number>();
  /** fdatasyncs running per file; a released file's descriptor is closed when its last one ends. */
  private readonly syncing = new Map<number, number>();
  private readonly closeWhenSynced = new Map<number, number>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const f of readdirSync(dir)) {
      const m = WAL_FILE.exec(f);
      if (m) this.seq = Math.max(this.seq, Number(m[1]));
    }
  }

  /**
   * Moves the files a killed process left into the spool (complete lines only: a line torn by the kill
   * is dropped) and deletes them. Returns how many lines were recovered.
   */
  recoverInto(spool: Spool): number {
    let lines = 0;
    const files = readdirSync(this.dir)
      .filter((f) => WAL_FILE.test(f) && !this.open.has(Number(WAL_FILE.exec(f)![1])))
      .sort();
    for (const f of files) {
      const raw = readFileSync(join(this.dir, f));
      const body = raw.subarray(0, raw.lastIndexOf(0x0a) + 1);
      if (body.length > 0) {
        spool.append(body);
        for (const b of body) if (b === 0x0a) lines++;
      }
      rmSync(join(this.dir, f), { force: true });
    }
    return lines;
  }

  /** Starts the file of a new batch. */
  begin(): number {
    const id = ++this.seq;
    this.open.set(id, openSync(this.path(id), 'a', 0o600));
    return id;
  }

  /** Appends complete lines to a batch's file (one write(2); durable against a process kill at once). */
  append(id: number, bytes: Uint8Array): void {
    const fd = this.open.get(id);
    if (fd === undefined || bytes.length === 0) return;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    this.unsynced.add(id);
  }

  /**
   * fdatasync of every file written since the last sync (once per commit window: durable against
   * power loss). It runs on libuv's thread pool: a synchronous one held the event loop for the disk's
   * flush time (tens of ms under load, every window), which live push and alarms waited behind. A
   * process kill loses nothing by this (append's write(2) already put the lines in the page cache).
   */
  sync(): void {
    for (const id of this.unsynced) {
      const fd = this.open.get(id);
      if (fd === undefined) continue;
      this.syncing.set(id, (this.syncing.get(id) ?? 0) + 1);
      fdatasync(fd, () => this.synced(id));
    }
    this.unsynced.clear();
  }

  private synced(id: number): void {
    const left = (this.syncing.get(id) ?? 1) - 1;
    if (left > 0) return void this.syncing.set(id, left);
    this.syncing.delete(id);
    const fd = this.closeWhenSynced.get(id);
    if (fd === undefined) return;
    this.closeWhenSynced.delete(id);
    closeQuietly(fd);
  }

  /** The batch is in InfluxDB or in the spool: its file goes. Safe to call twice. */
  release(id: number): void {
    const fd = this.open.get(id);
    if (fd === undefined) return;
    this.open.delete(id);
    this.unsynced.delete(id);
    rmSync(this.path(id), { force: true });
    // Never close a descriptor a running fdatasync still uses (the number could be reused meanwhile).
    if (this.syncing.has(id)) this.closeWhenSynced.set(id, fd);
    else closeQuietly(fd);
  }

  /** Files currently held (for tests and health). */
  get pending(): number {
    return this.open.size;
  }

  close(): void {
    for (const id of [...this.open.keys()]) this.release(id);
  }

  private path(id: number): string {
    return join(this.dir, `wal-${String(id).padStart(12, '0')}.lp`);
  }
}

/**
 * close(2) on libuv's thread pool: closing the last descriptor of a deleted file frees its page cache
 * there and then (1.7 MB per 10,000-line batch), ~30 ms of every second on the event loop at 200k
 * samples/s. The descriptor is out of our tables already, so nothing uses the number meanwhile.
 */
function closeQuietly(fd: number): void {
  closeFd(fd, () => undefined);
}

