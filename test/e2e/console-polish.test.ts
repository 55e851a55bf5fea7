// Issue 13 layout gaps, measured in real Chromium against the console stack:
//  - phone 390×844: an opened alarm's detail (camera, notes, work orders) fits its card: nothing
//    in it reaches past the screen's right edge and neither the page nor the view scrolls sideways;
//  - kiosk wall 1920×1080: the plan fills the height under the top bar, every label is wholly
//    inside the picture (the floor name was clipped to "nt 1") and no label covers another (the
//    alarm label sat over its neighbours' room names).
import { describe, expect, it } from 'vitest';
import { artifactPath, useStackAndBrowser } from './harness.js';
import { startConsoleStack } from './console-stack.js';
import { waitForExpression } from '../support/wait-for.js';

const WAIT = { timeout: 30_000 };

const suite = useStackAndBrowser(startConsoleStack, {
  webgl: true,
  setup(stack) {
    // A critical leak in the B1 pump room: an alarm to open on the phone and to label on the wall.
    stack.sim.set('modbus-gw-b1', stack.unitIdOf('pump-b101', 'leak-1'), 'leak', true);
  },
});

describe('phone: the alarm detail fits the screen', () => {
  for (const locale of ['en-US', 'zh-CN']) {
    it(`390×844 ${locale}: camera, notes and work orders inside the card, no sideways scroll`, async () => {
      await suite.withPage(locale, { width: 390, height: 844 }, async (page) => {
        await suite.stack.signIn(page, 'admin', '#/alarms');
        await page.locator('tr[data-alarm-id] td').first().waitFor(WAIT);
        await page.locator('tr[data-alarm-id] td').first().click();
        await page.locator('.alarm-detail').waitFor(WAIT);
        // The camera panel and the thread load after the click: measure once they have drawn.
        await page.locator('.alarm-detail .thread-form').waitFor(WAIT);
        await page.waitForTimeout(1000);
        const m = (await page.evaluate(`(() => {
          const vw = document.documentElement.clientWidth;
          const view = document.querySelector('.view');
          const wide = [...document.querySelectorAll('.alarm-detail, .alarm-detail *')]
            .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > vw + 0.5; })
            .map((e) => e.tagName + '.' + e.className + ' right ' + Math.round(e.getBoundingClientRect().right));
          return { page: document.documentElement.scrollWidth - vw, view: view.scrollWidth - view.clientWidth, wide };
        })()`)) as { page: number; view: number; wide: string[] };
        if (m.wide.length || m.page > 0 || m.view > 0) await page.screenshot({ path: artifactPath(`polish-phone-detail-${locale}.png`) });
        expect(m.wide).toEqual([]);
        expect(m.page).toBeLessThanOrEqual(0);
        expect(m.view).toBeLessThanOrEqual(0);
      });
    }, 90_000);
  }
});

describe('kiosk wall: the plan fills the screen, labels inside and uncovered', () => {
  for (const locale of ['en-US', 'zh-CN']) {
    it(`1920×1080 ${locale}`, async () => {
      await suite.withPage(locale, { width: 1920, height: 1080 }, async (page) => {
        await suite.stack.signIn(page, 'admin', '#/alarms');
        await page.goto(`${suite.stack.url}/#/wall/a?cycle=30`);
        await page.locator('.shell.kiosk .scene-canvas').waitFor(WAIT);
        // The tour holds on B1 (the waiting leak): its alarm label, its floor name and room names are placed.
        await waitForExpression(page, `(() => {
          const a = document.querySelector('.scene-label.alarm');
          return a && a.style.transform && document.querySelector('.scene-label.floor-label') && document.querySelector('.scene-label.room-name');
        })()`, undefined, WAIT);
        await page.waitForTimeout(800);
        const m = (await page.evaluate(`(() => {
          const top = document.querySelector('.topbar').getBoundingClientRect().bottom;
          const canvas = document.querySelector('.scene-canvas').getBoundingClientRect();
          const stage = document.querySelector('.wall-stage').getBoundingClientRect();
          const shown = [...document.querySelectorAll('.scene-label')].filter((e) => getComputedStyle(e).display !== 'none' && getComputedStyle(e).visibility !== 'hidden');
          const boxes = shown.map((e) => ({ text: e.textContent, cls: e.className, r: e.getBoundingClientRect() }));
          const outside = boxes.filter((b) => b.r.left < stage.left - 0.5 || b.r.right > stage.right + 0.5 || b.r.top < stage.top - 0.5 || b.r.bottom > stage.bottom + 0.5).map((b) => b.text);
          const covered = [];
          for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i].r, b = boxes[j].r;
            if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) covered.push(boxes[i].text + ' / ' + boxes[j].text);
          }
          const floorShown = boxes.some((b) => b.cls.includes('floor-label'));
          const alarmShown = boxes.some((b) => b.cls.includes('alarm'));
          return { heightShare: canvas.height / (innerHeight - top), outside, covered, floorShown, alarmShown };
        })()`)) as { heightShare: number; outside: string[]; covered: string[]; floorShown: boolean; alarmShown: boolean };
        await page.screenshot({ path: artifactPath(`polish-kiosk-${locale}.png`) });
        expect(m.alarmShown).toBe(true);
        expect(m.floorShown).toBe(true);
        expect(m.outside).toEqual([]);
        expect(m.covered).toEqual([]);
        expect(m.heightShare).toBeGreaterThan(0.95);
      });
    }, 90_000);
  }
});

