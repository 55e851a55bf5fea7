// The guard's phone in real Chromium against a real hub: Chromium's fake camera plays a video of
// a checkpoint's QR code (made at test time: qrcode → PNG → ffmpeg → y4m), the scan page decodes
// it (jsQR; BarcodeDetector where the browser has one) and the hub records the scan in the run.
// Then screenshots of the scan, status and compliance pages at phone and desk sizes, en and zh-CN.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../contracts/api.js';
import type { RunStatus, ScanRecord } from '../../contracts/patrols.js';
import { waitForExpression } from '../../test/support/wait-for.js';
import { hashPassword } from '../auth/password.js';
import { buildCalendar } from '../control/calendar.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { testSiteConfig } from '../test-support.js';
import { openSignedIn, signInAll } from '../workorders/browser-support.js';
import { createPatrolsModule } from './index.js';
import { patrolsFileSchema } from './schema.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = process.env.PT_SCREENS_DIR ?? join(ROOT, 'test-artifacts', 'patrols');
const PW = 'pw-for-tests';
// The hub's clock runs from a fixed evening, so the run and its windows never depend on the time of day.
const BASE = Date.parse('2026-03-04T22:00:20+08:00');
const realStart = Date.now();
const now = () => BASE + (Date.now() - realStart);
let hub: Hub;
let browser: Browser;
let dataDir: string;
let video: string;
const tokens: Record<string, SessionInfo> = {};
let codes: Record<string, string> = {};

