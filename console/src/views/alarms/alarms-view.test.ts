// The alarm view in real Chromium against the real hub: a new alarm appears live, a guard
// acknowledges it with a comment (journaled under the guard's name), and sees no supervisor
// actions; a supervisor shelves one with a duration and a reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalRow } from '../../../../contracts/alarms.js';
import { createAlarmsModule } from '../../../../hub/alarms/index.js';
import { compileRules } from '../../../../hub/alarms/rules.js';
import { alarmsFileSchema } from '../../../../hub/alarms/schema.js';
import { hashPassword } from '../../../../hub/auth/password.js';
import { silentLogger } from '../../../../hub/log.js';
import { createHub, type Hub } from '../../../../hub/server.js';
import { ScriptedDriver, testPointId, testSiteConfig } from '../../../../hub/test-support.js';
import { launchChromium } from '../../../../test/e2e/harness.js';

const WAIT = { timeout: 20_000 };
const T1 = testPointId(0, 1);
const T2 = testPointId(1, 1);
let hub: Hub;
let driver: ScriptedDriver;
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'wf-alarm-view-'));

beforeAll(async () => {
  const outDir = join(dir, 'www');
  await build({ configFile: false, root: fileURLToPath(new URL('./harness', import.meta.url)), base: '/', logLevel: 'warn', build: { outDir, emptyOutDir: true, target: 'es2022' } });
  const passwordHash = await hashPassword('pw', { N: 1024, r: 8, p: 1 });
  const config = testSiteConfig({ floors: 2, pointsPerFloor: 5, dataDir: dir, users: [{ username: 'guard', role: 'guard', passwordHash }, { username: 'boss', role: 'supervisor', passwordHash }] });
  const msg = { en: 'Hot: {value}', 'zh-CN': '过热：{value}' };
  const file = alarmsFileSchema.parse({ rules: [
    { id: 'hot-101', type: 'limit', point: T1, priority: 'critical', limits: { high: { value: 50 } }, message: msg },
    { id: 'hot-201', type: 'limit', point: T2, priority: 'low', limits: { high: { value: 50 } }, message: msg },
  ] });
  driver = new ScriptedDriver();
  const alarms = createAlarmsModule({ compiled: compileRules(file, new Map(config.points.map((p) => [p.info.id, p.info]))) });
  hub = await createHub(config, { drivers: [driver], modules: [alarms], log: silentLogger(), listen: { port: 0 }, consoleDir: outDir });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function open(user: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(`${hub.url}/?u=${user}&p=pw`);
  await page.waitForSelector('body[data-ready="1"] table.alarms', WAIT);
  return page;
}

describe('alarm view in Chromium', () => {
  it('shows a new alarm live; a guard acknowledges it with a comment', async () => {
    const page = await open('guard');
    driver.publish([{ pointId: T1, value: 61, quality: 'good', readTs: Date.now() }]);
    const row = page.locator('tr[data-alarm-id="hot-101.h"]');
    await row.and(page.locator('.s-unacknowledged')).waitFor(WAIT);
    expect(await row.locator('.alarm-message').textContent()).toBe('Hot: 61 °C');
    expect(await row.locator('.alarm-priority').textContent()).toBe('Critical');
    expect(await row.locator('.alarm-shelve').count()).toBe(0); // guards do not shelve
    page.once('dialog', (d) => void d.accept('checked on site'));
    await row.locator('.alarm-ack').click();
    await page.locator('tr[data-alarm-id="hot-101.h"].s-acknowledged').waitFor(WAIT);
    const session = await (await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'guard', password: 'pw' }) })).json() as { token: string };
    const journal = await (await fetch(`${hub.url}/api/alarms/journal?alarm=hot-101.h&kind=ack`, { headers: { authorization: `Bearer ${session.token}` } })).json() as JournalRow[];
    expect(journal.map((r) => [r.user, r.comment])).toEqual([['guard', 'checked on site']]);
    await page.close();
  }, 60_000);

  it('a supervisor shelves an alarm with a duration and a reason; it leaves the default list', async () => {
    driver.publish([{ pointId: T2, value: 70, quality: 'good', readTs: Date.now() }]);
    const page = await open('boss');
    const row = page.locator('tr[data-alarm-id="hot-201.h"]');
    await row.waitFor(WAIT);
    const answers = ['30', 'probe being replaced'];
    page.on('dialog', (d) => void d.accept(answers.shift()));
    await row.locator('.alarm-shelve').click();
    await row.waitFor({ state: 'detached', ...WAIT });
    await page.locator('input.alarms-hidden').check();
    await page.locator('tr[data-alarm-id="hot-201.h"].s-shelved').waitFor(WAIT);
    await page.close();
  }, 60_000);
});
