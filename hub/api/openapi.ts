// OpenAPI 3.1 for the hub's REST API, generated at start from what actually runs: every route of
// every mounted router (method, path, path parameters), the permission its requirePermission
// middleware demands, and — for routes that validate a body — the JSON Schema of the very zod
// schema that validates it (z.toJSONSchema; OpenAPI 3.1 schemas are JSON Schema 2020-12).
// Served at /api/openapi.json, with a small docs page at /api/docs (no CDN, no script).
import type Router from '@koa/router';
import { z, type ZodType } from 'zod';

/** requirePermission middlewares, tagged with the permission they check (set by the composition root). */
const permissionOf = new WeakMap<Function, string>();

/** Marks a middleware as checking `permission`, so the document can say who may call the route. */
export function tagPermission<M extends Function>(middleware: M, permission: string): M {
  permissionOf.set(middleware, permission);
  return middleware;
}

export interface RouteInfo {
  method: string;
  /** Koa path, e.g. /api/alarms/:id/ack */
  path: string;
  permission?: string;
}

/** Every route of the routers (prefixes applied), in mount order; HEAD (implied by GET) left out. */
export function routesOf(routers: readonly Router[]): RouteInfo[] {
  const out: RouteInfo[] = [];
  for (const r of routers) {
    for (const layer of r.stack as Array<{ methods: string[]; path: string | RegExp; stack: Function[] }>) {
      if (typeof layer.path !== 'string' || layer.methods.length === 0) continue;
      const permission = layer.stack.map((m) => permissionOf.get(m)).find((p) => p !== undefined);
      for (const method of layer.methods) {
        if (method === 'HEAD') continue;
        out.push({ method, path: layer.path, ...(permission ? { permission } : {}) });
      }
    }
  }
  return out;
}

/** `/api/alarms/:id/ack` → `/api/alarms/{id}/ack`, `/api/points/*id/write` → `/api/points/{id}/write`, and the parameter names. */
export function openApiPath(koaPath: string): { path: string; params: string[] } {
  const params: string[] = [];
  // `:name` and the wildcard `*name` (a point id with slashes) are both one path parameter.
  const path = koaPath.replace(/[:*]([A-Za-z_][A-Za-z0-9_]*)(\([^)]*\))?\??/g, (_m, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path, params };
}

/** The JSON Schema of what a zod schema accepts (its input side); parts JSON Schema cannot say become `{}`. */
export function requestSchema(schema: ZodType): Record<string, unknown> {
  return jsonSchema(schema, 'input');
}

/** The JSON Schema of what a route answers (the output side of its response schema). */
export function responseSchema(schema: ZodType): Record<string, unknown> {
  return jsonSchema(schema, 'output');
}

function jsonSchema(schema: ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const js = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete js.$schema;
  return js;
}

const TAG_OF = (path: string) => path.split('/')[2] ?? 'api';

export interface OpenApiOptions {
  title: string;
  version: string;
  /** Request body schemas by `METHOD /koa/path`. */
  bodies: ReadonlyMap<string, ZodType>;
  /** 2XX answer schemas by `METHOD /koa/path` (routes without one say only "Success (JSON)"). */
  responses?: ReadonlyMap<string, ZodType>;
  description?: string;
}

/** The OpenAPI 3.1 document of `routes`. Pure. */
export function openApiDocument(routes: readonly RouteInfo[], o: OpenApiOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const { path, params } = openApiPath(r.path);
    const op: Record<string, unknown> = {
      operationId: `${r.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      tags: [TAG_OF(path)],
      summary: `${r.method} ${path}`,
    };
    if (params.length) op.parameters = params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    const body = o.bodies.get(`${r.method} ${r.path}`);
    if (body) op.requestBody = { required: true, content: { 'application/json': { schema: requestSchema(body) } } };
    const open = r.permission === undefined;
    op.security = open ? [] : [{ bearer: [] }, { cookie: [] }];
    if (!open) op['x-permission'] = r.permission;
    op.description = open ? 'No permission needed (some such routes still need a session: see docs/api.md).' : `Needs the \`${r.permission}\` permission.`;
    const answer = o.responses?.get(`${r.method} ${r.path}`);
    op.responses = {
      '2XX': answer ? { description: 'Success.', content: { 'application/json': { schema: responseSchema(answer) } } } : { description: 'Success (JSON).' },
      '4XX': { description: 'Refused; the body names what was wrong.', content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } },
    };
    (paths[path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: o.title, version: o.version, ...(o.description ? { description: o.description } : {}) },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The token from POST /api/auth/login.' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'wf_session', description: 'The session cookie set by POST /api/auth/login.' },
      },
      schemas: {
        ApiError: {
          type: 'object', required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } } },
        },
      },
    },
  };
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A plain HTML page listing every operation with its permission and body schema. No script, no CDN. */
export function openApiHtml(doc: Record<string, unknown>): string {
  const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
  const rows: string[] = [];
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const body = (op.requestBody as { content: { 'application/json': { schema: unknown } } } | undefined)?.content['application/json'].schema;
      rows.push(`<section><h3><code>${method.toUpperCase()} ${esc(path)}</code></h3><p>${esc(String(op.description))}</p>${body ? `<details><summary>request body</summary><pre>${esc(JSON.stringify(body, null, 2))}</pre></details>` : ''}</section>`);
    }
  }
  const info = doc.info as { title: string; version: string };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(info.title)} API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}h3{margin:.2rem 0;font-size:1rem}section{border-top:1px solid #d0d7de;padding:.5rem 0}pre{background:#f6f8fa;padding:.5rem;overflow:auto}</style></head>
<body><h1>${esc(info.title)} API ${esc(info.version)}</h1><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Sign-in flow, Socket.IO events and errors: <code>docs/api.md</code>.</p>
${rows.join('\n')}</body></html>`;
}
