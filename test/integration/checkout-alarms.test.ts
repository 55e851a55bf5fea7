// `npm run testrun -- --checkout --area a/l05 --alarms` end to end: a real hub and simulators; the
// checkout trips every alarm of level 5 that has a safe way (a step fault on a simulated point),
// waits for it to be raised with the test tag and to clear, and records the evidence in the result
// and in the sign-off report. Rules with no safe or simple trip are reported as skipped.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckoutView } from '../../contracts/testruns.js';
import { runCheckout } from '../../scripts/testrun-checkout.js';
import { startTestStack, type TestStack } from '../../scripts/testrun-stack.js';
import { launchChromium } from '../e2e/harness.js';

let stack: TestStack;
let browser: Browser;
let out: string;

beforeAll(async () => {
  stack = await startTestStack();
  browser = await launchChromium();
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-checkout-alarms-'));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (out) fs.rmSync(out, { recursive: true, force: true });
}, 60_000);

async function get<T>(p: string): Promise<T> {
  const login = await fetch(`${stack.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-demo' }) });
  const { token } = (await login.json()) as { token: string };
  return (await (await fetch(`${stack.url}/api${p}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
}

describe('checkout with alarm checks', () => {
  it('raises and clears the alarms of simulated points with evidence, and skips those with no safe trip', async () => {
    await runCheckout({ hub: stack.url, out, user: 'admin', area: 'a/l05', alarms: true, alarmMaxDelayS: 30, password: (u) => `${u}-demo`, browser });
    const v = await get<CheckoutView>('/testruns/checkout?items=1');
    // The evidence, for the log of the run.
    console.log(v.alarms!.checks!.map((c) => `${c.alarmId}: ${c.result} — ${c.detail}`).join('\n'));
    const checks = new Map((v.alarms?.checks ?? []).map((c) => [c.alarmId, c]));
    expect(v.alarms!.checks!.every((c) => c.pointId.startsWith('hq/a/l05/') && c.result !== 'pending')).toBe(true);

    // Analog high limit (Modbus): held above 27 °C, raised high, tagged as test, cleared.
    const high = checks.get('server-501-temperature.h')!;
    expect(high).toMatchObject({ result: 'pass', priority: 'high', tripValue: 28, by: 'admin' });
    expect(high.testTag).toBe(`checkout ${v.id}`);
    expect(high.clearedAt!).toBeGreaterThan(high.raisedAt!);
    // Binary (a forced door): raised critical and cleared.
    const door = checks.get('door-forced-server-501')!;
    expect(door).toMatchObject({ result: 'pass', priority: 'critical', tripValue: true, testTag: `checkout ${v.id}` });
    expect(door.clearedAt!).toBeGreaterThan(door.raisedAt!);
    // No safe or simple trip: skipped, saying why.
    expect(checks.get('server-501-temperature-rise')).toMatchObject({ result: 'skipped', detail: expect.stringContaining('rate-of-change') });
    expect(checks.get('comm-env-server-501')).toMatchObject({ result: 'skipped' });
    expect(v.alarms!.fail).toBe(0);

    // Nothing left behind: every alarm the checkout passed is back to normal (acknowledged by the checker).
    const open = await get<Array<{ id: string }>>('/alarms');
    const passed = v.alarms!.checks!.filter((c) => c.result === 'pass').map((c) => c.alarmId);
    expect(open.filter((a) => passed.includes(a.id))).toEqual([]);
    const html = fs.readFileSync(path.join(out, 'checkout.html'), 'utf8');
    expect(html).toContain('<h2>Alarm checks</h2>');
    expect(html).toMatch(/<td>server-501-temperature\.h<\/td><td>hq\/a\/l05\/server-501\/env-1\/temperature<\/td><td>high<\/td><td>pass<\/td>/);
    expect(fs.readFileSync(path.join(out, 'checkout.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  }, 600_000);
});
