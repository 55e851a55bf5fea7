// QA's console defects in a real browser (Chromium → built console → hub with control → OPC UA and
// Modbus simulators): the occupancy-mode picker shows the live state and follows it; an out-of-range
// setpoint gets the console's own message with the range (no native pop-up) in the points table and
// in the priority inspector's command form; the schedules header and short periods read properly.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControlModule } from '../../../../hub/control/index.js';
import { artifactPath, launchChromium, startDemoStack, type DemoStack } from '../../../../test/e2e/harness.js';
import { waitForExpression } from '../../../../test/support/wait-for.js';

const WAIT = { timeout: 20_000 };
const SP = 'hq/a/l02/office-201/vav-201/zone-temp-sp';
const MODE = 'hq/a/l02/office-201/vav-201/occupancy-mode';
const STATES: Record<string, string> = { 0: 'Schedule', 1: 'Occupied', 2: 'Unoccupied' };

let stack: DemoStack;
let control: ReturnType<typeof createControlModule>;
let browser: Browser;

async function signIn(page: Page, username: string, hash = ''): Promise<void> {
  await page.goto(`${stack.url}/${hash}`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(`${username}-demo`);
  await page.locator('.login-card button[type=submit]').click();
  await page.locator('.shell').waitFor(WAIT);
}

const row = (page: Page, id: string) => page.locator(`tr[data-point-id="${id}"]`);

beforeAll(async () => {
  control = createControlModule();
  stack = await startDemoStack({ hvac: true, modules: [control] });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

describe('write controls and control forms', () => {
  it('the mode picker shows and follows the live state; out-of-range setpoints get the console\'s message', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    try {
      await signIn(page, 'operator');
      await page.locator('.tree-floor[data-floor="hq/a/l02"]').click();
      const modeRow = row(page, MODE);
      await modeRow.locator('select').waitFor(WAIT);
      // Whatever the schedule put there: the picker says the same as the value cell.
      const start = stack.hvac!.get('VAV-201.OccupancyMode') as number;
      await modeRow.locator('td.value', { hasText: STATES[start] }).waitFor(WAIT);
      expect(await modeRow.locator('select').inputValue()).toBe(String(start));
      // The mode changes from elsewhere (not the first option): the picker follows. It changes through
      // the hub's priority array (another operator's command), not behind the hub's back: a mode the
      // schedule commands is re-asserted when the device disagrees, which raced a direct device write.
      const next = start === 1 ? 2 : 1;
      const outcome = await control.priority().command({ actor: { user: 'other-operator', role: 'operator' }, pointId: MODE, value: next, level: 8, note: 'test' });
      expect(outcome).toMatchObject({ effective: { value: next, level: 8 }, confirmed: true });
      expect(stack.hvac!.get('VAV-201.OccupancyMode')).toBe(next);
      await modeRow.locator('td.value', { hasText: STATES[next] }).waitFor(WAIT);
      await waitForExpression(page, ([id, v]) => document.querySelector<HTMLSelectElement>(`tr[data-point-id="${id}"] select`)?.value === v, [MODE, String(next)] as const, WAIT);

      // 35 °C: no browser pop-up blocks the form; the console names the range in its language.
      const spRow = row(page, SP);
      await spRow.locator('input.num').fill('35');
      await spRow.locator('button[data-action="set"]').click();
      await spRow.locator('.write-result.err').waitFor(WAIT);
      expect(await spRow.locator('.write-result').textContent()).toBe('Outside the range 16 – 30.');
      expect(await spRow.locator('input.num').evaluate((el) => (el as HTMLInputElement).form?.noValidate)).toBe(true);
      await page.screenshot({ path: artifactPath('write-control-range-en.png') });

      // The same in the priority inspector's command form, in Chinese.
      await page.goto(`${stack.url}/#/control/overrides/${encodeURIComponent(SP)}`);
      await page.locator('.topbar select.lang').selectOption('zh-CN');
      const form = page.locator('[data-testid=command-form]');
      await form.waitFor(WAIT);
      await form.locator('[data-field=command-value]').fill('35');
      await form.locator('button[type=submit]').click();
      await page.locator('[data-testid=overrides-status]', { hasText: '超出范围 16 – 30。' }).waitFor(WAIT);
      expect(stack.hvac!.get('VAV-201.ZoneTempSetpoint')).not.toBe(35);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('the schedules header says the version comes from config; short periods are abbreviated with the full text as tooltip', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    try {
      await signIn(page, 'energy', '#/control/schedules');
      const version = page.locator('[data-testid=schedule-version]');
      await version.waitFor(WAIT);
      expect(await version.textContent()).toBe('From config (not yet edited)');
      const standby = page.locator('.wg-period.mode-standby.compact').first();
      await standby.waitFor(WAIT);
      expect(await standby.textContent()).toBe('Stby');
      expect(await standby.getAttribute('title')).toMatch(/^\d\d:\d\d–\d\d:\d\d Standby/);
      // The console's own words are English; holiday names from config/schedules.yaml stay as configured.
      expect(await page.locator('label', { has: page.locator('[data-field="make-up-as"]') }).textContent()).toMatch(/^Make-up working days run as/);
      expect(await page.locator('[data-testid=calendar] .cal-day.makeup.wg-swatch').locator('..').textContent()).toBe('Make-up working day');
      await page.locator('[data-testid=week-grid]').screenshot({ path: artifactPath('schedules-compact-en.png') });
    } finally {
      await context.close();
    }
  }, 60_000);
});
