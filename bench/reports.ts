// Leaders' reports benchmarks (`npm run bench -- decision`, `npm run bench -- report-pdf`), against a
// real hub on the demo config and a real influxd holding a fast-forwarded month of demo data:
//  - decision: first meaningful paint of #/decision on a 390×844 phone page from a cold browser cache
//    (new context each run, session already signed in), median of 5; plus the API's first answer;
//    then screenshots of the view at 390×844, 1366×768, 1920×1080 in zh-CN and en (docs/screens/);
//  - report-pdf: the monthly report for the previous month (payload from InfluxDB + Chromium PDF).
// The month is written at REPORTS_BENCH_METER_STEP_S for meters and 60 s for the rest: report-pdf
// defaults to 1 s meter data (the measure: ~21 M lines, ~6 min to write on this box), the
// decision view to 10 s (it reads the hub's cached summary; the data only has to be there).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureConsoleBuilt, launchChromium, REPO_ROOT } from '../test/e2e/harness.js';
import { startInfluxd } from '../test/influx/influxd.js';
import { createAlarmsModule } from '../hub/alarms/index.js';
import { loadConfig } from '../hub/config/load.js';
import { createHistoryModule } from '../hub/history/module.js';
import { historySettingsSchema } from '../hub/history/settings.js';
import { silentLogger } from '../hub/log.js';
import { createHub } from '../hub/server.js';
import { createDispatchModule, loadDispatchFile } from '../hub/workorders/index.js';
import { fastForward } from '../hub/reports/fast-forward.js';
import { createReportsModule } from '../hub/reports/index.js';
import { periodOf, reportSpan, yearEarlier } from '../hub/reports/periods.js';

const DAY = 86_400_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export async function stack(defaultMeterStepS = 10) {
  const influx = await startInfluxd();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-bench-reports-'));
  const config = loadConfig(path.join(REPO_ROOT, 'config'));
  config.hub.dataDir = dataDir;
  const file = loadDispatchFile(path.join(REPO_ROOT, 'config'));
  file.notify = { ...file.notify, robots: [], push: undefined, smtp: undefined };
  const history = createHistoryModule({ settings: historySettingsSchema.parse({ backend: 'influxdb', url: influx.url, rawRetention: '800d', rollups: [] }) });
  const alarms = createAlarmsModule();
  const dispatch = createDispatchModule({ alarms: () => alarms.engine, file });
  const reports = createReportsModule({ history: () => history.store(), alarms: () => alarms, dispatch: () => dispatch, tickMs: 0 });
  await ensureConsoleBuilt();
  const hub = await createHub(config, { drivers: [], modules: [history, alarms, dispatch, reports], listen: { host: '127.0.0.1', port: 0 }, log: silentLogger() });
  const tz = config.site.timezone;
  const now = Date.now();
  // From the day before the previous month began (the monthly report's period) to now: ≥ 30 days.
  const from = periodOf(periodOf(now, tz, 'month').from - 1, tz, 'month').from - DAY;
  const points = config.points.map((p) => p.info);
  const step = Number(process.env.REPORTS_BENCH_METER_STEP_S ?? defaultMeterStepS);
  const otherStep = Number(process.env.REPORTS_BENCH_OTHER_STEP_S ?? 60);
  const w = await fastForward({ url: influx.url, database: 'watchfloor', retentionPolicy: 'raw', points, tz, from, to: now, meterStepS: step, otherStepS: otherStep, anomalies: true });
  const wl = await fastForward({ url: influx.url, database: 'watchfloor', retentionPolicy: 'raw', points, tz, from: yearEarlier(from, tz), to: yearEarlier(now, tz) + 2 * DAY, meterStepS: 300, otherStepS: 900, scale: 1.08, seed: 7 });
  reports.invalidate(); // the month was written behind the hub's back: no figure cached before it may stay
  return {
    hub, reports, tz, now, days: (now - from) / DAY, step, written: w, writtenLastYear: wl,
    async stop() {
      await hub.stop();
      await influx.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function login(url: string, user: string) {
  const r = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: `${user}-demo` }) });
  return (await r.json()) as Record<string, unknown>;
}