describe('desk 1366×768: the control tables are dense like the points table', () => {
  it('lighting and energy tables: ~28 px rows, sticky headers', async () => {
    await suite.withPage('en-US', { width: 1366, height: 768 }, async (page) => {
      await suite.stack.signIn(page, 'admin', '#/alarms');
      const tall: string[] = [];
      for (const hash of ['#/control/lighting', '#/control/energy']) {
        await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
        await page.locator('table.ctl-table tbody tr').first().waitFor(WAIT);
        await page.waitForTimeout(800);
        const tables = (await page.evaluate(`[...document.querySelectorAll('.view table.ctl-table')].map((t) => {
          const hs = [...t.querySelectorAll('tbody tr')].map((r) => r.getBoundingClientRect().height).filter((h) => h > 0).sort((a, b) => a - b);
          const th = t.querySelector('thead th');
          return { median: hs[hs.length >> 1] ?? 0, sticky: th ? getComputedStyle(th).position : 'none' };
        })`)) as Array<{ median: number; sticky: string }>;
        expect(tables.length).toBeGreaterThan(0);
        tables.forEach((t, i) => { if (t.median > 34 || (t.sticky !== 'sticky' && t.sticky !== 'none')) tall.push(`${hash} table ${i}: ${t.median} px, header ${t.sticky}`); });
      }
      if (tall.length) await page.screenshot({ path: artifactPath('polish-desk-tables.png') });
      expect(tall).toEqual([]);
    });
  }, 90_000);
});

describe('desk 1366×768: the schedule preview and the alarm journal are dense too', () => {
  // Rows were ~50 px (preview: zone names and setpoint lists on two lines) and ~76 px (journal:
  // floor and alarm id under each name). One line each now; a cut text ends in "…" and keeps the
  // whole of it in the cell's title, and no badge or button is cut.
  const measure = (rows: string, table: string) => `(() => {
    const trs = [...document.querySelectorAll(${JSON.stringify(rows)})];
    const hs = trs.map((r) => r.getBoundingClientRect().height).filter((h) => h > 0).sort((a, b) => a - b);
    const th = document.querySelector(${JSON.stringify(table)} + ' thead th');
    const clipped = [];
    for (const tr of trs) for (const td of tr.cells) {
      const c = td.getBoundingClientRect();
      for (const e of td.querySelectorAll('.prio-badge, .test-badge, button, a, .pv-bar')) {
        const r = e.getBoundingClientRect();
        if (r.width > 0 && (r.left < c.left - 0.5 || r.right > c.right + 0.5 || r.top < c.top - 0.5 || r.bottom > c.bottom + 0.5)) clipped.push(e.className + ' in ' + td.className);
      }
      const text = td.innerText.trim();
      if (td.scrollWidth > td.clientWidth + 1 && text && !(td.title || '').includes(text.slice(0, 20))) clipped.push('text of ' + td.className + ': ' + text.slice(0, 30));
    }
    return { n: hs.length, median: hs[hs.length >> 1] ?? 0, sticky: th ? getComputedStyle(th).position : 'none', clipped, overflow: document.documentElement.scrollWidth - innerWidth };
  })()`;
  type Density = { n: number; median: number; sticky: string; clipped: string[]; overflow: number };

  for (const locale of ['en-US', 'zh-CN']) {
    it(`${locale}: ~28–34 px rows, sticky headers, nothing cut`, async () => {
      await suite.withPage(locale, { width: 1366, height: 768 }, async (page) => {
        await suite.stack.signIn(page, 'admin', '#/alarms/journal');
        await page.locator('table.journal tbody tr.journal-row').first().waitFor(WAIT);
        await page.waitForTimeout(500);
        const journal = (await page.evaluate(measure('table.journal tbody tr.journal-row', 'table.journal'))) as Density;

        await page.evaluate(`location.hash = '#/control/schedules'`);
        await page.locator('[data-testid=preview] [data-action="preview"]').click();
        await page.locator('[data-testid=preview] tbody tr').first().waitFor(WAIT);
        await page.locator('[data-testid=preview] table').scrollIntoViewIfNeeded();
        await page.waitForTimeout(300);
        const preview = (await page.evaluate(measure('[data-testid=preview] tbody tr', '[data-testid=preview] table'))) as Density;

        const problems: string[] = [];
        for (const [name, d] of [['journal', journal], ['schedule preview', preview]] as const) {
          if (d.n === 0) problems.push(`${name}: no rows`);
          if (d.median > 34) problems.push(`${name}: rows ${d.median} px`);
          if (d.sticky !== 'sticky') problems.push(`${name}: header ${d.sticky}`);
          if (d.overflow > 0) problems.push(`${name}: page ${d.overflow} px too wide`);
          problems.push(...d.clipped.map((c) => `${name}: ${c}`));
        }
        if (problems.length) await page.screenshot({ path: artifactPath(`polish-desk-journal-preview-${locale}.png`) });
        expect(problems).toEqual([]);
      });
    }, 90_000);
  }
});
