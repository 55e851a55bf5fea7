// The response schemas of the OpenAPI document against what a running hub really answers: each
// documented route is called and its answer parsed in strict mode (a field the document does not
// name, or a missing one, fails), and the document carries each schema's JSON Schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { hashPassword } from '../auth/password.js';
import { createHistoryModule } from '../history/module.js';
import { historySettingsSchema } from '../history/settings.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { ScriptedDriver, testPointId, testSiteConfig } from '../test-support.js';
import { responseSchema } from './openapi.js';
import { RESPONSE_BODIES } from './openapi-responses.js';

let hub: Hub;
let driver: ScriptedDriver;
let auth: Record<string, string>;
const P = testPointId(0, 0); // writable

beforeAll(async () => {
  const passwordHash = await hashPassword('pw', { N: 1024, r: 8, p: 1 });
  driver = new ScriptedDriver();
  const history = createHistoryModule({ settings: historySettingsSchema.parse({ backend: 'embedded', flushMs: 10 }) });
  hub = await createHub(testSiteConfig({ floors: 2, pointsPerFloor: 10, users: [{ username: 'admin', role: 'admin', passwordHash }] }), { drivers: [driver], modules: [history], log: silentLogger(), listen: { port: 0 } });
  const now = Date.now();
  driver.publish([{ pointId: P, value: 21.5, quality: 'good', readTs: now - 2000 }, { pointId: testPointId(0, 1), value: 3, quality: 'uncertain', detail: 'why', readTs: now - 1000 }]);
}, 60_000);

afterAll(async () => {
  await hub?.stop();
});

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${hub.url}${path}`, { method, headers: { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  expect(res.status, `${method} ${path}`).toBe(200);
  return res.json();
}

const schema = (key: string): ZodType => {
  const s = RESPONSE_BODIES.get(key);
  if (!s) throw new Error(`no response schema for ${key}`);
  return s;
};

describe('documented answers are what the hub answers', () => {
  it('sign-in, health, site, points, a write and history parse with their schemas', async () => {
    const session = await call('POST', '/api/auth/login', { username: 'admin', password: 'pw' });
    schema('POST /api/auth/login').parse(session);
    auth = { authorization: `Bearer ${(session as { token: string }).token}` };
    schema('GET /api/auth/me').parse(await call('GET', '/api/auth/me'));
    // Signed in, health shows full details; signed out only states (both must parse).
    schema('GET /api/health').parse(await call('GET', '/api/health'));
    schema('GET /api/health').parse(await (await fetch(`${hub.url}/api/health`)).json());
    schema('GET /api/site').parse(await call('GET', '/api/site'));
    const page = schema('GET /api/points').parse(await call('GET', '/api/points?limit=5')) as { items: Array<{ state: unknown }> };
    expect(page.items.some((i) => i.state !== null)).toBe(true);
    schema('GET /api/points/*id').parse(await call('GET', `/api/points/${P}`));
    schema('POST /api/points/*id/write').parse(await call('POST', `/api/points/${P}/write`, { value: 22 }));
    await new Promise((r) => setTimeout(r, 200)); // the embedded store's flush
    const to = Date.now() + 1000;
    const h = schema('GET /api/history').parse(await call('GET', `/api/history?points=${encodeURIComponent(P)}&from=${to - 600_000}&to=${to}&step=1m`)) as { series: Array<{ points: unknown[] }> };
    expect(h.series[0].points.length).toBeGreaterThan(0);
  });

  it('a schema refuses what the contract does not allow (strict: an extra field, a wrong enum)', () => {
    const health = schema('GET /api/health');
    expect(() => health.parse({ status: 'ok', uptimeS: 1, points: 0, drivers: [], components: {}, extra: 1 })).toThrow();
    expect(() => health.parse({ status: 'fine', uptimeS: 1, points: 0, drivers: [], components: {} })).toThrow();
  });

  it('the document carries each response schema', async () => {
    const doc = (await (await fetch(`${hub.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, { content?: { 'application/json': { schema: unknown } } }> }>> };
    const get = (path: string, method: string) => doc.paths[path][method].responses['2XX'].content?.['application/json'].schema;
    expect(get('/api/health', 'get')).toEqual(responseSchema(schema('GET /api/health')));
    expect(get('/api/points/{id}/write', 'post')).toEqual(responseSchema(schema('POST /api/points/*id/write')));
    expect(get('/api/history', 'get')).toMatchObject({ type: 'object', required: expect.arrayContaining(['series', 'stepMs']) });
  });
});
