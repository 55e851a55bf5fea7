// The console side of dispatch in real Chromium against a real hub with the alarm module: a
// supervisor opens an alarm's detail, sees its (empty) work-order panel and presses "Create work
// order"; the on-call electrician's top-bar bell counts the notification live, lists it, and a
// click opens the order (`#/workorders/<id>`). Screenshots (bell, alarm detail) at phone and desk
// sizes in en and zh-CN go to test-artifacts/workorders/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../contracts/api.js';
import { openSignedIn, signInAll } from './browser-support.js';
import type { ConsoleNotification, WorkOrder } from '../../contracts/workorders.js';
import { createAlarmsModule, type AlarmsModule } from '../alarms/index.js';
import { compileRules } from '../alarms/rules.js';
import { alarmsFileSchema } from '../alarms/schema.js';
import { hashPassword } from '../auth/password.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { ScriptedDriver, testPointId, testSiteConfig } from '../test-support.js';
import { createDispatchModule } from './index.js';
import { dispatchFileSchema } from './schema.js';
import { waitForExpression } from '../../test/support/wait-for.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = process.env.WO_SCREENS_DIR ?? join(ROOT, 'test-artifacts', 'workorders');
const PW = 'pw-for-tests';
const T1 = testPointId(0, 1);
const ALARM = 'lamp-101.h';
// The screenshot test's own alarm and order, so it needs nothing another test left behind.
const T2 = testPointId(1, 1);
const ALARM2 = 'lamp-201.h';
let hub: Hub;
let browser: Browser;
let dataDir: string;
let alarms: AlarmsModule;
let driver: ScriptedDriver;
const tokens: Record<string, SessionInfo> = {};

const get = async <T>(path: string, as: string) => (await (await fetch(hub.url + path, { headers: { authorization: `Bearer ${tokens[as].token}` } })).json()) as T;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wf-wo-alarm-browser-'));
  const consoleDir = process.env.WO_CONSOLE_DIR ?? join(dataDir, 'console');
  if (!existsSync(join(consoleDir, 'index.html'))) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', consoleDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  }
  mkdirSync(SHOTS, { recursive: true });
  const hash = await hashPassword(PW, { N: 1024, r: 8, p: 1 });
  const users = [['e1', 'maintainer'], ['sup', 'supervisor']] as const;
  const config = testSiteConfig({ floors: 2, pointsPerFloor: 2, dataDir, users: users.map(([username, role]) => ({ username, role, passwordHash: hash })) });
  const file = dispatchFileSchema.parse({
    people: [{ user: 'e1' }, { user: 'sup' }],
    trades: [{ id: 'electrical', areas: ['a'] }],
    roster: { entries: [{ trade: 'electrical', workday: ['e1'], weekend: ['e1'], holiday: ['e1'], night: ['e1'], supervisor: 'sup', manager: 'sup' }] },
    notify: { policies: [{ channels: ['console'] }] },
  });
  const compiled = compileRules(alarmsFileSchema.parse({
    rules: [
      { id: 'lamp-101', type: 'limit', point: T1, priority: 'high', limits: { high: { value: 50 } }, message: { en: 'Lamp circuit fault {value}', 'zh-CN': '灯具回路故障 {value}' } },
      { id: 'lamp-201', type: 'limit', point: T2, priority: 'high', limits: { high: { value: 50 } }, message: { en: 'Lamp circuit fault {value}', 'zh-CN': '灯具回路故障 {value}' } },
    ],
  }), new Map(config.points.map((p) => [p.info.id, p.info])));
  driver = new ScriptedDriver();
  alarms = createAlarmsModule({ compiled, tickMs: 0, pushWindowMs: 20 });
  const dispatch = createDispatchModule({ alarms: () => alarms.engine, file, tickMs: 0 });
  hub = await createHub(config, { drivers: [driver], modules: [alarms, dispatch], log: silentLogger(), listen: { port: 0 }, consoleDir });
  Object.assign(tokens, await signInAll(hub.url, users.map(([u]) => u), PW));
  driver.publish([{ pointId: T1, value: 70, quality: 'good', readTs: Date.now() }, { pointId: T2, value: 80, quality: 'good', readTs: Date.now() }]);
  alarms.tick();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const pageAs = (user: string, locale: 'en' | 'zh-CN', viewport: { width: number; height: number }) => openSignedIn(browser, tokens[user], user, locale, viewport);

