// Console benchmark (`npm run bench -- console`), in headless Chromium (software WebGL) against a
// real hub with simulators (cameras included):
//  - phone (390×844): after sign-in, a critical alarm appears; taps and seconds until it is
//    acknowledged with its nearest camera playing (select the row → Acknowledge → confirm);
//  - wall (1920×1080 kiosk tour on Level 5): a critical alarm on B1 → B1 in focus with the room
//    filled and labelled, in ms after the hub raised the alarm (and after the sensor changed);
//  - first meaningful paint per route: page load with a session → the view's content on screen.
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/e2e/harness.js';
import { startConsoleStack } from '../test/e2e/console-stack.js';
import { CONSOLE_ROUTES } from '../test/e2e/console-routes.js';
import { PRIORITY_COLOURS } from '../console/src/scene/palette.js';
import { waitForExpression } from '../test/support/wait-for.js';

async function token(url: string, user: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: `${user}-demo` }) });
  return ((await res.json()) as { token: string }).token;
}

async function raisedAt(url: string, auth: string, alarmId: string): Promise<number> {
  const res = await fetch(`${url}/api/alarms`, { headers: { authorization: `Bearer ${auth}` } });
  const list = (await res.json()) as Array<{ id: string; activeSince?: number; lastChange: number }>;
  const a = list.find((x) => x.id === alarmId);
  return a?.activeSince ?? a?.lastChange ?? NaN;
}

export async function benchConsole(): Promise<Record<string, number | string>> {
  const stack = await startConsoleStack({ cameras: true });
  const browser = await launchChromium({ webgl: true });
  const out: Record<string, number | string> = {};
  const auth = await token(stack.url, 'operator');
  try {
    // CONSOLE_BENCH=phone (or wall, paint) runs one part only, e.g. while working on it.
    const only = process.env.CONSOLE_BENCH;
    // ---- first meaningful paint per route (desk size, session cookie already set) ----
    if (!only || only === 'paint') {
      const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 768 } });
      const page = await context.newPage();
      await stack.signIn(page, 'admin', '#/alarms');
      for (const route of CONSOLE_ROUTES.filter((r) => !r.kiosk)) {
        const t0 = Date.now();
        await page.goto(`${stack.url}/${route.hash}`);
        await page.locator(route.ready).first().waitFor({ timeout: 30_000 });
        out[`paint ${route.name} (ms)`] = Date.now() - t0;
      }
      await context.close();
    }

    // ---- wall: critical on another floor → floor and room shown ----
    if (!only || only === 'wall') {
      const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1920, height: 1080 } });
      const page = await context.newPage();
      await stack.signIn(page, 'operator', '#/wall/a?cycle=30&floor=l05');
      await waitForExpression(page, () => window.__wallDebug?.ready === true && window.__wallDebug.focusedFloor() === 'l05', undefined, { timeout: 60_000 });
      await page.waitForTimeout(1000);
      const set = Date.now();
      stack.sim.set('modbus-gw-b1', stack.unitIdOf('archive-b103', 'leak-1'), 'leak', true);
      await waitForExpression(page, (colour) => {
        const d = window.__wallDebug!;
        return d.focusedFloor() === 'b1' && d.roomColour('archive-b103') === colour && !!d.roomLabel('archive-b103');
      }, PRIORITY_COLOURS.critical, { timeout: 30_000, polling: 'raf' });
      const shown = Date.now();
      const raised = await raisedAt(stack.url, auth, 'leak-archive-b103');
      out['wall: alarm raised → floor+room shown (ms)'] = shown - raised;
      out['wall: sensor changed → floor+room shown (ms)'] = shown - set;
      const label = (await page.evaluate('window.__wallDebug.roomLabel("archive-b103")')) as { fontPx: number };
      out['wall: room label size at 1080p (px)'] = label.fontPx;
      await context.close();
    }

    // ---- phone: alarm → acknowledged, camera playing ----
    // The stack registers the demo's camera action (test/e2e/console-stack.ts, as hub/modules.ts):
    // the alarm's camera (cam-archive, also the nearest to the pump room) is named by an alarm
    // rule's camera action, so the hub keeps it on standby (hub/video/standby.ts): the guard's
    // viewer joins a live stream and gets init + the current GOP at once.
    if (!only || only === 'phone') {
      const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const page: Page = await context.newPage();
      await stack.signIn(page, 'guard', '#/alarms');
      const camera = 'cam-archive';
      const streamState = () => stack.video?.gateway?.status(camera)?.state ?? 'none';
      out['phone: camera stream before the alarm'] = streamState();
      const set = Date.now();
      stack.sim.set('modbus-gw-b1', stack.unitIdOf('pump-b101', 'leak-1'), 'leak', true);
      // When the hub's camera stream goes live (polled: the gateway has no event for it).
      const liveBefore = streamState() === 'live';
      let live = 0;
      const poll = setInterval(() => { if (!live && streamState() === 'live') live = Date.now(); }, 20);
      const row = page.locator('tr.alarm[data-alarm-id="leak-pump-b101"]');
      await row.waitFor({ timeout: 30_000 });
      const appeared = Date.now();
      out['phone: camera stream when the alarm appears'] = streamState();
      let taps = 0;
      await row.locator('.alarm-message').tap(); taps++;
      const tapped = Date.now();
      await page.locator('.alarm-video-live video').first().waitFor({ timeout: 30_000 });
      const videoShown = Date.now();
      await row.locator('button.alarm-ack, button[class*="ack"]').first().tap(); taps++;
      await page.locator('.ack-pop-confirm').tap(); taps++;
      const confirmed = Date.now();
      await page.locator('tr.alarm[data-alarm-id="leak-pump-b101"]:not(.s-unacknowledged)').waitFor({ timeout: 30_000 });
      const acked = Date.now();
      await waitForExpression(page, () => {
        const v = document.querySelector<HTMLVideoElement>('.alarm-video-live video');
        return !!v && v.readyState >= 2 && v.currentTime > 0;
      }, undefined, { timeout: 30_000, polling: 'raf' });
      const playing = Date.now();
      clearInterval(poll);
      const raised = await raisedAt(stack.url, auth, 'leak-pump-b101');
      out['phone: taps after the alarm appears'] = taps;
      out['phone: sensor changed → alarm raised (ms)'] = raised - set;
      out['phone: alarm raised → row appears (ms)'] = appeared - raised;
      out['phone: alarm raised → hub camera stream live (ms)'] = liveBefore ? 'live before (standby)' : live ? live - raised : 'never';
      out['phone: row tapped → detail with video element (ms)'] = videoShown - tapped;
      out['phone: ack confirmed → row acknowledged (ms)'] = acked - confirmed;
      out['phone: video element → first frame playing (ms)'] = playing - videoShown;
      out['phone: alarm appears → acknowledged (ms)'] = acked - appeared;
      out['phone: alarm appears → acknowledged and camera playing (ms)'] = Math.max(acked, playing) - appeared;
      await context.close();
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchConsole());
}