const get = async <T>(path: string, as: string) => (await (await fetch(hub.url + path, { headers: { authorization: `Bearer ${tokens[as].token}` } })).json()) as T;
const post = async (path: string, body: unknown, as: string) => fetch(hub.url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[as].token}` }, body: JSON.stringify(body) });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wf-patrols-browser-'));
  const consoleDir = process.env.PT_CONSOLE_DIR ?? join(dataDir, 'console');
  if (!existsSync(join(consoleDir, 'index.html'))) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', consoleDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  }
  mkdirSync(SHOTS, { recursive: true });
  const hash = await hashPassword(PW, { N: 1024, r: 8, p: 1 });
  const users = [['guard', 'guard'], ['guard2', 'guard'], ['sup', 'supervisor']] as const;
  const config = testSiteConfig({ floors: 3, pointsPerFloor: 1, dataDir, users: users.map(([username, role]) => ({ username, role, passwordHash: hash })) });
  const n = (en: string, zh: string) => ({ en, 'zh-CN': zh });
  const stops = (ids: string[]) => ids.map((checkpoint, i) => ({ checkpoint, atMin: i * 4, windowMin: 3 }));
  const file = patrolsFileSchema.parse({
    shifts: [{ id: 'night', name: n('Night', '夜班'), from: '20:00', to: '08:00' }],
    checkpoints: [
      { id: 'gate', name: n('Main gate', '大门岗'), area: 'site/gate' },
      { id: 'lobby', name: n('Lobby', '大堂'), area: 'a/l01/room-101' },
      { id: 'stairs', name: n('Stairs L2', '二层楼梯'), area: 'a/l02' },
      { id: 'server', name: n('Server room', '机房'), area: 'a/l03/room-301' },
      { id: 'wc', name: n('Restroom L1', '一层卫生间'), area: 'a/l01', checklist: [{ id: 'floor', label: n('Floor clean and dry', '地面清洁干燥') }, { id: 'soap', label: n('Soap stocked', '洗手液充足') }] },
    ],
    tours: [
      { id: 'night-a', name: n('Tower A night round', 'A座夜间巡更'), area: 'a', maxGapMin: 15, assign: { user: 'guard' }, runs: [{ shift: 'night', at: '22:00' }], checkpoints: stops(['gate', 'lobby', 'stairs', 'server']) },
      { id: 'night-b', name: n('Perimeter round', '周界巡更'), area: 'a', maxGapMin: 15, assign: { user: 'guard2' }, runs: [{ shift: 'night', at: '21:50' }], checkpoints: stops(['lobby', 'stairs', 'gate', 'server']) },
      { id: 'clean', name: n('Restroom inspection', '卫生间保洁巡检'), kind: 'cleaning', area: 'a', maxGapMin: 30, assign: { user: 'guard2' }, runs: [{ shift: 'night', at: '22:30' }], checkpoints: [{ checkpoint: 'wc', atMin: 0, windowMin: 10 }] },
    ],
  });
  const patrols = createPatrolsModule({ file, calendar: buildCalendar({ holidays: [], workdays: [] }), now, tickMs: 200 });
  hub = await createHub(config, { drivers: [], modules: [patrols], log: silentLogger(), listen: { port: 0 }, consoleDir });
  Object.assign(tokens, await signInAll(hub.url, users.map(([u]) => u), PW));
  codes = Object.fromEntries((await get<Array<{ checkpoint: string; token: string }>>('/api/patrols/codes', 'sup')).map((c) => [c.checkpoint, c.token]));
  // A camera that sees the gate's code: PNG from the real token, then a short y4m Chromium loops.
  const png = join(dataDir, 'gate.png');
  await QRCode.toFile(png, codes.gate, { width: 360, margin: 4, errorCorrectionLevel: 'M' });
  video = join(dataDir, 'gate.y4m');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-loop', '1', '-i', png, '-vf', 'pad=640:480:(ow-iw)/2:(oh-ih)/2:white,format=yuv420p', '-t', '1', '-r', '10', video]);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
  });
  // Guard 2 is on the perimeter round: one on time, one late (the wall shows them).
  await post('/api/patrols/scans', { scanId: 'seed-000001', token: codes.lobby }, 'guard2');
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the guard\'s phone scans a checkpoint with the camera', () => {
  it('fake camera → decoded → recorded in the run', async () => {
    const { context, page } = await openSignedIn(browser, tokens.guard, 'guard', 'en', { width: 390, height: 844 });
    await context.grantPermissions(['camera'], { origin: hub.url });
    await page.goto(`${hub.url}/#/patrols`);
    await page.locator('.pt-stop').first().waitFor({ timeout: 15_000 });
    await page.locator('button[data-action=scan]').click();
    await waitForExpression(page, `document.querySelector('.pt-result')?.dataset.state === 'on_time'`, undefined, { timeout: 20_000 });
    const decodeMs = Number(await page.locator('.pt-result').getAttribute('data-decode-ms'));
    expect(await page.locator('.pt-result').getAttribute('data-checkpoint')).toBe('gate');
    expect(decodeMs).toBeGreaterThanOrEqual(0);
    console.log(`patrols: camera scan decoded in ${decodeMs} ms (fake camera, 390×844)`);
    const scans = await get<ScanRecord[]>('/api/patrols/scans', 'sup');
    expect(scans.filter((s) => s.user === 'guard').map((s) => [s.checkpoint, s.status, s.runId, s.offline])).toEqual([['gate', 'on_time', 'night-a@2026-03-04T22:00', false]]);
    const status = await get<{ runs: RunStatus[] }>('/api/patrols/status', 'sup');
    expect(status.runs.find((r) => r.tour === 'night-a')?.last).toMatchObject({ checkpoint: 'gate', by: 'guard' });
    await waitForExpression(page, `document.querySelector('.pt-s-on_time') !== null`, undefined, { timeout: 10_000 });
    await page.screenshot({ path: join(SHOTS, 'scan-en-390x844.png') });
    await context.close();
  }, 60_000);

  it('the status page follows scans as the hub pushes them, without polling', async () => {
    const { page, context } = await openSignedIn(browser, tokens.sup, 'sup', 'en', { width: 1366, height: 768 });
    const statusGets: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/api/patrols/status')) statusGets.push(r.url()); });
    await page.goto(`${hub.url}/#/patrols/status`);
    const card = page.locator('.pt-card[data-run^="night-b@"] .pt-last');
    await card.waitFor({ timeout: 15_000 });
    expect(await card.textContent()).toContain('Lobby');
    expect((await post('/api/patrols/scans', { scanId: 'push-000001', token: codes.stairs }, 'guard2')).status).toBe(201);
    await waitForExpression(page, `document.querySelector('.pt-card[data-run^="night-b@"] .pt-last')?.textContent.includes('Stairs L2') === true`, undefined, { timeout: 10_000 });
    expect(statusGets).toEqual([]);
    await context.close();
  }, 60_000);

  it('screens: scan, status and compliance at 390×844 and 1366×768 in en and zh-CN', async () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const vp of [{ width: 390, height: 844 }, { width: 1366, height: 768 }]) {
        const size = `${vp.width}x${vp.height}`;
        const { page: scan, context: c1 } = await openSignedIn(browser, tokens.guard, 'guard', locale, vp);
        await scan.goto(`${hub.url}/#/patrols`);
        await scan.locator('.pt-stop').first().waitFor({ timeout: 15_000 });
        await scan.locator('.pt-manual summary').click();
        await scan.screenshot({ path: join(SHOTS, `scan-${locale}-${size}.png`), fullPage: vp.width < 500 });
        await c1.close();
        const { page, context } = await openSignedIn(browser, tokens.sup, 'sup', locale, vp);
        await page.goto(`${hub.url}/#/patrols/status`);
        await page.locator('.pt-card').nth(2).waitFor({ timeout: 15_000 });
        await page.screenshot({ path: join(SHOTS, `status-${locale}-${size}.png`) });
        await page.goto(`${hub.url}/#/patrols/report`);
        await page.locator('.pt-table').waitFor({ timeout: 15_000 });
        await page.screenshot({ path: join(SHOTS, `report-${locale}-${size}.png`) });
        expect(await page.locator('.pt-total th').textContent()).toBe(locale === 'en' ? 'Total' : '合计');
        await context.close();
      }
    }
  }, 240_000);
});
