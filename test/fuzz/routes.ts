// The REST surface of a running hub, read from the routers Koa actually mounted (each
// `router.routes()` middleware carries its router), so a route added anywhere is fuzzed
// without anyone listing it here.
import type Koa from 'koa';

export interface RouteInfo { method: string; path: string }

type Mounted = { router?: { stack: Array<{ path: string | RegExp; methods: string[] }> }; mounted?: () => Mounted[] };

export function mountedRoutes(app: Koa): RouteInfo[] {
  const out = new Map<string, RouteInfo>();
  // The modules' routers sit behind the hub's start-up gate, which lists what it mounts.
  const top = app.middleware as unknown as Mounted[];
  for (const mw of [...top, ...top.flatMap((m) => m.mounted?.() ?? [])]) {
    for (const layer of mw.router?.stack ?? []) {
      if (typeof layer.path !== 'string') continue;
      for (const method of layer.methods) {
        if (method === 'HEAD' && layer.methods.includes('GET')) continue;
        out.set(`${method} ${layer.path}`, { method, path: layer.path });
      }
    }
  }
  return [...out.values()].sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

/** The parameters of a route path (`:name`, `*name`, inside optional `{…}` groups too). */
export function pathParams(routePath: string): Array<{ name: string; wildcard: boolean }> {
  return [...routePath.matchAll(/([:*])([A-Za-z_$][\w$]*)/g)].map((m) => ({ name: m[2], wildcard: m[1] === '*' }));
}

/**
 * A concrete path for a route: each parameter replaced by its value (already URL-safe), each
 * optional `{…}` group kept or dropped.
 */
export function fillPath(routePath: string, values: Record<string, string>, keepOptional: boolean): string {
  let p = routePath.replace(/\{([^{}]*)\}/g, (_, inner: string) => (keepOptional ? inner : ''));
  p = p.replace(/([:*])([A-Za-z_$][\w$]*)/g, (_, _kind: string, name: string) => values[name] ?? 'x');
  return p;
}
