// The console follows the hub's scopes (issue 11 item 9): the energy officer gets no control on a
// door lock but keeps the lighting ones; an operator's door release asks for a reason, which the
// hub records in the audit log. Real console, real hub, Chromium.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleIsStale } from '../../scripts/console-build.js';
import { artifactPath, launchChromium } from '../../test/e2e/harness.js';
import { loadConfig } from '../config/load.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { hashPassword } from './password.js';
import { waitForExpression } from '../../test/support/wait-for.js';

const LOCK = 'hq/a/b1/archive-b103/door-1/lock-release';
const LIGHT = 'hq/a/b1/weak-b104/lighting-b1/corridor';
const tmp = mkdtempSync(join(tmpdir(), 'wf-console-scope-'));
let hub: Hub;
let browser: Browser;

beforeAll(async () => {
  // dist/console when it is up to date (npm test builds it first), else a private build.
  let dist = resolve('dist/console');
  if (consoleIsStale()) {
    dist = join(tmp, 'console');
    const r = spawnSync(process.execPath, [resolve('node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error', '--outDir', dist, '--emptyOutDir'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`console build failed: ${r.stderr}`);
  }
  const config = loadConfig(resolve('config'));
  config.hub.dataDir = join(tmp, 'data');
  const hash = await hashPassword('pw', { N: 1024, r: 8, p: 1 });
  config.users = [
    { username: 'energy', name: { en: 'Energy', 'zh-CN': '能源' }, role: 'energy_officer', passwordHash: hash },
    { username: 'op', name: { en: 'Operator', 'zh-CN': '操作员' }, role: 'operator', passwordHash: hash },
  ];
  hub = await createHub(config, { drivers: [], log: silentLogger(), listen: { port: 0 }, consoleDir: dist });
  // Known values, so the toggles are enabled.
  hub.ingest.contextFor('modbus').publish([LOCK, LIGHT].map((pointId) => ({ pointId, value: false, quality: 'good' as const, readTs: Date.now() })));
  browser = await launchChromium();
}, 240_000); // may include a private console build on a busy machine

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

async function signIn(username: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(`${hub.url}/`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', 'pw');
  await page.click('button[type=submit]');
  await waitForExpression(page, '!document.querySelector("input[name=password]")', undefined, { timeout: 15_000 });
  await page.goto(`${hub.url}/#/floor/a/b1`);
  await page.waitForSelector(`tr[data-point-id="${LIGHT}"]`, { timeout: 15_000 });
  return page;
}
const controls = (page: Page, id: string) => page.locator(`tr[data-point-id="${id}"] .write-control`).count();

describe('console and scopes', () => {
  it('the energy officer sees lighting controls but none on door locks', async () => {
    const page = await signIn('energy');
    expect(await controls(page, LIGHT)).toBe(1);
    expect(await controls(page, LOCK)).toBe(0);
    await page.screenshot({ path: artifactPath('scope-energy-b1.png') });
    await page.close();
  });

  it('an operator\'s door release asks for a reason and the hub audits it', async () => {
    const page = await signIn('op');
    expect(await controls(page, LOCK)).toBe(1);
    const asked: string[] = [];
    page.on('dialog', (d) => {
      asked.push(d.message());
      void d.accept('courier delivery to the archive');
    });
    await page.click(`tr[data-point-id="${LOCK}"] .write-control button`);
    await page.waitForSelector(`tr[data-point-id="${LOCK}"] .write-result:not(.busy):not(:empty)`, { timeout: 10_000 });
    await page.screenshot({ path: artifactPath('scope-operator-b1.png') });
    expect(asked[0]).toMatch(/security command/);
    const entry = hub.audit.query({ limit: 100 }).find((e: { action: string; target: string }) => e.action === 'point.command.confirmed' && e.target === LOCK) as { user: string; details: { reason: string } } | undefined;
    expect(entry).toMatchObject({ user: 'op', details: { reason: 'courier delivery to the archive' } });
    await page.close();
  });
});
