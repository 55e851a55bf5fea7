// Login, logout, "who am I", and the permission middleware for every protected route.
import path from 'node:path';
import Router, { type RouterMiddleware } from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { SessionInfo } from '../../contracts/api.js';
import type { Permission } from '../../contracts/auth.js';
import type { PointInfo } from '../../contracts/point.js';
import { ALL_SCOPE, DEFAULT_ROLE_SCOPES, type PointScope } from '../../contracts/scopes.js';
import type { LoadedConfig } from '../config/types.js';
import type { AuditLogLike, HubLogger } from '../module.js';
import { HttpError } from '../api/errors.js';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword } from './password.js';
import { HashQueue, HashQueueFull } from './hash-queue.js';
import { addressKey, LoginThrottle } from './login-throttle.js';
import { guardPointCommand } from './point-guard.js';
import { SessionStore, type Session } from './sessions.js';
import { clientAddress, trustedProxies, type TrustedProxies } from './client-address.js';

export const SESSION_COOKIE = 'wf_session';

export interface AuthUser { username: string; role: string; permissions: Permission[] }

export const LoginBody = z.strictObject({ username: z.string().min(1).max(100), password: z.string().min(1).max(1000) });

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
    if (eq > 0 && part.slice(0, eq).trim() === name) return safeDecode(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** A malformed percent-encoding (`wf_session=%`) is no session at all: never a URIError (issue 11 item 1). */
function safeDecode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw) || undefined;
  } catch {
    return undefined;
  }
}

/** The points a points:write route commands; by default the route's `*id` parameter. */
export type CommandTargets = (ctx: { params?: Record<string, string> }) => string[];
const defaultTargets: CommandTargets = (ctx) => (typeof ctx.params?.id === 'string' ? [ctx.params.id] : []);

export class Auth {
  readonly sessions: SessionStore;
  private readonly throttle = new LoginThrottle();
  /** The site's proxies (hub.yaml trustedProxies): their X-Forwarded-For names the client. */
  private readonly proxies: TrustedProxies;
  private readonly hashes = new HashQueue();
  /** Last time a throttled address was written to the audit log: once a minute, not per attempt (a flood would fsync per request). */
  private readonly throttleAudited = new Map<string, number>();
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
    this.proxies = trustedProxies(config.hub.trustedProxies ?? []);
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

  /**
   * The point a command names, from the current config. A scan, not a cached index: a live reload
   * replaces the contents of config.points in place, and commands come at human rate.
   */
  private pointInfo(id: string): PointInfo | undefined {
    return this.config.points.find((b) => b.info.id === id)?.info;
  }

  /** The role's command scope: users.yaml `roles:` over the defaults. */
  scopeOf(role: string): PointScope {
    const configured = this.config.roleScopes as Record<string, PointScope> | undefined;
    return (configured && Object.hasOwn(configured, role) ? configured[role] : undefined)
      ?? (Object.hasOwn(DEFAULT_ROLE_SCOPES, role) ? DEFAULT_ROLE_SCOPES[role as keyof typeof DEFAULT_ROLE_SCOPES] : ALL_SCOPE);
  }

  /**
   * 401 without a session, 403 without the permission. For points:write it is also the authorise
   * step of the command: scope by point class and area, and confirm + reason for security commands
   * (hub/auth/point-guard.ts) on the points `targets` names (default: the route's `*id`).
   */
  requirePermission = (p: Permission, targets?: CommandTargets): RouterMiddleware => async (ctx, next) => {
    const session = this.sessionOf(ctx.get('authorization') || undefined, ctx.get('cookie') || undefined);
    if (!session) throw new HttpError(401, 'unauthorized', 'sign in first: no valid session (send the wf_session cookie or Authorization: Bearer <token>)');
    if (!session.permissions.includes(p)) {
      throw new HttpError(403, 'forbidden', `role ${session.role} lacks the permission ${p}`, { missing: p });
    }
    ctx.state.user = { username: session.username, role: session.role, permissions: session.permissions } satisfies AuthUser;
    if (p === 'points:write') {
      const ids = (targets ?? defaultTargets)(ctx);
      if (ids.length > 0) {
        guardPointCommand({ pointInfo: (id) => this.pointInfo(id), scopeOf: (r) => this.scopeOf(r), audit: this.audit }, session, ids, ctx.request.body, `${ctx.method} ${ctx.path}`);
      }
    }
    await next();
  };

