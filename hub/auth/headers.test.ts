// Headers (issue 11 item 10): a Content-Security-Policy the real console runs under without a
// single violation, HSTS and a Secure session cookie when hub.yaml says the hub is behind TLS.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleIsStale } from '../../scripts/console-build.js';
import { launchChromium } from '../../test/e2e/harness.js';
import { CONTENT_SECURITY_POLICY } from '../api/static.js';
import { loadConfig } from '../config/load.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { testSiteConfig } from '../test-support.js';
import { hashPassword } from './password.js';
import { waitForExpression } from '../../test/support/wait-for.js';

const tmp = mkdtempSync(join(tmpdir(), 'wf-headers-'));
const hubs: Hub[] = [];
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
  for (const h of hubs) await h.stop();
  rmSync(tmp, { recursive: true, force: true });
});

async function hubWith(settings: { secureCookies?: boolean; hstsMaxAgeS?: number }, consoleDir = join(tmp, 'none')): Promise<Hub> {
  const config = testSiteConfig({ floors: 1, pointsPerFloor: 1, users: [{ username: 'op', role: 'operator', passwordHash: await hashPassword('pw', { N: 1024, r: 8, p: 1 }) }] });
  Object.assign(config.hub, settings);
  const hub = await createHub(config, { drivers: [], log: silentLogger(), listen: { port: 0 }, consoleDir });
  hubs.push(hub);
  return hub;
}
const login = (hub: Hub) => fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'op', password: 'pw' }) });

describe('security headers', () => {
  it('sends the CSP and same-origin referrers on every answer; no HSTS or Secure cookie by default (plain HTTP)', async () => {
    const hub = await hubWith({});
    for (const path of ['/', '/api/health', '/api/points']) {
      const r = await fetch(`${hub.url}${path}`);
      expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(r.headers.get('referrer-policy')).toBe('same-origin');
      expect(r.headers.get('strict-transport-security')).toBeNull();
    }
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self';.*object-src 'none'.*frame-ancestors 'none'/);
    const cookie = (await login(hub)).headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('behind TLS (secureCookies, hstsMaxAgeS) marks the cookie Secure on login and logout, and sends HSTS', async () => {
    const hub = await hubWith({ secureCookies: true, hstsMaxAgeS: 31_536_000 });
    expect((await fetch(`${hub.url}/api/health`)).headers.get('strict-transport-security')).toBe('max-age=31536000');
    const r = await login(hub);
    expect(r.status).toBe(200);
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^wf_session=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$/);
    const out = await fetch(`${hub.url}/api/auth/logout`, { method: 'POST', headers: { cookie: cookie.split(';')[0], origin: hub.url } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^wf_session=; .*Expires=Thu, 01 Jan 1970.*Secure/);
  });
});

describe('the real console under the CSP (Chromium)', () => {
  it('loads, signs in and shows a floor without a single CSP violation', async () => {
    // dist/console when it is up to date (npm test builds it first), else a private build.
    let dist = resolve('dist/console');
    if (consoleIsStale()) {
      dist = join(tmp, 'console');
      const r = spawnSync(process.execPath, [resolve('node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error', '--outDir', dist, '--emptyOutDir'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
    const config = loadConfig(resolve('config'));
    config.hub.dataDir = join(tmp, 'data');
    config.users = [{ username: 'op', name: { en: 'Operator', 'zh-CN': '操作员' }, role: 'operator', passwordHash: await hashPassword('pw', { N: 1024, r: 8, p: 1 }) }];
    const hub = await createHub(config, { drivers: [], log: silentLogger(), listen: { port: 0 }, consoleDir: dist });
    hubs.push(hub);
    browser = await launchChromium();
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await page.addInitScript('document.addEventListener("securitypolicyviolation", (e) => console.error("Refused to: CSP " + e.violatedDirective + " " + e.blockedURI))');
    await page.goto(`${hub.url}/`);
    await page.fill('input[name=username]', 'op');
    await page.fill('input[name=password]', 'pw');
    await page.click('button[type=submit]');
    await waitForExpression(page, '!document.querySelector("input[name=password]")', undefined, { timeout: 15_000 });
    await page.goto(`${hub.url}/#/floor/a/b1`);
    await page.waitForTimeout(2000);
    expect(violations).toEqual([]);
    // The control: an injected inline script is refused and reported, so the check above can fail.
    await page.evaluate('document.body.appendChild(Object.assign(document.createElement("script"), { textContent: "window.injected = 1" }))');
    await page.waitForTimeout(300);
    expect(await page.evaluate('window.injected')).toBeUndefined();
    expect(violations.join('\n')).toMatch(/script-src/);
  }, 240_000); // may include a private console build on a busy machine
});
