// The notification module's one entry point: notify(message, usernames). Picks channels by policy,
// applies quiet hours, deduplication and flood digests per recipient and channel, sends with
// retries, and records every delivery in the log (sent, failed with reason, retried, digested).
import type { Server as IoServer } from 'socket.io';
import type { ConsoleNotification } from '../../contracts/workorders.js';
import type { HubLogger } from '../module.js';
import type { ChannelName, NotifyConfig, Person } from '../workorders/schema.js';
import { Limiter } from './limiter.js';
import type { DeliveryLog } from './log.js';
import { channelsFor, quietUntil } from './policy.js';
import { renderDigest } from './render.js';
import type { Channel, DeliveryStatus, Lang, Message, Outgoing } from './types.js';

interface Item {
  message: Message & { id: number };
  deliveryId: number;
  users: string[];
}

interface Lane {
  channel: Channel;
  /** Username (personal channels) or robot id. */
  address: string;
  lang: Lang;
}

export interface NotifierOptions {
  config: NotifyConfig;
  people: ReadonlyMap<string, Person>;
  timezone: string;
  log: DeliveryLog;
  /** Personal channels by name; robots by id. Absent channels are not configured. */
  channels: Partial<Record<'email' | 'push' | 'console', Channel>>;
  robots: Array<{ id: string; channel: Channel; trades?: readonly string[]; lang: Lang }>;
  now?: () => number;
  logger?: HubLogger;
  /** Flush timer period (ms); 0 = tests call flush(). */
  tickMs?: number;
}

export class Notifier {
  private readonly limiter: Limiter<Item>;
  private readonly lanes = new Map<string, Lane>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly tick: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly o: NotifierOptions) {
    this.now = o.now ?? Date.now;
    const c = o.config;
    this.limiter = new Limiter({ burst: c.burst, windowMs: c.digestWindowS * 1000, dedupMs: c.dedupWindowS * 1000 });
    const tickMs = o.tickMs ?? 500;
    if (tickMs > 0) {
      this.tick = setInterval(() => this.flush(), tickMs);
      this.tick.unref();
    }
  }

  /** Records the message, then sends or queues each delivery. Returns the message id. */
  notify(m: Message, users: readonly string[]): number {
    const now = this.now();
    const wanted = channelsFor(m, this.o.config.policies);
    const plan: Array<{ lane: Lane; key: string; users: string[]; status: DeliveryStatus }> = [];
    const uniq = [...new Set(users)];
    for (const u of uniq) {
      const person = this.o.people.get(u);
      for (const name of ['email', 'push', 'console'] as const) {
        if (!wanted.has(name)) continue;
        const ch = this.o.channels[name];
        if (!ch) continue;
        const address = name === 'email' ? person?.email : u;
        const lane = { channel: ch, address: address ?? u, lang: person?.lang ?? 'zh-CN' };
        plan.push({ lane, key: `${name}:${u}`, users: [u], status: address ? 'queued' : 'no-address' });
      }
    }
    for (const r of this.o.robots) {
      if (!wanted.has(r.channel.name)) continue;
      if (r.trades && (!m.trade || !r.trades.includes(m.trade))) continue;
      plan.push({ lane: { channel: r.channel, address: r.id, lang: r.lang }, key: `${r.channel.name}:${r.id}`, users: uniq, status: 'queued' });
    }
    const rec = this.o.log.addMessage(m, now, plan.map((p) => ({ user: p.users.join(','), channel: p.lane.channel.name, address: p.lane.address, status: p.status })));
    const msg = { ...m, id: rec.id };
    const hold = m.priority === 'critical' ? null : quietUntil(now, this.o.timezone, this.o.config.quietHours);
    plan.forEach((p, i) => {
      if (p.status !== 'queued') return;
      const deliveryId = rec.deliveryIds[i];
      this.lanes.set(p.key, p.lane);
      const item: Item = { message: msg, deliveryId, users: p.users };
      const held = hold !== null && p.lane.channel.name !== 'console';
      const offer = this.limiter.offer(p.key, m.key, item, now, held ? hold : undefined);
      if (offer.action === 'send') this.send(p.lane, [item], 0);
      else if (offer.action === 'duplicate') this.o.log.update([deliveryId], 'duplicate', 0, 'same message within the dedup window', null, now);
      else if (held) this.o.log.update([deliveryId], 'held', 0, `quiet hours until ${new Date(offer.flushAt).toISOString()}`, null, now);
    });
    return rec.id;
  }

  /** Sends the digests whose time has come. */
  flush(): void {
    if (this.closed) return;
    for (const d of this.limiter.due(this.now())) {
      const lane = this.lanes.get(d.key);
      if (lane) this.send(lane, d.items, 0);
    }
  }

  private send(lane: Lane, items: Item[], attempt: number): void {
    const people = this.o.people;
    const users = [...new Set(items.flatMap((i) => i.users))];
    const out: Outgoing = {
      ...renderDigest(items.map((i) => i.message), lane.lang, this.o.config.baseUrl),
      users,
      mobiles: users.map((u) => people.get(u)?.mobile).filter((x): x is string => !!x),
      ...(items.length === 1 && items[0].message.attachments ? { attachments: items[0].message.attachments } : {}),
    };
    const ids = items.map((i) => i.deliveryId);
    const digestOf = items.length > 1 ? ids[0] : null;
    const p = lane.channel.send(lane.address, out).then(
      () => this.o.log.update(ids, 'sent', attempt + 1, null, digestOf, this.now()),
      (err: unknown) => {
        const reason = err instanceof Error ? err.message : String(err);
        if (attempt < this.o.config.retries && !this.closed) {
          this.o.log.update(ids, 'retrying', attempt + 1, reason, digestOf, this.now());
          const t = setTimeout(() => {
            this.timers.delete(t);
            this.send(lane, items, attempt + 1);
          }, this.o.config.retryBaseMs * 2 ** attempt);
          this.timers.add(t);
        } else {
          this.o.log.update(ids, 'failed', attempt + 1, reason, digestOf, this.now());
          this.o.logger?.warn({ channel: lane.channel.name, address: lane.address, reason }, 'notification failed');
        }
      },
    ).catch((err: unknown) => this.o.logger?.error({ err }, 'delivery log update failed'));
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  /** Waits for deliveries in flight (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  pending(): number {
    return this.limiter.pending() + this.inflight.size + this.timers.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.tick) clearInterval(this.tick);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.idle();
  }
}

/** In-console channel: a typed Socket.IO event to every socket of the user (room `user:<name>`). */
export class ConsoleChannel implements Channel {
  readonly name = 'console' as const;
  constructor(private readonly io: IoServer) {}
  async send(user: string, out: Outgoing): Promise<void> {
    const lines = out.text.split('\n');
    const n: ConsoleNotification = {
      id: out.messageIds[0], ts: Date.now(), priority: out.priority,
      title: { en: out.subject, 'zh-CN': out.subject }, body: { en: lines.slice(1, -1).join('\n'), 'zh-CN': lines.slice(1, -1).join('\n') },
      link: out.url.slice(out.url.indexOf('#')),
    };
    this.io.to(userRoom(user)).emit('notify:message', n);
  }
}

export const userRoom = (user: string) => `user:${user}`;
export type { ChannelName };
