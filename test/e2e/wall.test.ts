// End to end: the wall in real Chromium (software WebGL) against the demo stack with the history,
// alarms and floor-plan modules: the building renders, a leak in the simulator turns its room
// to the critical colour, a click on the room opens its trend, the language switches, and the
// wall shows "connection lost" while the hub is down and resyncs when a new hub is up.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { createFloorplansModule } from '../../hub/api/floorplans.js';
import { createAlarmsModule } from '../../hub/alarms/index.js';
import type { LoadedConfig } from '../../hub/config/types.js';
import { createHistoryModule } from '../../hub/history/module.js';
import { historySettingsSchema } from '../../hub/history/settings.js';
import { PRIORITY_COLOURS, NEUTRAL } from '../../console/src/scene/palette.js';
import { REPO_ROOT, artifactPath, launchChromium, startDemoStack, type DemoStack } from './harness.js';
import { waitForExpression } from '../support/wait-for.js';

const WAIT = { timeout: 30_000 };
const GATEWAY = 'modbus-gw-b1';
const ROOM = 'pump-b101';
const LEAK_POINT = `hq/a/b1/${ROOM}/leak-1/leak`;

let stack: DemoStack;
let browser: Browser;
let planDir: string;

/**
 * The demo plan places every device of the full config; this stack runs the Modbus part only, so
 * the plan it serves keeps the devices this config has (the validation refuses unknown ones).
 */
function planFor(config: LoadedConfig): string {
  const plan = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'floorplans', 'a.yaml'), 'utf8'));
  const known = new Set(config.devices.map((d) => `${d.location.floor}/${d.location.room}/${d.id}`));
  for (const floor of plan.floors) {
    floor.devices = floor.devices.filter((d: { room: string; equipment: string }) => known.has(`${floor.id}/${d.room}/${d.equipment}`));
  }
  fs.writeFileSync(path.join(planDir, 'a.yaml'), YAML.stringify(plan));
  return planDir;
}

function unitIdOf(room: string, device: string): number {
  const entry = stack.config.devices.find((d) => d.id === device && d.location.room === room);
  const unitId = (entry?.options as { unitId?: number } | undefined)?.unitId;
  if (unitId === undefined) throw new Error(`no unit id for ${room}/${device}`);
  return unitId;
}

async function signIn(page: Page): Promise<void> {
  await page.locator('input[name=username]').fill('operator');
  await page.locator('input[name=password]').fill('operator-demo');
  await page.locator('.login-card button[type=submit]').click();
  await page.locator('.shell').waitFor(WAIT);
}

/** Standard deviation of the canvas's luminance: a blank (one-colour) canvas gives 0. */
function canvasSpread(page: Page): Promise<number> {
  return page.evaluate(() => {
    const source = document.querySelector<HTMLCanvasElement>('.scene-canvas')!;
    const copy = document.createElement('canvas');
    copy.width = 320;
    copy.height = Math.round((320 * source.height) / source.width);
    const g = copy.getContext('2d')!;
    g.drawImage(source, 0, 0, copy.width, copy.height);
    const { data } = g.getImageData(0, 0, copy.width, copy.height);
    let sum = 0, sq = 0;
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      const l = 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
      sum += l; sq += l * l;
    }
    return Math.sqrt(sq / n - (sum / n) ** 2);
  });
}

