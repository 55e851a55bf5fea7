// End to end: real Chromium → built console → real hub with the control and broadcast modules →
// real drivers (Modbus, OPC UA HVAC) → simulators, and the PA simulator receiving RTP from ffmpeg.
// Screenshots go to test-artifacts/ for people to look at; nothing here compares pixels.
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBroadcastModule, loadBroadcastFile } from '../../hub/broadcast/index.js';
import { createControlModule } from '../../hub/control/index.js';
import { createHistoryModule } from '../../hub/history/module.js';
import { historySettingsSchema } from '../../hub/history/settings.js';
import { startPaSimulator, type PaSimulator } from '../../simulators/pa/index.js';
import { REPO_ROOT, artifactPath, launchChromium, startDemoStack, type DemoStack } from './harness.js';

const WAIT = { timeout: 20_000 };
/** A Saturday without a holiday or make-up day in the demo calendar. */
const SATURDAY = '2026-03-21';
const LIGHT = 'hq/a/b1/weak-b104/lighting-b1/corridor';

let stack: DemoStack;
let browser: Browser;
let pa: PaSimulator;

async function signIn(page: Page, username: string, hash = ''): Promise<void> {
  await page.goto(`${stack.url}/${hash}`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(`${username}-demo`);
  await page.locator('.login-card button[type=submit]').click();
  await page.locator('.shell').waitFor(WAIT);
}

async function api<T>(username: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const login = await fetch(`${stack.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: `${username}-demo` }) });
  const { token } = (await login.json()) as { token: string };
  const res = await fetch(`${stack.url}${url}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: (await res.json()) as T };
}

/** Drags with real pointer events from one point to another, in steps. */
async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await page.mouse.up();
}

/** Screen y of a time of day in a week-grid column. */
async function yOf(page: Page, column: string, hhmm: string): Promise<{ x: number; y: number }> {
  const box = (await page.locator(`.wg-col[data-col="${column}"]`).boundingBox())!;
  const [h, m] = hhmm.split(':').map(Number);
  return { x: box.x + box.width / 2, y: box.y + ((h * 60 + m) / 1440) * box.height };
}

beforeAll(async () => {
  const file = loadBroadcastFile(path.join(REPO_ROOT, 'config', 'broadcast.yaml'));
  if (!file) throw new Error('config/broadcast.yaml is missing');
  pa = await startPaSimulator({ zones: file.zones.map((z) => ({ id: z.id })) });
  // The hub streams to the simulator's ephemeral ports, never the fixed demo ones.
  for (const z of file.zones) z.endpoint = { host: '127.0.0.1', port: pa.ports[z.id] };
  // The embedded history store: energy series and comparisons without an influxd per test run.
  const history = createHistoryModule({ settings: historySettingsSchema.parse({ backend: 'embedded' }) });
  stack = await startDemoStack({ hvac: true, modules: [history, createControlModule({ history: () => history.store() }), createBroadcastModule({ file })] });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await pa?.stop();
}, 60_000);

