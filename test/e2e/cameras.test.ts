// End to end for cameras: real Chromium → built console → hub with the video module → ONVIF
// driver → simulated cameras (SOAP + RTSP from ffmpeg, 320×240). Screenshots go to test-artifacts/.
// Page code is passed as strings: tsx rewrites arrow functions with a `__name` helper the page lacks.
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, launchChromium, REPO_ROOT, startDemoStack, type DemoStack } from './harness.js';
import { waitForExpression } from '../support/wait-for.js';
import { DEMO_OUTDOOR_CAMERAS } from '../../simulators/onvif/index.js';

const WAIT = { timeout: 30_000 };
// The four indoor cameras and the site map's outdoor ones (served on demand by the simulator).
const CAMERA_IDS = ['cam-archive', 'cam-lobby', 'cam-parking', 'cam-server', ...DEMO_OUTDOOR_CAMERAS.map((c) => c.id)].sort();

let stack: DemoStack;
let browser: Browser;

async function signIn(context: BrowserContext, username: string, hash: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error (${username}):`, e.message));
  await page.goto(stack.url);
  try {
    await page.locator('input[name=username]').fill(username);
    await page.locator('input[name=password]').fill(`${username}-demo`);
    await page.locator('.login-card button[type=submit]').click();
    await page.locator('.shell').waitFor(WAIT);
  } catch (err) {
    await page.screenshot({ path: artifactPath(`cameras-signin-failed-${username}.png`) });
    throw err;
  }
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  return page;
}

async function token(username: string): Promise<string> {
  const res = await fetch(`${stack.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: `${username}-demo` }) });
  if (!res.ok) throw new Error(`login ${username}: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** Until `selector`'s video has played `seconds` (currentTime advancing = frames decoded and shown). */
async function videoPlays(page: Page, selector: string, seconds = 1): Promise<void> {
  await waitForExpression(page, `(() => { const v = document.querySelector(${JSON.stringify(selector)}); return !!v && v.currentTime > ${seconds} && !v.paused; })()`, undefined, WAIT);
}

beforeAll(async () => {
  stack = await startDemoStack({ cameras: true });
  browser = await launchChromium();
  // The driver connects to every simulated camera (SOAP): wait until the hub says online.
  const auth = { authorization: `Bearer ${await token('operator')}` };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { items } = (await (await fetch(`${stack.url}/api/cameras`, { headers: auth })).json()) as { items: Array<{ id: string; state: string }> };
    if (items.length === CAMERA_IDS.length && items.every((c) => c.state === 'online')) break;
    if (Date.now() > deadline) throw new Error(`cameras not online: ${JSON.stringify(items.map((c) => [c.id, c.state]))}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

describe('cameras in the console', () => {
  it('operator: list with status, live tile plays, PTZ press-and-hold moves the camera and stops on release, keyboard, range refusal, snapshot', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1500, height: 950 } });
    try {
      const page = await signIn(context, 'operator', '#/cameras');
      const rows = page.locator('tr.camera-row');
      await rows.nth(CAMERA_IDS.length - 1).waitFor(WAIT);
      expect(await page.evaluate("[...document.querySelectorAll('tr.camera-row')].map((r) => r.dataset.camera)")).toEqual(CAMERA_IDS);
      expect(await page.locator('tr.camera-row[data-state="online"] td.camera-state').first().textContent()).toBe('Online');
      await page.screenshot({ path: artifactPath('cameras-list-en.png') });

      await page.locator('tr[data-camera="cam-parking"] a.camera-link').click();
      await page.locator('.camera-detail[data-camera="cam-parking"]').waitFor(WAIT);
      await videoPlays(page, '.camera-detail video');
      expect(await page.evaluate("document.querySelector('.camera-detail video').videoWidth")).toBe(320);

      // Press and hold "pan right" past the first move's 2.5 s safety timeout: still moving (re-sent while held).
      const head = stack.cameras!.camera('cam-parking').ptz;
      const before = head.position();
      const right = page.locator('[data-ptz="right"]');
      await right.hover();
      await page.mouse.down();
      await page.waitForTimeout(3200);
      expect(head.moving()).toBe(true);
      await page.mouse.up();
      await expect.poll(() => head.moving(), WAIT).toBe(false);
      const after = head.position();
      expect(after.pan).toBeGreaterThan(before.pan + 0.5);
      expect(after.tilt).toBeCloseTo(before.tilt, 5);
      // The readout shows the position the camera reported after the stop.
      await waitForExpression(page, `Number(document.querySelector('[data-ptz-position]').dataset.pan) > ${before.pan + 0.5}`, undefined, WAIT);

      // Keyboard: ArrowUp held tilts up, released stops.
      await page.locator('.camera-head').click(); // focus the page, not an input
      await page.keyboard.down('ArrowUp');
      await expect.poll(() => head.moving(), WAIT).toBe(true);
      await page.waitForTimeout(800);
      await page.keyboard.up('ArrowUp');
      await expect.poll(() => head.moving(), WAIT).toBe(false);
      expect(head.position().tilt).toBeGreaterThan(before.tilt + 0.05);

      // Absolute move out of range: refused by the hub, the message names the range.
      await page.locator('input.ptz-abs-pan').fill('5');
      await page.locator('button.ptz-go-abs').click();
      const message = page.locator('.ptz-message.ptz-error');
      await message.waitFor(WAIT);
      expect(await message.textContent()).toMatch(/pan must be within -1\.00 … 1\.00/);
      expect(head.position().pan).toBeCloseTo(after.pan, 5);

      // Presets: go to "door".
      await page.locator('select.ptz-preset').selectOption('door');
      await page.locator('button.ptz-goto').click();
      await expect.poll(() => head.position().pan, WAIT).toBeCloseTo(0.5, 2);
      // Operators go to presets but do not save them (supervisors and admins do).
      expect(await page.locator('button.ptz-set-preset').count()).toBe(0);

      // Snapshot: a JPEG of the camera shown in place, and listed among the stored snapshots.
      await page.locator('button.camera-snapshot').click();
      await waitForExpression(page, "(() => { const i = document.querySelector('.camera-preview-img'); return !!i && i.complete && i.naturalWidth === 320; })()", undefined, WAIT);
      await page.locator('ul[data-kind="snapshots"] button.capture').first().waitFor(WAIT);
      await page.screenshot({ path: artifactPath('cameras-detail-ptz-en.png') });
    } finally {
      await context.close();
    }
  }, 120_000);

  it('viewer: sees the live video but no PTZ controls, and the hub refuses PTZ from a viewer', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1300, height: 850 } });
    try {
      const page = await signIn(context, 'viewer', '#/cameras/cam-lobby');
      await page.locator('.camera-detail[data-camera="cam-lobby"]').waitFor(WAIT);
      await videoPlays(page, '.camera-detail video');
      expect(await page.locator('.ptz, [data-ptz]').count()).toBe(0);
      expect(await page.locator('.camera-status').textContent()).toBe('在线');
      await page.screenshot({ path: artifactPath('cameras-viewer-zh.png') });
      const res = await fetch(`${stack.url}/api/cameras/cam-lobby/ptz`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await token('viewer')}` },
        body: JSON.stringify({ type: 'stop' }),
      });
      expect(res.status).toBe(403);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('camera wall: 4 tiles play with large labels; with 1 tile it turns the page', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 720 } });
    try {
      const page = await signIn(context, 'operator', '#/cameras/wall?layout=4');
      const tiles = page.locator('.camwall .camera-tile');
      await tiles.nth(3).waitFor(WAIT);
      expect(await tiles.count()).toBe(4);
      for (let i = 0; i < 4; i++) await videoPlays(page, `.camwall .camera-tile[data-camera="${CAMERA_IDS[i]}"] video`, 0.5);
      expect(await page.evaluate("[...document.querySelectorAll('.camwall .camera-tile')].map((t) => t.dataset.state)")).toEqual(['playing', 'playing', 'playing', 'playing']);
      const fontPx = Number.parseFloat((await page.evaluate("getComputedStyle(document.querySelector('.camwall .camera-tile-name')).fontSize")) as string);
      expect(fontPx).toBeGreaterThanOrEqual(16);
      await page.screenshot({ path: artifactPath('cameras-wall-4.png') });

      // Page 2 is an outdoor camera served on demand whose stream the 4-tile page's grace has let
      // go: a cold start (the simulator starts its picture first), so a page must last long
      // enough for it to play on a loaded machine.
      await page.evaluate(`location.hash = '#/cameras/wall?layout=1&cycle=12'`);
      await page.locator(`.camwall[data-layout="1"] .camera-tile[data-camera="${CAMERA_IDS[0]}"]`).waitFor(WAIT);
      expect(await page.locator('.camwall-page').textContent()).toBe(`Page 1 of ${CAMERA_IDS.length}`);
      await page.locator(`.camwall .camera-tile[data-camera="${CAMERA_IDS[1]}"]`).waitFor(WAIT);
      expect(await page.locator('.camwall-page').textContent()).toBe(`Page 2 of ${CAMERA_IDS.length}`);
      await videoPlays(page, `.camwall .camera-tile[data-camera="${CAMERA_IDS[1]}"] video`, 0.3);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('supervisor: saves the current position as a new preset', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1500, height: 950 } });
    try {
      const page = await signIn(context, 'supervisor', '#/cameras/cam-server');
      await page.locator('.ptz[data-camera="cam-server"]').waitFor(WAIT);
      await page.locator('input.ptz-preset-name').fill('Gate B');
      await page.locator('button.ptz-set-preset').click();
      await page.locator('select.ptz-preset option[value="gate-b"]').waitFor({ ...WAIT, state: 'attached' });
      expect(await page.locator('.ptz-message').textContent()).toBe('Preset Gate B saved.');
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('video components outside the views (loaded alone through Vite)', () => {
  let vite: ViteDevServer;
  let page: Page;
  let context: BrowserContext;

  beforeAll(async () => {
    // Neither component is mounted by a view yet (the alarm list's detail area and the 3D wall's
    // camera markers will): serve them through Vite's dev server, which also proxies the hub.
    vite = await createServer({
      configFile: false,
      logLevel: 'warn',
      root: path.join(REPO_ROOT, 'console'),
      server: { host: '127.0.0.1', port: 0, hmr: false, proxy: { '/api': { target: stack.url }, '/video': { target: stack.url.replace('http', 'ws'), ws: true } } },
      plugins: [{
        name: 'video-components-page',
        configureServer(server) {
          server.middlewares.use('/components.html', (_req, res) => {
            res.setHeader('content-type', 'text/html');
            res.end(`<!doctype html><html><body style="background:#15181c;color:#eee;width:900px">
<div id="host"></div>
<script type="module">
  import { AlarmVideoPanel } from '/src/video/alarm-video.ts';
  import { openCameraPanel } from '/src/video/camera-panel.ts';
  const login = await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'guard', password: 'guard-demo' }) });
  window.session = await login.json();
  window.components = { AlarmVideoPanel, openCameraPanel };
