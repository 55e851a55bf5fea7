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
  '.map': 'application/json', '.txt': 'text/plain; charset=utf-8', '.yaml': 'text/yaml; charset=utf-8',
};

export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
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
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.path === '/api' || ctx.path.startsWith('/api/') || ctx.path.startsWith('/socket.io/')) {
      return next();
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
