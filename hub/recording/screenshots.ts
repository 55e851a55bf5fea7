// Screenshots of the recordings page (docs/screens/recording-*.png): `npx tsx hub/recording/screenshots.ts [outDir]`.
// A hub with two simulated cameras recording for 25 s, a few timeline events, Chromium at phone and desk sizes in both languages.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startOnvifSimulator } from '../../simulators/onvif/index.js';
import { hashPassword, DEFAULT_SCRYPT } from '../auth/password.js';
import { createHub } from '../server.js';
import { testSiteConfig } from '../test-support.js';
import { createVideoModule } from '../video/module.js';
import { recordingFileSchema } from './config.js';
import { createRecordingModule } from './module.js';
import { rtspCameras, silentLog } from './test-support.js';
import { signInAll, openSignedIn } from '../workorders/browser-support.js';
import { waitForExpression } from '../../test/support/wait-for.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const OUT = process.argv[2] ?? path.join(os.tmpdir(), 'recshots');
fs.mkdirSync(OUT, { recursive: true });
const consoleDir = path.join(OUT, 'console');
if (!fs.existsSync(path.join(consoleDir, 'index.html')) || process.env.REBUILD) execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', consoleDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
const sim = await startOnvifSimulator({ cameras: [{ id: 'a', name: 'Archive door', width: 640, height: 360, fps: 10 }, { id: 'b', name: 'Lobby', width: 640, height: 360, fps: 10 }] });
const config = testSiteConfig({ floors: 1, pointsPerFloor: 1, users: [{ username: 'supervisor', role: 'supervisor', passwordHash: await hashPassword('pw', DEFAULT_SCRYPT) }] });
const video = createVideoModule({ registry: rtspCameras({ 'cam-archive': sim.cameras[0].rtspUrl, 'cam-lobby': sim.cameras[1].rtspUrl }) });
const rec = createRecordingModule({ cameras: () => video.catalog, config: recordingFileSchema.parse({ store: { segmentSeconds: 2 }, cameras: { 'cam-archive': { sees: ['a/l01/room-101'] }, 'cam-lobby': { sees: ['a/l01'] } } }) });
const hub = await createHub(config, { drivers: [], modules: [video, rec], log: silentLog as never, listen: { port: 0 }, consoleDir });
try {
  await new Promise((r) => setTimeout(r, 25_000));
  const t = Date.now() - 15_000;
  hub.audit.record({ ts: t, user: 'operator1', action: 'point.write', target: 'hq/a/l01/room-101/door-1/lock', details: { requested: 0, outcome: 'confirmed' } });
  hub.audit.record({ ts: t + 4000, user: 'guard2', action: 'broadcast.send', target: 'zone-a', details: { area: 'a/l01' } });
  hub.audit.record({ ts: t - 8000, user: 'maint', action: 'workorder.create', target: 'wo-17', details: { area: 'a/l01/room-101' } });
  rec.store!.index.addEvent({ id: 'door:x', ts: t + 2000, kind: 'door', place: 'a/l01/room-101', title: 'door-1/open opened', cameras: [] });
  const sessions = await signInAll(hub.url, ['supervisor'], 'pw');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--autoplay-policy=no-user-gesture-required'] });
  for (const locale of ['en', 'zh-CN'] as const) {
    for (const vp of [{ width: 390, height: 844 }, { width: 1366, height: 768 }]) {
      const { context, page } = await openSignedIn(browser, sessions.supervisor, 'supervisor', locale, vp);
      page.on('console', (m) => m.type() === 'error' && console.log('console error:', m.text()));
      await page.goto(`${hub.url}/#/recordings?cams=cam-archive,cam-lobby&t=${t}`);
      await waitForExpression(page, "document.querySelectorAll('.rec-event').length > 0 && document.querySelectorAll('.rec-span').length > 0", undefined, { timeout: 30_000 });
      await page.waitForTimeout(2500);
      const file = `${OUT}/recording-${vp.width}x${vp.height}-${locale}.png`;
      await page.screenshot({ path: file, fullPage: vp.width < 500 });
      console.log('wrote', file);
      await context.close();
    }
  }
  await browser.close();
} finally {
  await hub.stop();
  await sim.stop();
}