describe('control console', () => {
  it('lets an energy officer drag periods, preview a day, save a new version, see refusals beside the period and a conflict', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1600, height: 1100 } });
    const page = await context.newPage();
    try {
      await signIn(page, 'energy', '#/control/schedules');
      const version = page.locator('[data-testid=schedule-version]');
      await version.waitFor(WAIT);
      const before = Number(await version.getAttribute('data-version'));
      await page.locator('.wg.editable .wg-col[data-col="mon"] .wg-period').first().waitFor(WAIT);

      // Resize Monday's first period (08:00–12:00) by its bottom edge to 11:00.
      const monFirst = page.locator('.wg-period[data-list="mon"][data-index="0"]');
      expect(await monFirst.getAttribute('data-end')).toBe('12:00');
      const handle = (await monFirst.locator('.wg-handle.bottom').boundingBox())!;
      await drag(page, { x: handle.x + handle.width / 2, y: handle.y + handle.height / 2 }, await yOf(page, 'mon', '11:00'));
      await page.locator('.wg-period[data-list="mon"][data-index="0"][data-end="11:00"]').waitFor(WAIT);

      // Create a Saturday period 09:00–11:00 by dragging on empty time.
      expect(await page.locator('.wg-period[data-list="sat"]').count()).toBe(0);
      await drag(page, await yOf(page, 'sat', '09:00'), await yOf(page, 'sat', '11:00'));
      const sat = page.locator('.wg-period[data-list="sat"][data-index="0"]');
      await sat.waitFor(WAIT);
      expect([await sat.getAttribute('data-start'), await sat.getAttribute('data-end')]).toEqual(['09:00', '11:00']);
      // Selecting it opens the editor; switch it to standby there.
      await sat.click();
      await page.locator('[data-field="period-mode"]').selectOption('standby');
      await page.locator('.wg-period.mode-standby[data-list="sat"]').waitFor(WAIT);
      await page.locator('.ctl-split').screenshot({ path: artifactPath('control-schedules-grid-en.png') });

      // Preview the Saturday before saving: the office zones are in standby 09:00–11:00 at 26 °C.
      await page.locator('[data-field="preview-date"]').fill(SATURDAY);
      await page.locator('[data-action="preview"]').click();
      const zoneRow = page.locator('[data-testid=preview] tr[data-zone="office-201"]');
      await zoneRow.waitFor(WAIT);
      expect(await zoneRow.locator('.pv-list').textContent()).toContain('09:00–11:00 Standby 26.0 °C');
      expect(Number(await version.getAttribute('data-version'))).toBe(before); // nothing saved yet
      await page.screenshot({ path: artifactPath('control-schedules-preview-en.png'), fullPage: true });

      await page.locator('[data-field="comment"]').fill('Saturday standby for the archive team');
      await page.locator('[data-action="save"]').click();
      await page.locator(`[data-testid=schedule-version][data-version="${before + 1}"]`).waitFor(WAIT);
      expect(await page.locator('[data-testid=schedule-status]').textContent()).toContain(`version ${before + 1}`);
      await page.locator(`[data-testid=versions] tr[data-version="${before + 1}"]`).filter({ hasText: 'energy' }).waitFor(WAIT);
      const saved = await api<{ version: number; user: string; doc: { schedules: Array<{ id: string; week: Record<string, Array<{ start: string; end: string; mode: string }>> }> } }>('energy', 'GET', '/api/control/schedules');
      const office = saved.body.doc.schedules.find((s) => s.id === 'office-hours')!;
      expect(saved.body.version).toBe(before + 1);
      expect(saved.body.user).toBe('energy');
      expect(office.week.mon[0]).toEqual({ start: '08:00', end: '11:00', mode: 'occupied' });
      expect(office.week.sat).toEqual([{ start: '09:00', end: '11:00', mode: 'standby' }]);

      // A one-off exception from the calendar: the Saturday meeting shows on the calendar and in the preview.
      await page.locator('[data-field="exception-date"]').fill('2026-03-28');
      await page.locator('[data-field="exception-note"]').fill('Open day');
      await page.locator('[data-testid=add-exception] button[type=submit]').click();
      await page.locator('[data-testid=calendar] tr[data-exception="2026-03-28"]').waitFor(WAIT);
      await page.locator('[data-field="preview-date"]').fill('2026-03-28');
      await page.locator('[data-action="preview"]').click();
      await page.locator('[data-testid=preview-day]').filter({ hasText: 'one-off exception' }).waitFor(WAIT);
      expect(await zoneRow.locator('.pv-list').textContent()).toContain('08:30–12:00 Occupied 24.0 °C');

      // An inverted period typed into the editor: the hub's refusal is shown on that period.
      await page.locator('.wg-period[data-list="tue"][data-index="0"]').click();
      await page.locator('[data-field="period-end"]').fill('07:00');
      await page.locator('[data-field="period-end"]').press('Tab');
      await page.locator('[data-action="save"]').click();
      const problem = page.locator('.wg-period[data-list="tue"][data-index="0"] [data-problem]');
      await problem.waitFor(WAIT);
      expect(await problem.textContent()).toContain('ends before it starts');
      await page.locator('.ctl-split').screenshot({ path: artifactPath('control-schedules-refused-en.png') });

      // Someone else saves meanwhile: our save gets the conflict and Reload shows their version.
      const other = await api<{ version: number }>('admin', 'PUT', '/api/control/schedules', { doc: saved.body.doc, expectedVersion: before + 1, comment: 'admin edit' });
      expect(other.status).toBe(200);
      await page.locator('[data-field="period-end"]').fill('12:00');
      await page.locator('[data-field="period-end"]').press('Tab');
      await page.locator('[data-action="save"]').click();
      await page.locator('[data-testid=conflict]').waitFor(WAIT);
      await page.screenshot({ path: artifactPath('control-schedules-conflict-en.png'), fullPage: true });
      await page.locator('[data-action="reload"]').click();
      await page.locator(`[data-testid=schedule-version][data-version="${other.body.version}"]`).waitFor(WAIT);
      expect(await page.locator('[data-testid=conflict]').count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('shows a viewer the grid read-only, without the public-address tab', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    try {
      await signIn(page, 'viewer', '#/control/schedules');
      await page.locator('[data-testid=read-only]').waitFor(WAIT);
      await page.locator('.wg .wg-col[data-col="mon"] .wg-period').first().waitFor(WAIT);
      expect(await page.locator('.wg.editable').count()).toBe(0);
      expect(await page.locator('[data-action="save"]').count()).toBe(0);
      expect(await page.locator('.wg-handle').count()).toBe(0);
      expect(await page.locator('.ctl-tab[data-tab="broadcast"]').count()).toBe(0);
      // A drag on empty time creates nothing.
      const periods = await page.locator('.wg-period').count();
      await drag(page, await yOf(page, 'sun', '09:00'), await yOf(page, 'sun', '12:00'));
      expect(await page.locator('.wg-period').count()).toBe(periods);
      // Clicking a period shows it, with the inputs disabled.
      await page.locator('.wg-period[data-list="mon"][data-index="0"]').click();
      expect(await page.locator('[data-field="period-start"]').isDisabled()).toBe(true);
      expect(await page.locator('.ctl-title').first().textContent()).toBe('空调时间表');
      // The calendar shows the 2026 holidays and 调休 days from the hub.
      await page.locator('[data-field="year"]').selectOption('2026');
      await page.locator('.cal-day.holiday[data-date="2026-10-01"]').waitFor(WAIT);
      expect(await page.locator('.cal-day[data-date="2026-02-14"]').getAttribute('data-type')).toBe('makeup-workday');
      await page.screenshot({ path: artifactPath('control-schedules-viewer-zh.png'), fullPage: true });
    } finally {
      await context.close();
    }
  }, 60_000);

  it('lets an operator send a chime to one zone, which the PA simulator hears in exactly that zone', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    pa.clear();
    try {
      await signIn(page, 'operator', '#/control/broadcast');
      await page.locator('input[data-zone="l03"]').check();
      expect(await page.locator('input[data-zone="plaza"]').count()).toBe(0); // the plaza is the supervisor's
      await page.locator('[data-field="content"]').selectOption('chime');
      await page.locator('[data-action="send"]').click();
      const heard = await pa.waitFor((p) => p.zone === 'l03', 30_000);
      const job = page.locator('[data-testid=pa-jobs] tr[data-job]').first();
      await page.locator('[data-testid=pa-jobs] tr[data-state="done"]').waitFor({ timeout: 30_000 });
      await page.screenshot({ path: artifactPath('control-broadcast-en.png'), fullPage: true });
      expect(heard.payloadType).toBe(0); // G.711 μ-law
      const playbacks = pa.playbacks();
      expect(playbacks.length).toBeGreaterThan(0);
      expect(new Set(playbacks.map((p) => p.zone))).toEqual(new Set(['l03']));
      expect(playbacks[0].durationMs).toBeGreaterThan(300);
      expect(playbacks[0].level).toBeGreaterThan(0);
      expect(await job.textContent()).toContain('Floor 3');
      // An emergency asks for confirmation first; going back sends nothing.
      const jobsBefore = await page.locator('[data-testid=pa-jobs] tr[data-job]').count();
      await page.locator('[data-field="emergency"]').check();
      await page.locator('[data-action="send"]').click();
      await page.locator('[data-action="confirm-send"]').filter({ hasText: 'Confirm emergency broadcast to 1 zones' }).waitFor(WAIT);
      await page.screenshot({ path: artifactPath('control-broadcast-confirm-en.png'), fullPage: true });
      await page.locator('[data-action="cancel-confirm"]').click();
      await page.locator('[data-action="send"]').waitFor(WAIT);
      expect(await page.locator('[data-testid=pa-jobs] tr[data-job]').count()).toBe(jobsBefore);
      await page.locator('[data-field="emergency"]').uncheck();
      // Nothing to send without a zone: the form says so and nothing plays.
      await page.locator('input[data-zone="l03"]').uncheck();
      await page.locator('[data-action="send"]').click();
      expect(await page.locator('[data-testid=pa-status]').textContent()).toContain('Choose at least one zone');
    } finally {
      await context.close();
    }
  }, 90_000);

  it('shows an operator override with its expiry and the priority array, and releases it', async () => {
    const command = await api<{ level: number }>('operator', 'POST', `/api/control/points/${LIGHT}/command`, { value: true, level: 8, expiresInMin: 30, note: 'cleaning crew' });
    expect(command.status).toBe(200);
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    try {
      await signIn(page, 'operator', '#/control/overrides');
      const row = page.locator(`[data-testid=overrides] tr[data-point-id="${LIGHT}"][data-level="8"]`);
      await row.waitFor(WAIT);
      expect(await row.textContent()).toContain('operator');
      expect(await row.textContent()).toContain('cleaning crew');
      expect(await row.locator('[data-field=expires]').textContent()).toMatch(/in (29|30) min/);

      await row.locator('[data-action="inspect"]').click();
      const level8 = page.locator('[data-testid=priority-inspector] tr[data-level="8"]');
      await level8.filter({ hasText: 'operator' }).waitFor(WAIT);
      expect(await level8.getAttribute('data-empty')).toBe('false');
      expect(await page.locator('[data-testid=priority-inspector] tr[data-level]').count()).toBe(16);
      expect(await page.locator('[data-testid=effective]').textContent()).toContain('level 8');
      await page.screenshot({ path: artifactPath('control-overrides-en.png'), fullPage: true });

      await row.locator('[data-action="release"]').click();
      await page.locator('[data-testid=no-overrides]').or(page.locator(`[data-testid=overrides]:not(:has(tr[data-point-id="${LIGHT}"]))`)).first().waitFor(WAIT);
      const after = await api<{ items: Array<{ pointId: string; level: number }> }>('operator', 'GET', '/api/control/overrides');
      expect(after.body.items.filter((s) => s.pointId === LIGHT && s.level === 8)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('draws lighting and energy pages from the hub', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    try {
      await signIn(page, 'operator', '#/control/lighting');
      await page.locator(`tr[data-zone="b1-corridor"]`).waitFor(WAIT);
      await page.locator('tr[data-zone="b1-corridor"] [data-action="on"]').click();
      // Worded with the circuit's name, not the zone id.
      await page.locator('[data-testid=lighting-status]').filter({ hasText: /switched On/ }).waitFor(WAIT);
      expect(await page.locator('[data-testid=lighting-status]').textContent()).not.toContain('b1-corridor');
      await page.locator('tr[data-zone="b1-corridor"][data-on="true"]').waitFor(WAIT);
      await page.screenshot({ path: artifactPath('control-lighting-en.png'), fullPage: true });
      await page.goto(`${stack.url}/#/control/energy`);
      // Savings: the table when plausible beside today's metered use, else withheld with the reason.
      await page.locator('[data-testid=savings] tr[data-schedule="office-hours"], [data-testid=savings][data-withheld]').first().waitFor(WAIT);
      await page.locator('[data-testid=night-flow]').waitFor(WAIT);
      // The meters have been counting since the stack started: today's electricity is a number and the chart is drawn.
      expect(await page.locator('.ctl-notice').filter({ hasText: 'No history store' }).count()).toBe(0);
      await page.locator('[data-testid=energy-chart] canvas').waitFor(WAIT);
      expect(Number(await page.locator('[data-testid=energy-chart]').getAttribute('data-points'))).toBeGreaterThan(0);
      expect(await page.locator('[data-card="ctl.en.elecToday"] .en-value').textContent()).toMatch(/^\d[\d.,]* kWh$/);
      await page.screenshot({ path: artifactPath('control-energy-en.png'), fullPage: true });
    } finally {
      await context.close();
    }
  }, 60_000);
});
