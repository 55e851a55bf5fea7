// The recording index in SQLite (WAL) at <store>/index.db: finished segments with their wall-clock
// start/end, gaps with their reason, evidence ranges (never pruned), door/window events seen on the
// bus, incidents and exports. The segment files are the truth: on start the store re-indexes any
// finished segment it finds on disk that the index lacks (see recover.ts).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { GapInfo, GapReason, Incident, SegmentInfo, TimelineEvent } from '../../contracts/recording.js';

export const INDEX_FILE = 'index.db';

export class RecordingIndex {
  readonly db: Database.Database;

  constructor(dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    this.db = new Database(path.join(dir, INDEX_FILE));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS segments (camera TEXT NOT NULL, file TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, bytes INTEGER NOT NULL, keep INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (camera, file));
      CREATE INDEX IF NOT EXISTS segments_time ON segments (camera, start);
      CREATE TABLE IF NOT EXISTS gaps (camera TEXT NOT NULL, "from" INTEGER NOT NULL, "to" INTEGER NOT NULL, reason TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS gaps_time ON gaps (camera, "from");
      CREATE TABLE IF NOT EXISTS evidence (id TEXT NOT NULL, camera TEXT, "from" INTEGER NOT NULL, "to" INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, ts INTEGER NOT NULL, kind TEXT NOT NULL, place TEXT, json TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS events_ts ON events (ts);
      CREATE TABLE IF NOT EXISTS incidents (id TEXT PRIMARY KEY, json TEXT NOT NULL, updated INTEGER NOT NULL);
    `);
  }

  addSegment(s: SegmentInfo, keep = true): void {
    this.db.prepare('INSERT OR REPLACE INTO segments (camera, file, start, end, bytes, keep) VALUES (?, ?, ?, ?, ?, ?)').run(s.camera, s.file, s.start, s.end, s.bytes, keep ? 1 : 0);
  }

  hasSegment(camera: string, file: string): boolean {
    return !!this.db.prepare('SELECT 1 FROM segments WHERE camera = ? AND file = ?').get(camera, file);
  }

  removeSegment(camera: string, file: string): void {
    this.db.prepare('DELETE FROM segments WHERE camera = ? AND file = ?').run(camera, file);
  }

  /** Marks on-event segments in [from, to) as kept (an event's pre/post-roll). */
  keepRange(camera: string, from: number, to: number): void {
    this.db.prepare('UPDATE segments SET keep = 1 WHERE camera = ? AND end > ? AND start < ?').run(camera, from, to);
  }

  /** Unkept segments (on-event mode) that ended before `before`: outside every pre-roll now. */
  unkeptBefore(camera: string, before: number): SegmentInfo[] {
    return this.db.prepare('SELECT camera, file, start, end, bytes FROM segments WHERE camera = ? AND keep = 0 AND end < ?').all(camera, before) as SegmentInfo[];
  }

  segments(camera: string, from = 0, to = Number.MAX_SAFE_INTEGER): SegmentInfo[] {
    return this.db.prepare('SELECT camera, file, start, end, bytes FROM segments WHERE camera = ? AND keep = 1 AND end > ? AND start < ? ORDER BY start').all(camera, from, to) as SegmentInfo[];
  }

  allSegments(): SegmentInfo[] {
    return this.db.prepare('SELECT camera, file, start, end, bytes FROM segments ORDER BY start').all() as SegmentInfo[];
  }

  lastSegment(camera: string): SegmentInfo | undefined {
    return this.db.prepare('SELECT camera, file, start, end, bytes FROM segments WHERE camera = ? ORDER BY end DESC LIMIT 1').get(camera) as SegmentInfo | undefined;
  }

  totalBytes(): number {
    return (this.db.prepare('SELECT COALESCE(SUM(bytes), 0) AS n FROM segments').get() as { n: number }).n;
  }

  addGap(camera: string, from: number, to: number, reason: GapReason): void {
    if (to <= from) return;
    this.db.prepare('INSERT INTO gaps (camera, "from", "to", reason) VALUES (?, ?, ?, ?)').run(camera, from, to, reason);
  }

  gaps(camera: string, from: number, to: number): GapInfo[] {
    return this.db.prepare('SELECT camera, "from", "to", reason FROM gaps WHERE camera = ? AND "to" > ? AND "from" < ? ORDER BY "from"').all(camera, from, to) as GapInfo[];
  }

  addEvidence(id: string, camera: string | undefined, from: number, to: number): void {
    this.db.prepare('INSERT INTO evidence (id, camera, "from", "to") VALUES (?, ?, ?, ?)').run(id, camera ?? null, from, to);
  }

  evidence(): Array<{ id: string; camera?: string; from: number; to: number }> {
    return (this.db.prepare('SELECT id, camera, "from", "to" FROM evidence').all() as Array<{ id: string; camera: string | null; from: number; to: number }>).map((e) => ({ ...e, camera: e.camera ?? undefined }));
  }

  addEvent(e: TimelineEvent): void {
    this.db.prepare('INSERT OR IGNORE INTO events (id, ts, kind, place, json) VALUES (?, ?, ?, ?, ?)').run(e.id, e.ts, e.kind, e.place ?? null, JSON.stringify(e));
  }

  events(from: number, to: number, limit = 5000): TimelineEvent[] {
    return (this.db.prepare('SELECT json FROM events WHERE ts >= ? AND ts <= ? ORDER BY ts DESC LIMIT ?').all(from, to, limit) as Array<{ json: string }>).map((r) => JSON.parse(r.json) as TimelineEvent);
  }

  saveIncident(i: Incident): void {
    this.db.prepare('INSERT OR REPLACE INTO incidents (id, json, updated) VALUES (?, ?, ?)').run(i.id, JSON.stringify(i), i.updatedAt);
  }

  incident(id: string): Incident | undefined {
    const r = this.db.prepare('SELECT json FROM incidents WHERE id = ?').get(id) as { json: string } | undefined;
    return r ? (JSON.parse(r.json) as Incident) : undefined;
  }

  incidents(): Incident[] {
    return (this.db.prepare('SELECT json FROM incidents ORDER BY updated DESC').all() as Array<{ json: string }>).map((r) => JSON.parse(r.json) as Incident);
  }

  close(): void {
    this.db.close();
  }
}
