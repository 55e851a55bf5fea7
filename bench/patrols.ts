// Patrols benchmark (`npm run bench -- patrols`):
// 1. 200 concurrent tours × 30 checkpoints in a real hub (alarms + patrols modules): guards scan
//    every checkpoint but the last of each tour over the REST API with real signed codes, 200 at a
//    time. Figures: scan → recorded (HTTP 201) and scan → pushed to a wall client (Socket.IO
//    `patrols:update` with that checkpoint scanned), p50/p95. Goal p95 ≤ 1 s.
// 2. The unscanned last checkpoints: time from their window closing to the missed-checkpoint alarm
//    being active in the ISA-18.2 engine, p50/p95/max over the 200. Goal ≤ 10 s.
// 3. Camera → decoded checkpoint on a 390×844 page in Chromium with a fake camera playing a QR
//    code (jsQR path), over several page loads. Goal ≤ 500 ms.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';
import { io as connectClient } from 'socket.io-client';
import type { RunStatus } from '../contracts/patrols.js';
import { localParts } from '../contracts/timezone.js';
import { createAlarmsModule } from '../hub/alarms/index.js';
import { compileRules } from '../hub/alarms/rules.js';
import { alarmsFileSchema } from '../hub/alarms/schema.js';
import { hashPassword } from '../hub/auth/password.js';
import { buildCalendar } from '../hub/control/calendar.js';
import { silentLogger } from '../hub/log.js';
import { patrolAlarmId } from '../hub/patrols/alarms.js';
import { createPatrolsModule } from '../hub/patrols/index.js';
import { patrolsFileSchema } from '../hub/patrols/schema.js';
import { createHub } from '../hub/server.js';
import { testSiteConfig } from '../hub/test-support.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOURS = Number(process.env.PATROL_TOURS ?? 200);
const CPS = 30;
/** Time between one guard's scans (ms); 200 guards at 6 s offer ~33 scans/s. */
const PACE = Number(process.env.PATROL_PACE_MS ?? 6000);
const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] : NaN);
const hhmm = (h: number, m: number) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;

