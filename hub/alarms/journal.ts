// The durable alarm journal: every transition and operator action, in SQLite (WAL). Each row
// also carries the alarm's full state after it, so active states are rebuilt from the latest row
// per alarm after a restart. Operator actions commit with synchronous=FULL (they must survive
// even a power cut); process transitions use NORMAL, which in WAL mode still survives a crash
// or kill -9 of the hub.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AlarmPriority, AlarmStateName, JournalKind, JournalRow } from '../../contracts/alarms.js';
import type { PointValue } from '../../contracts/point.js';
import type { AlarmState } from './machine.js';

export interface JournalInsert extends Omit<JournalRow, 'seq'> {
  snapshot: AlarmState;
}

export interface JournalQuery {
  from?: number;
  to?: number;
  priority?: AlarmPriority[];
  /** building[/floor[/room]]: matches that area and everything inside it. */
  area?: string;
  state?: AlarmStateName[];
  kind?: JournalKind[];
  point?: string;
  alarm?: string;
  /** Newest first; default 1000. */
  limit?: number;
  /** Oldest first instead (KPIs, exports of a period). */
  ascending?: boolean;
}

export const JOURNAL_FILE = 'journal.db';

interface DbRow {
  seq: number; ts: number; alarm_id: string; rule_id: string; point_id: string; priority: string; area: string;
  kind: string; state: string; user: string; comment: string | null; value: string | null;
}

function toRow(r: DbRow): JournalRow {
  const row: JournalRow = {
    seq: r.seq, ts: r.ts, alarmId: r.alarm_id, ruleId: r.rule_id, pointId: r.point_id, priority: r.priority as AlarmPriority,
    area: r.area, kind: r.kind as JournalKind, state: r.state as AlarmStateName, user: r.user,
  };
  if (r.comment !== null) row.comment = r.comment;
  if (r.value !== null) row.value = JSON.parse(r.value) as PointValue;
  return row;
}

export class AlarmJournal {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private syncFull = false;

  /** Opens (creating) `<dir>/journal.db`. */
  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    this.db = new Database(path.join(dir, JOURNAL_FILE));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS journal (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        ts INTEGER NOT NULL,
        alarm_id TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        point_id TEXT NOT NULL,
        priority TEXT NOT NULL,
        area TEXT NOT NULL,
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        user TEXT NOT NULL,
        comment TEXT,
        value TEXT,
        snapshot TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS journal_ts ON journal (ts);
      CREATE INDEX IF NOT EXISTS journal_alarm ON journal (alarm_id, seq);
    `);
    this.insert = this.db.prepare(
      `INSERT INTO journal (ts, alarm_id, rule_id, point_id, priority, area, kind, state, user, comment, value, snapshot)
       VALUES (@ts, @alarmId, @ruleId, @pointId, @priority, @area, @kind, @state, @user, @comment, @value, @snapshot)`,
    );
  }

  /** Appends entries in one transaction. `operatorAction`: fsync'd with synchronous=FULL before returning. */
  append(entries: readonly JournalInsert[], operatorAction = false): void {
    if (entries.length === 0) return;
    this.setSync(operatorAction);
    const run = this.db.transaction((list: readonly JournalInsert[]) => {
      for (const e of list) {
        this.insert.run({
          ts: e.ts, alarmId: e.alarmId, ruleId: e.ruleId, pointId: e.pointId, priority: e.priority, area: e.area, kind: e.kind,
          state: e.state, user: e.user, comment: e.comment ?? null, value: e.value === undefined ? null : JSON.stringify(e.value),
          snapshot: JSON.stringify(e.snapshot),
        });
      }
    });
    run(entries);
  }

  /** The state after the latest entry of each alarm: what the hub had when it stopped. */
  latestStates(): Map<string, AlarmState> {
    const rows = this.db
      .prepare('SELECT alarm_id, snapshot FROM journal WHERE seq IN (SELECT MAX(seq) FROM journal GROUP BY alarm_id)')
      .all() as Array<{ alarm_id: string; snapshot: string }>;
    return new Map(rows.map((r) => [r.alarm_id, JSON.parse(r.snapshot) as AlarmState]));
  }

  query(q: JournalQuery = {}): JournalRow[] {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (q.from !== undefined) (where.push('ts >= @from'), (params.from = q.from));
    if (q.to !== undefined) (where.push('ts <= @to'), (params.to = q.to));
    if (q.point) (where.push('point_id = @point'), (params.point = q.point));
    if (q.alarm) (where.push('alarm_id = @alarm'), (params.alarm = q.alarm));
    if (q.area) {
      where.push("(area = @area OR substr(area, 1, length(@area) + 1) = @area || '/')");
      params.area = q.area;
    }
    const inList = (col: string, name: string, values: readonly string[] | undefined) => {
      if (!values || values.length === 0) return;
      where.push(`${col} IN (${values.map((_, i) => `@${name}${i}`).join(', ')})`);
      values.forEach((v, i) => (params[`${name}${i}`] = v));
    };
    inList('priority', 'p', q.priority);
    inList('state', 's', q.state);
    inList('kind', 'k', q.kind);
    const limit = Math.max(1, Math.min(q.limit ?? 1000, 100_000));
    const sql = `SELECT seq, ts, alarm_id, rule_id, point_id, priority, area, kind, state, user, comment, value FROM journal
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${q.ascending ? 'ASC' : 'DESC'} LIMIT ${limit}`;
    return (this.db.prepare(sql).all(params) as DbRow[]).map(toRow);
  }

  /** Sequence number of the newest row (0 when empty): cheap, unlike COUNT(*) on a large journal. */
  lastSeq(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS n FROM journal').get() as { n: number }).n;
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM journal').get() as { n: number }).n;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private setSync(full: boolean) {
    if (full === this.syncFull) return;
    this.db.pragma(`synchronous = ${full ? 'FULL' : 'NORMAL'}`);
    this.syncFull = full;
  }
}

const CSV_COLUMNS = ['seq', 'time', 'alarmId', 'ruleId', 'pointId', 'priority', 'area', 'kind', 'state', 'user', 'comment', 'value'] as const;

function csvField(v: unknown): string {
  const s = v === undefined || v === null ? '' : String(v);
  // Quote anything with separators, quotes or line breaks; a leading = + - @ could run as a
  // spreadsheet formula, so it is prefixed with a quote mark.
  const safe = /^[=+\-@]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function journalCsv(rows: readonly JournalRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [r.seq, new Date(r.ts).toISOString(), r.alarmId, r.ruleId, r.pointId, r.priority, r.area, r.kind, r.state, r.user, r.comment, r.value === undefined ? '' : JSON.stringify(r.value)]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
