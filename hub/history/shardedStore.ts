// History split by building over several stores (one InfluxDB each): every sample goes to the shard
// of its building, so one shard being down spools only its own buildings while the others keep writing.
import { join, resolve } from 'node:path';
import type { Sample } from '../../contracts/point.js';
import type { ChildLogger, Logger } from '../../contracts/log.js';
import type { CounterDelta } from './energy.js';
import type { TrendRequest } from './query.js';
import { InfluxStore } from './influxStore.js';
import type { PointTagSource } from './lineProtocol.js';
import { shardName, type HistorySettings } from './settings.js';
import type { HistoryStatus, HistoryStore, TrendSeries } from './store.js';
import type { WriterLogger } from './writer.js';

export interface Shard {
  name: string;
  /** Building ids, or `*` for every building no other shard names. */
  buildings: readonly string[] | '*';
  store: HistoryStore;
}

/** The building of a point id (`site/building/…`); '' when the id has no building part. */
export function buildingOf(pointId: string): string {
  const a = pointId.indexOf('/');
  if (a < 0) return '';
  const b = pointId.indexOf('/', a + 1);
  return b < 0 ? pointId.slice(a + 1) : pointId.slice(a + 1, b);
}

export class ShardedStore implements HistoryStore {
  readonly backend = 'influxdb' as const;
  private readonly byBuilding = new Map<string, Shard>();
  private readonly catchAll: Shard | null;
  /** Samples of buildings no shard holds (config validation prevents it; points added at run time may not). */
  private unrouted = 0;
  private readonly warnedBuildings = new Set<string>();

  constructor(
    readonly shards: readonly Shard[],
    private readonly log?: Logger,
  ) {
    if (shards.length === 0) throw new Error('ShardedStore needs at least one shard');
    let catchAll: Shard | null = null;
    for (const shard of shards) {
      if (shard.buildings === '*') {
        if (catchAll) throw new Error(`shards "${catchAll.name}" and "${shard.name}" are both catch-alls`);
        catchAll = shard;
        continue;
      }
      for (const b of shard.buildings) {
        const prev = this.byBuilding.get(b);
        if (prev) throw new Error(`building "${b}" is in shards "${prev.name}" and "${shard.name}"`);
        this.byBuilding.set(b, shard);
      }
    }
    this.catchAll = catchAll;
  }

  get description(): string {
    return `${this.shards.length} shards by building: ${this.shards.map((s) => `${s.name} [${s.buildings === '*' ? '*' : s.buildings.join(', ')}] → ${s.store.description}`).join('; ')}`;
  }

  /** The shard holding a point's history, or null when no shard holds its building. */
  shardOf(pointId: string): Shard | null {
    return this.byBuilding.get(buildingOf(pointId)) ?? this.catchAll;
  }

