// The phone flow in real Chromium against a real hub: a deep link from a notification opens the
// order, the maintainer accepts, takes a photo (resized by the page's canvas), goes offline, makes
// steps that queue, comes back online and they are sent; an update made on a stale version is
// refused clearly. Screenshots at phone and desk sizes in en and zh-CN go to test-artifacts/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../contracts/api.js';
import { openSignedIn, signInAll } from './browser-support.js';
import type { WorkOrder, WorkOrderDetail } from '../../contracts/workorders.js';
import { hashPassword } from '../auth/password.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { testSiteConfig } from '../test-support.js';
import { createDispatchModule } from './index.js';
import { dispatchFileSchema } from './schema.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = process.env.WO_SCREENS_DIR ?? join(ROOT, 'test-artifacts', 'workorders');
const PW = 'pw-for-tests';
let hub: Hub;
let browser: Browser;
let dataDir: string;
let consoleDir: string;
const tokens: Record<string, SessionInfo> = {};

async function post<T>(path: string, body: unknown, as: string): Promise<T> {
  const r = await fetch(hub.url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[as].token}` }, body: JSON.stringify(body) });
  return (await r.json()) as T;
}
const get = async <T>(path: string, as: string) => (await (await fetch(hub.url + path, { headers: { authorization: `Bearer ${tokens[as].token}` } })).json()) as T;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wf-wo-browser-'));
  consoleDir = process.env.WO_CONSOLE_DIR ?? join(dataDir, 'console');
  if (!existsSync(join(consoleDir, 'index.html'))) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', consoleDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  }
  mkdirSync(SHOTS, { recursive: true });
  const hash = await hashPassword(PW, { N: 1024, r: 8, p: 1 });
  const users = [['e1', 'maintainer'], ['sup', 'supervisor'], ['viewer', 'viewer']] as const;
  const config = testSiteConfig({ floors: 3, pointsPerFloor: 2, dataDir, users: users.map(([username, role]) => ({ username, role, passwordHash: hash })) });
  const file = dispatchFileSchema.parse({
    people: [{ user: 'e1' }, { user: 'sup' }, { user: 'viewer' }],
    trades: [{ id: 'electrical', areas: ['a'] }, { id: 'plumbing', areas: ['a'] }],
    roster: { entries: [{ trade: 'electrical', workday: ['e1'], weekend: ['e1'], holiday: ['e1'], supervisor: 'sup', manager: 'sup' }, { trade: 'plumbing', workday: ['e1'], weekend: ['e1'], supervisor: 'sup', manager: 'sup' }] },
    notify: { policies: [{ channels: ['console'] }] },
  });
  hub = await createHub(config, { drivers: [], modules: [createDispatchModule({ file, tickMs: 0 })], log: silentLogger(), listen: { port: 0 }, consoleDir });
  Object.assign(tokens, await signInAll(hub.url, users.map(([u]) => u), PW));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const pageAs = (user: string, locale: 'en' | 'zh-CN', viewport: { width: number; height: number }) => openSignedIn(browser, tokens[user], user, locale, viewport);

describe('work orders on the phone', () => {
  it('deep link → accept → photo → offline steps queued and sent → stale update refused', async () => {
    const o = await post<WorkOrder>('/api/workorders', { title: 'Corridor lamp out on L2', description: 'Flickers, then dark', trade: 'electrical', area: 'a/l02', device: 'hq/a/l02/corridor/lamp-2', priority: 'high' }, 'viewer');
    const { context, page } = await pageAs('e1', 'en', { width: 390, height: 844 });
    await page.goto(`${hub.url}/#/workorders/${o.id}`);
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('button', { name: 'On my way' }).waitFor();
    expect((await get<WorkOrderDetail>(`/api/workorders/${o.id}`, 'sup')).state).toBe('accepted');

    // A 4000×3000 camera photo, made in the page, goes through the canvas resize and the upload.
    const big = (await page.evaluate(`(async () => { const c = new OffscreenCanvas(4000, 3000); const g = c.getContext('2d'); for (let i = 0; i < 400; i++) { g.fillStyle = 'hsl(' + (i * 37 % 360) + ',70%,50%)'; g.fillRect((i * 97) % 4000, (i * 61) % 3000, 300, 200); } const b = await c.convertToBlob({ type: 'image/png' }); return Array.from(new Uint8Array(await b.arrayBuffer())); })()`)) as number[];
    await page.locator('input[type=file]').setInputFiles({ name: 'IMG_0001.png', mimeType: 'image/png', buffer: Buffer.from(big) });
    await page.locator('img.wo-photo').waitFor();
    const withPhoto = await get<WorkOrderDetail>(`/api/workorders/${o.id}`, 'sup');
    expect(withPhoto.photos).toEqual(['1.jpg']);
    expect(big.length).toBeGreaterThan(200_000);
    await page.screenshot({ path: join(SHOTS, 'phone-en-detail.png'), fullPage: true });

    // Offline in the basement: the step is kept, and sent when the phone is back online.
    await context.setOffline(true);
    await page.getByRole('button', { name: 'On my way' }).click();
    await page.locator('.wo-offline').waitFor();
    expect((await get<WorkOrderDetail>(`/api/workorders/${o.id}`, 'sup')).state).toBe('accepted');
    await context.setOffline(false);
    await page.evaluate(`window.dispatchEvent(new Event('online'))`);
    await page.getByRole('button', { name: 'Arrived' }).waitFor();
    expect((await get<WorkOrderDetail>(`/api/workorders/${o.id}`, 'sup')).state).toBe('en_route');

    // Offline again; meanwhile a supervisor reassigns the order: the queued step is refused, and said so.
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Arrived' }).click();
    await page.locator('.wo-offline').waitFor();
    const cur = await get<WorkOrderDetail>(`/api/workorders/${o.id}`, 'sup');
    await post(`/api/workorders/${o.id}/steps`, { action: 'reassign', version: cur.version, assignee: 'sup', note: 'taking it myself' }, 'sup');
    await context.setOffline(false);
    await page.evaluate(`window.dispatchEvent(new Event('online'))`);
    const refused = page.locator('.wo-flash-bad');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('changed since you saw it');
    expect((await get<WorkOrderDetail>(`/api/workorders/${o.id}`, 'sup')).state).toBe('assigned');
    await context.close();
  }, 120_000);

  it('screenshots: my orders, detail, report form and statistics at phone and desk sizes, en and zh-CN', async () => {
    for (const [title, trade, area] of [['三楼走廊灯不亮', 'electrical', 'a/l03'], ['卫生间漏水', 'plumbing', 'a/l01'], ['Meeting room socket dead', 'electrical', 'a/l02']] as const) {
      await post('/api/workorders', { title, trade, area, priority: 'medium' }, 'viewer');
    }
    const sizes = { phone: { width: 390, height: 844 }, desk: { width: 1366, height: 768 }, wall: { width: 1920, height: 1080 } };
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const [name, viewport] of Object.entries(sizes)) {
        const { context, page } = await pageAs(name === 'phone' ? 'e1' : 'sup', locale, viewport);
        for (const route of ['workorders', 'workorders/1', 'workorders/new', ...(name === 'phone' ? [] : ['workorders/stats'])]) {
          await page.goto(`${hub.url}/#/${route}`);
          await page.locator('.wo-page h1, .wo-page .wo-back').first().waitFor();
          await page.waitForTimeout(150);
          // Nothing of the page may stick out sideways on a phone.
          const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
          expect(overflow, `${route} ${name} ${locale} overflows`).toBeLessThanOrEqual(0);
          await page.screenshot({ path: join(SHOTS, `${name}-${locale}-${route.replace(/\//g, '_')}.png`) });
        }
        await context.close();
      }
    }
  }, 180_000);
});