</script></body></html>`);
          });
        },
      }],
    });
    await vite.listen();
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 960, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (e) => console.error('components page error:', e.message));
    await page.goto(`http://127.0.0.1:${(vite.httpServer!.address() as { port: number }).port}/components.html`);
    await waitForExpression(page, '!!window.components && !!window.session.token', undefined, WAIT);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await vite?.close();
  });

  it('AlarmVideoPanel: shows the snapshot and clip recorded for the alarm and the live view of the camera in its room', async () => {
    // The alarm action of the video module, as the alarms module runs it when the alarm raises.
    const raisedAt = Date.now();
    const capture = await stack.video!.handleCameraAction({ id: 'e2e.door.h' }, { type: 'camera-snapshot', camera: 'camera-archive' });
    expect(capture.errors).toEqual([]);
    await page.evaluate(`(() => {
      const panel = new window.components.AlarmVideoPanel({ id: 'e2e.door.h', area: 'a/b1/corridor-b1', activeSince: ${raisedAt}, lastChange: ${raisedAt} }, { session: window.session });
      document.getElementById('host').replaceChildren(panel.el);
      window.alarmPanel = panel;
    })()`);
    await waitForExpression(page, "(() => { const i = document.querySelector('.alarm-capture-snapshots img'); return !!i && i.complete && i.naturalWidth === 320; })()", undefined, WAIT);
    await waitForExpression(page, "(() => { const v = document.querySelector('.alarm-capture-clips video'); return !!v && v.readyState >= 1 && v.duration > 1; })()", undefined, WAIT);
    expect(await page.locator('.alarm-capture-snapshots').getAttribute('data-file')).toBe(path.basename(capture.snapshot!));
    expect(await page.locator('.alarm-capture-clips').getAttribute('data-file')).toBe(path.basename(capture.clip!));
    await page.locator('.alarm-video-live-view[data-camera="cam-archive"]').waitFor(WAIT);
    await videoPlays(page, '.alarm-video-live-view video', 0.5);
    expect(await page.locator('.alarm-video-live-view figcaption.alarm-video-caption').textContent()).toContain('camera in the same room');
    await page.screenshot({ path: artifactPath('cameras-alarm-video-en.png'), fullPage: true });

    // Another alarm, on a floor without a camera in its room and no captures: the floor's camera, and says so.
    await page.evaluate("window.alarmPanel.update({ id: 'e2e.leak', area: 'a/b1/pump-room', activeSince: 1, lastChange: 1 })");
    await page.locator('.alarm-video-note').filter({ hasText: 'No snapshot or clip was recorded for this alarm.' }).waitFor(WAIT);
    expect(await page.locator('.alarm-capture-snapshots, .alarm-capture-clips').count()).toBe(0);
    expect(await page.locator('.alarm-video-live-view figcaption.alarm-video-caption').textContent()).toContain('same floor');
    await page.evaluate('window.alarmPanel.destroy()');
  }, 90_000);

  it('openCameraPanel: opens a camera over the page with its live video and PTZ, Esc closes it', async () => {
    await page.evaluate("window.cameraPanel = window.components.openCameraPanel('cam-lobby', { session: window.session })");
    await page.locator('.camera-panel[data-camera="cam-lobby"] .camera-detail').waitFor(WAIT);
    await videoPlays(page, '.camera-panel video', 0.5);
    expect(await page.locator('.camera-panel .ptz').count()).toBe(1); // guards have cameras:ptz
    await page.keyboard.press('Escape');
    await page.locator('.camera-panel-backdrop').waitFor({ ...WAIT, state: 'detached' });
  }, 60_000);
});
