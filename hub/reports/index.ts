// The reports module (issue 20): the leader's decision view (/api/reports/decision), scheduled
// daily/weekly/monthly PDF reports rendered by Chromium from the console's print route, delivered
// through the dispatch notifier (e-mail with the PDF attached; robots and push get the link), and
// archived in <dataDir>/reports. Patrol compliance is used when a patrol source is given.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type Router from '@koa/router';
import type { DecisionSummary, ReportEntry, ReportKind, ReportLang, ReportPayload } from '../../contracts/reports.js';
import { localParts } from '../../contracts/timezone.js';
import type { AlarmsModule } from '../alarms/index.js';
import { ConfigError } from '../config/errors.js';
import { sectionOf } from '../config/section-key.js';
import { InvalidError, UnavailableError } from '../errors.js';
import type { HistoryStore } from '../history/store.js';
import type { HubContext, HubModule } from '../module.js';
import type { DispatchModule } from '../workorders/index.js';
import { ReportArchive } from './archive.js';
import { CounterDeltaCache } from './delta-cache.js';
import { collect, collectWithDeltas, type CollectDeps, type PatrolSource } from './collect.js';
import { HOUR_MS, fetchDeltas, metersOf, sumIn } from './energy-figures.js';
import { localDays, reportSpan, type Span } from './periods.js';
import { PdfRenderer } from './render.js';
import { reportRoutes } from './routes.js';
import { isDue, lastDue } from './schedule.js';
import { REPORTS_FILE, REPORTS_SECTION, checkReports, reportsFileSchema, type ReportsFile } from './schema.js';

export { reportsFileSchema, checkReports, REPORTS_FILE } from './schema.js';

export interface ReportsModuleOptions {
  history?: () => HistoryStore | null;
  alarms?: () => AlarmsModule | undefined;
  dispatch?: () => DispatchModule | undefined;
  /** Patrol compliance (hub/patrols); absent → the section says why. */
  patrols?: () => PatrolSource | { absent: string } | undefined;
  file?: ReportsFile;
  now?: () => number;
  /** Schedule check period (ms); default 30 s; 0 = never (tests call runDue()). */
  tickMs?: number;
  /**
   * How long a decision answer is reused (ms); default 30 s. Closed meter hours are also kept (up to
   * 1 h, see delta-cache.ts); 0 turns both off.
   */
  cacheMs?: number;
}

export interface ReportsModule extends HubModule {
  decision(at?: number): Promise<DecisionSummary>;
  /** Builds the report payload for a period (what the print page shows). */
  payload(kind: ReportKind, lang: ReportLang, span: Span): Promise<ReportPayload>;
  /** Renders, archives and (with recipients) sends one report. */
  make(kind: ReportKind, lang: ReportLang, span: Span, by: string, recipients: string[]): Promise<ReportEntry>;
  /** Forgets the cached decision answer and meter hours (history was backfilled behind the hub's back). */
  invalidate(): void;
  /** Runs the schedules that are due now (the timer calls it). */
  runDue(): Promise<number>;
  readonly archive: ReportArchive | undefined;
}

const KIND_NAME = { daily: { en: 'Daily report', 'zh-CN': '日报' }, weekly: { en: 'Weekly report', 'zh-CN': '周报' }, monthly: { en: 'Monthly report', 'zh-CN': '月报' } } as const;
const PRINT_TTL_MS = 5 * 60_000;

