// The delivery log and push subscriptions: <dataDir>/notify/notify.db (SQLite, WAL). One row per
// message, one per (message, channel, address) delivery with its status, attempts and last reason.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ConsoleNotification, PushSubscriptionBody } from '../../contracts/workorders.js';
import type { ChannelName } from '../workorders/schema.js';
import type { DeliveryRow, DeliveryStatus, Message } from './types.js';

export class DeliveryLog {
  private readonly db: Database.Database;
  private readonly insMessage;
  private readonly insDelivery;
  private readonly setStatus;

  constructor(dir: string) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.db = new Database(path.join(dir, 'notify.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS message (id INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, key TEXT NOT NULL,
        priority TEXT NOT NULL, link TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS delivery (id INTEGER PRIMARY KEY AUTOINCREMENT, message_id INTEGER NOT NULL, user TEXT NOT NULL,
        channel TEXT NOT NULL, address TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
        reason TEXT, digest_of INTEGER, updated_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS delivery_message ON delivery (message_id);
      CREATE INDEX IF NOT EXISTS delivery_user ON delivery (user, channel);
      CREATE TABLE IF NOT EXISTS push_subscription (endpoint TEXT PRIMARY KEY, user TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL);
    `);
    this.insMessage = this.db.prepare('INSERT INTO message (ts, key, priority, link, title, body) VALUES (?, ?, ?, ?, ?, ?)');
    this.insDelivery = this.db.prepare('INSERT INTO delivery (message_id, user, channel, address, status, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.setStatus = this.db.prepare('UPDATE delivery SET status = ?, attempts = ?, reason = ?, digest_of = COALESCE(?, digest_of), updated_at = ? WHERE id = ?');
  }

  addMessage(m: Message, ts: number, deliveries: Array<{ user: string; channel: ChannelName; address: string; status: DeliveryStatus }>): { id: number; deliveryIds: number[] } {
    return this.db.transaction(() => {
      const id = Number(this.insMessage.run(ts, m.key, m.priority, m.link, JSON.stringify(m.title), JSON.stringify(m.body)).lastInsertRowid);
      const deliveryIds = deliveries.map((d) => Number(this.insDelivery.run(id, d.user, d.channel, d.address, d.status, ts).lastInsertRowid));
      return { id, deliveryIds };
    })();
  }

  update(ids: readonly number[], status: DeliveryStatus, attempts: number, reason: string | null, digestOf: number | null, ts: number): void {
    this.db.transaction(() => {
      for (const id of ids) this.setStatus.run(status, attempts, reason, digestOf, ts, id);
    })();
  }

  deliveries(filter: { messageId?: number; user?: string; limit?: number } = {}): DeliveryRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.messageId !== undefined) where.push('message_id = ?'), args.push(filter.messageId);
    if (filter.user) where.push('user = ?'), args.push(filter.user);
    const rows = this.db.prepare(`SELECT * FROM delivery ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`).all(...args, filter.limit ?? 1000) as Array<{
      id: number; message_id: number; user: string; channel: ChannelName; address: string; status: DeliveryStatus; attempts: number; reason: string | null; digest_of: number | null; updated_at: number;
    }>;
    return rows.map((r) => ({
      id: r.id, messageId: r.message_id, user: r.user, channel: r.channel, address: r.address, status: r.status, attempts: r.attempts,
      ...(r.reason ? { reason: r.reason } : {}), ...(r.digest_of ? { digestOf: r.digest_of } : {}), updatedAt: r.updated_at,
    }));
  }

  /** Count of deliveries by status (health, bench). */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.db.prepare('SELECT status, COUNT(*) AS n FROM delivery GROUP BY status').all() as Array<{ status: string; n: number }>) out[r.status] = r.n;
    return out;
  }

  /** The bell: the user's recent console notifications. */
  inbox(user: string, limit = 50): ConsoleNotification[] {
    const rows = this.db.prepare(`SELECT m.* FROM message m JOIN delivery d ON d.message_id = m.id
      WHERE d.user = ? AND d.channel = 'console' ORDER BY m.id DESC LIMIT ?`).all(user, limit) as Array<{ id: number; ts: number; priority: ConsoleNotification['priority']; link: string; title: string; body: string }>;
    return rows.map((r) => ({ id: r.id, ts: r.ts, priority: r.priority, link: r.link, title: JSON.parse(r.title), body: JSON.parse(r.body) }));
  }

  saveSubscription(user: string, sub: PushSubscriptionBody, ts: number): void {
    this.db.prepare('INSERT OR REPLACE INTO push_subscription (endpoint, user, body, created_at) VALUES (?, ?, ?, ?)').run(sub.endpoint, user, JSON.stringify(sub), ts);
  }

  subscriptions(user: string): PushSubscriptionBody[] {
    return (this.db.prepare('SELECT body FROM push_subscription WHERE user = ?').all(user) as Array<{ body: string }>).map((r) => JSON.parse(r.body) as PushSubscriptionBody);
  }

  forgetSubscription(endpoint: string, user?: string): number {
    return user === undefined
      ? this.db.prepare('DELETE FROM push_subscription WHERE endpoint = ?').run(endpoint).changes
      : this.db.prepare('DELETE FROM push_subscription WHERE endpoint = ? AND user = ?').run(endpoint, user).changes;
  }

  close(): void {
    this.db.close();
  }
}
