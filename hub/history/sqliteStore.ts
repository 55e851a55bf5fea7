// Embedded history (no InfluxDB configured or installed): SQLite in WAL mode, same schema and
// answers as the InfluxDB store. Same (point, time) overwrites, as in InfluxDB.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Sample } from '../../contracts/point.js';
import type { CounterDelta } from './energy.js';
import type { TrendRequest } from './query.js';
import { combine, MinuteRollup, rollupSpan } from './sqliteRollup.js';
import { COUNTER_QUALITIES, type HistoryStatus, type HistoryStore, type TrendSeries } from './store.js';

export interface SqliteStoreOptions {
  path: string;
  flushMs: number;
  batchSize: number;
  /** Raw data older than this is deleted (hourly). */
  retentionMs: number;
  log: { info(o: object, m?: string): void; error(o: object, m?: string): void };
}

type Row = [string, number, number | null, number | null, string | null, string, string | null, number | null];

const QUALITY_LIST = COUNTER_QUALITIES.map((q) => `'${q}'`).join(',');

export class SqliteStore implements HistoryStore {
  readonly backend = 'embedded' as const;
  private db: Database.Database | null = null;
  private pending: Row[] = [];
  private timer: NodeJS.Timeout | null = null;
  private retentionTimer: NodeJS.Timeout | null = null;
  private insertMany!: (rows: Row[]) => void;
  private rollup!: MinuteRollup;
  private written = 0;
  private lastWriteTs: number | null = null;
  private lastWriteMs: number | null = null;
  private lastError: string | null = null;

  constructor(private readonly o: SqliteStoreOptions) {}

  get description(): string {
    return `embedded SQLite store ${this.o.path}`;
  }

  async start(): Promise<void> {
    mkdirSync(dirname(this.o.path), { recursive: true });
    const db = new Database(this.o.path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(`CREATE TABLE IF NOT EXISTS samples (
      point TEXT NOT NULL, ts INTEGER NOT NULL, value REAL, value_bool INTEGER, value_str TEXT,
      quality TEXT NOT NULL, detail TEXT, source_ts INTEGER, PRIMARY KEY (point, ts)) WITHOUT ROWID`);
    const insert = db.prepare('INSERT OR REPLACE INTO samples VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const rollup = new MinuteRollup(db, this.o.log);
    this.rollup = rollup;
    this.insertMany = db.transaction((rows: Row[]) => {
      for (const r of rows) insert.run(r);
      rollup.touch(rows);
    });
    this.db = db;
    this.pruneOld();
    this.retentionTimer = setInterval(() => this.pruneOld(), 3_600_000);
    this.retentionTimer.unref();
  }

  write(samples: Sample[]): void {
    for (const s of samples) {
      const v = s.value;
      let detail = s.detail ?? null;
      let value: number | null = null;
      if (typeof v === 'number') {
        if (Number.isFinite(v)) value = v;
        else detail = detail ? `${detail}; non-finite value ${v}` : `non-finite value ${v}`;
      } else if (typeof v === 'boolean') value = v ? 1 : 0;
      this.pending.push([
        s.pointId,
        Math.round(s.readTs),
        value,
        typeof v === 'boolean' ? (v ? 1 : 0) : null,
        typeof v === 'string' ? v : null,
        s.quality,
        detail,
        s.sourceTs === undefined ? null : Math.round(s.sourceTs),
      ]);
    }
    if (this.pending.length >= this.o.batchSize) this.commit();
    else if (!this.timer) this.timer = setTimeout(() => this.commit(), this.o.flushMs);
  }

  private commit(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.db || this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    try {
      const t0 = performance.now();
      this.insertMany(rows);
      this.lastWriteMs = performance.now() - t0;
      this.written += rows.length;
      this.lastWriteTs = Date.now();
      this.lastError = null;
    } catch (err) {
      // Disk full or similar: keep the rows and try again at the next flush rather than drop them.
      this.pending = rows.concat(this.pending);
      if (this.lastError === null) this.o.log.error({ err }, 'embedded history store write failed; retrying');
      this.lastError = (err as Error).message;
      this.timer = setTimeout(() => this.commit(), this.o.flushMs);
    }
  }

  private pruneOld(): void {
    this.db?.prepare('DELETE FROM samples WHERE ts < ?').run(Date.now() - this.o.retentionMs);
    if (this.db) this.rollup.prune(Date.now() - this.o.retentionMs);
  }

  private database(): Database.Database {
    if (!this.db) throw new Error('embedded history store is not started');
    this.commit();
    return this.db;
  }

  async trend(req: TrendRequest): Promise<TrendSeries[]> {
    this.database();
    // Whole minutes from the roll-up, the partial minutes at the edges from the raw rows.
    const span = rollupSpan(req);
    const parts = span
      ? [
          ...this.rollup.partials('raw', req, req.from, span.from),
          ...this.rollup.partials('rollup', req, span.from, span.to),
          ...this.rollup.partials('raw', req, span.to, req.to),
        ]
      : this.rollup.partials('raw', req, req.from, req.to);
    const merged = new Map<string, Map<number, (typeof parts)[number]>>(req.points.map((p) => [p, new Map()]));
    for (const p of parts) {
      const buckets = merged.get(p.point);
      if (!buckets) continue;
      const seen = buckets.get(p.b);
      buckets.set(p.b, seen ? combine(req.agg, seen, p) : p);
    }
    return req.points.map((pointId) => ({
      pointId,
      points: [...merged.get(pointId)!.values()]
        .sort((x, y) => x.b - y.b)
        .map((p): [number, number] => [p.b, req.agg === 'mean' ? p.a / p.c : p.a]),
    }));
  }

  async counterDeltas(pointId: string, from: number, to: number, bucketMs: number): Promise<CounterDelta[]> {
    const db = this.database();
    const prev = db
      .prepare(`SELECT max(ts) AS ts FROM samples WHERE point = ? AND ts < ? AND ts >= ? AND value IS NOT NULL AND quality IN (${QUALITY_LIST})`)
      .get(pointId, from, from - 35 * 86_400_000) as { ts: number | null };
    const innerFrom = prev.ts ?? from;
    const rows = db
      .prepare(
        `WITH r AS (SELECT ts, value - LAG(value) OVER (ORDER BY ts) AS d FROM samples
           WHERE point = :point AND ts >= :innerFrom AND ts < :to AND value IS NOT NULL AND quality IN (${QUALITY_LIST}))
         SELECT CAST(ts / :bucket AS INTEGER) * :bucket AS b, sum(d) AS d FROM r WHERE d >= 0 AND ts >= :from GROUP BY b ORDER BY b`,
      )
      .all({ point: pointId, innerFrom, from, to, bucket: bucketMs }) as Array<{ b: number; d: number }>;
    return rows.map((r) => ({ ts: r.b, delta: r.d }));
  }

  status(): HistoryStatus {
    return {
      ok: this.db !== null && this.lastError === null,
      backend: this.backend,
      connected: this.db !== null,
      spooledBytes: 0,
      deadLetters: 0,
      lastWriteTs: this.lastWriteTs,
      lastWriteMs: this.lastWriteMs,
      written: this.written,
      pending: this.pending.length,
      lastError: this.lastError,
    };
  }

  async flush(): Promise<void> {
    this.commit();
  }

  async stop(): Promise<void> {
    this.commit();
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    this.db?.close();
    this.db = null;
  }
}
