// End to end: real Chromium → built console → real hub → real Modbus driver → Modbus simulator.
// Screenshots go to test-artifacts/ for people to look at; nothing here compares pixels.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoundPoint } from '../../contracts/driver.js';
import { artifactPath, launchChromium, startDemoStack, type DemoStack } from './harness.js';
import { waitForExpression } from '../support/wait-for.js';

const FLOOR_KEY = 'hq/a/b1';
const GATEWAY = 'modbus-gw-b1';
const WAIT = { timeout: 20_000 };

let stack: DemoStack;
let browser: Browser;

/** The demo device behind a point: its Modbus unit id and the simulator field (last id segment). */
function simTarget(point: BoundPoint): { unitId: number; field: string } {
  // Device ids are unique per room only (every room has its `leak-1`): match the location too.
  const [, building, floor, room] = point.info.id.split('/');
  const device = stack.config.devices.find(
    (d) => d.id === point.device && d.location.building === building && d.location.floor === floor && d.location.room === room,
  );
  const unitId = (device?.options as { unitId?: number } | undefined)?.unitId;
  if (unitId === undefined) throw new Error(`no unitId for device ${point.device} of ${point.info.id}`);
  return { unitId, field: point.info.id.split('/').pop()! };
}

function findPoint(predicate: (p: BoundPoint) => boolean, what: string): BoundPoint {
  const found = stack.config.points.find((p) => p.connection === GATEWAY && p.info.id.startsWith(`${FLOOR_KEY}/`) && predicate(p));
  if (!found) throw new Error(`the demo config has no ${what} on ${FLOOR_KEY} behind ${GATEWAY}`);
  return found;
}

const row = (page: Page, pointId: string) => page.locator(`tr[data-point-id="${pointId}"]`);

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(stack.url);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('.login-card button[type=submit]').click();
  await page.locator('.shell').waitFor(WAIT);
}

