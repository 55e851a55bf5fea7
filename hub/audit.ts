// Append-only audit log: one JSON line per entry in <dir>/audit-YYYY-MM-DD.jsonl (UTC date),
// fsync'd on every write: entries are rare (commands, acks, schedule edits, broadcasts, logins)
// and must survive a crash right after the action.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry, AuditLogLike, HubLogger } from './module.js';

export interface AuditQuery {
  from?: number;
  to?: number;
  user?: string;
  action?: string;
  /** Default 200, newest first. */
  limit?: number;
}

const FILE_RE = /^audit-(\d{4}-\d{2}-\d{2})\.jsonl$/;

export function auditFileName(ts: number): string {
  return `audit-${new Date(ts).toISOString().slice(0, 10)}.jsonl`;
}

export class AuditLog implements AuditLogLike {
  private fd: number | undefined;
  private fdFile = '';
  private readonly badLinesLogged = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly log: HubLogger,
    private readonly now: () => number = Date.now,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** Throws when the entry cannot be written durably: the caller must know. */
  record(input: Omit<AuditEntry, 'ts'> & { ts?: number }): void {
    const entry: AuditEntry = { ts: input.ts ?? this.now(), user: input.user, action: input.action, target: input.target };
    if (input.details !== undefined) entry.details = input.details;
    const file = auditFileName(entry.ts);
    if (file !== this.fdFile) this.openFile(file);
    writeSync(this.fd!, `${JSON.stringify(entry)}\n`);
    fsyncSync(this.fd!);
  }

  /** Entries matching the filters, newest first. Unreadable lines are skipped and logged once per file. */
  query(q: AuditQuery = {}): AuditEntry[] {
    const limit = q.limit ?? 200;
    const fromDay = q.from !== undefined ? auditFileName(q.from) : '';
    const toDay = q.to !== undefined ? auditFileName(q.to) : '\uffff';
    const files = existsSync(this.dir)
      ? readdirSync(this.dir).filter((f) => FILE_RE.test(f) && f >= fromDay && f <= toDay).sort().reverse()
      : [];
    const out: AuditEntry[] = [];
    for (const f of files) {
      const matches = this.readFile(f).filter(
        (e) =>
          (q.from === undefined || e.ts >= q.from) &&
          (q.to === undefined || e.ts <= q.to) &&
          (q.user === undefined || e.user === q.user) &&
          (q.action === undefined || e.action === q.action),
      );
      out.push(...matches.reverse());
      if (out.length >= limit) break;
    }
    return out.sort((a, b) => b.ts - a.ts).slice(0, limit);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.fdFile = '';
  }

  private openFile(file: string): void {
    this.close();
    this.fd = openSync(join(this.dir, file), 'a', 0o640);
    this.fdFile = file;
  }

  private readFile(f: string): AuditEntry[] {
    const entries: AuditEntry[] = [];
    const lines = readFileSync(join(this.dir, f), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (!line) return;
      try {
        const e = JSON.parse(line) as AuditEntry;
        if (typeof e.ts === 'number' && typeof e.action === 'string') entries.push(e);
        else throw new Error('missing ts or action');
      } catch (err) {
        if (!this.badLinesLogged.has(f)) {
          this.badLinesLogged.add(f);
          this.log.warn({ file: join(this.dir, f), line: i + 1, err: (err as Error).message }, 'unreadable audit line skipped (logged once per file)');
        }
      }
    });
    return entries;
  }
}