  /**
   * Checks a password. Throttled per client address and per (address, username) with growing
   * delays; a throttled attempt is refused before any hash is computed. `address` is the client's
   * (behind the site's trusted proxies, from X-Forwarded-For); callers outside HTTP pass nothing.
   */
  async login(username: string, password: string, address?: string): Promise<Session> {
    const now = this.now();
    const client = addressKey(address);
    const verdict = this.throttle.check(client, username, now);
    if (!verdict.ok) {
      this.auditThrottled(client, username, verdict.scope, now);
      const s = Math.ceil(verdict.retryAfterMs / 1000);
      throw new HttpError(429, 'too_many_attempts',
        verdict.scope === 'address'
          ? `too many failed sign-ins from this address; try again in ${s} s`
          : `too many failed sign-ins for this name from this address; try again in ${s} s`,
        { retryAfterS: s });
    }
    const user = this.config.users.find((u) => u.username === username);
    let ok = false;
    try {
      ok = await this.hashes.run(client, async () => verifyPassword(password, user?.passwordHash ?? (await this.dummyHash)));
    } catch (err) {
      if (err instanceof HashQueueFull) {
        throw new HttpError(503, 'busy', `sign-in is busy (${err.message}); try again in 1 s`, { retryAfterS: 1 });
      }
      this.log.error({ username, err }, 'stored password hash is unusable');
    }
    if (!user || !ok) {
      this.throttle.fail(client, username, this.now());
      this.audit.record({ user: username, action: 'auth.login_failed', target: username, details: { address: client } });
      throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
    }
    this.throttle.succeed(client, username);
    const session = this.sessions.create({
      username: user.username,
      name: user.name.en,
      role: user.role,
      permissions: this.config.rolePermissions[user.role] ?? [],
    });
    this.audit.record({ user: user.username, action: 'auth.login', target: user.username, details: { role: user.role } });
    return session;
  }

  private auditThrottled(client: string, username: string, scope: 'address' | 'user', now: number): void {
    const last = this.throttleAudited.get(client);
    if (last !== undefined && now - last < 60_000) return;
    if (this.throttleAudited.size > 10_000) this.throttleAudited.clear();
    this.throttleAudited.set(client, now);
    this.audit.record({ user: username, action: 'auth.login_throttled', target: username, details: { address: client, scope } });
  }

  /** The session as the console sees it, with the user's name in both languages. */
  private sessionInfo(s: Session): SessionInfo {
    const displayName = this.config.users.find((u) => u.username === s.username)?.name;
    const scope = this.scopeOf(s.role);
    return {
      user: s.username, name: s.name, role: s.role, permissions: s.permissions, token: s.token, expiresAt: s.expiresAt,
      scope: { pointClasses: scope.pointClasses === 'all' ? 'all' : [...scope.pointClasses], areas: scope.areas === 'all' ? 'all' : [...scope.areas] },
      ...(displayName ? { displayName } : {}),
    };
  }

  routes(): Router {
    const router = new Router();
    router.post('/auth/login', async (ctx) => {
      const body = LoginBody.safeParse(ctx.request.body);
      if (!body.success) {
        throw new HttpError(400, 'bad_request', `login body must be {"username": string, "password": string}: ${body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
      }
      let s: Session;
      try {
        s = await this.login(body.data.username, body.data.password, clientAddress(ctx.req.socket.remoteAddress, ctx.get('x-forwarded-for') || undefined, this.proxies));
      } catch (err) {
        const retry = (err as HttpError).details as { retryAfterS?: number } | undefined;
        if (err instanceof HttpError && retry?.retryAfterS) ctx.set('Retry-After', String(retry.retryAfterS));
        throw err;
      }
      setSessionCookie(ctx, s.token, s.expiresAt, this.config.hub.secureCookies === true);
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
      setSessionCookie(ctx, '', 0, this.config.hub.secureCookies === true);
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

/**
 * `secure`: behind TLS (hub.yaml secureCookies) the browser sends the cookie over HTTPS only.
 * Koa refuses to set a Secure cookie on what it sees as plain HTTP, so a TLS proxy in front must
 * be trusted to say so: the cookie is written with the Secure attribute directly.
 */
function setSessionCookie(ctx: Context, token: string, expiresAt: number, secure: boolean): void {
  if (!secure) {
    ctx.cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', expires: new Date(expiresAt), path: '/', overwrite: true });
    return;
  }
  ctx.append('Set-Cookie', `${SESSION_COOKIE}=${token}; Path=/; Expires=${new Date(expiresAt).toUTCString()}; HttpOnly; Secure; SameSite=Strict`);
}
