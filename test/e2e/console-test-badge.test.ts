// Issue 13: a drill never passes for a real event. An alarm raised while a test run marked its
// point (hub/testruns marks points in the hub's TestMarks registry before it injects a fault; the
// alarm engine tags what they raise) carries a TEST/测试 badge in the alarm list, its detail, the
// journal, the top bar's banner, and the wall's strip and side list; a real alarm beside it carries none.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactPath, useStackAndBrowser } from './harness.js';
import { startConsoleStack } from './console-stack.js';
import { waitForExpression } from '../support/wait-for.js';

const WAIT = { timeout: 30_000 };
const REAL = 'leak-pump-b101';
const DRILL = 'leak-archive-b103';

const suite = useStackAndBrowser(startConsoleStack, {
  webgl: true,
  setup(stack) {
    // What a test run does before it injects a fault: mark the point as under test.
    stack.hub.registries.testMarks!.mark(['hq/a/b1/archive-b103/leak-1/leak'], 'drill-b103');
    stack.sim.set('modbus-gw-b1', stack.unitIdOf('archive-b103', 'leak-1'), 'leak', true);
    stack.sim.set('modbus-gw-b1', stack.unitIdOf('pump-b101', 'leak-1'), 'leak', true);
  },
});

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
      await suite.withPage(c.locale, c.viewport, async (page) => {
        await suite.stack.signIn(page, 'admin', '#/alarms');
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
      await suite.withPage(c.locale, c.viewport, async (page) => {
        await suite.stack.signIn(page, 'admin', '#/alarms/journal');
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
    await suite.withPage('en-US', { width: 1920, height: 1080 }, async (page) => {
      await suite.stack.signIn(page, 'admin', '#/alarms');
      await page.goto(`${suite.stack.url}/#/wall/a?cycle=30`);
      await waitForExpression(page, `!!document.querySelector('.wall-strip li[data-alarm="${DRILL}"]') && !!document.querySelector('.wall-strip li[data-alarm="${REAL}"]')`, undefined, WAIT);
      await page.screenshot({ path: artifactPath('test-badge-wall.png') });
      expect(await badgeIn(page, `.wall-strip li[data-alarm="${DRILL}"]`)).toBe('TEST');
      expect(await badgeIn(page, `.wall-strip li[data-alarm="${REAL}"]`)).toBe('');
      // The side list (newest alarms under the counters), at the kiosk's minimum text size or more.
      await waitForExpression(page, `!!document.querySelector('.wall-alarm-list li[data-alarm="${DRILL}"]')`, undefined, WAIT);
      expect(await badgeIn(page, `.wall-alarm-list li[data-alarm="${DRILL}"]`)).toBe('TEST');
      expect(await badgeIn(page, `.wall-alarm-list li[data-alarm="${REAL}"]`)).toBe('');
      const sizes = (await page.evaluate(`[parseFloat(getComputedStyle(document.querySelector('.wall-alarm-list .test-badge')).fontSize), parseFloat(getComputedStyle(document.documentElement).fontSize)]`)) as [number, number];
      expect(sizes[0]).toBeGreaterThanOrEqual(sizes[1]);
    });
  }, 90_000);

  // The banner names the newest critical alarm waiting: marked when it is a drill, not when real.
  for (const c of CASES) {
    it(`top bar banner, ${c.viewport.width}×${c.viewport.height} ${c.locale}`, async () => {
      await suite.withPage(c.locale, c.viewport, async (page) => {
        await suite.stack.signIn(page, 'admin', '#/alarms');
        await page.locator(`tr[data-alarm-id="${REAL}"] td`).first().waitFor(WAIT);
        const shown = () => page.evaluate(`document.querySelector('.banner-message').textContent`) as Promise<string>;
        const messageOf = (id: string) => page.evaluate(`document.querySelector('tr[data-alarm-id="${id}"] td.alarm-message').title`) as Promise<string>;
        // Whichever alarm the banner names now: the badge shows exactly when its row is a drill's.
        const before = await shown();
        const isDrill = (await page.evaluate(`[...document.querySelectorAll('tr.alarm')].find((tr) => ${JSON.stringify(before)}.includes(tr.querySelector('td.alarm-message').title))?.classList.contains('is-test')`)) as boolean | undefined;
        expect(isDrill).toBeDefined();
        expect(await badgeIn(page, '.alarm-banner')).toBe(isDrill ? c.badge : '');
        // A newer critical drill (archive 303) takes the banner, with the badge.
        suite.stack.hub.registries.testMarks!.mark(['hq/a/l03/archive-303/leak-1/leak'], 'drill-303');
        suite.stack.sim.set('modbus-gw-l03', suite.stack.unitIdOf('archive-303', 'leak-1'), 'leak', true);
        await page.locator('tr[data-alarm-id="leak-archive-303"] td').first().waitFor(WAIT);
        const drill303 = await messageOf('leak-archive-303');
        await waitForExpression(page, `document.querySelector('.banner-message').textContent.includes(${JSON.stringify(drill303)})`, undefined, WAIT);
        expect(await badgeIn(page, '.alarm-banner')).toBe(c.badge);
        // The badge is inside the top bar, not pushed out of it.
        const inBar = (await page.evaluate(`(() => { const b = document.querySelector('.alarm-banner .test-badge').getBoundingClientRect(); return b.left >= 0 && b.right <= innerWidth; })()`)) as boolean;
        expect(inBar).toBe(true);
        await page.screenshot({ path: artifactPath(`test-badge-banner-${c.locale}-${c.viewport.width}.png`) });
      });
    }, 90_000);
  }
});
