// Cross-site request forgery defence. Browsers send cookies to every port of the same host
// (SameSite does not separate ports), so a page on another port of this machine could make the
// signed-in user's browser change state here. Two checks close that:
//  1. state changes must be `Content-Type: application/json` — a form or a no-cors fetch cannot
//     send that without a CORS preflight, which the hub never answers;
//  2. a state change authenticated by the cookie must come from this hub's own origin (or one
//     listed in hub.yaml `allowedOrigins`), by its Origin header (Referer when there is none).
// Requests with `Authorization: Bearer` are not forgeable by another page (it cannot read the
// token) and skip check 2. WebSocket handshakes (Socket.IO, /video) get the Origin check only.
import type { IncomingHttpHeaders } from 'node:http';
import type { Middleware } from 'koa';
import { HttpError } from '../api/errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface Refusal { status: number; code: string; message: string }

type Headers = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** `scheme://host[:port]` of an Origin header value or a Referer URL, or undefined when unparsable. */
export function originOf(value: string): string | undefined {
  if (value === 'null') return 'null';
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The request's origin: Origin, else the Referer's origin. */
export function requestOrigin(headers: Headers): string | undefined {
  const origin = one(headers.origin);
  if (origin !== undefined) return originOf(origin) ?? origin;
  const referer = one(headers.referer);
  return referer === undefined ? undefined : originOf(referer);
}

/**
 * True when `origin` is this hub (same host and port as the Host header the browser used; the
 * scheme is not compared because a TLS proxy in front changes it) or listed in `allowed`. Pure.
 */
export function originAllowed(origin: string, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === 'null') return false;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  if (host && u.host.toLowerCase() === host.toLowerCase()) return true;
  return allowed.some((a) => originOf(a) === u.origin);
}

const hasCookieSession = (cookie: string | undefined, cookieName: string) =>
  !!cookie && cookie.split(';').some((part) => part.trim().startsWith(`${cookieName}=`));

/** Why a request must be refused as a possible forgery, or null. Pure. */
export function csrfRefusal(
  req: { method: string; headers: Headers },
  allowed: readonly string[],
  cookieName: string,
): Refusal | null {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return null;
  const type = one(req.headers['content-type']);
  const length = one(req.headers['content-length']);
  const hasBody = (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
  if (type !== undefined || hasBody) {
    const mediaType = (type ?? '').split(';')[0].trim().toLowerCase();
    if (mediaType !== 'application/json') {
      return {
        status: 415, code: 'unsupported_media_type',
        message: `a ${req.method} must send Content-Type: application/json${type === undefined ? ' (none was sent)' : ` (got ${JSON.stringify(type.slice(0, 100))})`}`,
      };
    }
  }
  if (/^Bearer\s/i.test(one(req.headers.authorization) ?? '')) return null;
  const host = one(req.headers.host);
  const origin = requestOrigin(req.headers);
  if (origin === undefined) {
    // No browser sends a cookie-authenticated POST without Origin: a script that has the cookie
    // can as well send it as a Bearer token.
    if (!hasCookieSession(one(req.headers.cookie), cookieName)) return null;
    return {
      status: 403, code: 'origin_required',
      message: `a ${req.method} authenticated by the ${cookieName} cookie must carry an Origin or Referer header of this hub's origin (or use Authorization: Bearer)`,
    };
  }
  if (originAllowed(origin, host, allowed)) return null;
  return {
    status: 403, code: 'cross_origin',
    message: `${req.method} from origin ${origin.slice(0, 200)} refused: only this hub's own origin${allowed.length ? ` and ${allowed.join(', ')}` : ''} may change state (hub.yaml allowedOrigins)`,
  };
}

/** Why a WebSocket/Socket.IO handshake must be refused, or null. No Origin = not a browser = allowed. Pure. */
export function handshakeRefusal(headers: IncomingHttpHeaders, allowed: readonly string[]): string | null {
  const origin = one(headers.origin);
  if (origin === undefined) return null;
  if (originAllowed(origin, one(headers.host), allowed)) return null;
  return `handshake from origin ${origin.slice(0, 200)} refused: not this hub's origin and not in hub.yaml allowedOrigins`;
}

/** Koa middleware: refuses forgeable state changes before the body is parsed. */
export function csrfGuard(allowed: readonly string[], cookieName: string): Middleware {
  return async (ctx, next) => {
    const refusal = csrfRefusal({ method: ctx.method, headers: ctx.headers }, allowed, cookieName);
    if (refusal) throw new HttpError(refusal.status, refusal.code, refusal.message);
    await next();
  };
}
