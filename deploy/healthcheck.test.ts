// The liveness probe behind watchfloor-health.timer: alive on any HTTP answer, dead on two missed ones.
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, 'healthcheck.mjs');
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => (s.closeAllConnections(), s.close(r)))));
});

function probe(url: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, url], { env: { ...process.env, WATCHFLOOR_HEALTH_TIMEOUT_MS: '2000', WATCHFLOOR_HEALTH_PAUSE_MS: '50' } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

async function serve(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/api/health`;
}

describe('deploy/healthcheck.mjs', () => {
  it('a hub answering 503 (InfluxDB away) is alive: no restart', async () => {
    const url = await serve((_req, res) => res.writeHead(503).end('{"ok":false}'));
    expect(await probe(url)).toMatchObject({ code: 0, out: expect.stringContaining('HTTP 503') });
  });

  it('a hub that accepts but never answers (hung event loop) is restarted', { timeout: 30_000 }, async () => {
    const url = await serve(() => undefined);
    const r = await probe(url);
    expect(r.code).toBe(1);
    expect(r.out).toContain('did not answer');
  });

  it('nothing listening: restart', async () => {
    const url = await serve((_req, res) => res.end());
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
    expect((await probe(url)).code).toBe(1);
  });
});