export async function benchDecision(): Promise<Record<string, number | string>> {
  const s = await stack();
  const out: Record<string, number | string> = {
    'data: days × meter step (s)': `${s.days.toFixed(1)} d × ${s.step} s`,
    'data: lines written (this year / last year)': `${s.written.lines} / ${s.writtenLastYear.lines}`,
    'data: fast-forward write (s)': s.written.ms / 1000,
  };
  const browser = await launchChromium();
  try {
    const session = await login(s.hub.url, 'leader');
    const t0 = Date.now();
    const first = await fetch(`${s.hub.url}/api/reports/decision`, { headers: { authorization: `Bearer ${session.token}` } });
    const body = (await first.json()) as { tookMs: number };
    out['API first answer, cold (ms)'] = Date.now() - t0;
    out['API assembly tookMs (hub side)'] = body.tookMs;
    const paints: number[] = [];
    const browserPaints: number[] = [];
    for (let i = 0; i < 5; i++) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
      await context.addInitScript(`sessionStorage.setItem('watchfloor.session', ${JSON.stringify(JSON.stringify(session))});`);
      // The browser's own clock: navigation start → the frame that shows the cards (the first rAF after
      // they are in the DOM fires when that frame is being produced). Excludes the harness's overhead.
      await context.addInitScript(`new MutationObserver((_, mo) => { if (document.querySelector('.dv[data-ready="1"] .dv-now')) { mo.disconnect(); requestAnimationFrame(() => { window.__cardsPaintedAt = performance.now(); }); } }).observe(document, { subtree: true, childList: true, attributes: true });`);
      const page = await context.newPage();
      const start = Date.now();
      await page.goto(`${s.hub.url}/#/decision`);
      try {
        await page.locator('.dv[data-ready="1"] .dv-now').waitFor({ timeout: 30_000 });
      } catch (err) {
        await page.screenshot({ path: '/tmp/decision-bench-failure.png' });
        throw new Error(`decision view not ready: ${(await page.locator('body').innerText()).slice(0, 300)}`, { cause: err });
      }
      paints.push(Date.now() - start);
      await page.waitForFunction('window.__cardsPaintedAt !== undefined');
      browserPaints.push(Math.round(Number(await page.evaluate('window.__cardsPaintedAt'))));
      await context.close();
    }
    out['phone 390×844 first meaningful paint, cold cache, median of 5 (ms)'] = median(paints);
    out['… all runs (ms)'] = paints.join(', ');
    out['… in the browser: navigation start → frame with the cards, median (ms)'] = median(browserPaints);
    out['… in the browser, all runs (ms)'] = browserPaints.join(', ');
    // Screenshots for docs/screens (looked at by a person, not asserted).
    const dir = path.join(REPO_ROOT, 'docs', 'screens');
    fs.mkdirSync(dir, { recursive: true });
    for (const lang of ['zh-CN', 'en'] as const) {
      for (const [w, h] of [[390, 844], [1366, 768], [1920, 1080]]) {
        const context = await browser.newContext({ viewport: { width: w, height: h }, locale: lang, isMobile: w < 500, deviceScaleFactor: 1 });
        await context.addInitScript(`sessionStorage.setItem('watchfloor.session', ${JSON.stringify(JSON.stringify(session))}); localStorage.setItem('watchfloor.locale', '${lang}'); localStorage.setItem('watchfloor.locale.leader', '${lang}');`);
        const page = await context.newPage();
        await page.goto(`${s.hub.url}/#/decision`);
        await page.locator('.dv[data-ready="1"]').waitFor({ timeout: 30_000 });
        await page.screenshot({ path: path.join(dir, `decision-${lang}-${w}x${h}.png`), fullPage: w < 500 });
        await context.close();
      }
    }
    out.screenshots = 'docs/screens/decision-{zh-CN,en}-{390x844,1366x768,1920x1080}.png';
  } finally {
    await browser.close();
    await s.stop();
  }
  out['load after'] = os.loadavg()[0].toFixed(1);
  return out;
}

export async function benchReportPdf(): Promise<Record<string, number | string>> {
  const s = await stack(1);
  const out: Record<string, number | string> = { 'data: days × meter step (s)': `${s.days.toFixed(1)} d × ${s.step} s`, 'data: lines written': s.written.lines };
  try {
    const span = reportSpan('monthly', s.now, s.tz);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      const p0 = Date.now();
      await s.reports.payload('monthly', 'zh-CN', span);
      const payloadMs = Date.now() - p0;
      const e = await s.reports.make('monthly', i % 2 ? 'en' : 'zh-CN', span, 'bench', []);
      times.push(Date.now() - t0 - payloadMs);
      out[`run ${i + 1}: payload / make (payload + Chromium PDF) (ms), PDF KiB`] = `${payloadMs} / ${e.renderMs + (Date.now() - t0 - payloadMs - e.renderMs)} , ${(e.bytes / 1024).toFixed(0)}`;
    }
    out['monthly report PDF, median (ms)'] = median(times);
  } finally {
    await s.stop();
  }
  out['load after'] = os.loadavg()[0].toFixed(1);
  return out;
}
