// Work orders on disk: one SQLite file in <dataDir>/workorders/, WAL with synchronous=FULL so a
// transition acknowledged to a client survives kill -9 and power loss. Each order is a JSON body
// plus the columns we filter on; every change is one transaction that checks the version the
// client saw and appends the timeline entry.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { TimelineEntry, WoState, WorkOrder } from '../../contracts/workorders.js';

export type NewOrder = Omit<WorkOrder, 'id' | 'version'>;
export type NewEntry = Omit<TimelineEntry, 'seq' | 'ts'> & { ts?: number };

export interface ListFilter {
  state?: readonly WoState[];
  assignee?: string;
  requester?: string;
  alarmId?: string;
  from?: number;
  to?: number;
  limit?: number;
}

export type UpdateResult = { ok: true; order: WorkOrder } | { ok: false; reason: 'not_found' | 'conflict'; current?: WorkOrder };

export class WorkOrderStore {
  private readonly db: Database.Database;
  private readonly insertOrder;
  private readonly updateOrder;
  private readonly getOrder;
  private readonly insertEntry;
  private readonly entriesOf;

  constructor(dir: string) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.db = new Database(path.join(dir, 'workorders.db'));
    this.db.pragma('journal_mode = WAL');
    // FULL: the WAL is fsync'd at every commit, so an answered transition is on disk.
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS work_order (
        id INTEGER PRIMARY KEY AUTOINCREMENT, version INTEGER NOT NULL, state TEXT NOT NULL,
        assignee TEXT, requester TEXT NOT NULL, alarm_id TEXT, created_at INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS wo_state ON work_order (state);
      CREATE INDEX IF NOT EXISTS wo_assignee ON work_order (assignee);
      CREATE INDEX IF NOT EXISTS wo_alarm ON work_order (alarm_id);
      CREATE INDEX IF NOT EXISTS wo_created ON work_order (created_at);
      CREATE TABLE IF NOT EXISTS wo_timeline (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, order_id INTEGER NOT NULL, ts INTEGER NOT NULL, kind TEXT NOT NULL,
        user TEXT NOT NULL, from_state TEXT, to_state TEXT NOT NULL, assignee TEXT, note TEXT);
      CREATE INDEX IF NOT EXISTS wo_timeline_order ON wo_timeline (order_id, seq);
    `);
    this.insertOrder = this.db.prepare('INSERT INTO work_order (version, state, assignee, requester, alarm_id, created_at, body) VALUES (1, ?, ?, ?, ?, ?, ?)');
    this.updateOrder = this.db.prepare('UPDATE work_order SET version = ?, state = ?, assignee = ?, body = ? WHERE id = ? AND version = ?');
    this.getOrder = this.db.prepare('SELECT id, version, body FROM work_order WHERE id = ?');
    this.insertEntry = this.db.prepare('INSERT INTO wo_timeline (order_id, ts, kind, user, from_state, to_state, assignee, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.entriesOf = this.db.prepare('SELECT * FROM wo_timeline WHERE order_id = ? ORDER BY seq');
  }

  create(o: NewOrder, entry: NewEntry): WorkOrder {
    return this.db.transaction(() => {
      const r = this.insertOrder.run(o.state, o.assignee, o.requester, o.alarmId ?? null, o.createdAt, '{}');
      const id = Number(r.lastInsertRowid);
      const order: WorkOrder = { id, version: 1, ...o };
      this.db.prepare('UPDATE work_order SET body = ? WHERE id = ?').run(JSON.stringify(order), id);
      this.addEntry(id, entry, o.createdAt);
      return order;
    })();
  }

  /** Applies `change` to the current order if its version is `expectVersion` (undefined: any), in one transaction. */
  update(id: number, expectVersion: number | undefined, change: (o: WorkOrder) => WorkOrder | null, entry: (o: WorkOrder) => NewEntry | null, now: number): UpdateResult {
    return this.db.transaction((): UpdateResult => {
      const cur = this.get(id);
      if (!cur) return { ok: false, reason: 'not_found' };
      if (expectVersion !== undefined && cur.version !== expectVersion) return { ok: false, reason: 'conflict', current: cur };
      const next = change(cur);
      if (!next) return { ok: false, reason: 'conflict', current: cur };
      const order: WorkOrder = { ...next, id, version: cur.version + 1 };
      const r = this.updateOrder.run(order.version, order.state, order.assignee, JSON.stringify(order), id, cur.version);
      if (r.changes !== 1) return { ok: false, reason: 'conflict', current: cur };
      const e = entry(order);
      if (e) this.addEntry(id, e, now);
      return { ok: true, order };
    })();
  }

  private addEntry(orderId: number, e: NewEntry, now: number): void {
    this.insertEntry.run(orderId, e.ts ?? now, e.kind, e.user, e.from, e.to, e.assignee ?? null, e.note ?? null);
  }

  get(id: number): WorkOrder | undefined {
    const row = this.getOrder.get(id) as { id: number; version: number; body: string } | undefined;
    return row ? (JSON.parse(row.body) as WorkOrder) : undefined;
  }

  timeline(id: number): TimelineEntry[] {
    return (this.entriesOf.all(id) as Array<{ seq: number; ts: number; kind: string; user: string; from_state: WoState | null; to_state: WoState; assignee: string | null; note: string | null }>).map((r) => {
      const e: TimelineEntry = { seq: r.seq, ts: r.ts, kind: r.kind, user: r.user, from: r.from_state, to: r.to_state };
      if (r.assignee !== null) e.assignee = r.assignee;
      if (r.note !== null) e.note = r.note;
      return e;
    });
  }

  list(f: ListFilter = {}): WorkOrder[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.state?.length) {
      where.push(`state IN (${f.state.map(() => '?').join(',')})`);
      args.push(...f.state);
    }
    if (f.assignee) where.push('assignee = ?'), args.push(f.assignee);
    if (f.requester) where.push('requester = ?'), args.push(f.requester);
    if (f.alarmId) where.push('alarm_id = ?'), args.push(f.alarmId);
    if (f.from !== undefined) where.push('created_at >= ?'), args.push(f.from);
    if (f.to !== undefined) where.push('created_at < ?'), args.push(f.to);
    const sql = `SELECT body FROM work_order ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, f.limit ?? 500) as Array<{ body: string }>).map((r) => JSON.parse(r.body) as WorkOrder);
  }

  /** Open orders (for the SLA timer). */
  open(): WorkOrder[] {
    return this.list({ state: ['new', 'assigned', 'accepted', 'en_route', 'on_site'], limit: 100_000 });
  }

  close(): void {
    this.db.close();
  }
}