  async start(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.store.start()));
  }

  write(samples: Sample[]): void {
    // Bus batches usually come from one building's drivers: skip the split when they do.
    let only: Shard | null | undefined;
    let mixed = false;
    for (const s of samples) {
      const shard = this.shardOf(s.pointId);
      if (only === undefined) only = shard;
      else if (shard !== only) {
        mixed = true;
        break;
      }
    }
    if (!mixed && only) return only.store.write(samples);
    const groups = new Map<Shard, Sample[]>();
    for (const s of samples) {
      const shard = this.shardOf(s.pointId);
      if (!shard) {
        this.noteUnrouted(s.pointId);
        continue;
      }
      let list = groups.get(shard);
      if (!list) groups.set(shard, (list = []));
      list.push(s);
    }
    for (const [shard, list] of groups) shard.store.write(list);
  }

  private noteUnrouted(pointId: string): void {
    this.unrouted++;
    const building = buildingOf(pointId);
    if (this.warnedBuildings.has(building)) return;
    this.warnedBuildings.add(building);
    this.log?.warn({ building, pointId }, `history: no shard holds building "${building}"; its samples are not stored`);
  }

  async trend(req: TrendRequest): Promise<TrendSeries[]> {
    const perShard = new Map<Shard, string[]>();
    for (const p of req.points) {
      const shard = this.shardOf(p);
      if (!shard) continue;
      let list = perShard.get(shard);
      if (!list) perShard.set(shard, (list = []));
      list.push(p);
    }
    // Shards answer in parallel; the answer keeps the request's order (a point asked twice answers twice).
    const answers = await Promise.all([...perShard].map(([shard, points]) => shard.store.trend({ ...req, points })));
    const byPoint = new Map<string, TrendSeries>();
    for (const series of answers.flat()) byPoint.set(series.pointId, series);
    return req.points.map((pointId) => byPoint.get(pointId) ?? { pointId, points: [] });
  }

  counterDeltas(pointId: string, from: number, to: number, bucketMs: number): Promise<CounterDelta[]> {
    const shard = this.shardOf(pointId);
    return shard ? shard.store.counterDeltas(pointId, from, to, bucketMs) : Promise.resolve([]);
  }

  status(): HistoryStatus {
    const each = this.shards.map((s) => ({ name: s.name, buildings: s.buildings, ...s.store.status() }));
    const down = each.filter((s) => !s.ok).map((s) => s.name);
    const errors = each.filter((s) => s.lastError).map((s) => `${s.name}: ${s.lastError}`);
    const lastWrites = each.map((s) => s.lastWriteTs).filter((t): t is number => t !== null);
    return {
      ok: down.length === 0,
      backend: this.backend,
      connected: each.every((s) => s.connected),
      spooledBytes: each.reduce((n, s) => n + s.spooledBytes, 0),
      deadLetters: each.reduce((n, s) => n + s.deadLetters, 0),
      lastWriteTs: lastWrites.length > 0 ? Math.max(...lastWrites) : null,
      written: each.reduce((n, s) => n + s.written, 0),
      lastError: errors.length > 0 ? errors.join('; ') : null,
      /** Names of the shards that are not ok (down or spooling). */
      down,
      unrouted: this.unrouted,
      shards: each,
    };
  }

  async flush(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.store.flush()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.store.stop()));
  }
}

export interface ShardedInfluxOptions {
  settings: HistorySettings;
  dataDir: string;
  points: PointTagSource[];
  log: WriterLogger;
  probeMaxMs?: number;
  now?: () => number;
}

/**
 * One InfluxStore per `history.shards` entry. Each has its own spool (`<spoolDir>/<shard name>`) and
 * dead-letter file (`history/shards/<name>/history/dead-letter.jsonl`), so an outage of one shard
 * spools only its buildings and its replay never lands in another shard's database.
 */
export function createShardedInfluxStore(o: ShardedInfluxOptions): ShardedStore {
  const s = o.settings;
  const shards = (s.shards ?? []).map((shard): Shard => {
    const name = shardName(shard);
    const settings: HistorySettings = {
      ...s,
      url: shard.url,
      database: shard.database ?? s.database,
      retentionPolicy: shard.retentionPolicy ?? s.retentionPolicy,
      username: shard.username ?? s.username,
      password: shard.password ?? s.password,
      token: shard.token ?? s.token,
      manageSchema: shard.manageSchema ?? s.manageSchema,
      spoolDir: join(resolve(o.dataDir, s.spoolDir), name),
      shards: undefined,
    };
    const log = 'child' in o.log && typeof o.log.child === 'function' ? (o.log as ChildLogger).child({ shard: name }) : o.log;
    const store = new InfluxStore({ settings, url: shard.url, dataDir: join(o.dataDir, 'history', 'shards', name), points: o.points, log, label: `${shard.url} (shard ${name})`, probeMaxMs: o.probeMaxMs, now: o.now });
    return { name, buildings: shard.buildings, store };
  });
  return new ShardedStore(shards, o.log);
}
