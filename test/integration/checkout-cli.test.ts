// `npm run testrun -- --checkout --area a/b1` end to end: a real hub and simulators, the checkout
// over one floor, sign-off, and the handover report as HTML and a Chromium-printed PDF, with the
// floor's screen at sign-off embedded as evidence and one evidence row per point.
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
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-checkout-'));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (out) fs.rmSync(out, { recursive: true, force: true });
}, 60_000);

describe('checkout CLI', () => {
  it('checks a floor, signs it off and writes the report with the floor screen and a row per point', async () => {
    const code = await runCheckout({ hub: stack.url, out, user: 'admin', area: 'a/b1', password: (u) => `${u}-demo`, browser });
    const html = fs.readFileSync(path.join(out, 'checkout.html'), 'utf8');
    const pdf = fs.readFileSync(path.join(out, 'checkout.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000); // the embedded screen is in it
    expect(html).toContain('Signed off by admin');
    expect(html).toMatch(/<h2>Screens at sign-off<\/h2><figure><img alt="floor a\/b1" src="data:image\/png;base64,[A-Za-z0-9+/]{1000,}/);
    expect(fs.existsSync(path.join(out, 'checkout-floor-a-b1.png'))).toBe(true);

    // The report says what the hub recorded: one evidence row per checked point, none left pending.
    const login = await fetch(`${stack.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-demo' }) });
    const { token } = (await login.json()) as { token: string };
    const view = (await (await fetch(`${stack.url}/api/testruns/checkout?items=1`, { headers: { authorization: `Bearer ${token}` } })).json()) as CheckoutView;
    expect(view.total).toBeGreaterThan(0);
    expect(view.items!.every((i) => i.pointId.startsWith('hq/a/b1/'))).toBe(true);
    expect(view.items!.filter((i) => i.result === 'pending')).toEqual([]);
    const evidenceRows = html.slice(html.indexOf('Evidence per point')).match(/<tr class="[^"]*"><td>hq\/a\/b1\//g) ?? [];
    expect(evidenceRows.length).toBe(view.total);
    expect(code).toBe(view.fail > 0 ? 1 : 0);
  }, 240_000);
});
