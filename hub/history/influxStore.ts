// HistoryStore on InfluxDB's v1 HTTP API: batched, spooled writes and InfluxQL trend/energy queries.
import { join, resolve } from 'node:path';
import type { Sample } from '../../contracts/point.js';
import { DeadLetterFile } from './deadLetter.js';
import type { CounterDelta } from './energy.js';
import { InfluxHttp, type InfluxConnection } from './influxHttp.js';
import { counterDeltaStatement, createCqStatement, cqName, lastBeforeStatement, mergeSameBucket, pickRollup, retentionStatements, rollupCutoff, rollupSelect, trendStatement, type SchemaSettings } from './influxSchema.js';
import { influxqlIdent } from './influxHttp.js';
import type { LineBuffer } from './lineBuffer.js';
import { LineEncoder, type PointTagSource } from './lineProtocol.js';
import type { TrendRequest } from './query.js';
import type { HistorySettings } from './settings.js';
import { parseDuration } from './settings.js';
import { Spool } from './spool.js';
import type { HistoryStatus, HistoryStore, TrendSeries } from './store.js';
import { BatchWriter, type WriterLogger } from './writer.js';

export interface InfluxStoreOptions {
  settings: HistorySettings;
  url: string;
  dataDir: string;
  points: PointTagSource[];
  log: WriterLogger;
  /** e.g. `local influxd (pid 123)`; shown in the start-up line. */
  label?: string;
  /** Faster outage probing for tests. */
  probeMaxMs?: number;
  now?: () => number;
}

export class InfluxStore implements HistoryStore {
  readonly backend = 'influxdb' as const;
  readonly http: InfluxHttp;
  readonly writer: BatchWriter;
  readonly deadLetter: DeadLetterFile;
  private readonly encoder: LineEncoder;
  private readonly schema: SchemaSettings;
  private readonly now: () => number;
  private schemaReady = false;

  constructor(private readonly o: InfluxStoreOptions) {
    const s = o.settings;
    const conn: InfluxConnection = { url: o.url, database: s.database, retentionPolicy: s.retentionPolicy, username: s.username, password: s.password, token: s.token };
    this.http = new InfluxHttp(conn);
    this.schema = { database: s.database, retentionPolicy: s.retentionPolicy, rawRetention: s.rawRetention, rollups: s.rollups };
    this.encoder = new LineEncoder(o.points);
    this.now = o.now ?? Date.now;
    this.deadLetter = new DeadLetterFile(join(o.dataDir, 'history', 'dead-letter.jsonl'));
    this.writer = new BatchWriter({
      send: (body) => this.http.write(body),
      ping: () => this.pingAndPrepare(),
      spool: new Spool(resolve(o.dataDir, s.spoolDir)),
      deadLetter: this.deadLetter,
      log: o.log,
      batchSize: s.batchSize,
      flushMs: s.flushMs,
      maxInFlight: s.maxInFlight,
      probeMaxMs: o.probeMaxMs,
      onReplayed: (min, max) => void this.backfillRollups(min, max).catch((err) => o.log.warn({ err: (err as Error).message }, 'roll-up backfill after replay failed')),
    });
  }

  get description(): string {
    return `InfluxDB ${this.o.label ?? this.o.url} (database ${this.o.settings.database}, rp ${this.o.settings.retentionPolicy})`;
  }

  async start(): Promise<void> {
    // InfluxDB may be down at start: writes spool, and the schema is set up when it answers.
    if (await this.http.ping()) await this.ensureSchema().catch((err) => this.o.log.warn({ err: (err as Error).message }, 'could not set up the InfluxDB schema'));
  }