beforeAll(async () => {
  planDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wall-plan-'));
  stack = await startDemoStack({
    hvac: true, // the alarm rules name HVAC points
    modules: (config) => [
      createHistoryModule({ settings: historySettingsSchema.parse({ backend: 'embedded', flushMs: 200 }) }),
      createAlarmsModule(),
      createFloorplansModule({ dir: planFor(config) }),
    ],
  });
  browser = await launchChromium({ webgl: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (planDir) fs.rmSync(planDir, { recursive: true, force: true });
}, 60_000);

describe('the control-room wall', () => {
  it('renders the building, colours a leak, opens a room trend, switches language and survives a hub restart', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const unitId = unitIdOf(ROOM, 'leak-1');
    try {
      await page.goto(`${stack.url}/#/wall/a`);
      await signIn(page);
      await waitForExpression(page, () => window.__wallDebug?.ready === true, undefined, WAIT);
      await waitForExpression(page, () => (window.__wallDebug?.renders() ?? 0) > 0, undefined, WAIT);
      expect(await page.evaluate(() => window.__wallDebug!.markers())).toBe(stack.config.devices.filter((d) => d.location.building === 'a').length);
      expect(await canvasSpread(page)).toBeGreaterThan(5);
      // Calm when normal: the leak room starts grey on the alarm layer.
      expect(await page.evaluate((room) => window.__wallDebug!.roomColour(room), ROOM)).toBe(NEUTRAL.room);
      await page.screenshot({ path: artifactPath('wall-normal-en.png') });

      // A leak in the simulator → the critical alarm → the room turns the critical colour, and the banner counts it.
      stack.sim.set(GATEWAY, unitId, 'leak', true);
      await waitForExpression(page, ([room, colour]) => window.__wallDebug!.roomColour(room) === colour, [ROOM, PRIORITY_COLOURS.critical] as const, WAIT);
      await page.locator('.alarm-banner .banner-count[data-priority="critical"]:not(.zero)').waitFor(WAIT);
      await page.locator('.wall-count[data-priority="critical"]:not(.zero)').waitFor(WAIT);
      await page.locator('.scene-label.prio-critical', { hasText: 'Critical' }).waitFor(WAIT);
      await page.screenshot({ path: artifactPath('wall-leak-en.png') });

      // Focus B1, click the room: its panel shows live values and a trend with data from the history API.
      await page.locator('.wall-floors button[data-floor="b1"]').click();
      await page.waitForTimeout(300); // let the camera move land before reading the room's screen point
      const at = await page.evaluate((room) => window.__wallDebug!.roomScreenPoint(room), ROOM);
      expect(at).not.toBeNull();
      await page.mouse.click(at![0], at![1]);
      const panel = page.locator(`.room-panel[data-area="a/b1/${ROOM}"]`);
      await panel.waitFor(WAIT);
      await panel.locator(`tr[data-point-id="${LEAK_POINT}"] td.value`, { hasText: 'Leak' }).waitFor(WAIT);
      await panel.locator('.panel-alarms li.prio-critical').waitFor(WAIT);
      await waitForExpression(page, () => Number(document.querySelector<HTMLElement>('.room-panel .trend-plot')?.dataset.seriesPoints ?? 0) > 0, undefined, WAIT);
      await page.locator('.room-panel .trend-plot canvas').first().waitFor(WAIT);
      await page.screenshot({ path: artifactPath('wall-room-panel-en.png') });

      // Switching the language relabels the wall in place.
      await page.locator('.topbar select.lang').selectOption('zh-CN');
      await page.locator('.wall-layers button[data-layer="alarms"]', { hasText: '报警' }).waitFor(WAIT);
      await page.locator('.room-panel h3', { hasText: '实时数值' }).waitFor(WAIT);
      await page.locator('.scene-label.prio-critical', { hasText: '紧急' }).waitFor(WAIT);
      await page.locator('[data-action="close-panel"]').click();
      await page.locator('.wall-floors button[data-floor=""]').click();
      await page.screenshot({ path: artifactPath('wall-leak-zh.png') });

      // The overview and the trends page draw from the live API and the history API.
      await page.goto(`${stack.url}/#/dashboard`);
      await page.locator('.dash-plot[data-chart="zones"] canvas').waitFor(WAIT);
      await page.locator('.dash-plot[data-chart="alarms"] canvas').waitFor(WAIT);
      await page.screenshot({ path: artifactPath('dashboard-zh.png') });
      await page.goto(`${stack.url}/#/trends/${encodeURIComponent(`hq/a/b1/${ROOM}/water-main/flow`)}`);
      await waitForExpression(page, () => Number(document.querySelector<HTMLElement>('.trends-view .trend-plot')?.dataset.seriesPoints ?? 0) > 0, undefined, WAIT);
      await page.screenshot({ path: artifactPath('trends-zh.png') });
      await page.goto(`${stack.url}/#/wall/a`);
      await waitForExpression(page, () => window.__wallDebug?.ready === true && window.__wallDebug.linkUp(), undefined, WAIT);

      // The hub goes away: the wall says so, with the time its data is from.
      await stack.stopHub();
      const overlay = page.locator('.wall-overlay:not([hidden])');
      await overlay.waitFor(WAIT);
      expect(await overlay.textContent()).toMatch(/连接中断 — 数据截至 \d\d:\d\d:\d\d/);
      await page.screenshot({ path: artifactPath('wall-connection-lost-zh.png') });

      // A new hub on the same port and data folder. Sessions persist there, so the unattended wall
      // resyncs by itself: no sign-in, the overlay goes, fresh data comes in.
      stack.sim.set(GATEWAY, unitId, 'leak', false);
      await stack.restartHub();
      await waitForExpression(page, () => window.__wallDebug?.ready === true && window.__wallDebug.linkUp(), undefined, { timeout: 60_000 });
      expect(await page.locator('.login-card').count()).toBe(0);
      expect(await page.locator('.wall-overlay').isHidden()).toBe(true);
      // Fresh state, not the old picture: the leak is gone in the new snapshot (the marker's points).
      await page.locator('.wall-side [data-figure="devicesDown"]').waitFor(WAIT);
      await page.screenshot({ path: artifactPath('wall-resynced-zh.png') });
    } finally {
      stack.sim.set(GATEWAY, unitId, 'leak', false);
      await context.close();
    }
  }, 180_000);
});
