// Serves the built console (dist/console) with SPA fallback, and basic security headers.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { Middleware } from 'koa';
import { HttpError } from './errors.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.ico': 'image/x-icon', '.woff2': 'font/woff2',
  '.woff': 'font/woff', '.glb': 'model/gltf-binary', '.gltf': 'model/gltf+json', '.wasm': 'application/wasm',
  '.map': 'application/json', '.webmanifest': 'application/manifest+json', '.txt': 'text/plain; charset=utf-8', '.yaml': 'text/yaml; charset=utf-8',
};

/**
 * The console's Content-Security-Policy: only its own scripts (Vite emits no inline script), no
 * plugins, no framing, requests and WebSockets to this origin only; blob:/data: for video
 * (MediaSource), snapshots and QR codes. Inline style attributes stay allowed (the 3D and chart
 * views set them); an injected style cannot run code.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface SecurityHeaderOptions {
  /** Behind TLS: send Strict-Transport-Security with this max-age (hub.yaml hstsMaxAgeS). */
  hstsMaxAgeS?: number;
}

export function securityHeaders(opts: SecurityHeaderOptions = {}): Middleware {
  return async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    // same-origin, not no-referrer: with no-referrer browsers send `Origin: null` on the console's
    // own POSTs, which the CSRF check (hub/auth/origin.ts) must refuse.
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
    if (opts.hstsMaxAgeS !== undefined) ctx.set('Strict-Transport-Security', `max-age=${opts.hstsMaxAgeS}`);
    await next();
  };
}

/** Resolves a URL path inside root, or null when it would escape it. Pure. */
export function safeJoin(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = normalize(join(root, decoded)).replace(/[\\/]+$/, '') || sep;
  return full === root || full.startsWith(root.endsWith(sep) ? root : root + sep) ? full : null;
}

/** GET/HEAD for non-/api paths: the file if it exists, else index.html (client-side routes). */
export function serveConsole(root: string): Middleware {
  return async (ctx, next) => {
    if (ctx.path === '/api' || ctx.path.startsWith('/api/') || ctx.path.startsWith('/socket.io/')) return next();
    // Console paths are read-only: any other method gets the API's error shape, not Koa's text 404.
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      throw new HttpError(405, 'method_not_allowed', `${ctx.method} is not allowed on ${ctx.path.slice(0, 100)}: the console is served with GET and HEAD only`);
    }
    const index = join(root, 'index.html');
    if (!existsSync(index)) {
      throw new HttpError(503, 'console_not_built', `the console is not built: ${index} is missing; run npm run build:console`);
    }
    const file = safeJoin(root, ctx.path);
    if (file === null) throw new HttpError(400, 'bad_path', `bad path ${ctx.path}`);
    let target = index;
    try {
      if (statSync(file).isFile()) target = file;
    } catch {
      // not a file: client-side route, fall back to index.html
    }
    // A missing asset (has an extension) is a real 404, not the SPA page.
    if (target === index && extname(ctx.path) !== '' && extname(ctx.path) !== '.html') {
      throw new HttpError(404, 'not_found', `no file ${ctx.path}`);
    }
    ctx.type = TYPES[extname(target)] ?? 'application/octet-stream';
    // Vite fingerprints assets; index.html must always be revalidated.
    ctx.set('Cache-Control', target === index ? 'no-cache' : ctx.path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    ctx.length = statSync(target).size;
    ctx.body = ctx.method === 'HEAD' ? null : createReadStream(target);
  };
}