async function tours(): Promise<Record<string, number | string>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-bench-patrols-'));
  const hash = await hashPassword('pw', { N: 1024, r: 8, p: 1 });
  const config = testSiteConfig({ floors: 1, pointsPerFloor: 1, dataDir, users: [{ username: 'g', role: 'guard', passwordHash: hash }, { username: 'sup', role: 'supervisor', passwordHash: hash }] });
  // The hub's clock runs 2 s before the next local minute, where every tour starts.
  const real = Date.now();
  const nextMinute = Math.ceil((real + 1000) / 60_000) * 60_000;
  const offset = nextMinute - 2000 - real;
  const now = () => Date.now() + offset;
  const p = localParts(nextMinute, 'Asia/Shanghai');
  const at = hhmm(p.hour, p.minute);
  const endMin = (p.hour * 60 + p.minute + 30) % 1440;
  const to = hhmm(Math.floor(endMin / 60), endMin % 60);
  const n = (s: string) => ({ en: s, 'zh-CN': s });
  const cps: Array<{ id: string; name: ReturnType<typeof n>; area: string }> = [];
  const list = [];
  for (let t = 0; t < TOURS; t++) {
    const stops = [];
    for (let c = 0; c < CPS; c++) {
      const id = `t${t}-c${c}`;
      cps.push({ id, name: n(id), area: 'a/l01' });
      // All but the last: open now; the last closes 36 s after the start and is never scanned.
      stops.push(c < CPS - 1 ? { checkpoint: id, atMin: 0, windowMin: 10 } : { checkpoint: id, atMin: 0.5, windowMin: 0.1 });
    }
    list.push({ id: `tour-${t}`, name: n(`Tour ${t}`), area: 'a', maxGapMin: 10, assign: { user: 'g' }, runs: [{ shift: 'bench', at }], checkpoints: stops });
  }
  const file = patrolsFileSchema.parse({ shifts: [{ id: 'bench', name: n('Bench'), from: at, to }], checkpoints: cps, tours: list });
  const alarms = createAlarmsModule({ compiled: compileRules(alarmsFileSchema.parse({}), new Map()), now });
  const patrols = createPatrolsModule({ alarms: () => alarms.engine, file, calendar: buildCalendar({ holidays: [], workdays: [] }), now });
  const hub = await createHub(config, { drivers: [], modules: [alarms, patrols], log: silentLogger(), listen: { port: 0 }, consoleDir: path.join(dataDir, 'none') });
  try {
    const login = async (u: string) => ((await (await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: 'pw' }) })).json()) as { token: string }).token;
    const [guard, sup] = [await login('g'), await login('sup')];
    const codes = new Map(((await (await fetch(`${hub.url}/api/patrols/codes`, { headers: { authorization: `Bearer ${sup}` } })).json()) as Array<{ checkpoint: string; token: string }>).map((c) => [c.checkpoint, c.token]));
    const sock = connectClient(hub.url, { auth: { token: sup }, transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise<void>((ok, fail) => { sock.once('connect', ok); sock.once('connect_error', fail); });
    await new Promise((ok) => sock.emit('patrols:subscribe', ok));
    const sentAt = new Map<string, number>();
    const pushed: number[] = [];
    sock.on('patrols:update', (runs: RunStatus[]) => {
      const t = performance.now();
      for (const r of runs) for (const c of r.checkpoints) {
        if (c.scannedAt === undefined) continue;
        const k = `${r.tour}#${c.checkpoint}`;
        const s = sentAt.get(k);
        if (s !== undefined) {
          pushed.push(t - s);
          sentAt.delete(k);
        }
      }
    });
    // Wait for the start (hub time), then 200 guards scan their 29 checkpoints one after another.
    while (now() < nextMinute + 200) await new Promise((r) => setTimeout(r, 50));
    const recorded: number[] = [];
    let refused = 0;
    let retries = 0;
    const t0 = performance.now();
    // Guards walk: one scan every PACE ms each (jittered start), not as fast as the hub answers —
    // 200 closed-loop clients would measure their own queue, not the hub's latency.
    await Promise.all(Array.from({ length: TOURS }, async (_, t) => {
      await new Promise((r) => setTimeout(r, Math.random() * PACE));
      for (let c = 0; c < CPS - 1; c++) {
        if (c > 0) await new Promise((r) => setTimeout(r, PACE));
        const id = `t${t}-c${c}`;
        const s = performance.now();
        sentAt.set(`tour-${t}#${id}`, s);
        const send = () => fetch(`${hub.url}/api/patrols/scans`, { method: 'POST', headers: { authorization: `Bearer ${guard}`, 'content-type': 'application/json' }, body: JSON.stringify({ scanId: `b-${t}-${c}-${real}`, token: codes.get(id) }) });
        // A keep-alive connection the server closed just as it was reused: send again (same scan id,
        // so a request that did arrive is refused as a replay, never recorded twice).
        const r = await send().catch(() => (retries++, send()));
        await r.arrayBuffer();
        if (r.status === 201) recorded.push(performance.now() - s);
        else refused++;
      }
    }));
    const scanSeconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 500));
    // Missed alarms: the last checkpoint's window closes at start + 36 s (hub time), while guards still walk.
    const closes = nextMinute + 36_000;
    const ids = Array.from({ length: TOURS }, (_, t) => patrolAlarmId(`tour-${t}`, 'missed', `t${t}-c${CPS - 1}`));
    // The engine stamps activeSince with the hub's clock when the module raises the alarm.
    while (now() < closes + 15_000) await new Promise((r) => setTimeout(r, 100));
    const lat = ids.flatMap((id) => {
      const v = alarms.engine?.view(id);
      return v?.activeSince ? [v.activeSince - closes] : [];
    });
    sock.close();
    return {
      tours: TOURS, checkpointsPerTour: CPS, paceMs: PACE, scans: recorded.length, refused, retries, scanSeconds, scansPerSecond: recorded.length / scanSeconds,
      recordedP50ms: pct(recorded, 50), recordedP95ms: pct(recorded, 95), pushedP50ms: pct(pushed, 50), pushedP95ms: pct(pushed, 95), pushedCount: pushed.length,
      missedAlarms: lat.length, missedAlarmP50ms: pct(lat, 50), missedAlarmP95ms: pct(lat, 95), missedAlarmMaxMs: Math.max(...lat),
    };
  } finally {
    await hub.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function camera(): Promise<Record<string, number | string>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-bench-patrols-cam-'));
  const consoleDir = process.env.PT_CONSOLE_DIR ?? path.join(dataDir, 'console');
  if (!fs.existsSync(path.join(consoleDir, 'index.html'))) {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', consoleDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  }
  const hash = await hashPassword('pw', { N: 1024, r: 8, p: 1 });
  const config = testSiteConfig({ floors: 1, pointsPerFloor: 1, dataDir, users: [{ username: 'g', role: 'guard', passwordHash: hash }, { username: 'sup', role: 'supervisor', passwordHash: hash }] });
  const n = (s: string) => ({ en: s, 'zh-CN': s });
  const file = patrolsFileSchema.parse({ checkpoints: [{ id: 'gate', name: n('Gate'), area: 'site/gate' }] });
  const hub = await createHub(config, { drivers: [], modules: [createPatrolsModule({ file })], log: silentLogger(), listen: { port: 0 }, consoleDir });
  const { chromium } = await import('playwright-core');
  let browser: import('playwright-core').Browser | undefined;
  try {
    const login = async (u: string) => (await (await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: 'pw' }) })).json()) as { token: string };
    const sup = await login('sup');
    const token = ((await (await fetch(`${hub.url}/api/patrols/codes`, { headers: { authorization: `Bearer ${sup.token}` } })).json()) as Array<{ token: string }>)[0].token;
    const png = path.join(dataDir, 'qr.png');
    await QRCode.toFile(png, token, { width: 360, margin: 4 });
    const y4m = path.join(dataDir, 'qr.y4m');
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-loop', '1', '-i', png, '-vf', 'pad=640:480:(ow-iw)/2:(oh-ih)/2:white,format=yuv420p', '-t', '1', '-r', '10', y4m]);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${y4m}`] });
    const decode: number[] = [];
    const session = await login('g');
    for (let i = 0; i < 6; i++) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      await context.grantPermissions(['camera'], { origin: hub.url });
      await context.addInitScript(`sessionStorage.setItem('watchfloor.session', ${JSON.stringify(JSON.stringify(session))});`);
      const page = await context.newPage();
      await page.goto(`${hub.url}/#/patrols`);
      await page.locator('button[data-action=scan]').click();
      await page.locator('.pt-result[data-decode-ms]').waitFor({ timeout: 20_000 });
      decode.push(Number(await page.locator('.pt-result').getAttribute('data-decode-ms')));
      await context.close();
    }
    return { cameraLoads: decode.length, decodeP50ms: pct(decode, 50), decodeMaxMs: Math.max(...decode), decodeAll: decode.join(' ') };
  } finally {
    await browser?.close();
    await hub.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchPatrols(): Promise<Record<string, number | string>> {
  const load = os.loadavg()[0];
  const a = await tours();
  const b = await camera();
  return { ...a, ...b, loadBefore: load, loadAfter: os.loadavg()[0] };
}
