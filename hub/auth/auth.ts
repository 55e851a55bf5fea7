// Login, logout, "who am I", and the permission middleware for every protected route.
import path from 'node:path';
import Router, { type RouterMiddleware } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { SessionInfo } from '../../contracts/api.js';
import type { Permission } from '../../contracts/auth.js';
import type { LoadedConfig } from '../config/types.js';
import type { AuditLogLike, HubLogger } from '../module.js';
import { HttpError } from '../api/errors.js';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword } from './password.js';
import { FailedLoginLimiter } from './rate-limit.js';
import { SessionStore, type Session } from './sessions.js';

export const SESSION_COOKIE = 'wf_session';

export interface AuthUser { username: string; role: string; permissions: Permission[] }

const LoginBody = z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(1000) });

/** Token from `Authorization: Bearer …`, else from the session cookie header. */
export function tokenFromHeaders(authorization: string | undefined, cookieHeader: string | undefined): string | undefined {
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (bearer) return bearer[1];
  return cookieValue(cookieHeader, SESSION_COOKIE);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export class Auth {
  readonly sessions: SessionStore;
  private readonly limiter = new FailedLoginLimiter(5, 60_000);
  private readonly sessionEndListeners = new Set<(token: string) => void>();
  /** Verified against when the username is unknown, so a miss costs as long as a wrong password. */
  private readonly dummyHash = hashPassword('not a password', DEFAULT_SCRYPT);

  /** Called with the token of every session ended by logout (live sockets close with it). */
  onSessionEnd(listener: (token: string) => void): () => void {
    this.sessionEndListeners.add(listener);
    return () => this.sessionEndListeners.delete(listener);
  }

  constructor(
    private readonly config: LoadedConfig,
    private readonly audit: AuditLogLike,
    private readonly log: HubLogger,
    private readonly now: () => number = Date.now,
  ) {
    this.sessions = new SessionStore(config.hub.sessionTtlHours * 3600_000, now, {
      file: config.hub.dataDir ? path.join(config.hub.dataDir, 'auth', 'sessions.json') : undefined,
      resolveUser: (username) => {
        const user = config.users.find((u) => u.username === username);
        return user && { username: user.username, name: user.name.en, role: user.role, permissions: config.rolePermissions[user.role] ?? [] };
      },
    });
  }

  sessionOf(authorization: string | undefined, cookieHeader: string | undefined): Session | undefined {
    return this.sessions.get(tokenFromHeaders(authorization, cookieHeader));
  }

  requirePermission = (p: Permission): RouterMiddleware => async (ctx, next) => {
    const session = this.sessionOf(ctx.get('authorization') || undefined, ctx.get('cookie') || undefined);
    if (!session) throw new HttpError(401, 'unauthorized', 'sign in first: no valid session (send the wf_session cookie or Authorization: Bearer <token>)');
    if (!session.permissions.includes(p)) {
      throw new HttpError(403, 'forbidden', `role ${session.role} lacks the permission ${p}`, { missing: p });
    }
    ctx.state.user = { username: session.username, role: session.role, permissions: session.permissions } satisfies AuthUser;
    await next();
  };

  async login(username: string, password: string): Promise<Session> {
    const now = this.now();
    const wait = this.limiter.retryAfterMs(username, now);
    if (wait > 0) {
      throw new HttpError(429, 'too_many_attempts', `too many failed sign-ins for this name; try again in ${Math.ceil(wait / 1000)} s`);
    }
    const user = this.config.users.find((u) => u.username === username);
    let ok = false;
    try {
      ok = await verifyPassword(password, user?.passwordHash ?? (await this.dummyHash));
    } catch (err) {
      this.log.error({ username, err }, 'stored password hash is unusable');
    }
    if (!user || !ok) {
      this.limiter.fail(username, now);
      this.audit.record({ user: username, action: 'auth.login_failed', target: username });
      throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
    }
    this.limiter.reset(username);
    const session = this.sessions.create({
      username: user.username,
      name: user.name.en,
      role: user.role,
      permissions: this.config.rolePermissions[user.role] ?? [],
    });
    this.audit.record({ user: user.username, action: 'auth.login', target: user.username, details: { role: user.role } });
    return session;
  }

  /** The session as the console sees it, with the user's name in both languages. */
  private sessionInfo(s: Session): SessionInfo {
    const displayName = this.config.users.find((u) => u.username === s.username)?.name;
    return { user: s.username, name: s.name, role: s.role, permissions: s.permissions, token: s.token, expiresAt: s.expiresAt, ...(displayName ? { displayName } : {}) };
  }

  routes(): Router {
    const router = new Router();
    router.post('/auth/login', async (ctx) => {
      const body = LoginBody.safeParse(ctx.request.body);
      if (!body.success) {
        throw new HttpError(400, 'bad_request', `login body must be {"username": string, "password": string}: ${body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
      }
      const s = await this.login(body.data.username, body.data.password);
      setSessionCookie(ctx, s.token, s.expiresAt);
      ctx.body = this.sessionInfo(s);
    });
    router.post('/auth/logout', async (ctx) => {
      const token = tokenFromHeaders(ctx.get('authorization') || undefined, ctx.get('cookie') || undefined);
      const s = this.sessions.get(token);
      if (token) {
        this.sessions.delete(token);
        for (const l of this.sessionEndListeners) l(token);
      }
      if (s) this.audit.record({ user: s.username, action: 'auth.logout', target: s.username });
      ctx.cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', expires: new Date(0), path: '/' });
      ctx.status = 204;
    });
    router.get('/auth/me', async (ctx) => {
      const s = this.sessionOf(ctx.get('authorization') || undefined, ctx.get('cookie') || undefined);
      if (!s) throw new HttpError(401, 'unauthorized', 'not signed in');
      ctx.body = this.sessionInfo(s);
    });
    return router;
  }
}

function setSessionCookie(ctx: Context, token: string, expiresAt: number): void {
  ctx.cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', expires: new Date(expiresAt), path: '/', overwrite: true });
}
