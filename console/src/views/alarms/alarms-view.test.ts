// The alarm pages in real Chromium, in the built console, against the demo stack (Modbus
// simulator → driver → hub with the alarm module and the demo rules): a leak in the pump room
// raises an alarm live; a guard acknowledges it with a comment through the popover (no shelve
// button for guards) and finds it in the journal; a supervisor takes it out of service and
// back, acknowledges the room in bulk and shelves it through the dialog; the KPI page shows
// numbers. Screenshots go to test-artifacts/ for people to look at.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmView, JournalRow } from '../../../../contracts/alarms.js';
import { createAlarmsModule } from '../../../../hub/alarms/index.js';
import { artifactPath, launchChromium, startDemoStack, type DemoStack } from '../../../../test/e2e/harness.js';

const WAIT = { timeout: 20_000 };
const LEAK = 'leak-pump-b101';
const leakRow = (page: Page) => page.locator(`table.alarms tr.alarm[data-alarm-id="${LEAK}"]`);

let stack: DemoStack;
let browser: Browser;

async function signIn(locale: string, user: string): Promise<{ context: BrowserContext; page: Page; sockets: string[] }> {
  const context = await browser.newContext({ locale, viewport: { width: 1600, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  await page.goto(stack.url);
  await page.locator('input[name=username]').fill(user);
  await page.locator('input[name=password]').fill(`${user}-demo`);
  await page.locator('.login-card button[type=submit]').click();
  await page.locator('.shell').waitFor(WAIT);
  await page.evaluate(() => (location.hash = '#/alarms'));
  await page.locator('section.alarms-view').waitFor(WAIT);
  expect(errors).toEqual([]);
  return { context, page, sockets };
}

async function api(user: string, method: string, pathAndQuery: string, body?: unknown): Promise<Response> {
  const login = await fetch(`${stack.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: `${user}-demo` }) });
  const { token } = (await login.json()) as { token: string };
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${stack.url}/api${pathAndQuery}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function journal(query: string): Promise<JournalRow[]> {
  const res = await api('viewer', 'GET', `/alarms/journal?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as JournalRow[];
}

async function leakState(): Promise<AlarmView> {
  const res = await api('viewer', 'GET', `/alarms/${LEAK}`);
  expect(res.status).toBe(200);
  return (await res.json()) as AlarmView;
}

/**
 * Every test starts from the same place, whatever ran before it (the suite runs shuffled):
 * the pump room dry and its latching leak alarm back to normal, in service and not shelved.
 */
async function resetLeak(): Promise<void> {
  await stack.sim.set('modbus-gw-b1', 3, 'leak', false);
  const deadline = Date.now() + WAIT.timeout;
  for (;;) {
    const v = await leakState();
    if (v.state === 'normal') return;
    if (Date.now() > deadline) throw new Error(`leak alarm did not return to normal: ${JSON.stringify(v)}`);
    if (v.shelved) await api('supervisor', 'POST', `/alarms/${LEAK}/unshelve`, {});
    else if (v.outOfService) await api('supervisor', 'POST', `/alarms/${LEAK}/return-to-service`, {});
    else if (!v.active && (v.state === 'rtn_unacknowledged' || v.state === 'latched')) await api('supervisor', 'POST', `/alarms/${LEAK}/ack`, { comment: 'test reset' });
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The leak raised and annunciated (unacknowledged), from a normal alarm. */
async function raiseLeak(): Promise<void> {
  await resetLeak();
  await stack.sim.set('modbus-gw-b1', 3, 'leak', true);
  const deadline = Date.now() + WAIT.timeout;
  while ((await leakState()).state !== 'unacknowledged') {
    if (Date.now() > deadline) throw new Error('leak alarm was not raised');
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  // hvac: the demo rules also watch OPC UA points; the alarm module refuses rules on missing points.
  stack = await startDemoStack({ hvac: true, modules: [createAlarmsModule()] });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

describe('alarm pages in Chromium against the demo stack', () => {
  it('a leak appears live; a guard acknowledges it with a comment in the popover, adds a note, and finds both in the journal', async () => {
    await resetLeak();
    const { context, page, sockets } = await signIn('en-US', 'guard');
    try {
      await stack.sim.set('modbus-gw-b1', 3, 'leak', true);
      const row = leakRow(page);
      await row.and(page.locator('.s-unacknowledged')).waitFor(WAIT);
      expect(await row.locator('.alarm-message').textContent()).toBe('Water leak in the B1 pump room');
      expect(await row.locator('.prio-badge').textContent()).toBe('◆ Critical');
      expect(await row.locator('a.alarm-location').textContent()).toBe('Pump room B101');
      expect(await row.locator('a.alarm-location').getAttribute('href')).toBe('#/floor/a/b1/pump-b101');
      expect(await row.locator('.alarm-value').textContent()).toBe('Leak');
      // Guards acknowledge and comment; shelving and out-of-service are for supervisors.
      expect(await page.locator('.alarm-shelve, .alarm-oos').count()).toBe(0);

      await row.locator('.alarm-ack').click();
      const pop = page.locator('.ack-pop:not([hidden])');
      await pop.waitFor(WAIT);
      await pop.locator('.ack-pop-comment').fill('Pump room checked, maintenance called');
      await page.screenshot({ path: artifactPath('alarms-ack-popover-en.png') });
      await pop.locator('.ack-pop-confirm').click();
      // Latching leak, still wet: acknowledged, and it stays in the list.
      await page.locator(`tr.alarm.s-acknowledged[data-alarm-id="${LEAK}"]`).waitFor(WAIT);
      expect(await pop.count()).toBe(0);

      await row.locator('.alarm-notes').click();
      const thread = page.locator(`[data-thread-for="${LEAK}"]`);
      const guardAck = thread.locator('.thread-entry.k-ack').filter({ hasText: 'Pump room checked' });
      await guardAck.waitFor(WAIT);
      expect(await guardAck.locator('.thread-text').textContent()).toBe('Pump room checked, maintenance called');
      await thread.locator('.thread-input').fill('Plumber expected at 14:00');
      await thread.locator('.thread-add').click();
      await thread.locator('.thread-entry.k-comment').waitFor(WAIT);
      await page.screenshot({ path: artifactPath('alarms-list-guard-en.png') });

      // One Socket.IO connection for the whole console: the alarm list rides on the shell's link.
      expect(sockets.filter((u) => u.includes('/socket.io/'))).toHaveLength(1);

      const rows = await journal(`alarm=${LEAK}`);
      const byGuard = rows.filter((r) => r.user === 'guard');
      expect(byGuard.filter((r) => r.kind === 'ack').map((r) => r.comment)).toEqual(['Pump room checked, maintenance called']);
      expect(byGuard.filter((r) => r.kind === 'comment').map((r) => r.comment)).toEqual(['Plumber expected at 14:00']);

      await page.locator('.alarm-tab[href="#/alarms/journal"]').click();
      await page.locator('.journal-view').waitFor(WAIT);
      await page.locator('select.j-priority').selectOption('critical');
      await page.locator('select.j-kind').selectOption('ack');
      await page.locator('.j-apply').click();
      // The unfiltered first page holds this ack row too: wait for the filtered answer to replace it.
      await expect.poll(() => page.locator('table.journal tr.journal-row:not(.k-ack)').count(), { timeout: 15_000 }).toBe(0);
      const ackRow = page.locator(`table.journal tr.journal-row.k-ack[data-alarm-id="${LEAK}"]`).filter({ hasText: 'Pump room checked' });
      await ackRow.waitFor(WAIT);
      expect(await ackRow.locator('.j-user').textContent()).toBe('guard');
      expect(await ackRow.locator('.j-comment').textContent()).toBe('Pump room checked, maintenance called');
      expect(await ackRow.locator('.alarm-message').textContent()).toContain('Water leak in the B1 pump room');
      const csvHref = await page.locator('a.j-csv').getAttribute('href');
      expect(csvHref).toContain('format=csv');
      expect(csvHref).toContain('kind=ack');
      // The link works with the session cookie alone, as a click would.
      const csv = await page.evaluate(async (href) => (await fetch(href!, { credentials: 'same-origin' })).text(), csvHref);
      expect(csv).toContain('Pump room checked, maintenance called');
      await page.screenshot({ path: artifactPath('alarms-journal-guard-en.png') });
    } finally {
      await context.close();
    }
  }, 90_000);

  it('a supervisor takes the alarm out of service and back, acknowledges the area in bulk, then shelves through the dialog', async () => {
    await raiseLeak();
    const t0 = Date.now();
    const { context, page } = await signIn('zh-CN', 'supervisor');
    try {
      const row = leakRow(page);
      await row.waitFor(WAIT);
      expect(await row.locator('.alarm-message').textContent()).toBe('B1 水泵房漏水');
      const dialog = page.locator('dialog.alarm-dialog[open]');

      // Out of service: a reason, no duration.
      await row.locator('.alarm-oos').click();
      await dialog.waitFor(WAIT);
      expect(await dialog.locator('.alarm-dialog-duration').isVisible()).toBe(false);
      await dialog.locator('.alarm-dialog-reason').fill('传感器更换');
      await dialog.locator('.alarm-dialog-confirm').click();
      await row.waitFor({ state: 'detached', ...WAIT });
      await page.locator('input.alarms-hidden').check();
      await page.locator(`tr.alarm.s-out_of_service[data-alarm-id="${LEAK}"]`).waitFor(WAIT);
      // Back in service while still wet: annunciated again, waiting for an acknowledgement.
      await row.locator('.alarm-rts').click();
      await page.locator(`tr.alarm.s-unacknowledged[data-alarm-id="${LEAK}"]`).waitFor(WAIT);

      // Grouped by location, the whole pump room is acknowledged at once.
      await page.locator('input.alarms-group').check();
      const ackArea = page.locator('tr.alarm-group[data-area="a/b1/pump-b101"] .alarms-ack-area');
      expect(await ackArea.textContent()).toBe('确认水泵房 B101全部（1）');
      await ackArea.click();
      await page.locator('.ack-pop:not([hidden]) .ack-pop-comment').fill('交接班统一确认');
      await page.screenshot({ path: artifactPath('alarms-grouped-ack-area-zh.png') });
      await page.locator('.ack-pop:not([hidden]) .ack-pop-confirm').click();
      await page.locator(`tr.alarm.s-acknowledged[data-alarm-id="${LEAK}"]`).waitFor(WAIT);
      await page.locator('input.alarms-group').uncheck();
      await page.locator('input.alarms-hidden').uncheck();

      // Shelve: durations within the maximum, a reason required.
      await row.locator('.alarm-shelve').click();
      await dialog.waitFor(WAIT);
      // The demo rules' maximum is 480 min: nothing longer is offered.
      const durations = await dialog.locator('input[name=shelve-duration]').evaluateAll((els) => els.map((e) => Number((e as HTMLInputElement).value)));
      expect(durations).toEqual([15, 30, 60, 120, 240, 480]);
      await dialog.locator('.alarm-dialog-confirm').click();
      expect(await dialog.locator('.alarm-dialog-error').textContent()).toBe('请填写原因。');
      await dialog.locator('input[name=shelve-duration][value="30"]').check();
      await dialog.locator('.alarm-dialog-reason').fill('水泵房维修中');
      await page.screenshot({ path: artifactPath('alarms-shelve-dialog-zh.png') });
      await dialog.locator('.alarm-dialog-confirm').click();
      await page.locator('dialog.alarm-dialog[open]').waitFor({ state: 'detached', ...WAIT });
      await row.waitFor({ state: 'detached', ...WAIT });
      await page.locator('input.alarms-hidden').check();
      await page.locator(`tr.alarm.s-shelved[data-alarm-id="${LEAK}"]`).waitFor(WAIT);
      await page.screenshot({ path: artifactPath('alarms-list-supervisor-zh.png') });

      const rows = await journal(`alarm=${LEAK}`);
      const actions = rows.filter((r) => r.user === 'supervisor' && r.ts >= t0).reverse().map((r) => [r.kind, r.comment ?? '']);
      expect(actions).toEqual([['out-of-service', '传感器更换'], ['return-to-service', ''], ['ack', '交接班统一确认'], ['shelve', '水泵房维修中']]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('the KPI page shows the figures for the last 24 h in both languages', async () => {
    // At least one activation of the leak in the last 24 h, and one alarm shelved, whatever ran before.
    await raiseLeak();
    const shelve = await api('supervisor', 'POST', `/alarms/${LEAK}/shelve`, { durationMin: 30, reason: 'KPI test' });
    expect(shelve.status).toBe(200);
    const kpi = (await (await api('viewer', 'GET', '/alarms/kpi')).json()) as { shelvedCount: number };
    expect(kpi.shelvedCount).toBeGreaterThanOrEqual(1);
    const { context, page } = await signIn('en-US', 'operator');
    try {
      await page.evaluate(() => (location.hash = '#/alarms/kpi'));
      const avg = page.locator('.kpi-tile[data-kpi="avg"] .kpi-value');
      await avg.waitFor(WAIT);
      expect(await avg.textContent()).toMatch(/^\d+(\.\d)?$/);
      expect(await page.locator('.kpi-tile[data-kpi="shelved"] .kpi-value').textContent()).toBe(String(kpi.shelvedCount));
      expect(await page.locator('.kpi-tile').count()).toBe(7);
      const top = page.locator(`.kpi-top10 tr[data-alarm-id="${LEAK}"]`);
      await top.waitFor(WAIT);
      expect(Number(await top.locator('.kpi-num').textContent())).toBeGreaterThanOrEqual(1);
      await page.screenshot({ path: artifactPath('alarms-kpi-en.png'), fullPage: true });
      await page.locator('select.lang, .topbar select').first().selectOption('zh-CN');
      await page.locator('.alarm-tab.active', { hasText: '报警绩效' }).waitFor(WAIT);
      expect(await page.locator('.kpi-tile[data-kpi="avg"] .kpi-label').textContent()).toBe('每操作岗位每 10 分钟报警数（平均）');
      await page.screenshot({ path: artifactPath('alarms-kpi-zh.png'), fullPage: true });
    } finally {
      await context.close();
    }
  }, 60_000);
});
