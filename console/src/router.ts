// A small hash router. Views are modules registered with a path pattern; later views
// (/wall, /trends, /alarms) plug in the same way without touching the shell.

/** Route parameters captured from `:name` segments; optional ones (`:name?`) may be absent. */
export type RouteParams = Record<string, string | undefined>;

/**
 * Matches a path like `/floor/a/b1` against a pattern like `/floor/:building/:floor/:room?`.
 * Returns the captured parameters or null. Segments are URI-decoded.
 */
export function matchPattern(pattern: string, path: string): RouteParams | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  const params: RouteParams = {};
  if (got.length > want.length) return null;
  for (let i = 0; i < want.length; i++) {
    const segment = want[i];
    const value = got[i];
    if (segment.startsWith(':')) {
      const optional = segment.endsWith('?');
      const name = segment.slice(1, optional ? -1 : undefined);
      if (value === undefined) {
        if (!optional) return null;
        continue;
      }
      try {
        params[name] = decodeURIComponent(value);
      } catch {
        return null; // malformed escape: not this route
      }
    } else if (segment !== value) {
      return null;
    }
  }
  return params;
}

/** `#/floor/a/b1?x=1` → `/floor/a/b1`; an empty hash is `/`. */
export function pathOfHash(hash: string): string {
  const path = hash.replace(/^#/, '').split('?')[0];
  return path.startsWith('/') ? path : `/${path}`;
}

/** Builds `#/a/b/c` from segments, encoding each one. */
export function hrefOf(...segments: string[]): string {
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}

export interface RouteMatch<V> {
  view: V;
  params: RouteParams;
}

/** First registered route that matches wins, so register specific patterns before catch-alls. */
export class RouteTable<V> {
  private readonly routes: Array<{ pattern: string; view: V }> = [];

  add(pattern: string, view: V): this {
    this.routes.push({ pattern, view });
    return this;
  }

  resolve(path: string): RouteMatch<V> | null {
    for (const route of this.routes) {
      const params = matchPattern(route.pattern, path);
      if (params) return { view: route.view, params };
    }
    return null;
  }
}
