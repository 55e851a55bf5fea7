// The reports module in a real hub on the demo config, with a real influxd holding 20 days of
// fast-forwarded demo data (and the same dates a year earlier): every figure of the decision
// summary is recomputed here straight from InfluxDB with InfluxQL and must match; permissions,
// CSRF, audit, "send now" (a real Chromium PDF, e-mailed as an attachment to a real SMTP server).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionSummary, ReportEntry } from '../../contracts/reports.js';
import { ensureConsoleBuilt, REPO_ROOT } from '../../test/e2e/harness.js';
import { startInfluxd, type RunningInfluxd } from '../../test/influx/influxd.js';
import { createAlarmsModule, type AlarmsModule } from '../alarms/index.js';
import { loadConfig } from '../config/load.js';
import { createHistoryModule } from '../history/module.js';
import { historySettingsSchema } from '../history/settings.js';
import { InfluxHttp } from '../history/influxHttp.js';
import { silentLogger } from '../log.js';
import { startSmtpPeer } from '../notify/test-peers.js';
import { createHub, type Hub } from '../server.js';
import { createDispatchModule, loadDispatchFile, type DispatchModule } from '../workorders/index.js';
import { fastForward } from './fast-forward.js';
import { createReportsModule, type ReportsModule } from './index.js';
import { lastYearSpan, periodOf, reportSpan, yearEarlier } from './periods.js';
import { collect } from './collect.js';
import { degreeDays, normalisedChangePct } from './degree-days.js';
import { LineEncoder } from '../history/lineProtocol.js';
import { reportsFileSchema } from './schema.js';
import { SLOT_MS } from './utilisation.js';

const DAY = 86_400_000;
let influx: RunningInfluxd;
let smtp: Awaited<ReturnType<typeof startSmtpPeer>>;
let hub: Hub;
let dataDir: string;
let reports: ReportsModule;
let alarms: AlarmsModule;
let dispatch: DispatchModule;
let http: InfluxHttp;
let history: ReturnType<typeof createHistoryModule>;
let config: ReturnType<typeof loadConfig>;
const tokens: Record<string, string> = {};
const cookies: Record<string, string> = {};

async function api<T>(p: string, init: RequestInit & { as?: string } = {}): Promise<{ status: number; body: T }> {
  const headers = new Headers(init.headers);
  if (init.as) headers.set('authorization', `Bearer ${tokens[init.as]}`);
  const res = await fetch(hub.url + p, { ...init, headers });
  const text = await res.text();
  return { status: res.status, body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
}

/** Counter reading just before `t` (InfluxQL last()). */
async function lastBefore(point: string, t: number): Promise<number | null> {
  const [r] = await http.query(`SELECT last("value") FROM "watchfloor"."raw"."samples" WHERE "point" = '${point}' AND "quality" = 'good' AND time < ${t}ms`);
  const v = r.series?.[0]?.values?.[0]?.[1];
  return typeof v === 'number' ? v : null;
}

/** Consumption over [from, to) straight from InfluxDB: reading before `to` − reading before `from` (no resets in this data). */
async function consumption(point: string, from: number, to: number): Promise<number> {
  const [a, b] = await Promise.all([lastBefore(point, from), lastBefore(point, to)]);
  if (a === null || b === null) throw new Error(`no readings around [${from}, ${to}) for ${point}`);
  return b - a;
}

/** 15-minute slot means from InfluxQL (the rooms' grid). */
async function slots(point: string, from: number, to: number): Promise<Array<[number, number]>> {
  const [r] = await http.query(`SELECT mean("value") FROM "watchfloor"."raw"."samples" WHERE "point" = '${point}' AND time >= ${from}ms AND time < ${to}ms GROUP BY time(15m) fill(none)`, {});
  return ((r.series?.[0]?.values ?? []) as Array<[string | number, number]>).map(([t, v]) => [typeof t === 'number' ? t : Date.parse(t), v]);
}

beforeAll(async () => {
  [influx, smtp] = await Promise.all([startInfluxd(), startSmtpPeer(), ensureConsoleBuilt()]);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-reports-'));
  config = loadConfig(path.join(REPO_ROOT, 'config'));
  config.hub.dataDir = dataDir;
  const file = loadDispatchFile(path.join(REPO_ROOT, 'config'));
  file.notify = { ...file.notify, smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Watchfloor <wf@hq.example.gov.cn>' }, robots: [], push: undefined, quietHours: undefined, dedupWindowS: 0 };
  history = createHistoryModule({ settings: historySettingsSchema.parse({ backend: 'influxdb', url: influx.url, rawRetention: '800d', rollups: [], flushMs: 100 }) });
  alarms = createAlarmsModule({ tickMs: 0 });
  dispatch = createDispatchModule({ alarms: () => alarms.engine, file, tickMs: 0, notifyTickMs: 0 });
  reports = createReportsModule({ history: () => history.store(), alarms: () => alarms, dispatch: () => dispatch, tickMs: 0, cacheMs: 0 });
  hub = await createHub(config, { drivers: [], modules: [history, alarms, dispatch, reports], listen: { host: '127.0.0.1', port: 0 }, log: silentLogger(), staleCheckMs: 60_000 });
  http = new InfluxHttp({ url: influx.url, database: 'watchfloor', retentionPolicy: 'raw' });
  // 20 days up to now (meters every 60 s, the rest every 5 min) and the same dates a year earlier (8 % more).
  const now = Date.now();
  const points = config.points.map((p) => p.info);
  const tz = config.site.timezone;
  await fastForward({ url: influx.url, database: 'watchfloor', retentionPolicy: 'raw', points, tz, from: now - 20 * DAY, to: now, meterStepS: 60, otherStepS: 300, anomalies: true });
  await fastForward({ url: influx.url, database: 'watchfloor', retentionPolicy: 'raw', points, tz, from: yearEarlier(now - 20 * DAY, tz), to: yearEarlier(now, tz) + 2 * DAY, meterStepS: 300, otherStepS: 900, scale: 1.08, seed: 7 });
  for (const u of ['leader', 'admin', 'viewer']) {
    const r = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: `${u}-demo` }) });
    tokens[u] = ((await r.json()) as { token: string }).token;
    cookies[u] = (r.headers.get('set-cookie') ?? '').split(';')[0];
  }
}, 240_000);