beforeAll(async () => {
  stack = await startDemoStack();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

describe('console against the demo stack', () => {
  it('refuses a wrong password with the hub message, then shows live points to an operator and writes a light', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1600, height: 900 } });
    const page = await context.newPage();
    const leak = findPoint((p) => p.info.kind === 'binary' && /leak/i.test(`${p.info.brick} ${p.info.id}`), 'leak sensor');
    const { unitId, field } = simTarget(leak);
    try {
      await page.goto(stack.url);
      await page.locator('input[name=username]').fill('operator');
      await page.locator('input[name=password]').fill('definitely-wrong');
      await page.locator('.login-card button[type=submit]').click();
      const error = page.locator('.login-error');
      await error.filter({ hasText: /\S/ }).waitFor(WAIT);
      expect((await error.textContent())?.length).toBeGreaterThan(3);
      await page.screenshot({ path: artifactPath('console-login-error-en.png') });

      await page.locator('input[name=password]').fill('operator-demo');
      await page.locator('.login-card button[type=submit]').click();
      await page.locator('.shell').waitFor(WAIT);
      await page.locator('.link[data-link="live"]').waitFor(WAIT);

      // The site tree lists building A's floors, B1 among them.
      const floors = page.locator('[data-building="a"] .tree-floor');
      await floors.first().waitFor(WAIT);
      expect(await floors.count()).toBeGreaterThan(1);
      await page.locator(`.tree-floor[data-floor="${FLOOR_KEY}"]`).click();

      // The table fills with live values (the snapshot, then updates).
      const leakRow = row(page, leak.info.id);
      await leakRow.locator('td.value', { hasText: 'Dry' }).waitFor(WAIT);
      expect(await page.locator('table.points tbody tr[data-point-id]').count()).toBeGreaterThan(3);
      expect(await leakRow.getAttribute('class')).toBe('q-good');
      expect(await page.locator('th.c-control').count()).toBe(1);

      // A leak in the simulator reaches the table.
      stack.sim.set(GATEWAY, unitId, field, true);
      await leakRow.locator('td.value', { hasText: 'Leak' }).waitFor(WAIT);

      // Toggle a lighting circuit: the hub confirms by read-back and the UI says so.
      const light = findPoint((p) => p.info.kind === 'binary' && p.info.writable && /On_Off|light/i.test(`${p.info.brick} ${p.info.id}`), 'writable lighting coil');
      const lightRow = row(page, light.info.id);
      const before = (await lightRow.locator('td.value').textContent())?.trim();
      expect(before === 'On' || before === 'Off').toBe(true);
      await lightRow.locator('button[data-action="toggle"]').click();
      await lightRow.locator('.write-result.ok').waitFor(WAIT);
      expect(await lightRow.locator('.write-result').textContent()).toContain('Confirmed');
      await lightRow.locator('td.value', { hasText: before === 'On' ? 'Off' : 'On' }).waitFor(WAIT);
      await page.screenshot({ path: artifactPath('console-floor-live-en.png'), fullPage: true });

      // The gateway stops answering: its rows turn COMM FAIL, visibly not live.
      await stack.sim.gateway(GATEWAY).stop();
      await leakRow.locator('.badge', { hasText: 'COMM FAIL' }).waitFor({ timeout: 30_000 });
      expect(await leakRow.getAttribute('class')).toBe('q-comm-fail');
      // The hub reports the outage without a value; the console keeps the last one, struck through.
      expect(await leakRow.locator('td.value').textContent()).toBe('Leak');
      const struck = await leakRow.locator('td.value').evaluate((el) => getComputedStyle(el).textDecorationLine);
      expect(struck).toContain('line-through');
      // No command can reach a silent device: the light's toggle is locked, with the reason as its title.
      await lightRow.locator('button[data-action="toggle"][disabled]').waitFor(WAIT);
      await page.screenshot({ path: artifactPath('console-comm-fail-en.png'), fullPage: true });

      // Switching the language relabels headings and badges in place, and is remembered.
      await page.locator('.topbar select.lang').selectOption('zh-CN');
      await page.locator('h1.view-title', { hasText: '实时点位' }).waitFor(WAIT);
      await leakRow.locator('.badge', { hasText: '通信故障' }).waitFor(WAIT);
      expect(await page.locator('[data-action="logout"]').textContent()).toBe('退出登录');
      await page.screenshot({ path: artifactPath('console-comm-fail-zh.png'), fullPage: true });
      await page.reload();
      await page.locator('h1.view-title', { hasText: '实时点位' }).waitFor(WAIT);

      // Recovery: the gateway answers again and the row is good again.
      await stack.sim.gateway(GATEWAY).start();
      await leakRow.locator('.badge', { hasText: '正常' }).waitFor({ timeout: 30_000 });

      // The hub drops every socket: the console reconnects, re-subscribes, and live updates flow again.
      stack.hub.io.disconnectSockets();
      await page.locator('.link[data-link="live"]').waitFor(WAIT);
      stack.sim.set(GATEWAY, unitId, field, false);
      await leakRow.locator('td.value', { hasText: '无漏水' }).waitFor(WAIT);

      // A room narrows the table to that room's points.
      const leakRoom = leak.info.id.split('/')[3];
      await page.locator(`.tree-room[data-room="${leakRoom}"]`).click();
      await waitForExpression(page, 
        (room) => [...document.querySelectorAll<HTMLTableRowElement>('table.points tbody tr[data-point-id]')].every((tr) => tr.hidden === (tr.dataset.pointId!.split('/')[3] !== room)),
        leakRoom,
        WAIT,
      );
      expect(await leakRow.isVisible()).toBe(true);
      expect(await page.locator('tr.room-head:visible').count()).toBe(1);

      // Signing out returns to the login page, and a reload does not bring the session back.
      await page.locator('[data-action="logout"]').click();
      await page.locator('.login-card').waitFor(WAIT);
      await page.reload();
      await page.locator('.login-card').waitFor(WAIT);
    } finally {
      stack.sim.set(GATEWAY, unitId, field, false); // leave the shared simulator dry for the next test
      await context.close();
    }
  }, 120_000);

  it('shows no write controls to a viewer', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, 'viewer', 'viewer-demo');
      // Browser language zh-CN: the console starts in Chinese.
      await page.locator('h1.view-title', { hasText: '实时点位' }).waitFor(WAIT);
      await page.locator(`.tree-floor[data-floor="${FLOOR_KEY}"]`).click();
      await page.locator('table.points tbody tr').first().waitFor(WAIT);
      const light = findPoint((p) => p.info.kind === 'binary' && p.info.writable, 'writable binary point');
      await row(page, light.info.id).waitFor(WAIT);
      expect(await page.locator('.write-control').count()).toBe(0);
      expect(await page.locator('th.c-control').count()).toBe(0);
      await page.screenshot({ path: artifactPath('console-viewer-zh.png'), fullPage: true });
    } finally {
      await context.close();
    }
  }, 60_000);
});
