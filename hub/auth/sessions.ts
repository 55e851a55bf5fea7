// In-memory sessions: random 32-byte tokens with a TTL. A hub restart logs everyone out, by design.
import { randomBytes } from 'node:crypto';
import type { Permission, Role } from '../../contracts/auth.js';

export interface Session {
  token: string;
  username: string;
  name: string;
  role: Role;
  permissions: Permission[];
  expiresAt: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  create(user: Omit<Session, 'token' | 'expiresAt'>): Session {
    this.sweep();
    const session: Session = { ...user, token: randomBytes(32).toString('base64url'), expiresAt: this.now() + this.ttlMs };
    this.sessions.set(session.token, session);
    return session;
  }

  /** The live session for a token, or undefined (unknown or expired). */
  get(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    const s = this.sessions.get(token);
    if (!s) return undefined;
    if (s.expiresAt <= this.now()) {
      this.sessions.delete(token);
      return undefined;
    }
    return s;
  }

  delete(token: string): boolean {
    return this.sessions.delete(token);
  }

  /** Drops expired sessions; runs on every create so the map cannot grow without bound. */
  sweep(): void {
    const now = this.now();
    for (const [token, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(token);
  }

  get size(): number {
    return this.sessions.size;
  }
}
