// The REST client against a real HTTP server on loopback (not the hub: just enough to
// exercise headers, paging and every error path the client must translate).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ApiRequestError } from './api.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let server: Server;
let base: string;
let handler: Handler;
const seen: Array<{ method: string; url: string; auth?: string; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('ApiClient', () => {
  it('sends the bearer token and the write body to the point path with its slashes', async () => {
    seen.length = 0;
    handler = (_req, _body, res) => json(res, 200, { pointId: 'hq/a/b1/r/light-1/on', requested: true, previous: false, confirmed: true, readBack: true });
    const client = new ApiClient(base, () => 'tok-1');
    const res = await client.write('hq/a/b1/r/light-1/on', true);
    expect(res.confirmed).toBe(true);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/points/hq/a/b1/r/light-1/on/write', auth: 'Bearer tok-1', body: '{"value":true}' });
  });

  it('turns the hub error shape into an ApiRequestError with its code and message', async () => {
    handler = (_req, _body, res) => json(res, 409, { error: { code: 'out_of_range', message: 'value 900 is above the maximum 500' } });
    const client = new ApiClient(base, () => null);
    const err = await client.write('hq/a/b1/r/m/kw', 900).catch((e) => e);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect(err).toMatchObject({ status: 409, code: 'out_of_range', message: 'value 900 is above the maximum 500' });
  });

  it('names the request and status when the error body is not the hub shape', async () => {
    handler = (_req, _body, res) => { res.writeHead(502, { 'content-type': 'text/html' }); res.end('<html>Bad Gateway</html>'); };
    const err = await new ApiClient(base, () => null).site().catch((e) => e);
    expect(err).toMatchObject({ status: 502, code: 'http_error' });
    expect(err.message).toContain('GET /api/site');
    expect(err.message).toContain('502');
  });

  it('refuses a 200 answer that is not JSON', async () => {
    handler = (_req, _body, res) => { res.writeHead(200); res.end('<html></html>'); };
    const err = await new ApiClient(base, () => null).health().catch((e) => e);
    expect(err).toMatchObject({ code: 'bad_response' });
  });

  it('reports 401 through onUnauthorized, except for a failed login', async () => {
    handler = (_req, _body, res) => json(res, 401, { error: { code: 'unauthorized', message: 'wrong username or password' } });
    let calls = 0;
    const client = new ApiClient(base, () => 'old', () => calls++);
    await expect(client.login('a', 'b')).rejects.toMatchObject({ message: 'wrong username or password' });
    expect(calls).toBe(0);
    await expect(client.me()).rejects.toMatchObject({ status: 401 });
    expect(calls).toBe(1);
  });

  it('follows pages until the total is reached', async () => {
    seen.length = 0;
    handler = (req, _body, res) => {
      const url = new URL(req.url!, base);
      const offset = Number(url.searchParams.get('offset'));
      const total = 2500;
      const count = Math.min(1000, total - offset);
      json(res, 200, { items: Array.from({ length: count }, (_, i) => ({ id: `p${offset + i}` })), total, offset, limit: 1000 });
    };
    const items = await new ApiClient(base, () => null).allPoints({ building: 'a', floor: 'b1' });
    expect(items).toHaveLength(2500);
    expect(items[2499].id).toBe('p2499');
    expect(seen.map((s) => s.url)).toEqual([
      '/api/points?building=a&floor=b1&offset=0&limit=1000',
      '/api/points?building=a&floor=b1&offset=1000&limit=1000',
      '/api/points?building=a&floor=b1&offset=2000&limit=1000',
    ]);
  });

  it('reports an unreachable hub as status 0', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await new ApiClient(`http://127.0.0.1:${port}`, () => null).me().catch((e) => e);
    expect(err).toMatchObject({ status: 0, code: 'network' });
  });
});
