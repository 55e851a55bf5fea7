// The client against a real HTTP server on loopback: what it sends, and how refusals come back.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlApiError, ControlClient } from './control-api.js';

let server: http.Server;
let base: string;
const seen: Array<{ method: string; url: string; auth?: string; body: string }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
      const send = (status: number, payload: string) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(payload);
      };
      if (req.url === '/api/control/schedules' && req.method === 'PUT') {
        const { expectedVersion } = JSON.parse(body) as { expectedVersion: number };
        if (expectedVersion === 1) return send(409, JSON.stringify({ error: { code: 'version_conflict', message: 'schedules changed since version 1 (now 2)' } }));
        return send(400, JSON.stringify({ error: { code: 'invalid_schedule', message: 'schedule refused', details: { problems: [{ path: ['schedules', 0, 'week', 'mon', 1], message: 'overlaps' }, { nonsense: true }] } } }));
      }
      if (req.url?.startsWith('/api/control/points/')) return send(200, JSON.stringify({ pointId: 'x', levels: [] }));
      if (req.url === '/api/broadcast/jobs') return send(200, 'not json');
      return send(401, JSON.stringify({ error: { code: 'unauthorized', message: 'session expired' } }));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('ControlClient', () => {
  it('sends the bearer token and keeps point-id slashes in the path', async () => {
    const client = new ControlClient(() => 'tok', () => {}, base);
    await client.priority('hq/a/b1/light 1');
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/api/control/points/hq/a/b1/light%201/priority', auth: 'Bearer tok' });
  });

  it('carries the hub problems of a refused schedule, dropping malformed ones', async () => {
    const client = new ControlClient(() => 'tok', () => {}, base);
    const err = (await client.saveSchedules({ schedules: [] }, 5, 'why').catch((e: unknown) => e)) as ControlApiError;
    expect(err).toBeInstanceOf(ControlApiError);
    expect([err.status, err.code, err.message]).toEqual([400, 'invalid_schedule', 'schedule refused']);
    expect(err.problems).toEqual([{ path: ['schedules', 0, 'week', 'mon', 1], message: 'overlaps' }]);
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ doc: { schedules: [] }, expectedVersion: 5, comment: 'why' });
  });

  it('reports a version conflict as 409 with the hub message', async () => {
    const client = new ControlClient(() => 'tok', () => {}, base);
    const err = (await client.saveSchedules({ schedules: [] }, 1).catch((e: unknown) => e)) as ControlApiError;
    expect([err.status, err.code]).toEqual([409, 'version_conflict']);
    expect(err.message).toContain('now 2');
  });

  it('names the request when the answer is not JSON, and calls back on 401', async () => {
    let unauthorized = 0;
    const client = new ControlClient(() => null, () => unauthorized++, base);
    const bad = (await client.paJobs().catch((e: unknown) => e)) as ControlApiError;
    expect(bad.message).toBe('GET /api/broadcast/jobs: response is not JSON (HTTP 200)');
    const denied = (await client.overrides().catch((e: unknown) => e)) as ControlApiError;
    expect([denied.status, denied.message, unauthorized]).toEqual([401, 'session expired', 1]);
    expect(seen.at(-1)!.auth).toBeUndefined();
  });

  it('says when the hub cannot be reached', async () => {
    const client = new ControlClient(() => 'tok', () => {}, 'http://127.0.0.1:1');
    const err = (await client.overrides().catch((e: unknown) => e)) as ControlApiError;
    expect(err.status).toBe(0);
    expect(err.message).toContain('GET /api/control/overrides');
  });
});
