// Issue 13: a drill never passes for a real event. An alarm raised while a test run marked its
// point (hub/testruns marks points in the hub's TestMarks registry before it injects a fault; the
// alarm engine tags what they raise) carries a TEST/测试 badge in the alarm list, its detail, the
// journal and the wall's strip; a real alarm beside it carries none.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, launchChromium, withPage as withBrowserPage } from './harness.js';
import { startConsoleStack, type ConsoleStack } from './console-stack.js';
import { waitForExpression } from '../support/wait-for.js';

const WAIT = { timeout: 30_000 };
const REAL = 'leak-pump-b101';
const DRILL = 'leak-archive-b103';
let stack: ConsoleStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startConsoleStack();
  browser = await launchChromium({ webgl: true });
  // What a test run does before it injects a fault: mark the point as under test.
  stack.hub.registries.testMarks!.mark(['hq/a/b1/archive-b103/leak-1/leak'], 'drill-b103');
  stack.sim.set('modbus-gw-b1', stack.unitIdOf('archive-b103', 'leak-1'), 'leak', true);
  stack.sim.set('modbus-gw-b1', stack.unitIdOf('pump-b101', 'leak-1'), 'leak', true);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

const withPage = <T>(locale: string, viewport: { width: number; height: number }, f: (page: Page) => Promise<T>): Promise<T> => withBrowserPage(browser, locale, viewport, f);

/** The visible badge text inside `selector`, or '' when there is none (hidden counts as none). */
const badgeIn = (page: Page, selector: string): Promise<string> => page.evaluate(`(() => {
  const b = document.querySelector(${JSON.stringify(selector)} + ' .test-badge');
  if (!b) return '';
  const r = b.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(b).visibility !== 'hidden' ? b.textContent.trim() : '';
})()`) as Promise<string>;

const CASES = [
  { locale: 'en-US', badge: 'TEST', viewport: { width: 1366, height: 768 } },
  { locale: 'zh-CN', badge: '测试', viewport: { width: 390, height: 844 } },
];

describe('the TEST badge marks drills only', () => {
  for (const c of CASES) {
    it(`alarm list and detail, ${c.viewport.width}×${c.viewport.height} ${c.locale}`, async () => {
      await withPage(c.locale, c.viewport, async (page) => {
        await stack.signIn(page, 'admin', '#/alarms');
        await page.locator(`tr[data-alarm-id="${DRILL}"] td`).first().waitFor(WAIT);
        await page.locator(`tr[data-alarm-id="${REAL}"] td`).first().waitFor(WAIT);
        expect(await badgeIn(page, `tr[data-alarm-id="${DRILL}"]`)).toBe(c.badge);
        expect(await badgeIn(page, `tr[data-alarm-id="${REAL}"]`)).toBe('');
        // Its detail says so above the camera; the real alarm's does not.
        await page.locator(`tr[data-alarm-id="${DRILL}"] td.alarm-message`).click();
        await page.locator(`tr[data-thread-of="${DRILL}"] .alarm-detail`).waitFor(WAIT);
        expect(await badgeIn(page, `tr[data-thread-of="${DRILL}"] .alarm-detail-test`)).toBe(c.badge);
        await page.locator(`tr[data-alarm-id="${REAL}"] td.alarm-message`).click();
        await page.locator(`tr[data-thread-of="${REAL}"] .alarm-detail`).waitFor(WAIT);
        expect(await badgeIn(page, `tr[data-thread-of="${REAL}"]`)).toBe('');
        await page.screenshot({ path: artifactPath(`test-badge-list-${c.locale}-${c.viewport.width}.png`) });
      });
    }, 90_000);

    it(`journal, ${c.viewport.width}×${c.viewport.height} ${c.locale}`, async () => {
      await withPage(c.locale, c.viewport, async (page) => {
        await stack.signIn(page, 'admin', '#/alarms/journal');
        await page.locator(`tr.journal-row.k-activate[data-alarm-id="${DRILL}"]`).first().waitFor(WAIT);
        await page.locator(`tr.journal-row.k-activate[data-alarm-id="${REAL}"]`).first().waitFor(WAIT);
        expect(await badgeIn(page, `tr.journal-row.k-activate[data-alarm-id="${DRILL}"]`)).toBe(c.badge);
        expect(await badgeIn(page, `tr.journal-row[data-alarm-id="${REAL}"]`)).toBe('');
        // The engine's `[test: …]` comment prefix became the badge: it is not printed as text.
        const comment = await page.locator(`tr.journal-row.k-activate[data-alarm-id="${DRILL}"] td.j-comment`).first().textContent();
        expect(comment).not.toContain('[test:');
      });
    }, 90_000);
  }

  it('wall strip, 1920×1080 kiosk', async () => {
    await withPage('en-US', { width: 1920, height: 1080 }, async (page) => {
      await stack.signIn(page, 'admin', '#/alarms');
      await page.goto(`${stack.url}/#/wall/a?cycle=30`);
      await waitForExpression(page, `!!document.querySelector('.wall-strip li[data-alarm="${DRILL}"]') && !!document.querySelector('.wall-strip li[data-alarm="${REAL}"]')`, undefined, WAIT);
      await page.screenshot({ path: artifactPath('test-badge-wall.png') });
      expect(await badgeIn(page, `.wall-strip li[data-alarm="${DRILL}"]`)).toBe('TEST');
      expect(await badgeIn(page, `.wall-strip li[data-alarm="${REAL}"]`)).toBe('');
    });
  }, 90_000);
});
