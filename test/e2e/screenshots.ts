// `npm run screenshots [-- --all] [-- --out DIR]`: regenerates docs/screens/*.png, the main screens
// as each user sees them (phone 390×844, desk 1366×768, wall 1920×1080; en and zh-CN), from a real
// hub and Chromium. A leak is raised first so the alarm screens show something abnormal.
// `--all` shoots every route and 4K (for review, with `--out DIR`; not committed); `--only a,b` some routes;
// `--cameras` also starts the camera simulators (ffmpeg). PNGs at device scale 1.
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, launchChromium } from './harness.js';
import { startConsoleStack } from './console-stack.js';
import { CONSOLE_ROUTES, LOCALES, VIEWPORTS } from './console-routes.js';

const args = process.argv.slice(2);
const all = args.includes('--all');
const outIndex = args.indexOf('--out');
const outDir = outIndex >= 0 ? path.resolve(args[outIndex + 1]) : path.join(REPO_ROOT, 'docs', 'screens');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? new Set(args[onlyIndex + 1].split(',')) : null;
fs.mkdirSync(outDir, { recursive: true });

const stack = await startConsoleStack({ cameras: args.includes('--cameras') });
const browser = await launchChromium({ webgl: true });
try {
  // An abnormal room to show: a leak in the B1 pump room (critical) and a low battery (low).
  stack.sim.set('modbus-gw-b1', stack.unitIdOf('pump-b101', 'leak-1'), 'leak', true);
  const sizes = VIEWPORTS.filter((v) => all || v.name !== '4k');
  for (const route of CONSOLE_ROUTES.filter((r) => (all || r.main) && (!only || only.has(r.name)))) {
    // A kiosk is a wall: shot at wall sizes only.
    for (const size of sizes.filter((v) => !route.kiosk || v.width >= 1920)) {
      for (const loc of LOCALES) {
        const context = await browser.newContext({ locale: loc.locale, viewport: { width: size.width, height: size.height } });
        const page = await context.newPage();
        page.on('pageerror', (e) => console.error(`page error ${route.name} ${size.name} ${loc.name}:`, e.message));
        await stack.signIn(page, 'admin', route.hash);
        await page.locator(route.ready).first().waitFor({ timeout: 20_000 }).catch(() => console.error(`not ready: ${route.name}`));
        await page.waitForTimeout(route.webgl ? 2500 : 800);
        const file = path.join(outDir, `${route.name}-${size.name}-${loc.name}.png`);
        await page.screenshot({ path: file });
        fs.chmodSync(file, 0o644);
        console.log(file);
        await context.close();
      }
    }
  }
} finally {
  await browser.close();
  await stack.stop();
}
