// Arbitraries for hostile HTTP requests against the hub: path parameters, query strings, headers,
// cookies and bodies, each a mix of the plausible (real ids, real parameter names, well-formed
// JSON) and the hostile (bad percent-encoding, prototype names, huge numbers, deep nesting).
import fc from 'fast-check';
import { ROLES, type Role } from '../../contracts/auth.js';
import { fillPath, pathParams, type RouteInfo } from './routes.js';

export type Who = { kind: 'anonymous' } | { kind: 'bearer'; role: Role } | { kind: 'cookie'; role: Role } | { kind: 'forged'; header: 'cookie' | 'authorization'; value: string };

export interface FuzzRequest {
  route: string;
  method: string;
  path: string;
  who: Who;
  headers: Record<string, string>;
  body?: string;
}

/** Only characters Node's HTTP client puts on the wire: anything else is percent-encoded. */
const wireSafe = (s: string) =>
  s.replace(/[^\x21-\x7e]/g, (c) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
/** Header values Node accepts (no CR/LF/NUL). */
const headerSafe = (s: string) => s.replace(/[^\t\x20-\x7e]/g, '?');

const HOSTILE = [
  '%', '%zz', '%E0%A4%A', '%00', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '..', 'constructor', '__proto__', 'prototype',
  'toString', 'hasOwnProperty', 'valueOf', '-1', '0', '1e309', 'NaN', 'Infinity', '99999999999999999999999',
  '1.5', 'null', 'undefined', 'true', '[]', '{}', '%F0%9F%92%A9', '%EF%BF%BF', 'a'.repeat(2048), '%25', '%u0041',
];

export interface Pools {
  /** Real values by parameter name (ids the hub knows), to get past lookups into the handlers. */
  byParam: Record<string, string[]>;
  /** Real values for any parameter. */
  any: string[];
}

function segmentArb(param: { name: string; wildcard: boolean }, pools: Pools): fc.Arbitrary<string> {
  const real = [...(pools.byParam[param.name] ?? []), ...pools.any];
  const realArb = real.length ? fc.constantFrom(...real).map((v) => (param.wildcard ? v.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(v))) : fc.constant('x');
  return fc.oneof(
    { weight: 4, arbitrary: realArb },
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s) || 'x') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map(wireSafe).map((s) => s || '%') },
  );
}

const QUERY_KEYS = ['from', 'to', 'step', 'points', 'meters', 'limit', 'offset', 'format', 'kind', 'floor', 'building', 'room', 'prefix',
  'writable', 'user', 'action', 'interval', 'agg', 'year', 'state', 'priority', 'point', 'camera', 'token', 'q', 'since', 'until', 'area',
  'days', 'rule', 'lang', 'zone', 'id', 'status', 'assignee', '__proto__', 'constructor'];

const valueArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.integer().map(String),
  fc.double({ noNaN: false }).map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('1s', '1m', '30s', '1h', '1d', '1e20d', '100000000000000000000d', '0s', '-1m', 'csv', 'json', 'mean', 'max', 'hour', 'day', 'month', 'analog', 'true', 'false', 'hq/a/l03', 'a'),
  fc.string({ maxLength: 30 }),
);

const queryArb = fc.array(fc.tuple(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...QUERY_KEYS) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }), valueArb, fc.boolean()), { maxLength: 5 })
  .map((pairs) => pairs.map(([k, v, encode]) => `${encodeURIComponent(k)}=${encode ? encodeURIComponent(v) : wireSafe(v)}`).join('&'));

const BODY_KEYS = ['value', 'comment', 'reason', 'confirm', 'level', 'priority', 'zones', 'zone', 'message', 'messageId', 'text', 'lang', 'until',
  'minutes', 'durationMin', 'durationS', 'mode', 'setpoint', 'enabled', 'username', 'password', 'points', 'ids', 'id', 'area', 'state',
  'schedule', 'date', 'dates', 'group', 'preset', 'pan', 'tilt', 'zoom', 'seconds', 'camera', 'note', 'assignee', 'action', 'rule', 'repeat',
  '__proto__', 'constructor'];

const jsonLeaf = fc.oneof(fc.constantFrom(...HOSTILE), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 50 }),
  fc.constantFrom(1.5, 65536, -1, 1e308, 16, 8, 'true', 'hq/a/l01', ''));
const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, jsonLeaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.constantFrom(...BODY_KEYS), tie('node'), { maxKeys: 4 })),
})).node;

const bodyArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...BODY_KEYS), jsonish, { maxKeys: 5 }).map((o) => JSON.stringify(o)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.constantFrom('{', '{"value": }', 'nul', '[1,2', '{"__proto__": {"admin": true}}', '"\\ud800"', '{"a":1,"a":2}', '', ' ') },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.integer({ min: 500, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
);

const COOKIE_JUNK = ['wf_session=%', 'wf_session=%E0%A4%A', 'wf_session=', 'wf_session', '=%', ';;;', 'wf_session=a; wf_session=%', `wf_session=${'A'.repeat(8000)}`, 'wf_session="%"'];

const whoArb: fc.Arbitrary<Who> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'anonymous' } as Who) },
  { weight: 5, arbitrary: fc.constantFrom(...ROLES).map((role) => ({ kind: 'bearer', role }) as Who) },
  { weight: 2, arbitrary: fc.constantFrom(...ROLES).map((role) => ({ kind: 'cookie', role }) as Who) },
  { weight: 2, arbitrary: fc.oneof(
    fc.constantFrom(...COOKIE_JUNK).map((value) => ({ kind: 'forged', header: 'cookie', value }) as Who),
    fc.oneof(fc.constantFrom('Bearer', 'Bearer ', 'Bearer %', 'Basic YWRtaW46YWRtaW4tZGVtbw==', 'bearer x y', `Bearer ${'x'.repeat(5000)}`), fc.string({ maxLength: 60 }).map(headerSafe))
      .map((value) => ({ kind: 'forged', header: 'authorization', value }) as Who),
  ) },
);

const extraHeadersArb = fc.record({
  // Mostly JSON, so requests get past the content-type check (a CSRF defence) into the handlers.
  'content-type': fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
    { weight: 2, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=klingon', '', 'application/merge-patch+json') },
  ),
  accept: fc.constantFrom('application/json', 'text/csv', '*/*', 'text/html', '', 'application/json;q=0, text/csv;q=0'),
  'x-forwarded-for': fc.constantFrom('127.0.0.1', '::1', 'garbage', '1.2.3.4, 5.6.7.8'),
  'accept-language': fc.constantFrom('zh-CN', 'en', '*', 'xx-%%'),
  'content-encoding': fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('identity', 'gzip', 'br', 'klingon') }),
}, { requiredKeys: ['content-type'] });

export function requestArb(routes: readonly RouteInfo[], pools: Pools): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...routes).chain((route) => {
    const params = pathParams(route.path);
    const segs = fc.tuple(...params.map((p) => segmentArb(p, pools)));
    const needsBody = !['GET', 'HEAD', 'OPTIONS'].includes(route.method);
    return fc.record({ segs, keepOptional: fc.boolean(), query: queryArb, who: whoArb, headers: extraHeadersArb, body: needsBody ? bodyArb : fc.constant(undefined) })
      .map(({ segs: values, keepOptional, query, who, headers, body }) => {
        const byName = Object.fromEntries(params.map((p, i) => [p.name, (values as string[])[i]]));
        const p = fillPath(route.path, byName, keepOptional);
        const h: Record<string, string> = {};
        for (const [k, v] of Object.entries(headers)) if (v !== undefined) h[k] = v;
        // A gzip claim on a body that is not gzip must be a 4xx too; drop it from bodiless requests.
        if (body === undefined) delete h['content-encoding'];
        return { route: `${route.method} ${route.path}`, method: route.method, path: query ? `${p}?${query}` : p, who, headers: h, body };
      });
  });
}

/** Non-API paths: the static console, traversal attempts, the Socket.IO and video prefixes. */
export const staticRequestArb: fc.Arbitrary<FuzzRequest> = fc.record({
  path: fc.oneof(
    fc.constantFrom('/', '/index.html', '/assets/app.js', '/assets/missing.js', '/..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/%', '/%00', '/assets/%zz',
      '/video/constructor', '/socket.io/?EIO=4&transport=polling', '/socket.io/?EIO=9', '/api', '/api/', '/api/%', '/api/points/%', '//', '/a/../../x.js'),
    fc.string({ maxLength: 40 }).map((s) => `/${wireSafe(s)}`),
  ),
  method: fc.constantFrom('GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'),
  who: whoArb,
  headers: extraHeadersArb,
}).map((r) => ({ ...r, route: `${r.method} (static)`, headers: Object.fromEntries(Object.entries(r.headers).filter(([k, v]) => v !== undefined && k !== 'content-encoding')) as Record<string, string>, body: undefined }));