describe('work orders in the alarm detail and the bell', () => {
  it('supervisor creates an order from the alarm detail; the electrician\'s bell counts it live and opens it', async () => {
    expect((await get<WorkOrder[]>(`/api/alarms/${ALARM}/workorders`, 'sup'))).toEqual([]);
    // The electrician's phone is open first: the bell is quiet.
    const phone = await pageAs('e1', 'en', { width: 390, height: 844 });
    await phone.page.goto(`${hub.url}/#/workorders`);
    const bell = phone.page.locator('.bell-holder');
    await bell.waitFor();
    await phone.page.locator('.link-live').waitFor({ state: 'attached' });
    // Unread so far (another test may have notified e1 before this one; this browser context has seen none).
    const before = Number(await bell.getAttribute('data-unread'));
    expect(Number.isInteger(before)).toBe(true);

    // The supervisor opens the alarm's detail at the desk: no order yet, so the button is offered.
    const desk = await pageAs('sup', 'en', { width: 1366, height: 768 });
    await desk.page.goto(`${hub.url}/#/alarms`);
    await desk.page.locator(`tr[data-alarm-id="${ALARM}"]`).locator('.alarm-notes').click();
    const panel = desk.page.locator(`[data-workorders-for="${ALARM}"]`);
    await panel.locator('.alarm-wo-none').waitFor();
    await desk.page.screenshot({ path: join(SHOTS, 'alarm-detail-desk-en-before.png') });
    await panel.getByRole('button', { name: 'Create work order' }).click();
    const item = panel.locator('.alarm-wo-item');
    await item.waitFor();
    const orders = await get<WorkOrder[]>(`/api/alarms/${ALARM}/workorders`, 'sup');
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ alarmId: ALARM, assignee: 'e1', source: 'alarm' });
    expect(await item.locator('a').getAttribute('href')).toBe(`#/workorders/${orders[0].id}`);
    expect(await item.locator('.alarm-wo-state').textContent()).toBe('Assigned');
    // An open order: no second "create" (the hub would only reuse this one).
    expect(await panel.locator('.alarm-wo-create').isHidden()).toBe(true);

    // The bell counted it live, without a reload.
    await waitForExpression(phone.page, `document.querySelector('.bell-holder')?.dataset.unread === '${before + 1}'`);
    expect(await phone.page.locator('.bell-count').textContent()).toBe(String(before + 1));
    const inbox = await get<ConsoleNotification[]>('/api/notify/inbox', 'e1');
    expect(inbox[0].link).toBe(`#/workorders/${orders[0].id}`);
    await phone.page.locator('button.bell').click();
    const entry = phone.page.locator(`a[data-notification="${inbox[0].id}"]`);
    await entry.waitFor();
    expect(await phone.page.locator('.bell-holder').getAttribute('data-unread')).toBe('0');
    await entry.click();
    await waitForExpression(phone.page, `location.hash === '#/workorders/${orders[0].id}'`);
    await phone.page.getByRole('button', { name: 'Accept' }).waitFor();
    expect(await phone.page.locator('.bell-panel').isHidden()).toBe(true);
    // Seen stays seen after a reload (the bell remembers the last seen id per user).
    await phone.page.reload();
    await phone.page.locator('.link-live').waitFor({ state: 'attached' });
    await phone.page.waitForTimeout(300);
    expect(await phone.page.locator('.bell-holder').getAttribute('data-unread')).toBe('0');
    await phone.context.close();
    await desk.context.close();
  }, 120_000);

  it('screenshots: the bell open and the alarm detail at phone and desk sizes, en and zh-CN', async () => {
    const res = await fetch(`${hub.url}/api/workorders/from-alarm/${ALARM2}`, { method: 'POST', headers: { authorization: `Bearer ${tokens.sup.token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(201);
    const sizes = { phone: { width: 390, height: 844 }, desk: { width: 1366, height: 768 } };
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const [name, viewport] of Object.entries(sizes)) {
        const e1 = await pageAs('e1', locale, viewport);
        await e1.page.goto(`${hub.url}/#/workorders`);
        await e1.page.locator('.bell-holder').waitFor();
        await e1.page.locator('button.bell').click();
        await e1.page.locator('.bell-item').first().waitFor();
        const overflow = Number(await e1.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
        expect(overflow, `bell ${name} ${locale} overflows`).toBeLessThanOrEqual(0);
        await e1.page.screenshot({ path: join(SHOTS, `bell-${name}-${locale}.png`) });
        await e1.context.close();

        const sup = await pageAs('sup', locale, viewport);
        await sup.page.goto(`${hub.url}/#/alarms`);
        await sup.page.locator(`tr[data-alarm-id="${ALARM2}"]`).locator('.alarm-notes').click();
        await sup.page.locator(`[data-workorders-for="${ALARM2}"] .alarm-wo-item`).waitFor();
        await sup.page.locator(`[data-workorders-for="${ALARM2}"]`).scrollIntoViewIfNeeded();
        await sup.page.waitForTimeout(200);
        await sup.page.screenshot({ path: join(SHOTS, `alarm-detail-${name}-${locale}.png`) });
        await sup.context.close();
      }
    }
  }, 180_000);
});
