// Scans and runs on disk: <dataDir>/patrols/patrols.db (SQLite, WAL, synchronous=FULL: a scan the
// phone was told is recorded survives kill -9). The scan id is UNIQUE, so a replayed submission
// cannot be recorded twice even across restarts. Photos are files beside it.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { CheckpointStatus, RunCheckpoint } from '../../contracts/patrols.js';

export interface ScanRow {
  id: number;
  scanId: string;
  checkpoint: string;
  user: string;
  serverTs: number;
  clientTs: number | null;
  offline: boolean;
  manualBy: string | null;
  runId: string | null;
  tour: string | null;
  runIndex: number | null;
  status: CheckpointStatus | 'unscheduled';
  claimedStatus: CheckpointStatus | null;
  outOfOrder: boolean;
  failed: string[];
  itemsTotal: number;
  rating: number | null;
  photo: string | null;
  note: string | null;
  workOrder: number | null;
}

export interface RunRow {
  runId: string;
  tour: string;
  shift: string;
  date: string;
  dayType: string;
  start: number;
  end: number;
  assignee: string | null;
  done: boolean;
  /** The final judgement, once done. */
  checkpoints: RunCheckpoint[] | null;
}

export class PatrolStore {
  private readonly db: Database.Database;
  readonly photoDir: string;
  private readonly insScan;
  private readonly insRun;
  private readonly finRun;
  private readonly setWo;

  constructor(dir: string) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.photoDir = path.join(dir, 'photos');
    fs.mkdirSync(this.photoDir, { recursive: true, mode: 0o700 });
    this.db = new Database(path.join(dir, 'patrols.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS scan (
        id INTEGER PRIMARY KEY AUTOINCREMENT, scan_id TEXT NOT NULL UNIQUE, checkpoint TEXT NOT NULL, user TEXT NOT NULL,
        server_ts INTEGER NOT NULL, client_ts INTEGER, offline INTEGER NOT NULL, manual_by TEXT, run_id TEXT, tour TEXT,
        run_index INTEGER, status TEXT NOT NULL, claimed_status TEXT, out_of_order INTEGER NOT NULL, failed TEXT NOT NULL,
        items_total INTEGER NOT NULL, rating INTEGER, photo TEXT, note TEXT, work_order INTEGER);
      CREATE INDEX IF NOT EXISTS scan_run ON scan (run_id);
      CREATE INDEX IF NOT EXISTS scan_ts ON scan (server_ts);
      CREATE TABLE IF NOT EXISTS run (
        run_id TEXT PRIMARY KEY, tour TEXT NOT NULL, shift TEXT NOT NULL, date TEXT NOT NULL, day_type TEXT NOT NULL,
        start INTEGER NOT NULL, end_ts INTEGER NOT NULL, assignee TEXT, done INTEGER NOT NULL, body TEXT);
      CREATE INDEX IF NOT EXISTS run_start ON run (start);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
    this.insScan = this.db.prepare(`INSERT INTO scan (scan_id, checkpoint, user, server_ts, client_ts, offline, manual_by, run_id, tour, run_index, status,
      claimed_status, out_of_order, failed, items_total, rating, photo, note) VALUES (@scanId, @checkpoint, @user, @serverTs, @clientTs, @offline, @manualBy,
      @runId, @tour, @runIndex, @status, @claimedStatus, @outOfOrder, @failed, @itemsTotal, @rating, @photo, @note)`);
    this.insRun = this.db.prepare('INSERT OR IGNORE INTO run (run_id, tour, shift, date, day_type, start, end_ts, assignee, done) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)');
    this.finRun = this.db.prepare('UPDATE run SET done = 1, body = ? WHERE run_id = ?');
    this.setWo = this.db.prepare('UPDATE scan SET work_order = ? WHERE id = ?');
  }

  /** When this data folder first ran patrols: runs that ended before it are not invented afterwards. */
  firstStart(now: number): number {
    this.db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('since', ?)").run(String(now));
    return Number((this.db.prepare("SELECT value FROM meta WHERE key = 'since'").get() as { value: string }).value);
  }

  hasScanId(scanId: string): boolean {
    return this.db.prepare('SELECT 1 FROM scan WHERE scan_id = ?').get(scanId) !== undefined;
  }

  /** Returns the row id; throws on a duplicate scan id (UNIQUE). */
  addScan(r: Omit<ScanRow, 'id' | 'workOrder'>): number {
    const info = this.insScan.run({
      ...r, offline: r.offline ? 1 : 0, outOfOrder: r.outOfOrder ? 1 : 0, failed: JSON.stringify(r.failed),
    });
    return Number(info.lastInsertRowid);
  }

  setWorkOrder(id: number, order: number): void {
    this.setWo.run(order, id);
  }

  addRun(r: Omit<RunRow, 'done' | 'checkpoints'>): void {
    this.insRun.run(r.runId, r.tour, r.shift, r.date, r.dayType, r.start, r.end, r.assignee);
  }

  finishRun(runId: string, checkpoints: RunCheckpoint[]): void {
    this.finRun.run(JSON.stringify(checkpoints), runId);
  }

  openRuns(): RunRow[] {
    return (this.db.prepare('SELECT * FROM run WHERE done = 0 ORDER BY start').all() as any[]).map(runOf);
  }

  hasRun(runId: string): boolean {
    return this.db.prepare('SELECT 1 FROM run WHERE run_id = ?').get(runId) !== undefined;
  }

  finishedRuns(from: number, to: number): RunRow[] {
    return (this.db.prepare('SELECT * FROM run WHERE done = 1 AND start >= ? AND start < ? ORDER BY start').all(from, to) as any[]).map(runOf);
  }

  scansOfRun(runId: string): ScanRow[] {
    return (this.db.prepare('SELECT * FROM scan WHERE run_id = ? ORDER BY server_ts').all(runId) as any[]).map(scanOf);
  }

  scans(f: { from?: number; to?: number; user?: string; limit?: number }): ScanRow[] {
    const rows = this.db.prepare(`SELECT * FROM scan WHERE server_ts >= ? AND server_ts < ? AND (? IS NULL OR user = ?) ORDER BY server_ts DESC LIMIT ?`)
      .all(f.from ?? 0, f.to ?? Number.MAX_SAFE_INTEGER, f.user ?? null, f.user ?? null, f.limit ?? 500) as any[];
    return rows.map(scanOf);
  }

  scansBetween(from: number, to: number): ScanRow[] {
    return (this.db.prepare('SELECT * FROM scan WHERE run_id IS NOT NULL AND server_ts >= ? AND server_ts < ?').all(from, to) as any[]).map(scanOf);
  }

  close(): void {
    this.db.close();
  }
}

function runOf(r: any): RunRow {
  return { runId: r.run_id, tour: r.tour, shift: r.shift, date: r.date, dayType: r.day_type, start: r.start, end: r.end_ts, assignee: r.assignee, done: r.done === 1, checkpoints: r.body ? JSON.parse(r.body) : null };
}

function scanOf(r: any): ScanRow {
  return {
    id: r.id, scanId: r.scan_id, checkpoint: r.checkpoint, user: r.user, serverTs: r.server_ts, clientTs: r.client_ts, offline: r.offline === 1,
    manualBy: r.manual_by, runId: r.run_id, tour: r.tour, runIndex: r.run_index, status: r.status, claimedStatus: r.claimed_status,
    outOfOrder: r.out_of_order === 1, failed: JSON.parse(r.failed), itemsTotal: r.items_total, rating: r.rating, photo: r.photo, note: r.note, workOrder: r.work_order,
  };
}
