// The control subsystem's durable state: one SQLite file in <dataDir>/control/, WAL mode.
// Priority slots and relinquish defaults survive a restart; schedules are versioned rows.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { PointValue } from '../../contracts/point.js';
import type { PriorityArray, Slot } from './priority.js';

export type ControlDb = Database.Database;

export function openControlDb(dataDir: string): ControlDb {
  const dir = path.join(dataDir, 'control');
  fs.mkdirSync(dir, { recursive: true });
  const db = new Database(path.join(dir, 'control.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS priority_slot (
      point_id TEXT NOT NULL, level INTEGER NOT NULL, value TEXT NOT NULL, user TEXT NOT NULL,
      set_at INTEGER NOT NULL, expires_at INTEGER, note TEXT, PRIMARY KEY (point_id, level));
    CREATE TABLE IF NOT EXISTS relinquish_default (point_id TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS schedule_version (
      version INTEGER PRIMARY KEY, body TEXT NOT NULL, user TEXT NOT NULL, saved_at INTEGER NOT NULL, comment TEXT);
  `);
  return db;
}

/** Priority arrays as rows: write-through on every change, read once at start. */
export class PriorityRepo {
  private readonly upsert;
  private readonly del;
  private readonly setDefault;

  constructor(private readonly db: ControlDb) {
    this.upsert = db.prepare(
      'INSERT OR REPLACE INTO priority_slot (point_id, level, value, user, set_at, expires_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.del = db.prepare('DELETE FROM priority_slot WHERE point_id = ? AND level = ?');
    this.setDefault = db.prepare('INSERT OR REPLACE INTO relinquish_default (point_id, value) VALUES (?, ?)');
  }

  loadAll(): Map<string, PriorityArray> {
    const arrays = new Map<string, PriorityArray>();
    const get = (id: string) => {
      let a = arrays.get(id);
      if (!a) arrays.set(id, (a = { pointId: id, slots: [], relinquishDefault: null }));
      return a;
    };
    for (const r of this.db.prepare('SELECT point_id, value FROM relinquish_default').all() as Array<{ point_id: string; value: string }>) {
      get(r.point_id).relinquishDefault = JSON.parse(r.value) as PointValue;
    }
    const rows = this.db.prepare('SELECT * FROM priority_slot').all() as Array<{
      point_id: string; level: number; value: string; user: string; set_at: number; expires_at: number | null; note: string | null;
    }>;
    for (const r of rows) {
      const slot: Slot = { level: r.level, value: JSON.parse(r.value) as PointValue, user: r.user, setAt: r.set_at, expiresAt: r.expires_at };
      if (r.note) slot.note = r.note;
      get(r.point_id).slots.push(slot);
    }
    return arrays;
  }

  saveSlot(pointId: string, s: Slot): void {
    this.upsert.run(pointId, s.level, JSON.stringify(s.value), s.user, s.setAt, s.expiresAt, s.note ?? null);
  }

  deleteSlot(pointId: string, level: number): void {
    this.del.run(pointId, level);
  }

  saveDefault(pointId: string, value: PointValue): void {
    this.setDefault.run(pointId, JSON.stringify(value));
  }
}
