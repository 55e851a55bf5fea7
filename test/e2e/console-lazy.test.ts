// The console's boot path (issue 20, decision view first paint): views are lazy chunks, and a
// signed-in page load asks for the session, the site and the route's first data at once. Real hub
// (alarms, dispatch, reports; no drivers), real Chromium; requests are held with page.route, so
// every assertion is about order, never about time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlarmsModule } from '../../hub/alarms/index.js';
import { loadConfig } from '../../hub/config/load.js';
import { silentLogger } from '../../hub/log.js';
import { createReportsModule } from '../../hub/reports/index.js';
import { createHub, type Hub } from '../../hub/server.js';
import { createDispatchModule, loadDispatchFile } from '../../hub/workorders/index.js';
import { REPO_ROOT, ensureConsoleBuilt, launchChromium } from './harness.js';

let hub: Hub;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  await ensureConsoleBuilt();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-console-lazy-'));
  const config = loadConfig(path.join(REPO_ROOT, 'config'));
  config.hub.dataDir = dataDir;
  const file = loadDispatchFile(path.join(REPO_ROOT, 'config'));
  file.notify = { ...file.notify, robots: [], push: undefined, smtp: undefined };
  const alarms = createAlarmsModule();
  const dispatch = createDispatchModule({ alarms: () => alarms.engine, file });
  const reports = createReportsModule({ alarms: () => alarms, dispatch: () => dispatch, tickMs: 0 });
  hub = await createHub(config, { drivers: [], modules: [alarms, dispatch, reports], listen: { host: '127.0.0.1', port: 0 }, log: silentLogger() });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

/** A page whose tab already holds a session of `user` (as after a sign-in and a reload). */
async function signedInPage(user: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const r = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: `${user}-demo` }) });
  expect(r.status).toBe(200);
  const session = JSON.stringify(await r.json());
  const context = await browser.newContext({ locale: 'en', viewport: { width: 390, height: 844 }, isMobile: true });
  await context.addInitScript(`sessionStorage.setItem('watchfloor.session', ${JSON.stringify(session)});`);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

/** Holds every request matching `pattern` until release() (then lets them through). */
async function hold(page: Page, pattern: RegExp) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let held = 0;
  await page.route(pattern, async (route) => {
    held++;
    await released;
    await route.continue();
  });
  return { release, held: () => held };
}

const pathsOf = (page: Page) => {
  const seen: string[] = [];
  page.on('request', (r) => seen.push(new URL(r.url()).pathname));
  return seen;
};

describe('console boot path and lazy views', () => {
  it('asks for the decision summary and the site while /api/auth/me is still out, and uses that answer', async () => {
    const { context, page, errors } = await signedInPage('leader');
    try {
      const seen = pathsOf(page);
      const me = await hold(page, /\/api\/auth\/me$/);
      await page.goto(`${hub.url}/#/decision`);
      // Serial boot would never send these while /me has no answer.
      await expect.poll(() => ['/api/reports/decision', '/api/site'].every((p) => seen.includes(p)), { timeout: 15_000 }).toBe(true);
      expect(me.held()).toBe(1);
      expect(seen.some((p) => p.startsWith('/socket.io'))).toBe(false);
      me.release();
      await page.locator('.dv[data-ready="1"] .dv-now').waitFor({ timeout: 15_000 });
      // The view took the early answer instead of asking again.
      expect(seen.filter((p) => p === '/api/reports/decision')).toHaveLength(1);
      // The live link still comes up, after the first frame.
      await expect.poll(() => seen.some((p) => p.startsWith('/socket.io')), { timeout: 15_000 }).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a leader opening / lands on the decision view, with its chunk and data asked for at boot', async () => {
    const { context, page, errors } = await signedInPage('leader');
    try {
      const seen = pathsOf(page);
      const me = await hold(page, /\/api\/auth\/me$/);
      await page.goto(`${hub.url}/`);
      await expect.poll(() => seen.includes('/api/reports/decision') && seen.some((p) => /\/assets\/decision-view-[^/]+\.js$/.test(p)), { timeout: 15_000 }).toBe(true);
      me.release();
      await page.locator('.dv[data-ready="1"] .dv-now').waitFor({ timeout: 15_000 });
      expect(new URL(page.url()).hash).toBe('#/decision');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a route left before its chunk arrives never mounts; the chunk then serves the next visit', async () => {
    const { context, page, errors } = await signedInPage('admin');
    try {
      await page.goto(`${hub.url}/#/decision`);
      await page.locator('.dv[data-ready="1"]').waitFor({ timeout: 15_000 });
      const chunk = await hold(page, /\/assets\/reports-view-[^/]+\.js$/);
      const chunkUrl = page.waitForRequest(/\/assets\/reports-view-[^/]+\.js$/);
      await page.evaluate(() => (location.hash = '#/reports'));
      const url = (await chunkUrl).url();
      expect(await page.locator('main.view .view-status').textContent()).toBe('Loading…');
      await page.evaluate(() => (location.hash = '#/decision'));
      await page.locator('.dv[data-ready="1"]').waitFor({ timeout: 15_000 });
      chunk.release();
      // Once the module has run and every promise callback after it (a macrotask later), the
      // placeholder's late mount would have happened.
      await page.evaluate(`import(${JSON.stringify(url)}).then(() => new Promise((r) => setTimeout(r, 0)))`);
      expect(await page.locator('main.view h1').allTextContents()).toEqual(['Decision view']);
      expect(await page.locator('main.view .dv').count()).toBe(1);
      // The next visit mounts in the hashchange handler itself (the app's listener runs first).
      const h1 = await page.evaluate(() => new Promise<string>((resolve) => {
        addEventListener('hashchange', () => resolve(document.querySelector('main.view h1')?.textContent ?? ''), { once: true });
        location.hash = '#/reports';
      }));
      expect(h1).toBe('Report archive');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a view whose chunk cannot be fetched says so instead of staying on "Loading…"', async () => {
    const { context, page } = await signedInPage('admin');
    try {
      await page.route(/\/assets\/sitemap-view-[^/]+\.js$/, (route) => route.abort());
      await page.goto(`${hub.url}/#/sitemap`);
      await expect.poll(() => page.locator('main.view .view-status').textContent(), { timeout: 15_000 }).toMatch(/^Could not load: /);
      // Reachable again: another visit asks for the chunk again.
      await page.unroute(/\/assets\/sitemap-view-[^/]+\.js$/);
      await page.evaluate(() => (location.hash = '#/decision'));
      await page.locator('.dv[data-ready="1"]').waitFor({ timeout: 15_000 });
      await page.evaluate(() => (location.hash = '#/sitemap'));
      await page.locator('main.view svg').first().waitFor({ timeout: 15_000 });
    } finally {
      await context.close();
    }
  });
});