afterAll(async () => {
  await hub?.stop();
  await Promise.all([influx?.stop(), smtp?.close()]);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the decision summary', () => {
  let s: DecisionSummary;
  beforeAll(async () => {
    const r = await api<DecisionSummary>('/api/reports/decision', { as: 'leader' });
    expect(r.status).toBe(200);
    s = r.body;
  }, 60_000);

  it('is for leaders and admins only', async () => {
    expect((await api('/api/reports/decision')).status).toBe(401);
    expect((await api('/api/reports/decision', { as: 'viewer' })).status).toBe(403);
    expect((await api('/api/reports/decision', { as: 'admin' })).status).toBe(200);
  });

  it('has a row per building and floor meter, each figure equal to InfluxQL (this year and last year)', async () => {
    expect(s.energy.map((r) => `${r.area}:${r.utility}`)).toEqual(expect.arrayContaining(['a:electricity', 'a:water', 'a/b1:electricity', 'a/l05:electricity', 'a/b1:water']));
    let compared = 0;
    for (const row of s.energy) {
      for (const p of row.periods) {
        const to = Math.min(p.to, s.generatedAt);
        let want = 0;
        let wantLast = 0;
        for (const m of row.meters) {
          want += await consumption(m, p.from, to);
          // Last year: the same local dates (a week: 52 weeks earlier), up to the same elapsed time.
          // …rounded down to the whole hour.
          const [lf, lt0] = p.period === 'week' ? [p.from - 364 * DAY, to - 364 * DAY] : [yearEarlier(p.from, s.timezone), yearEarlier(to, s.timezone)];
          const lt = Math.floor(lt0 / 3_600_000) * 3_600_000;
          wantLast += await consumption(m, lf, lt);
        }
        expect(p.actual, `${row.area} ${row.utility} ${p.period}`).toBeCloseTo(want, 2);
        expect(p.lastYear, `${row.area} ${row.utility} ${p.period} last year`).toBeCloseTo(wantLast, 2);
        if (p.target !== null && p.projected !== null) expect(p.vsTargetPct).toBeCloseTo(((p.projected - p.target) / p.target) * 100, 0);
        compared += 2;
      }
      expect(row.href).toBe(`#/trends/${encodeURIComponent(row.meters[0])}`);
    }
    expect(compared).toBeGreaterThanOrEqual(30);
    // Last year used 8 % more in the fast-forward: this month should read clearly below it.
    const month = s.energy.find((r) => r.area === 'a' && r.utility === 'electricity')!.periods.find((p) => p.period === 'month')!;
    expect(month.vsLastYearPct!).toBeLessThan(0);
    expect(s.deviations.length).toBeGreaterThan(0);
  });

  it('meeting rooms: occupied / conditioned / empty-conditioned hours equal the 15-minute slots from InfluxQL', async () => {
    expect(s.rooms.length).toBe(5);
    for (const r of s.rooms) {
      const co2 = `hq/${r.room}/env-1/co2`;
      const air = decodeURIComponent(r.href.replace('#/trends/', ''));
      const [c, a] = await Promise.all([slots(co2, s.roomsWindow.from, s.roomsWindow.to), slots(air, s.roomsWindow.from, s.roomsWindow.to)]);
      const occ = new Set(c.filter(([, v]) => v >= 650).map(([t]) => t));
      const cond = a.filter(([, v]) => v > 150);
      expect(r.occupiedH, r.room).toBeCloseTo((occ.size * SLOT_MS) / 3_600_000, 6);
      expect(r.conditionedH, r.room).toBeCloseTo((cond.length * SLOT_MS) / 3_600_000, 6);
      expect(r.emptyConditionedH, r.room).toBeCloseTo((cond.filter(([t]) => !occ.has(t)).length * SLOT_MS) / 3_600_000, 6);
    }
    // Supply air follows the schedule, not the meetings: every room was conditioned while empty.
    expect(s.rooms.every((r) => r.emptyConditionedH > 0)).toBe(true);
  });

  it('anomaly notes: the l05 night surge and the chiller running hours, with figures InfluxQL confirms', async () => {
    const night = s.anomalies.find((a) => a.kind === 'night-consumption' && a.subject.includes('meter-l05'));
    expect(night, JSON.stringify(s.anomalies)).toBeDefined();
    const m = /night 22:00–06:00 from (\d{4}-\d\d-\d\d) used ([\d.]+) kWh/.exec(night!.reason.en)!;
    const nightFrom = Date.parse(`${m[1]}T22:00:00+08:00`);
    const used = await consumption(night!.subject, nightFrom, nightFrom + 8 * 3_600_000);
    expect(Number(m[2])).toBeCloseTo(used, 0);
    const run = s.anomalies.find((a) => a.kind === 'running-hours' && a.subject.includes('chiller-1'));
    expect(run, JSON.stringify(s.anomalies)).toBeDefined();
    const r = /ran ([\d.]+) h on (\d{4}-\d\d-\d\d)/.exec(run!.reason.en)!;
    const dayFrom = Date.parse(`${r[2]}T00:00:00+08:00`);
    const [q] = await http.query(`SELECT sum("m") FROM (SELECT mean("value") AS "m" FROM "watchfloor"."raw"."samples" WHERE "point" = '${run!.subject}' AND time >= ${dayFrom}ms AND time < ${dayFrom + DAY}ms GROUP BY time(1h) fill(none))`);
    expect(Number(r[1])).toBeCloseTo(q.series![0].values![0][1] as number, 1);
  });

  it('says why a section is absent, and grades the alarm system', () => {
    expect(s.patrols).toEqual({ available: false, reason: expect.stringContaining('patrols module') });
    expect(s.weather.available).toBe(false);
    expect('grade' in s.alarmHealth && s.alarmHealth.grade).toBe('very-likely-acceptable');
    expect('open' in s.maintenance && s.maintenance.href).toBe('#/workorders/stats');
    // Nothing feeds the points in this hub: the building is named as not current, with a link.
    expect(s.now.notCurrent[0]).toMatchObject({ building: 'a', href: expect.stringMatching(/^#\/floor\/a\//) });
  });
});

describe('weather normalisation (degree-days)', () => {
  it("compares with last year per degree-day, from the outdoor point's daily means in InfluxDB", async () => {
    // The demo has no outdoor-air point: use an analog °C point of the site as one, fed here with a
    // cold spell this year and a milder one last year, one reading an hour.
    const outdoor = config.points.map((p) => p.info).find((p) => p.kind === 'analog' && p.unit === '°C')!;
    const enc = new LineEncoder([outdoor]);
    const now = Date.now();
    const lines: string[] = [];
    for (let t = now - 40 * DAY; t < now; t += 3_600_000) {
      const h = (t / 3_600_000) % 24;
      lines.push(enc.encode({ pointId: outdoor.id, value: 4 + 3 * Math.sin((h / 24) * 2 * Math.PI), quality: 'good', readTs: t }));
      const lt = yearEarlier(t, 'Asia/Shanghai');
      lines.push(enc.encode({ pointId: outdoor.id, value: 9 + 3 * Math.cos((h / 24) * 2 * Math.PI), quality: 'good', readTs: lt }));
    }
    expect((await http.write(lines.join('\n'))) as { ok?: boolean }).toMatchObject({ ok: true });
    const file = reportsFileSchema.parse({ outdoorTemperature: outdoor.id });
    const a = alarms;
    const summary = await collect({
      site: config.site, points: config.points.map((p) => p.info), file, store: hub.store,
      history: () => history.store(), alarms: () => ({ engine: a.engine!, journal: a.journal!, operatorPositions: a.operatorPositions }),
      orders: () => dispatch.orders, patrols: () => ({ absent: 'not in this test' }),
    }, { at: now });
    expect(summary.weather).toMatchObject({ available: true, pointId: outdoor.id });
    const tz = summary.timezone;
    /** Daily means of the point over local days of [from, to), straight from InfluxQL. */
    const dailyMeans = async (from: number, to: number) => {
      const [r] = await http.query(`SELECT mean("value") FROM "watchfloor"."raw"."samples" WHERE "point" = '${outdoor.id}' AND time >= ${from}ms AND time < ${to}ms GROUP BY time(1d, -8h) fill(none)`);
      return (r.series?.[0]?.values ?? []).map((row) => row[1] as number);
    };
    let compared = 0;
    for (const row of summary.energy.filter((r) => r.utility === 'electricity')) {
      for (const p of row.periods) {
        const span = periodOf(now, tz, p.period);
        const last = lastYearSpan(p.period, span, now, tz);
        const [mNow, mLast] = await Promise.all([dailyMeans(span.from, Math.min(now, span.to)), dailyMeans(last.from, last.to)]);
        const want = normalisedChangePct(p.actual, p.lastYear, degreeDays(mNow), degreeDays(mLast));
        expect(want, `${row.area} ${p.period}`).not.toBeNull();
        expect(p.vsLastYearNormalisedPct, `${row.area} ${p.period}`).toBeCloseTo(want!, 0);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(6);
  }, 60_000);
});

describe('a report payload', () => {
  it("weekly: each local day's consumption per building and floor equals InfluxQL", async () => {
    const span = reportSpan('weekly', Date.now(), 'Asia/Shanghai');
    const p = await reports.payload('weekly', 'en', span);
    expect(p.daily.length).toBeGreaterThanOrEqual(8);
    let compared = 0;
    for (const row of p.daily.filter((r) => r.area === 'a' || r.area === 'a/l05')) {
      const meters = p.summary.energy.find((e) => e.area === row.area && e.utility === row.utility)!.meters;
      expect(row.days.length).toBe(7);
      for (const [i, [day, value]] of row.days.entries()) {
        const end = row.days[i + 1]?.[0] ?? span.to;
        let want = 0;
        for (const m of meters) want += await consumption(m, day, end);
        expect(value, `${row.area} ${row.utility} ${new Date(day).toISOString()}`).toBeCloseTo(want, 2);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(14);
  }, 60_000);
});

describe('send now', () => {
  it('is refused without reports:send, with a bad body, with an unknown recipient, and from a foreign origin', async () => {
    const post = (body: unknown, as: string, extra: Record<string, string> = {}) => api<{ error: { code: string; message: string } }>('/api/reports/send', { method: 'POST', as, headers: { 'content-type': 'application/json', ...extra }, body: JSON.stringify(body) });
    // What the archive held before (the PDF test may have run first): a refused send adds nothing.
    const archived = reports.archive!.list().map((e) => e.id);
    expect((await post({ kind: 'daily' }, 'leader')).status).toBe(403);
    const bad = await post({ kind: 'hourly' }, 'admin');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^kind: /);
    const who = await post({ kind: 'daily', recipients: ['nobody'] }, 'admin');
    expect(who.status).toBe(400);
    expect(who.body.error.message).toContain('nobody');
    // A cookie session from another site's page: CSRF refused before anything runs.
    const csrf = await fetch(`${hub.url}/api/reports/send`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: cookies.admin, origin: 'https://evil.example' }, body: JSON.stringify({ kind: 'daily' }) });
    expect(csrf.status).toBe(403);
    expect(reports.archive!.list().map((e) => e.id)).toEqual(archived);
  });

  it('renders a PDF in Chromium, archives it, audits it and e-mails it as an attachment', async () => {
    const r = await api<ReportEntry>('/api/reports/send', { method: 'POST', as: 'admin', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'monthly', lang: 'en', recipients: ['leader'] }) });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'monthly', lang: 'en', by: 'admin', recipients: ['leader'] });
    const pdf = await fetch(hub.url + r.body.href, { headers: { authorization: `Bearer ${tokens.leader}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBe(r.body.bytes);
    expect((await api<ReportEntry[]>('/api/reports/archive', { as: 'leader' })).body.map((e) => e.id)).toEqual([r.body.id]);
    expect((await api(`/api/reports/archive/nope/pdf`, { as: 'leader' })).status).toBe(404);
    const audit = await api<Array<{ action: string; user: string }>>('/api/audit?limit=50', { as: 'admin' });
    expect(JSON.stringify(audit.body)).toContain('reports.send');
    await dispatch.notifier!.idle();
    const mails = await smtp.waitFor(1, 20_000);
    const mail = mails.find((x) => x.to.includes('leader@hq.example.gov.cn'))!;
    expect(mail.raw).toMatch(/Content-Type: application\/pdf/i);
    expect(mail.raw).toContain(`${r.body.id}.pdf`);
  }, 120_000);
});
