// Issue 13, measured in real Chromium against the console stack:
//  - desk 1366×768 (and the 1920 wall-size desk): the alarm list is one line per alarm. The
//    message column was squeezed by the action buttons and wrapped onto 3–4 lines (rows ~90 px);
//    now a long text ends in "…" with the whole of it in the cell's title, the TEST badge sits
//    beside the priority, and no badge or button is cut;
//  - phone 390×844: the schedules page does not scroll sideways (it did by 34 px: the desk's two
//    columns applied on the phone, a 0 px week grid beside the 22 rem side cards).
import { describe, expect, it } from 'vitest';
import { artifactPath, useStackAndBrowser } from './harness.js';
import { startConsoleStack } from './console-stack.js';

const WAIT = { timeout: 30_000 };

const suite = useStackAndBrowser(startConsoleStack, {
  webgl: false,
  setup(stack) {
    // Two critical leaks with long messages, one of them a drill (its row carries the TEST badge).
    stack.hub.registries.testMarks!.mark(['hq/a/b1/archive-b103/leak-1/leak'], 'drill-compact');
    stack.sim.set('modbus-gw-b1', stack.unitIdOf('archive-b103', 'leak-1'), 'leak', true);
    stack.sim.set('modbus-gw-b1', stack.unitIdOf('pump-b101', 'leak-1'), 'leak', true);
  },
});

interface Rows { n: number; median: number; problems: string[]; overflow: number }

const MEASURE_ROWS = `(() => {
  const trs = [...document.querySelectorAll('table.alarms tr.alarm')];
  const hs = trs.map((r) => r.getBoundingClientRect().height).sort((a, b) => a - b);
  const problems = [];
  const view = document.querySelector('.view');
  const table = document.querySelector('table.alarms').getBoundingClientRect();
  if (table.right > view.getBoundingClientRect().right + 0.5) problems.push('table ends at ' + Math.round(table.right) + ', past the view');
  for (const tr of trs) for (const td of tr.cells) {
    const c = td.getBoundingClientRect();
    for (const e of td.querySelectorAll('.prio-badge, .test-badge:not([hidden]), button, a')) {
      const r = e.getBoundingClientRect();
      if (r.width > 0 && (r.left < c.left - 0.5 || r.right > c.right + 0.5 || r.top < c.top - 0.5 || r.bottom > c.bottom + 0.5)) problems.push(e.className + ' cut in ' + td.className);
    }
    const text = td.innerText.trim();
    if (td.scrollWidth > td.clientWidth + 1 && text && !(td.title || '').includes(text.replace(/…$/, '').slice(0, 20))) problems.push('text of ' + td.className + ' cut without a title: ' + text.slice(0, 30));
  }
  const test = document.querySelector('tr.alarm.is-test .test-badge');
  const prio = document.querySelector('tr.alarm.is-test .prio-badge');
  if (!test || test.hidden) problems.push('no TEST badge');
  else if (Math.abs(test.getBoundingClientRect().top + test.getBoundingClientRect().height / 2 - (prio.getBoundingClientRect().top + prio.getBoundingClientRect().height / 2)) > 4) problems.push('TEST badge not beside the priority');
  return { n: hs.length, median: hs[hs.length >> 1] ?? 0, problems, overflow: document.documentElement.scrollWidth - innerWidth };
})()`;

describe('desk: one line per alarm', () => {
  for (const [locale, width, height] of [['en-US', 1366, 768], ['zh-CN', 1366, 768], ['en-US', 1920, 1080]] as const) {
    it(`${width}×${height} ${locale}: rows ≤ 40 px, long texts in titles, nothing cut`, async () => {
      await suite.withPage(locale, { width, height }, async (page) => {
        await suite.stack.signIn(page, 'admin', '#/alarms');
        await page.locator('table.alarms tr.alarm.is-test td').first().waitFor(WAIT);
        await page.locator('table.alarms tr.alarm:not(.is-test) td').first().waitFor(WAIT);
        await page.waitForTimeout(300);
        const m = (await page.evaluate(MEASURE_ROWS)) as Rows;
        // The row's full message is its title, whether or not it is cut right now.
        const titles = (await page.evaluate(`[...document.querySelectorAll('table.alarms tr.alarm td.alarm-message')].map((td) => td.title === td.textContent)`)) as boolean[];
        if (m.median > 40 || m.problems.length || m.overflow > 0) await page.screenshot({ path: artifactPath(`compact-alarms-${locale}-${width}.png`) });
        expect(m.n).toBe(2);
        expect(m.problems).toEqual([]);
        expect(m.overflow).toBeLessThanOrEqual(0);
        // Before: 85 and 108 px at 1366 (en), 68 px at 1920.
        expect(m.median).toBeLessThanOrEqual(40);
        expect(titles).toEqual([true, true]);
      });
    }, 90_000);
  }
});

describe('phone: the schedules page does not scroll sideways', () => {
  for (const locale of ['en-US', 'zh-CN']) {
    it(`390×844 ${locale}: one column, the week grid scrolls in its own box`, async () => {
      await suite.withPage(locale, { width: 390, height: 844 }, async (page) => {
        await suite.stack.signIn(page, 'admin', '#/control/schedules');
        await page.locator('.ctl-split .wg').waitFor(WAIT);
        await page.waitForTimeout(300);
        const m = (await page.evaluate(`(() => {
          const vw = document.documentElement.clientWidth;
          const view = document.querySelector('.view');
          const split = document.querySelector('.ctl-split');
          const gridBox = split.firstElementChild.getBoundingClientRect();
          const cards = split.lastElementChild.getBoundingClientRect();
          return { page: document.documentElement.scrollWidth - vw, view: view.scrollWidth - view.clientWidth, gridWidth: gridBox.width, cardsRight: cards.right - vw, cardsBelow: cards.top >= gridBox.bottom - 0.5 };
        })()`)) as { page: number; view: number; gridWidth: number; cardsRight: number; cardsBelow: boolean };
        if (m.view > 0 || m.page > 0) await page.screenshot({ path: artifactPath(`compact-schedules-phone-${locale}.png`) });
        expect(m.page).toBeLessThanOrEqual(0);
        expect(m.view).toBeLessThanOrEqual(0); // was 34 px (en)
        expect(m.gridWidth).toBeGreaterThan(300); // was 0 px
        expect(m.cardsRight).toBeLessThanOrEqual(0);
        expect(m.cardsBelow).toBe(true);
      });
    }, 90_000);
  }
});
