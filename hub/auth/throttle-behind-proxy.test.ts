// Login throttling behind a real nginx: with the proxy listed in hub.yaml trustedProxies, one
// client's failed sign-ins throttle that client only; without it, every client behind the proxy
// shares the proxy's address (the failure this guards against). The test client plays the part of
// an outer proxy by sending X-Forwarded-For, which nginx extends with its own peer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNginx, type Nginx } from '../../test/support/nginx.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { testSiteConfig } from '../test-support.js';
import { hashPassword } from './password.js';

const PW = 'right-password';

async function hubBehindNginx(trusted: string[]): Promise<{ hub: Hub; nginx: Nginx; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'wf-xff-'));
  const hash = await hashPassword(PW);
  const config = testSiteConfig({ floors: 1, pointsPerFloor: 2, dataDir: dir, users: [{ username: 'guard', role: 'guard', passwordHash: hash }, { username: 'op', role: 'operator', passwordHash: hash }] });
  config.hub.trustedProxies = trusted;
  const hub = await createHub(config, { drivers: [], modules: [], log: silentLogger(), listen: { port: 0 }, consoleDir: join(dir, 'console') });
  const nginx = await startNginx({ hubs: [{ host: '127.0.0.1', port: Number(new URL(hub.url).port) }] });
  return { hub, nginx, dir };
}

async function login(nginx: Nginx, from: string, username: string, password: string): Promise<number> {
  const res = await fetch(`${nginx.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: nginx.url, 'x-forwarded-for': from },
    body: JSON.stringify({ username, password }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Fails sign-ins from `from` until the hub answers 429; how many it took. */
async function failUntilThrottled(nginx: Nginx, from: string): Promise<number> {
  for (let n = 1; n <= 40; n++) {
    const status = await login(nginx, from, `nobody-${n}`, "wrong");
    if (status === 429) return n;
    if (status !== 401) throw new Error(`sign-in ${n} from ${from}: ${status}, expected 401 or 429`);
  }
  throw new Error(`never throttled after 40 failures from ${from}`);
}

describe('login throttling behind nginx', () => {
  const stacks: Array<{ hub: Hub; nginx: Nginx; dir: string }> = [];
  afterAll(async () => {
    for (const s of stacks) {
      await s.nginx.stop();
      await s.hub.stop();
      rmSync(s.dir, { recursive: true, force: true });
    }
  });

  describe('nginx listed in trustedProxies', () => {
    let s: { hub: Hub; nginx: Nginx; dir: string };
    beforeAll(async () => {
      s = await hubBehindNginx(['127.0.0.1', '::1']);
      stacks.push(s);
    }, 30_000);

    it('throttles the failing client, not the one beside it', async () => {
      expect(await failUntilThrottled(s.nginx, '203.0.113.9')).toBeGreaterThan(20);
      expect(await login(s.nginx, '203.0.113.9', 'guard', PW)).toBe(429);
      expect(await login(s.nginx, '198.51.100.7', 'guard', PW)).toBe(200);
    }, 60_000);

    it('a client cannot escape by prepending a fake address', async () => {
      await failUntilThrottled(s.nginx, '192.0.2.50');
      expect(await login(s.nginx, '10.99.0.1, 192.0.2.50', 'op', PW)).toBe(429);
    }, 60_000);
  });

  describe('no trusted proxies (the default)', () => {
    let s: { hub: Hub; nginx: Nginx; dir: string };
    beforeAll(async () => {
      s = await hubBehindNginx([]);
      stacks.push(s);
    }, 30_000);

    it('X-Forwarded-For is ignored: every client behind nginx is the proxy', async () => {
      await failUntilThrottled(s.nginx, '203.0.113.9');
      expect(await login(s.nginx, '198.51.100.7', 'guard', PW)).toBe(429);
    }, 60_000);
  });
});
