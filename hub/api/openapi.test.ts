import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlarmsModule } from '../alarms/index.js';
import { alarmsFileSchema } from '../alarms/schema.js';
import { compileRules } from '../alarms/rules.js';
import { ShelveBody } from '../alarms/routes.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { ScriptedDriver, testSiteConfig } from '../test-support.js';
import { openApiPath, requestSchema } from './openapi.js';
import { WriteBody } from './routes.js';

describe('OpenAPI paths', () => {
  it.each([
    ['/api/alarms/:id/ack', '/api/alarms/{id}/ack', ['id']],
    ['/api/points/*id/write', '/api/points/{id}/write', ['id']],
    ['/api/workorders/from-alarm/:alarmId', '/api/workorders/from-alarm/{alarmId}', ['alarmId']],
    ['/api/health', '/api/health', []],
  ])('%s → %s', (koa, want, params) => {
    expect(openApiPath(koa)).toEqual({ path: want, params });
  });
});

let hub: Hub;
type Doc = { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: { 'application/json': { schema: Record<string, unknown> } } }; 'x-permission'?: string; parameters?: unknown[] }>> };
let doc: Doc;

beforeAll(async () => {
  const alarms = createAlarmsModule({ compiled: compileRules(alarmsFileSchema.parse({}), new Map()), tickMs: 0 });
  hub = await createHub(testSiteConfig({ floors: 1, pointsPerFloor: 10 }), { drivers: [new ScriptedDriver()], modules: [alarms], log: silentLogger(), listen: { port: 0 } });
  const res = await fetch(`${hub.url}/api/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as Doc;
});
afterAll(async () => {
  await hub?.stop();
});

describe('/api/openapi.json of a running hub', () => {
  it('is OpenAPI 3.1 and lists the routes that run, core and module ones', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const [path, method] of [['/api/health', 'get'], ['/api/points/{id}/write', 'post'], ['/api/auth/login', 'post'], ['/api/alarms/{id}/shelve', 'post'], ['/api/config/reload', 'post'], ['/api/openapi.json', 'get']]) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    expect(doc.paths['/api/points/{id}/write'].post.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
  });

  it('documents a body with the very schema that validates it', async () => {
    const write = doc.paths['/api/points/{id}/write'].post;
    expect(write['x-permission']).toBe('points:write');
    expect(write.requestBody!.content['application/json'].schema).toEqual(requestSchema(WriteBody));
    const shelve = doc.paths['/api/alarms/{id}/shelve'].post.requestBody!.content['application/json'].schema;
    expect(shelve).toEqual(requestSchema(ShelveBody));
    expect(shelve).toMatchObject({ type: 'object', required: expect.arrayContaining(['durationMin', 'reason']), additionalProperties: false });
  });

  it('a body the document calls invalid is refused by the hub with 400 naming the field', async () => {
    // The document says `value` is required and nothing else is allowed: the route agrees.
    const schema = doc.paths['/api/points/{id}/write'].post.requestBody!.content['application/json'].schema;
    expect(schema).toMatchObject({ required: ['value'], additionalProperties: false });
    const login = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'x' }) });
    expect(login.status).toBe(400);
    expect(((await login.json()) as { error: { message: string } }).error.message).toContain('password');
  });

  it('has a docs page without scripts or CDNs', async () => {
    const res = await fetch(`${hub.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('POST /api/points/{id}/write');
    expect(html).not.toMatch(/<script|https?:\/\/(?!127)/);
  });
});
