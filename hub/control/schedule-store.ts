// Versioned schedule documents: every save is a new row with who/when; the newest wins.
import type { ControlDb } from './db.js';
import type { ScheduleDoc } from './schedule-schema.js';

export interface ScheduleVersion {
  version: number;
  doc: ScheduleDoc;
  user: string;
  savedAt: number;
  comment: string | null;
}

export class ScheduleRepo {
  constructor(private readonly db: ControlDb) {}

  latest(): ScheduleVersion | null {
    const r = this.db.prepare('SELECT * FROM schedule_version ORDER BY version DESC LIMIT 1').get() as Row | undefined;
    return r ? toVersion(r) : null;
  }

  history(limit = 50): Array<Omit<ScheduleVersion, 'doc'>> {
    const rows = this.db.prepare('SELECT version, user, saved_at, comment FROM schedule_version ORDER BY version DESC LIMIT ?').all(limit) as Row[];
    return rows.map((r) => ({ version: r.version, user: r.user, savedAt: r.saved_at, comment: r.comment }));
  }

  get(version: number): ScheduleVersion | null {
    const r = this.db.prepare('SELECT * FROM schedule_version WHERE version = ?').get(version) as Row | undefined;
    return r ? toVersion(r) : null;
  }

  /** Saves only when `expectedVersion` is still the newest (optimistic concurrency); returns the new version or null on conflict. */
  save(doc: ScheduleDoc, user: string, savedAt: number, expectedVersion: number | null, comment?: string): number | null {
    return this.db.transaction(() => {
      const current = (this.db.prepare('SELECT MAX(version) AS v FROM schedule_version').get() as { v: number | null }).v ?? 0;
      if (expectedVersion !== null && expectedVersion !== current) return null;
      const version = current + 1;
      this.db.prepare('INSERT INTO schedule_version (version, body, user, saved_at, comment) VALUES (?, ?, ?, ?, ?)').run(version, JSON.stringify(doc), user, savedAt, comment ?? null);
      return version;
    })();
  }
}

interface Row {
  version: number;
  body: string;
  user: string;
  saved_at: number;
  comment: string | null;
}

const toVersion = (r: Row): ScheduleVersion => ({ version: r.version, doc: JSON.parse(r.body) as ScheduleDoc, user: r.user, savedAt: r.saved_at, comment: r.comment });
