// The hub computes InfluxDB roll-ups itself and knows exactly which intervals are complete.
//
// Why not continuous queries: a CQ runs once per interval when the interval ends, before the last
// batch of that interval has arrived; RESAMPLE FOR only widens that to a fixed window; a CQ misses the
// intervals during which influxd was down; and nothing tells a reader which intervals a CQ has covered.
// Here every interval is rolled up once its samples have had time to arrive (`lagMs`), any write that
// lands under an interval already rolled up marks it dirty (recomputed, and served raw until then), the
// covered range is persisted in InfluxDB beside the roll-up, and trends read roll-ups only inside it.
import type { InfluxHttp } from './influxHttp.js';
import { firstRawStatement, legacyCqName, rollupRangeStatement, rollupStateLine, rollupStateQuery, type SchemaSettings } from './influxSchema.js';
import { influxqlIdent } from './influxHttp.js';
import { addInterval, alignOutward, nextWork, removeInterval, type Coverage, type Work } from './rollupPlan.js';
import { parseDuration, type RollupSettings } from './settings.js';

export interface RollupKeeperOptions {
  http: InfluxHttp;
  schema: SchemaSettings;
  now: () => number;
  /** How long after an interval ends its samples may still arrive (batching, queueing). */
  lagMs: number;
  rawRetentionMs: number;
  log: { warn(o: object, m?: string): void; info(o: object, m?: string): void };
  /** How often to look for work (forward progress, retries after an error). */
  tickMs?: number;
}

interface Tracked {
  rollup: RollupSettings;
  res: number;
  cov: Coverage;
  /** Oldest raw sample below `cov.from`, once asked (null: none); undefined: not asked yet. */
  earliest?: number | null;
  /** A dirty range being recomputed: still read raw until the SELECT … INTO has finished. */
  computing?: [number, number];
}

const CHUNK_MS = 3 * 3_600_000;

export class RollupKeeper {
  private readonly tracked: Tracked[];
  private loaded = false;
  /** Deliveries noted before the state was loaded: applied after. */
  private early: Array<[number, number]> = [];
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failing = false;
  private stopped = false;

  constructor(private readonly o: RollupKeeperOptions) {
    this.tracked = o.schema.rollups.map((rollup) => ({ rollup, res: parseDuration(rollup.resolution)!, cov: { from: null, to: null, dirty: [] } }));
  }

  /** The current coverage of a roll-up (read by the trend planner). */
  coverage(rollup: RollupSettings): Coverage {
    const t = this.tracked.find((x) => x.rollup.retentionPolicy === rollup.retentionPolicy);
    if (!t) return { from: null, to: null, dirty: [] };
    return t.computing ? { ...t.cov, dirty: addInterval(t.cov.dirty, t.computing[0], t.computing[1]) } : t.cov;
  }