export function createReportsModule(opts: ReportsModuleOptions = {}): ReportsModule {
  const now = opts.now ?? Date.now;
  let hub: HubContext | undefined;
  let file: ReportsFile = reportsFileSchema.parse({});
  let archive: ReportArchive | undefined;
  let timer: NodeJS.Timeout | undefined;
  const renderer = new PdfRenderer();
  const tokens = new Map<string, { payload: ReportPayload; expires: number }>();
  let cached: { at: number; value: Promise<DecisionSummary> } | undefined;
  let running: Promise<number> | undefined;
  let refreshing = false;
  // The decision view's meter hours, kept between refreshes (reports read the store directly).
  const deltaCache = new CounterDeltaCache({ now });
  const readCached = deltaCache.counterDeltas.bind(deltaCache);

  const deps = (): CollectDeps => {
    const h = hub!;
    return {
      site: h.config.site, points: h.config.points.map((p) => p.info), file, store: h.store,
      history: () => opts.history?.() ?? null,
      alarms: () => {
        const a = opts.alarms?.();
        return a?.engine && a.journal ? { engine: a.engine, journal: a.journal, operatorPositions: a.operatorPositions } : undefined;
      },
      orders: () => opts.dispatch?.()?.orders,
      patrols: () => opts.patrols?.() ?? { absent: 'no patrol compliance source: the patrols module (issue 15) is not running in this hub' },
    };
  };

  const decision = (at?: number): Promise<DecisionSummary> => {
    if (at !== undefined) return collect(deps(), { at });
    const t = now();
    const fresh = (ms: number) => {
      // cacheMs 0 (tests that write history behind the hub's back) also reads every meter hour afresh.
      const value = collect({ ...deps(), readDeltas: (opts.cacheMs ?? 30_000) === 0 ? undefined : readCached }, { at: ms });
      value.catch(() => (cached = undefined));
      return value;
    };
    if (!cached) {
      cached = { at: t, value: fresh(t) };
      return cached.value;
    }
    // Stale while revalidating: a leader's phone never waits for InfluxDB once the first answer exists.
    if (t - cached.at >= (opts.cacheMs ?? 30_000) && !refreshing) {
      const next = fresh(t);
      refreshing = true;
      next.then((v) => (cached = { at: t, value: Promise.resolve(v) })).catch(() => undefined).finally(() => (refreshing = false));
      if ((opts.cacheMs ?? 30_000) === 0) return next;
    }
    return cached.value;
  };

  const payload = async (kind: ReportKind, lang: ReportLang, span: Span): Promise<ReportPayload> => {
    const d = deps();
    const tz = d.site.timezone;
    const { summary, thisYear, queried } = await collectWithDeltas(d, { at: span.to - 1, window: span, extraFrom: span.from, queryTo: span.to });
    // The summary's meter query covers the report's period already (extraFrom/queryTo): reuse it.
    const store = d.history();
    const covered = queried.from <= span.from && queried.to >= span.to;
    const deltas = covered || !store ? thisYear : await fetchDeltas(store, metersOf(d.points), span);
    const days = localDays(span.from, span.to, tz);
    const daily = summary.energy.map((row) => ({
      area: row.area, name: row.name, utility: row.utility, unit: row.unit,
      days: days.map((day, i) => {
        const end = days[i + 1] ?? span.to;
        let v: number | null = null;
        for (const m of row.meters) {
          const s = sumIn(deltas.get(m), day, end);
          if (s !== null) v = (v ?? 0) + s;
        }
        return [day, v === null ? null : Math.round(v * 1000) / 1000] as [number, number | null];
      }),
    }));
    return { kind, lang, from: span.from, to: span.to, siteName: d.site.name, summary, daily };
  };

  const hubUrl = (): string => {
    const addr = hub?.httpServer?.address() as AddressInfo | null | undefined;
    if (!addr) throw new UnavailableError('hub_not_listening', 'the hub is not listening yet');
    const host = addr.address === '0.0.0.0' || addr.address === '::' ? '127.0.0.1' : addr.address;
    return `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
  };

  const make = async (kind: ReportKind, lang: ReportLang, span: Span, by: string, recipients: string[]): Promise<ReportEntry> => {
    if (!hub || !archive) throw new UnavailableError('reports_not_started', 'the reports module is not running');
    const p = await payload(kind, lang, span);
    const token = randomBytes(24).toString('hex');
    tokens.set(token, { payload: p, expires: now() + PRINT_TTL_MS });
    let rendered;
    try {
      rendered = await renderer.render(`${hubUrl()}/#/reports/print/${token}`, lang);
    } finally {
      tokens.delete(token);
    }
    const tz = hub.config.site.timezone;
    const lp = localParts(span.from, tz);
    const stamp = `${lp.year}${String(lp.month).padStart(2, '0')}${String(lp.day).padStart(2, '0')}`;
    const id = `${kind}-${stamp}-${lang.toLowerCase()}-${now().toString(36)}`;
    const entry: ReportEntry = {
      id, kind, lang, from: span.from, to: span.to, createdAt: now(), by, bytes: rendered.pdf.byteLength, renderMs: rendered.ms, recipients,
      href: `/api/reports/archive/${id}/pdf`,
    };
    archive.add(entry, rendered.pdf);
    hub.log.info({ id, kind, lang, bytes: entry.bytes, renderMs: entry.renderMs, recipients: recipients.length }, 'report made');
    const notifier = opts.dispatch?.()?.notifier;
    if (recipients.length > 0 && notifier) {
      const label = `${lp.year}-${String(lp.month).padStart(2, '0')}${kind === 'monthly' ? '' : `-${String(lp.day).padStart(2, '0')}`}`;
      const s = p.summary;
      const m = 'available' in s.maintenance ? null : s.maintenance;
      notifier.notify({
        key: `report:${id}`, priority: 'low', allChannels: true,
        title: { en: `${KIND_NAME[kind].en} ${label}`, 'zh-CN': `${KIND_NAME[kind]['zh-CN']} ${label}` },
        body: {
          en: `Critical alarms: ${s.now.criticalCount}; open orders: ${m?.open ?? '—'} (${m?.overdue ?? '—'} overdue); anomalies: ${s.anomalies.length}. PDF attached to e-mail.`,
          'zh-CN': `严重报警 ${s.now.criticalCount} 条；未完成工单 ${m?.open ?? '—'} 张（超时 ${m?.overdue ?? '—'}）；异常 ${s.anomalies.length} 条。邮件附 PDF。`,
        },
        link: `#/reports/${id}`,
        attachments: [{ filename: `${id}.pdf`, path: archive.pdfPath(id), contentType: 'application/pdf' }],
      }, recipients);
    }
    return entry;
  };

  const runDue = async (): Promise<number> => {
    if (!hub || !archive) return 0;
    if (running) return running;
    const tz = hub.config.site.timezone;
    const a = archive;
    running = (async () => {
      let n = 0;
      for (const s of file.schedules) {
        if (!s.enabled) continue;
        const t = now();
        const due = isDue(s.kind, s.at, t, tz, a.lastRun(s.id));
        if (due === null) continue;
        // Marked before rendering: a report that fails is logged, not retried every tick.
        a.setLastRun(s.id, due);
        try {
          await make(s.kind, s.lang, reportSpan(s.kind, due, tz), `schedule:${s.id}`, s.recipients);
          n++;
        } catch (err) {
          hub?.log.error({ err, schedule: s.id }, 'scheduled report failed');
        }
      }
      return n;
    })().finally(() => (running = undefined));
    return running;
  };

  return {
    name: 'reports',
    after: ['history', 'alarms', 'dispatch', 'patrols'],
    get archive() {
      return archive;
    },
    decision, payload, make, runDue,
    invalidate() {
      cached = undefined;
      deltaCache.clear();
    },
    async start(ctx) {
      hub = ctx;
      file = opts.file ?? sectionOf(ctx.config.sections, REPORTS_SECTION) ?? reportsFileSchema.parse({});
      const points = new Map(ctx.config.points.map((p) => [p.info.id, p.info]));
      const problems = checkReports(file, points, ctx.config.site, new Set(ctx.config.users.map((u) => u.username)));
      if (problems.length > 0) throw new ConfigError(problems.map((p) => ({ file: `${ctx.config.dir}/${REPORTS_FILE}`, path: p.path, message: p.message })));
      archive = new ReportArchive(ctx.dataDir, file.keep);
      // A new archive does not send every past report at once: schedules start from their latest due time.
      for (const s of file.schedules) if (archive.lastRun(s.id) === undefined) archive.setLastRun(s.id, lastDue(s.kind, s.at, now(), ctx.config.site.timezone));
      const tickMs = opts.tickMs ?? 30_000;
      if (tickMs > 0) {
        timer = setInterval(() => void runDue(), tickMs);
        timer.unref();
      }
      // Warm the decision answer so the first leader does not wait for it.
      setTimeout(() => void decision().catch(() => undefined), 1000).unref();
      ctx.health.register('reports', () => ({ ok: true, schedules: file.schedules.length, archived: archive?.list().length ?? 0 }));
    },
    reload(next, diff) {
      // reports.yaml changed: schedules, targets and recipients apply from now; a new schedule starts
      // from its latest due time (no burst of past reports), the decision answer is computed afresh.
      if (!hub || !archive || opts.file || !diff.sectionsChanged.includes(REPORTS_FILE)) return;
      file = sectionOf(next.sections, REPORTS_SECTION) ?? reportsFileSchema.parse({});
      archive.setKeep(file.keep);
      for (const s of file.schedules) if (archive.lastRun(s.id) === undefined) archive.setLastRun(s.id, lastDue(s.kind, s.at, now(), next.site.timezone));
      cached = undefined;
      hub.log.info({ schedules: file.schedules.length }, 'reports config reloaded');
    },
    routes(): Router {
      if (!hub) throw new Error('reports module: routes() called before start()');
      const h = hub;
      return reportRoutes({
        requirePermission: h.requirePermission,
        decision: () => decision(),
        archive: () => archive?.list() ?? [],
        pdfOf: (id) => (archive?.get(id) ? archive.pdfPath(id) : undefined),
        payloadOf: (token) => {
          const t = tokens.get(token);
          return t && t.expires > now() ? t.payload : undefined;
        },
        schedules: () => file.schedules.map((s) => ({ id: s.id, kind: s.kind, lang: s.lang, at: s.at, recipients: s.recipients, enabled: s.enabled, lastRun: archive?.lastRun(s.id) ?? null })),
        sendNow: async (user, kind, lang, recipients) => {
          const users = new Set(h.config.users.map((u) => u.username));
          const unknown = (recipients ?? []).filter((u) => !users.has(u));
          if (unknown.length) throw new InvalidError('unknown_recipient', `recipients: unknown user(s) ${unknown.join(', ')}`, { recipients: unknown });
          const sched = file.schedules.find((s) => s.kind === kind);
          const to = recipients ?? sched?.recipients ?? [];
          const l = lang ?? sched?.lang ?? 'zh-CN';
          const span = reportSpan(kind, now(), h.config.site.timezone);
          h.audit.record({ user, action: 'reports.send', target: kind, details: { lang: l, recipients: to, from: span.from, to: span.to } });
          const entry = await make(kind, l, span, user, to);
          h.audit.record({ user, action: 'reports.sent', target: entry.id, details: { bytes: entry.bytes, renderMs: entry.renderMs } });
          return entry;
        },
      });
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
      await renderer.close();
      tokens.clear();
    },
  };
}
