// Building ownership across several hubs: one Redis key per building (`wf:lease:<group>:<building>`)
// holding the owning hub's id with a TTL. A hub renews what it owns every ttl/3 and tries to take
// unowned buildings; a hub that dies stops renewing, its keys expire and another hub takes them
// over within ~ttl + ttl/3. The owner alone takes the building's data (hub/edge/host.ts
// setBuildings), so its alarms are evaluated and its samples written to history by one hub only.
// Renew and release are compare-and-set scripts: a hub never extends or deletes another's lease.
import { Redis } from 'ioredis';

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface LeaseOptions {
  redisUrl: string;
  group: string;
  hubId: string;
  buildings: readonly string[];
  ttlMs: number;
  /** At most this many buildings per hub (spreads buildings over hubs); default all. */
  maxOwned?: number;
  onChange(owned: readonly string[]): void;
  onError?(err: Error): void;
  /** After each round: whether Redis answered it. */
  onRound?(ok: boolean): void;
}

export class BuildingLeases {
  private readonly redis: Redis;
  private readonly owned = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;

  constructor(private readonly o: LeaseOptions) {
    this.redis = new Redis(o.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    this.redis.on('error', (err) => o.onError?.(err));
  }

  key(building: string): string {
    return `wf:lease:${this.o.group}:${building}`;
  }

  ownedBuildings(): string[] {
    return [...this.owned].sort();
  }

  async start(): Promise<void> {
    await this.redis.connect();
    await this.tick();
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().finally(() => (this.ticking = null));
    }, Math.max(50, Math.floor(this.o.ttlMs / 3)));
  }

  /** One round: renew what is owned, drop what was lost, take what is free. */
  async tick(): Promise<void> {
    const before = this.ownedBuildings().join(',');
    let ok = true;
    try {
      for (const b of [...this.owned]) {
        const ok = await this.redis.eval(RENEW, 1, this.key(b), this.o.hubId, String(this.o.ttlMs));
        if (ok !== 1) this.owned.delete(b);
      }
      for (const b of this.o.buildings) {
        if (this.owned.has(b) || this.owned.size >= (this.o.maxOwned ?? Infinity)) continue;
        const ok = await this.redis.set(this.key(b), this.o.hubId, 'PX', this.o.ttlMs, 'NX');
        if (ok === 'OK') this.owned.add(b);
      }
    } catch (err) {
      // Redis unreachable: a lease cannot be renewed, so it must be assumed lost (another hub may take it).
      this.o.onError?.(err as Error);
      this.owned.clear();
      ok = false;
    }
    if (this.ownedBuildings().join(',') !== before) this.o.onChange(this.ownedBuildings());
    this.o.onRound?.(ok);
  }

  /** Releases every lease (a clean stop hands buildings over at once). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    for (const b of [...this.owned]) await this.redis.eval(RELEASE, 1, this.key(b), this.o.hubId).catch(() => 0);
    this.owned.clear();
    this.redis.disconnect();
  }

  /** Stops renewing without releasing (a crash, for tests and the bench). */
  abandon(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.redis.disconnect();
  }
}