  /** Drops the CQs of earlier versions and loads the persisted coverage; safe to call again until it succeeds. */
  async load(): Promise<void> {
    if (this.loaded) return;
    const db = influxqlIdent(this.o.schema.database);
    const cqs = await this.o.http.query('SHOW CONTINUOUS QUERIES', { database: false });
    const names = new Set<string>();
    for (const series of cqs[0].series ?? []) if (series.name === this.o.schema.database) for (const row of series.values ?? []) names.add(String(row[0]));
    for (const t of this.tracked) {
      const name = legacyCqName(t.rollup);
      if (names.has(name)) await this.o.http.query(`DROP CONTINUOUS QUERY ${influxqlIdent(name)} ON ${db}`, { database: false });
    }
    const start = Math.floor((this.o.now() - this.o.lagMs) / 60_000) * 60_000;
    for (const t of this.tracked) {
      const res = await this.o.http.query(rollupStateQuery(this.o.schema, t.rollup));
      const row = res[0].series?.[0]?.values?.[0];
      if (row && typeof row[1] === 'number' && typeof row[2] === 'number') {
        t.cov = { from: row[1], to: row[2], dirty: [] };
        // A hub killed after a late write and before recomputing it: redo from there.
        if (typeof row[3] === 'number' && row[3] < row[2]) t.cov.dirty = [[row[3], row[2]]];
      } else {
        // Nothing known: start at the current interval and extend backwards over existing raw data.
        const s = Math.floor(start / t.res) * t.res;
        t.cov = { from: s, to: s, dirty: [] };
      }
    }
    this.loaded = true;
    for (const [a, b] of this.early.splice(0)) this.noteWritten(a, b);
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), this.o.tickMs ?? 5000);
    this.timer.unref();
    this.kick();
  }

  /** Samples with timestamps in [min, max] landed in raw data: roll-ups already past them are dirty. */
  noteWritten(min: number, max: number): void {
    if (!this.loaded) {
      this.early.push([min, max]);
      return;
    }
    let marked = false;
    for (const t of this.tracked) {
      if (t.cov.to === null || min >= t.cov.to) continue;
      const [a, b] = alignOutward(min, Math.min(max + 1, t.cov.to), t.res);
      t.cov.dirty = addInterval(t.cov.dirty, a, Math.min(b, t.cov.to));
      marked = true;
    }
    if (marked) this.kick();
  }

  /** Runs work until none is left for the current time (tests, benchmarks, flush). */
  async idle(): Promise<void> {
    for (let i = 0; i < 10_000; i++) {
      if (this.running) await this.running;
      else if (!this.hasWork()) return;
      else this.kick();
      if (this.failing) return;
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private hasWork(): boolean {
    return this.loaded && this.tracked.some((t) => this.work(t) !== null);
  }

  private work(t: Tracked): Work | null {
    const now = this.o.now();
    const target = Math.floor((now - this.o.lagMs) / t.res) * t.res;
    const horizon = Math.floor((now - this.o.rawRetentionMs) / t.res) * t.res;
    return nextWork(t.cov, target, horizon, Math.max(CHUNK_MS, t.res));
  }

  private kick(): void {
    if (this.running || this.stopped) return;
    this.running = this.run().finally(() => {
      this.running = null;
    });
  }

  private async run(): Promise<void> {
    try {
      if (!this.loaded) await this.load();
      for (;;) {
        if (this.stopped) return;
        const t = this.tracked.find((x) => this.work(x) !== null);
        if (!t) break;
        await this.step(t, this.work(t)!);
      }
      if (this.failing) this.o.log.info({}, 'roll-ups are being computed again');
      this.failing = false;
    } catch (err) {
      if (!this.failing && !this.stopped) this.o.log.warn({ err: (err as Error).message }, 'roll-up computation failed; trends read raw data there until it succeeds');
      this.failing = true;
    }
  }

  private async step(t: Tracked, w: Work): Promise<void> {
    const { http, schema } = this.o;
    if (w.kind === 'backward' && t.earliest === undefined) {
      // Skip empty history in one question instead of many empty SELECT … INTO.
      const res = await http.query(firstRawStatement(schema, this.horizonOf(t), t.cov.from!));
      const ts = res[0].series?.[0]?.values?.[0]?.[0];
      t.earliest = typeof ts === 'number' ? ts : null;
    }
    if (w.kind === 'backward' && (t.earliest === null || (t.earliest !== undefined && t.earliest >= w.to))) {
      // No raw data below here: everything from the retention horizon on is covered.
      t.cov.from = Math.min(t.cov.from!, this.horizonOf(t));
      await this.persist(t);
      return;
    }
    if (w.kind === 'dirty') {
      await this.persist(t); // records dirty_from, so a hub killed before the recompute redoes it
      t.cov.dirty = removeInterval(t.cov.dirty, w.from, w.to);
      t.computing = [w.from, w.to];
    }
    try {
      await http.query(rollupRangeStatement(schema, t.rollup, w.from, w.to));
    } catch (err) {
      if (w.kind === 'dirty') t.cov.dirty = addInterval(t.cov.dirty, w.from, w.to);
      throw err;
    } finally {
      t.computing = undefined;
    }
    if (w.kind === 'forward') t.cov.to = w.to;
    if (w.kind === 'backward') t.cov.from = w.from;
    await this.persist(t);
  }

  private horizonOf(t: Tracked): number {
    return Math.floor((this.o.now() - this.o.rawRetentionMs) / t.res) * t.res;
  }

  private async persist(t: Tracked): Promise<void> {
    const dirtyFrom = t.cov.dirty[0]?.[0] ?? t.cov.to!;
    const outcome = await this.o.http.write(rollupStateLine(t.rollup, t.cov.from!, t.cov.to!, dirtyFrom, Date.now()), t.rollup.retentionPolicy);
    if (!outcome.ok) throw new Error(`could not record roll-up progress: ${outcome.reason}`);
  }
}
