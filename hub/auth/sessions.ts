// Sessions: random 32-byte tokens with a TTL. With a file they survive a hub restart, so an
// unattended wall display stays signed in. The file holds only SHA-256 hashes of tokens, the
// username and the expiry: a stolen file grants nothing, and role and permissions are looked
// up again from the current config (a removed or demoted user loses them at the restart).
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Permission, Role } from '../../contracts/auth.js';

export interface Session {
  token: string;
  username: string;
  name: string;
  role: Role;
  permissions: Permission[];
  expiresAt: number;
}

type StoredSession = Omit<Session, 'token'>;

export interface SessionStoreOptions {
  /** Where sessions persist (JSON). Without it they live in memory only. */
  file?: string;
  /** Re-resolves a persisted user's current name/role/permissions; undefined drops the session. */
  resolveUser?: (username: string) => Omit<StoredSession, 'expiresAt'> | undefined;
}

/** A session written or ended here, by the hash of its token: what a shared store (Redis) replicates. */
export type SessionWrite = { op: 'put'; key: string; username: string; expiresAt: number } | { op: 'del'; key: string };

export const hashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

export class SessionStore {
  /** Keyed by the token's hash. */
  private readonly sessions = new Map<string, StoredSession>();
  /** Told of every session created or deleted here (hub/auth/session-redis.ts shares them with other hubs). */
  private readonly writeListeners = new Set<(w: SessionWrite) => void>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly opts: SessionStoreOptions = {},
  ) {
    this.load();
  }

  create(user: Omit<Session, 'token' | 'expiresAt'>): Session {
    this.sweep();
    const token = randomBytes(32).toString('base64url');
    const stored: StoredSession = { ...user, expiresAt: this.now() + this.ttlMs };
    const key = hashOf(token);
    this.sessions.set(key, stored);
    this.save();
    this.told({ op: 'put', key, username: stored.username, expiresAt: stored.expiresAt });
    return { ...stored, token };
  }

  onWrite(listener: (w: SessionWrite) => void): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  /** Every live session by token hash (a shared store seeds itself with them). */
  entries(): Array<{ key: string; username: string; expiresAt: number }> {
    const now = this.now();
    return [...this.sessions].filter(([, s]) => s.expiresAt > now).map(([key, s]) => ({ key, username: s.username, expiresAt: s.expiresAt }));
  }

  /**
   * Applies a session written or ended on another hub (by token hash; the user is resolved from this
   * hub's config, as for the file). Listeners are not told: it came from the shared store.
   * Returns whether anything changed.
   */
  applyRemote(w: SessionWrite): boolean {
    if (w.op === 'del') {
      const had = this.sessions.delete(w.key);
      if (had) this.save();
      return had;
    }
    if (!(w.expiresAt > this.now())) return false;
    const user = this.opts.resolveUser?.(w.username);
    if (!user) return false;
    this.sessions.set(w.key, { ...user, expiresAt: w.expiresAt });
    this.save();
    return true;
  }

  private told(w: SessionWrite): void {
    for (const l of this.writeListeners) l(w);
  }

  /** The live session for a token, or undefined (unknown or expired). */
  get(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    const key = hashOf(token);
    const s = this.sessions.get(key);
    if (!s) return undefined;
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(key);
      this.save();
      return undefined;
    }
    return { ...s, token };
  }

  delete(token: string): boolean {
    const key = hashOf(token);
    const deleted = this.sessions.delete(key);
    if (deleted) this.save();
    // Told even when unknown here: the session may live on another hub only (not replicated yet).
    this.told({ op: 'del', key });
    return deleted;
  }

  /** Drops expired sessions; runs on every create so the map cannot grow without bound. */
  sweep(): void {
    const now = this.now();
    let changed = false;
    for (const [key, s] of this.sessions) {
      if (s.expiresAt <= now) {
        this.sessions.delete(key);
        changed = true;
      }
    }
    if (changed) this.save();
  }

  get size(): number {
    return this.sessions.size;
  }

  /**
   * Re-resolves the user of every session (a live config reload, hub/reload): sessions of removed
   * users end, changed roles and permissions apply at once. Returns the usernames whose sessions ended.
   */
  refresh(resolve: (username: string) => Omit<StoredSession, 'expiresAt'> | undefined): string[] {
    const ended = new Set<string>();
    for (const [key, s] of this.sessions) {
      const user = resolve(s.username);
      if (user) this.sessions.set(key, { ...user, expiresAt: s.expiresAt });
      else {
        this.sessions.delete(key);
        ended.add(s.username);
      }
    }
    if (ended.size > 0) this.save();
    return [...ended];
  }

  private load(): void {
    const file = this.opts.file;
    if (!file || !fs.existsSync(file)) return;
    let entries: Array<[string, { username: string; expiresAt: number }]>;
    try {
      entries = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (!Array.isArray(entries)) throw new Error('not a list');
    } catch {
      // A damaged file only costs the users a new sign-in.
      return;
    }
    const now = this.now();
    for (const [key, e] of entries) {
      if (typeof key !== 'string' || typeof e?.username !== 'string' || !(e.expiresAt > now)) continue;
      const user = this.opts.resolveUser?.(e.username);
      if (user) this.sessions.set(key, { ...user, expiresAt: e.expiresAt });
    }
  }

  private save(): void {
    const file = this.opts.file;
    if (!file) return;
    const entries = [...this.sessions].map(([key, s]) => [key, { username: s.username, expiresAt: s.expiresAt }]);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(entries), { mode: 0o600 });
    fs.renameSync(tmp, file);
  }
}
