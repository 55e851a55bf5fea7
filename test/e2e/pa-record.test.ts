// Issue 17: the PA simulator's record is visible in the console. A broadcast through the hub's API
// reaches the simulated amplifiers; the test-runs page (GET /api/testruns/pa-record, read through
// the simulators' control channel) then lists it with zone, codec and receiver jitter. One zone is
// switched to G.722 so both codecs appear. Screenshots at 1366×768 and 390×844 in en and zh-CN.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaRecordView } from '../../contracts/pa.js';
import { startTestStack, type TestStack } from '../../scripts/testrun-stack.js';
import { artifactPath, ensureConsoleBuilt, launchChromium, withPage as withBrowserPage } from './harness.js';

const WAIT = { timeout: 30_000 };
let stack: TestStack;
let browser: Browser;

async function token(user: string): Promise<string> {
  const res = await fetch(`${stack.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: `${user}-demo` }) });
  return ((await res.json()) as { token: string }).token;
}

async function record(t: string): Promise<PaRecordView> {
  const res = await fetch(`${stack.url}/api/testruns/pa-record`, { headers: { authorization: `Bearer ${t}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as PaRecordView;
}

beforeAll(async () => {
  await ensureConsoleBuilt();
  stack = await startTestStack();
  browser = await launchChromium();
  // l02's amplifier is a wideband one: the manager reads the zone's codec when a stream starts.
  const file = stack.config.sections!.get('broadcast.yaml') as { zones: Array<{ id: string; codec?: string }> };
  file.zones.find((z) => z.id === 'l02')!.codec = 'g722';
  const admin = await token('admin');
  const res = await fetch(`${stack.url}/api/broadcast`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ zones: ['l01', 'l02'], chime: true }) });
  expect(res.status).toBe(202);
  // The chime is 0.9 s; the record line is written once the amplifier has heard its silence gap.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const items = (await record(admin)).items;
    if (['l01', 'l02'].every((z) => items.some((i) => i.zone === z && i.ended))) break;
    if (Date.now() > deadline) throw new Error(`the broadcast never reached the record: ${JSON.stringify(items)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

const withPage = <T>(locale: string, viewport: { width: number; height: number }, f: (page: Page) => Promise<T>): Promise<T> => withBrowserPage(browser, locale, viewport, f);

describe('the PA record in the console', () => {
  it('the API relays what each zone received: codec, 20 ms packets, one marker, jitter; a viewer is refused', async () => {
    const items = (await record(await token('admin'))).items;
    const l01 = items.find((i) => i.zone === 'l01')!;
    const l02 = items.find((i) => i.zone === 'l02')!;
    expect(l01).toMatchObject({ codec: 'pcmu', payloadType: 0, markers: 1, firstMarked: true, badSizes: 0, badTimestampSteps: 0, lost: 0 });
    expect(l02).toMatchObject({ codec: 'g722', payloadType: 9, markers: 1, firstMarked: true, badSizes: 0, badTimestampSteps: 0, lost: 0 });
    expect(l01.durationMs).toBeGreaterThanOrEqual(900);
    expect(typeof l01.jitterP99Ms).toBe('number');
    const denied = await fetch(`${stack.url}/api/testruns/pa-record`, { headers: { authorization: `Bearer ${await token('viewer')}` } });
    expect(denied.status).toBe(403);
  }, 60_000);

  const CASES = [
    { locale: 'en-US', heading: 'PA: what the amplifiers received', viewport: { width: 1366, height: 768 } },
    { locale: 'en-US', heading: 'PA: what the amplifiers received', viewport: { width: 390, height: 844 } },
    { locale: 'zh-CN', heading: '广播：功放实际收到的内容', viewport: { width: 1366, height: 768 } },
    { locale: 'zh-CN', heading: '广播：功放实际收到的内容', viewport: { width: 390, height: 844 } },
  ];
  for (const c of CASES) {
    it(`#/testruns lists the broadcast per zone with codec and jitter, ${c.viewport.width}×${c.viewport.height} ${c.locale}`, async () => {
      await withPage(c.locale, c.viewport, async (page) => {
        await page.goto(`${stack.url}/#/testruns`);
        await page.locator('input[name=username]').fill('admin');
        await page.locator('input[name=password]').fill('admin-demo');
        await page.locator('.login-card button[type=submit]').click();
        await page.locator('.shell').waitFor(WAIT);
        const row = (zone: string) => page.locator(`.pa-record tr.pa-row[data-zone="${zone}"]`).first();
        await row('l01').waitFor(WAIT);
        await row('l02').waitFor(WAIT);
        expect(await page.locator('.pa-record h2').textContent()).toBe(c.heading);
        expect(await row('l01').locator('.pa-col-codec').textContent()).toBe('PCMU');
        expect(await row('l02').locator('.pa-col-codec').textContent()).toBe('G722');
        expect(await row('l01').locator('.pa-col-jitter').textContent()).toMatch(/^\d+\.\d ms$/);
        expect(await row('l01').locator('.pa-col-markers').textContent()).toBe('✓ 1');
        await row('l01').scrollIntoViewIfNeeded();
        await page.screenshot({ path: artifactPath(`pa-record-${c.locale}-${c.viewport.width}.png`) });
      });
    }, 90_000);
  }
});
