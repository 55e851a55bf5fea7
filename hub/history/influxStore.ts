// HistoryStore on InfluxDB's v1 HTTP API: batched, spooled writes and InfluxQL trend/energy queries.
import { join, resolve } from 'node:path';
import type { Sample } from '../../contracts/point.js';
import { DeadLetterFile } from './deadLetter.js';
import type { CounterDelta } from './energy.js';
import { InfluxHttp, type InfluxConnection } from './influxHttp.js';
import { assumedRollupEnd, counterDeltaStatement, lastBeforeStatement, mergeSameBucket, pickRollup, retentionStatements, trendStatement, type SchemaSettings } from './influxSchema.js';
import { influxqlIdent } from './influxHttp.js';
import { batchTimeRange, type LineBuffer } from './lineBuffer.js';
import { LineEncoder, type PointTagSource } from './lineProtocol.js';
import type { TrendRequest } from './query.js';
import type { HistorySettings } from './settings.js';
import { parseDuration } from './settings.js';
import { planSegments, type Coverage } from './rollupPlan.js';
import { RollupKeeper } from './rollups.js';
import { Spool } from '../../lib/spool.js';
import { WriteAheadLog } from './wal.js';
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
  /** Computes the roll-ups (only when the hub manages the schema: 1.x). */
  readonly rollups: RollupKeeper | null;

  constructor(private readonly o: InfluxStoreOptions) {
    const s = o.settings;
    const conn: InfluxConnection = { url: o.url, database: s.database, retentionPolicy: s.retentionPolicy, username: s.username, password: s.password, token: s.token };
    this.http = new InfluxHttp(conn);
    this.schema = { database: s.database, retentionPolicy: s.retentionPolicy, rawRetention: s.rawRetention, rollups: s.rollups };
    this.encoder = new LineEncoder(o.points);
    this.now = o.now ?? Date.now;
    this.deadLetter = new DeadLetterFile(join(o.dataDir, 'history', 'dead-letter.jsonl'));
    this.rollups =
      s.manageSchema && s.rollups.length > 0
        ? new RollupKeeper({ http: this.http, schema: this.schema, now: this.now, lagMs: 2 * s.flushMs + 10_000, rawRetentionMs: parseDuration(s.rawRetention)!, log: o.log })
        : null;
    this.writer = new BatchWriter({
      send: (body) => this.http.write(body),
      ping: () => this.pingAndPrepare(),
      spool: new Spool(resolve(o.dataDir, s.spoolDir)),
      wal: s.walMs > 0 ? new WriteAheadLog(resolve(o.dataDir, s.spoolDir)) : undefined,
      walMs: s.walMs,
      deadLetter: this.deadLetter,
      log: o.log,
      batchSize: s.batchSize,
      flushMs: s.flushMs,
      maxInFlight: s.maxInFlight,
      probeMaxMs: o.probeMaxMs,
      // Every landed batch (live, retried or replayed from the spool): roll-ups already past its
      // timestamps are recomputed, and read as raw data until then.
      onDelivered: this.rollups
        ? (body) => {
            const range = batchTimeRange(body);
            if (range) this.rollups!.noteWritten(range.min, range.max);
          }
        : undefined,
    });
  }

  get description(): string {
    return `InfluxDB ${this.o.label ?? this.o.url} (database ${this.o.settings.database}, rp ${this.o.settings.retentionPolicy})`;
  }

  async start(): Promise<void> {
    // InfluxDB may be down at start: writes spool, and the schema is set up when it answers.
    if (await this.http.ping()) {
      await this.ensureSchema().catch((err) => this.o.log.warn({ err: (err as Error).message }, 'could not set up the InfluxDB schema'));
      await this.rollups?.load().catch((err) => this.o.log.warn({ err: (err as Error).message }, 'could not load roll-up progress; trends read raw data until it loads'));
    }
    // Also loads the progress later when InfluxDB was down at start.
    this.rollups?.start();
  }

  /** Database and RPs (1.x; roll-ups are computed by `rollups`). A failure is logged, not fatal: 2.x/3.x manage buckets themselves. */
  async ensureSchema(): Promise<void> {
    if (this.schemaReady || !this.o.settings.manageSchema) return;
    const db = influxqlIdent(this.schema.database);
    await this.http.query(`CREATE DATABASE ${db}`, { database: false });
    const rps = await this.http.query(`SHOW RETENTION POLICIES ON ${db}`, { database: false });
    const existing = new Set((rps[0].series?.[0]?.values ?? []).map((row) => String(row[0])));
    await this.http.query(retentionStatements(this.schema, existing).join('; '), { database: false });
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

  /**
   * Recomputes roll-ups over [from, to] and waits until every roll-up is current (tests and benchmarks;
   * the hub itself notices every late write).
   */
  async backfillRollups(from: number, to: number): Promise<void> {
    this.rollups?.noteWritten(from, to);
    await this.rollups?.idle();
  }

  /** What the roll-up holds for certain; a roll-up the hub does not compute is assumed current. */
  private coverage(rollup: NonNullable<ReturnType<typeof pickRollup>>): Coverage {
    if (this.rollups) return this.rollups.coverage(rollup);
    return { from: 0, to: assumedRollupEnd(this.now(), rollup), dirty: [] };
  }

  async trend(req: TrendRequest): Promise<TrendSeries[]> {
    const rollup = pickRollup(this.schema.rollups, req.stepMs, req.offsetMs);
    // Roll-ups only where they are known complete; every other bucket is aggregated from raw data, so
    // the answer is the same whichever table serves it.
    const segments = rollup ? planSegments(req.from, req.to, req.stepMs, req.offsetMs, this.coverage(rollup)) : [{ from: req.from, to: req.to, rollup: false }];
    const statements = segments.map((seg) => trendStatement(this.schema, req, seg.from, seg.to, seg.rollup ? rollup : null));
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
      lastWriteMs: st.lastWriteMs,
      written: st.written,
      spooled: st.spooled,
      recovered: st.recovered,
      lastError: st.lastError,
    };
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  async stop(): Promise<void> {
    this.rollups?.stop();
    await this.writer.stop();
  }
}
