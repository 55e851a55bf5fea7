// Sessions shared by several hubs through Redis (edge.yaml `hub.redisUrl`): a client that fails over
// to another hub stays signed in, and a sign-out on one hub ends the session on all of them.
//
// Design: the SessionStore stays the synchronous in-memory map every request reads (no Redis round
// trip per request); Redis is the authority and the replication channel. Each session is one key
// `wf:session:<group>:<sha256 of token>` = {username, expiresAt} with a TTL (the token itself never
// leaves the hub, as in sessions.json); every create/delete is also published on
// `wf:sessions:<group>`, and each hub applies the others' writes to its map. At start a hub loads
// every key, and drops local (file-persisted) sessions Redis does not hold: those were signed out
// while this hub was down. Roles and permissions are resolved from each hub's own config.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { HubLogger } from '../ports.js';
import type { SessionStore, SessionWrite } from './sessions.js';

export interface RedisSessionsOptions {
  redisUrl: string;
  group: string;
  store: SessionStore;
  log: Pick<HubLogger, 'warn'>;
  /** A session was ended by another hub: close this hub's sockets of ended sessions. */
  onRemoteEnd(): void;
}

interface Message {
  from: string;
  w: SessionWrite;
}

export class RedisSessions {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly id = randomBytes(8).toString('hex');
  private readonly channel: string;
  private offWrite: (() => void) | null = null;

  constructor(private readonly o: RedisSessionsOptions) {
    this.pub = new Redis(o.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
    this.sub = this.pub.duplicate();
    this.pub.on('error', (err) => o.log.warn({ err: err.message }, 'sessions: redis error'));
    this.sub.on('error', () => {});
    this.channel = `wf:sessions:${o.group}`;
  }

  private key(hash: string): string {
    return `wf:session:${this.o.group}:${hash}`;
  }

  async start(): Promise<void> {
    await Promise.all([this.pub.connect(), this.sub.connect()]);
    // Subscribe before loading: a write between the two is not missed (applying it twice is harmless).
    this.sub.on('message', (_ch: string, text: string) => this.onMessage(text));
    await this.sub.subscribe(this.channel);
    const inRedis = new Set<string>();
    const prefix = this.key('');
    let cursor = '0';
    do {
      const [next, keys] = await this.pub.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length === 0) continue;
      const values = await this.pub.mget(...keys);
      keys.forEach((k, i) => {
        const v = parse(values[i]);
        if (!v) return;
        const hash = k.slice(prefix.length);
        inRedis.add(hash);
        this.o.store.applyRemote({ op: 'put', key: hash, username: v.username, expiresAt: v.expiresAt });
      });
    } while (cursor !== '0');
    for (const e of this.o.store.entries()) if (!inRedis.has(e.key)) this.o.store.applyRemote({ op: 'del', key: e.key });
    this.offWrite = this.o.store.onWrite((w) => void this.write(w));
  }

  /** Writes a local create/delete to Redis and tells the other hubs. */
  async write(w: SessionWrite): Promise<void> {
    try {
      const multi = this.pub.multi();
      if (w.op === 'put') multi.set(this.key(w.key), JSON.stringify({ username: w.username, expiresAt: w.expiresAt }), 'PX', Math.max(1, w.expiresAt - Date.now()));
      else multi.del(this.key(w.key));
      multi.publish(this.channel, JSON.stringify({ from: this.id, w } satisfies Message));
      await multi.exec();
    } catch (err) {
      // The session still works on this hub; other hubs will not know it until it is created again.
      this.o.log.warn({ err: (err as Error).message, op: w.op }, 'sessions: could not share a session through redis');
    }
  }

  private onMessage(text: string): void {
    let m: Message;
    try {
      m = JSON.parse(text) as Message;
    } catch {
      return;
    }
    if (m.from === this.id || !m.w || typeof m.w.key !== 'string') return;
    if (m.w.op === 'put' && (typeof m.w.username !== 'string' || typeof m.w.expiresAt !== 'number')) return;
    if (m.w.op !== 'put' && m.w.op !== 'del') return;
    const changed = this.o.store.applyRemote(m.w);
    if (changed && m.w.op === 'del') this.o.onRemoteEnd();
  }

  async stop(): Promise<void> {
    this.offWrite?.();
    this.offWrite = null;
    this.sub.disconnect();
    this.pub.disconnect();
  }
}

function parse(text: string | null): { username: string; expiresAt: number } | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as { username?: unknown; expiresAt?: unknown };
    return typeof v.username === 'string' && typeof v.expiresAt === 'number' ? { username: v.username, expiresAt: v.expiresAt } : undefined;
  } catch {
    return undefined;
  }
}