  /** Database, RPs and CQs (1.x). A failure is logged, not fatal: 2.x/3.x manage buckets themselves. */
  async ensureSchema(): Promise<void> {
    if (this.schemaReady || !this.o.settings.manageSchema) return;
    const db = influxqlIdent(this.schema.database);
    await this.http.query(`CREATE DATABASE ${db}`, { database: false });
    const rps = await this.http.query(`SHOW RETENTION POLICIES ON ${db}`, { database: false });
    const existing = new Set((rps[0].series?.[0]?.values ?? []).map((row) => String(row[0])));
    await this.http.query(retentionStatements(this.schema, existing).join('; '), { database: false });
    const cqs = await this.http.query('SHOW CONTINUOUS QUERIES', { database: false });
    const current = new Map<string, string>();
    for (const series of cqs[0].series ?? []) if (series.name === this.schema.database) for (const row of series.values ?? []) current.set(String(row[0]), String(row[1]));
    for (const rollup of this.schema.rollups) {
      const name = cqName(rollup);
      const wanted = createCqStatement(this.schema, rollup);
      if (current.get(name) === wanted) continue;
      if (current.has(name)) await this.http.query(`DROP CONTINUOUS QUERY ${influxqlIdent(name)} ON ${db}`, { database: false });
      await this.http.query(wanted, { database: false });
    }
    this.schemaReady = true;
  }

  private async pingAndPrepare(): Promise<boolean> {
    if (!(await this.http.ping())) return false;
    // A fresh influxd after an outage may have lost nothing, or may be brand new: make sure the db exists.
    await this.ensureSchema().catch(() => undefined);
    return true;
  }

  write(samples: Sample[]): void {
    // Encoded straight into the open batch's bytes: no per-line strings, no join per POST.
    this.writer.addEncoded(samples, this.encodeSample);
  }

  private readonly encodeSample = (sample: Sample, out: LineBuffer) => this.encoder.encodeInto(out, sample);

  /** Recomputes roll-ups over [from, to] (late or replayed data that the CQs had already passed). */
  async backfillRollups(from: number, to: number): Promise<void> {
    for (const r of this.schema.rollups) {
      const res = parseDuration(r.resolution)!;
      const start = Math.floor(from / res) * res;
      const end = Math.floor(to / res) * res + res;
      await this.http.query(rollupSelect(this.schema, r, ` WHERE time >= ${start}ms AND time < ${end}ms`));
    }
  }

  async trend(req: TrendRequest): Promise<TrendSeries[]> {
    const rollup = pickRollup(this.schema.rollups, req.stepMs, req.offsetMs);
    const statements: string[] = [];
    if (rollup) {
      const cutoff = Math.max(req.from, Math.min(req.to, rollupCutoff(this.now(), rollup, req.stepMs, req.offsetMs)));
      if (cutoff > req.from) statements.push(trendStatement(this.schema, req, req.from, cutoff, rollup));
      if (cutoff < req.to) statements.push(trendStatement(this.schema, req, cutoff, req.to, null));
    } else statements.push(trendStatement(this.schema, req, req.from, req.to, null));
    const results = await this.http.query(statements.join('; '));
    const byPoint = new Map<string, Array<[number, number]>>(req.points.map((p) => [p, []]));
    for (const result of results) {
      for (const series of result.series ?? []) {
        const list = byPoint.get(series.tags?.point ?? '');
        if (!list) continue;
        for (const row of series.values ?? []) if (typeof row[1] === 'number') list.push([row[0] as number, row[1]]);
      }
    }
    return req.points.map((pointId) => ({ pointId, points: mergeSameBucket(byPoint.get(pointId)!, req.agg) }));
  }

  async counterDeltas(pointId: string, from: number, to: number, bucketMs: number): Promise<CounterDelta[]> {
    const before = await this.http.query(lastBeforeStatement(this.schema, pointId, from, 35 * 86_400_000));
    const prevTs = before[0].series?.[0]?.values?.[0]?.[0];
    const innerFrom = typeof prevTs === 'number' ? prevTs : from;
    const results = await this.http.query(counterDeltaStatement(this.schema, pointId, innerFrom, to, bucketMs));
    return (results[0].series?.[0]?.values ?? [])
      .filter((row) => typeof row[1] === 'number' && (row[0] as number) >= from)
      .map((row) => ({ ts: row[0] as number, delta: row[1] as number }));
  }

  status(): HistoryStatus {
    const st = this.writer.getStats();
    return {
      ok: st.connected,
      backend: this.backend,
      url: this.o.url,
      connected: st.connected,
      spooledBytes: st.spooledBytes,
      deadLetters: st.deadLetters,
      lastWriteTs: st.lastWriteTs,
      written: st.written,
      spooled: st.spooled,
      lastError: st.lastError,
    };
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  async stop(): Promise<void> {
    await this.writer.stop();
  }
}
