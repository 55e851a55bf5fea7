// CameraApi against a real HTTP server on loopback that answers like the hub's cameras routes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CameraApi, CameraApiError } from './camera-api.js';

let server: Server;
let base: string;
const seen: Array<{ method: string; url: string; auth?: string; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
      const json = (status: number, v: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(v));
      if (req.url === '/api/cameras/cam-1/ptz') {
        const cmd = JSON.parse(body);
        if (cmd.type === 'absolute') return json(400, { error: { code: 'out_of_range', message: "pan 5 is outside the camera's range -1..1", details: { axis: 'pan', range: [-1, 1] } } });
        return json(200, { ok: true, position: { pan: 0.1, tilt: 0, zoom: 0 } });
      }
      if (req.url === '/api/cameras/cam-1/snapshots') return json(200, { items: ['cam-1-20250301T101502-123Z-alarm-x_h.jpg', 'cam-1-odd.jpg'] });
      if (req.url === '/api/cameras/cam-1/snapshot') return res.writeHead(200, { 'content-type': 'image/jpeg', 'x-snapshot-file': 'cam-1-now.jpg' }).end(Buffer.from([0xff, 0xd8, 0xff]));
      if (req.url === '/api/cameras') return json(200, { items: [{ id: 'cam-1' }] });
      if (req.url === '/api/cameras/proxy') return res.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html' }).end('<html>oops</html>');
      json(404, { error: { code: 'not_found', message: 'no camera nope (known: cam-1)' } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('CameraApi', () => {
  const api = () => new CameraApi(() => 'tok-1', base);

  it('sends the bearer token and the PTZ command as JSON, returns the answer', async () => {
    expect(await api().ptz('cam-1', { type: 'stop' })).toEqual({ ok: true, position: { pan: 0.1, tilt: 0, zoom: 0 } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', auth: 'Bearer tok-1', body: '{"type":"stop"}' });
    expect(await api().list()).toEqual([{ id: 'cam-1' }]);
  });

  it('keeps the hub code, message and details of a refusal (the range of out_of_range)', async () => {
    const err = await api().ptz('cam-1', { type: 'absolute', pan: 5 }).catch((e) => e);
    expect(err).toBeInstanceOf(CameraApiError);
    expect(err).toMatchObject({ status: 400, code: 'out_of_range', message: "pan 5 is outside the camera's range -1..1", details: { axis: 'pan', range: [-1, 1] } });
    await expect(api().get('nope')).rejects.toMatchObject({ status: 404, code: 'not_found', message: 'no camera nope (known: cam-1)' });
  });

  it('says what failed when the answer is not the hub (a proxy page), or nothing answers', async () => {
    await expect(api().get('proxy')).rejects.toMatchObject({ status: 502, code: 'http_error', message: 'GET /api/cameras/proxy: HTTP 502 Bad Gateway' });
    const down = new CameraApi(() => null, 'http://127.0.0.1:1');
    await expect(down.list()).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('lists captures with their URL, time and reason; fetches a snapshot with its stored name', async () => {
    const files = await api().files('cam-1', 'snapshots');
    expect(files[0]).toEqual({
      kind: 'snapshots',
      file: 'cam-1-20250301T101502-123Z-alarm-x_h.jpg',
      url: `${base}/api/cameras/cam-1/snapshots/cam-1-20250301T101502-123Z-alarm-x_h.jpg`,
      at: Date.UTC(2025, 2, 1, 10, 15, 2, 123),
      reason: 'alarm-x_h',
    });
    expect(files[1]).toEqual({ kind: 'snapshots', file: 'cam-1-odd.jpg', url: `${base}/api/cameras/cam-1/snapshots/cam-1-odd.jpg` });
    const snap = await api().snapshot('cam-1');
    expect(snap.file).toBe('cam-1-now.jpg');
    expect(snap.blob.size).toBe(3);
  });
});
