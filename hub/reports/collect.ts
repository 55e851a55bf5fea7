// Assembles the decision summary "as at" an instant from the live hub: alarm engine and journal,
// work orders, history (meters, CO2, supply air, run status), the point store and, when present,
// patrol compliance. One call answers the decision view and every report.
import type { SiteTree } from '../../contracts/api.js';
import type { PointInfo } from '../../contracts/point.js';
import type { AlarmHealth, Anomaly, DecisionSummary, MaintenanceFigures, NotCurrentItem, PatrolFigures, ReportPeriodName, RoomUse } from '../../contracts/reports.js';
import { localParts } from '../../contracts/timezone.js';
import type { WorkOrder } from '../../contracts/workorders.js';
import type { AlarmEngine } from '../alarms/engine.js';
import type { AlarmJournal } from '../alarms/journal.js';
import { ANNUNCIATING_KINDS, computeKpis } from '../alarms/kpi.js';
import type { HistoryStore } from '../history/store.js';
import type { PointStoreLike } from '../module.js';
import type { WorkOrderStore } from '../workorders/store.js';
import { consumptionAnomalies, repeatFaults, runningHoursAnomaly } from './anomalies.js';
import { degreeDays, normalisedChangePct } from './degree-days.js';
import { eemuaGrade } from './eemua.js';
import { HOUR_MS, biggestDeviations, energyRows, fetchDeltas, metersOf, spansFor, type DeltaReader, type MeterSeries } from './energy-figures.js';
import { lastYearSpan, periodOf, type Span } from './periods.js';
import type { ReportsFile } from './schema.js';
import { SLOT_MS, utilisation } from './utilisation.js';

const DAY_MS = 24 * HOUR_MS;
const OPEN_STATES = new Set(['new', 'assigned', 'accepted', 'en_route', 'on_site']);
const NOT_CURRENT = new Set(['comm_fail', 'stale', 'bad']);

/** What the reports module needs of patrols (hub/patrols), when that module runs. */
export interface PatrolSource {
  compliance(from: number, to: number): { planned: number; done: number; missed: number; missedItems?: Array<{ subject: string; reason: string; href?: string }> };
}

export interface CollectDeps {
  site: SiteTree;
  points: readonly PointInfo[];
  file: ReportsFile;
  history(): HistoryStore | null;
  alarms(): { engine: AlarmEngine; journal: AlarmJournal; operatorPositions: number } | undefined;
  orders(): WorkOrderStore | undefined;
  store: PointStoreLike;
  patrols(): PatrolSource | { absent: string };
  /** Reads hourly meter deltas (default: the store; the decision view passes its cache). */
  readDeltas?: DeltaReader;
}

export interface CollectOptions {
  at: number;
  /** Rooms and anomaly window (default: the last 7 days). */
  window?: { from: number; to: number };
  /** Query meters from here at least (a report's period). */
  extraFrom?: number;
  /** Query meters up to here (a report's period end; default `at`). */
  queryTo?: number;
}

const dateKey = (ts: number, tz: string) => {
  const p = localParts(ts, tz);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
};

export async function collect(deps: CollectDeps, opts: CollectOptions): Promise<DecisionSummary> {
  return (await collectWithDeltas(deps, opts)).summary;
}

/**
 * The summary and the hourly meter consumption it was computed from (this year's query range), so a
 * report's daily table reuses it: on a month of 1 s meter data that query is most of a report's cost.
 */
export async function collectWithDeltas(deps: CollectDeps, opts: CollectOptions): Promise<{ summary: DecisionSummary; thisYear: MeterSeries; queried: Span }> {
  const t0 = Date.now();
  const tz = deps.site.timezone;
  const at = opts.at;
  // Whole 15-minute slots (the rooms' grid), so any reader re-aggregating the same slots agrees.
  const w = opts.window ?? { from: at - 7 * DAY_MS, to: at };
  const window = { from: Math.floor(w.from / SLOT_MS) * SLOT_MS, to: Math.ceil(w.to / SLOT_MS) * SLOT_MS };
  const store = deps.history();
  const anomalies: Anomaly[] = [];

  // ---- now: critical alarms, emergencies, buildings not current ----
  const a = deps.alarms();
  const critical = a ? a.engine.list({}).filter((v) => v.priority === 'critical' && (v.active || !v.acked)) : [];
  const orders: WorkOrder[] = deps.orders()?.list({ limit: 100_000 }) ?? [];
  const open = orders.filter((o) => OPEN_STATES.has(o.state));
  const notCurrent: NotCurrentItem[] = [];
  for (const b of deps.site.buildings) {
    const ps = deps.points.filter((p) => p.id.split('/')[1] === b.id && p.protocol !== 'derived');
    const bad = ps.filter((p) => {
      const s = deps.store.get(p.id);
      return !s || NOT_CURRENT.has(s.quality);
    });
    if (bad.length > 0) {
      const [, , floor] = bad[0].id.split('/');
      notCurrent.push({ building: b.id, name: b.name, points: ps.length, stale: bad.length, example: bad[0].id, href: `#/floor/${b.id}/${floor}` });
    }
  }

  // ---- energy and water ----
  const meters = metersOf(deps.points);
  // The baseline's start is floored to a UTC day: whole hours, and the same range all day long, so
  // the decision view's delta cache can keep the closed hours.
  const baselineFrom = Math.floor((at - (deps.file.anomalies.baselineDays + 2) * DAY_MS) / DAY_MS) * DAY_MS;
  const spans = spansFor(at, tz, Math.min(opts.extraFrom ?? Infinity, baselineFrom));
  if (opts.queryTo !== undefined) spans.thisYear.to = Math.max(spans.thisYear.to, opts.queryTo);
  const [thisYear, lastYear] = store
    ? await Promise.all([fetchDeltas(store, meters, spans.thisYear, deps.readDeltas), fetchDeltas(store, meters, spans.lastYear, deps.readDeltas)])
    : [new Map(), new Map()];

  // Degree-days need an outdoor temperature; the demo has none, so say so.
  let weather: DecisionSummary['weather'] = { available: false, reason: 'no outdoorTemperature point configured in reports.yaml' };
  let normalise: ((actual: number | null, last: number | null, period: ReportPeriodName) => number | null) | undefined;
  if (deps.file.outdoorTemperature && store) {
    const pid = deps.file.outdoorTemperature;
    const dd = new Map<ReportPeriodName, [ReturnType<typeof degreeDays>, ReturnType<typeof degreeDays>]>();
    for (const period of ['day', 'week', 'month'] as const) {
      const span = periodOf(at, tz, period);
      const last = lastYearSpan(period, span, at, tz);
      const means = async (from: number, to: number) => {
        const byDay = new Map<string, number[]>();
        const [s] = await store.trend({ points: [pid], from, to, stepMs: HOUR_MS, agg: 'mean', offsetMs: 0 });
        for (const [t, v] of s?.points ?? []) {
          const k = dateKey(t, tz);
          byDay.set(k, [...(byDay.get(k) ?? []), v]);
        }
        return [...byDay.values()].map((vs) => vs.reduce((x, y) => x + y, 0) / vs.length);
      };
      const [mNow, mLast] = await Promise.all([means(span.from, Math.min(at, span.to)), means(last.from, last.to)]);
      dd.set(period, [degreeDays(mNow, deps.file.degreeDays.heatingBaseC, deps.file.degreeDays.coolingBaseC), degreeDays(mLast, deps.file.degreeDays.heatingBaseC, deps.file.degreeDays.coolingBaseC)]);
    }
    weather = { available: true, reason: `degree-days from ${pid}`, pointId: pid };
    normalise = (actual, last, period) => normalisedChangePct(actual, last, dd.get(period)![0], dd.get(period)![1]);
  }
  const energy = energyRows({ site: deps.site, file: deps.file, tz, meters, thisYear, lastYear, at, normalise });

  // Night / weekend consumption per meter (hourly consumption already fetched).
  for (const m of meters) {
    const hourly = (thisYear.get(m.pointId) ?? []).map((d: { ts: number; delta: number }) => [d.ts, d.delta] as const);
    anomalies.push(...consumptionAnomalies({ pointId: m.pointId, unit: m.unit, label: m.label }, hourly, at, tz, deps.file.anomalies));
  }

  // ---- maintenance ----
  let maintenance: DecisionSummary['maintenance'];
  if (!deps.orders()) maintenance = { available: false, reason: 'the dispatch module (work orders) is not running' };
  else {
    const overdue = open.filter((o) => at > o.fixBy || (o.acceptedAt === undefined && at > o.respondBy));
    const recent = orders.filter((o) => o.state !== 'cancelled' && o.doneAt !== undefined && o.doneAt >= at - 30 * DAY_MS && o.doneAt <= at);
    const rated = orders.filter((o) => o.rating && o.rating.at >= at - 30 * DAY_MS && o.rating.at <= at);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((x, y) => x + y, 0) / xs.length : null);
    const m: MaintenanceFigures = {
      open: open.length, overdue: overdue.length,
      overdueOrders: overdue.slice(0, 10).map((o) => ({ id: o.id, title: o.title, href: `#/workorders/${o.id}` })),
      mttrMin: ((x) => (x === null ? null : Math.round(x * 10) / 10))(mean(recent.map((o) => (o.doneAt! - o.createdAt) / 60_000))),
      satisfaction: ((x) => (x === null ? null : Math.round(x * 100) / 100))(mean(rated.map((o) => o.rating!.score))),
      finished30d: recent.length,
      href: '#/workorders/stats',
    };
    maintenance = m;
    const devices = new Map<string, { count: number; latestOrder: number }>();
    for (const o of orders) {
      if (!o.device || o.createdAt < at - 30 * DAY_MS || o.createdAt > at || o.state === 'cancelled') continue;
      const d = devices.get(o.device) ?? { count: 0, latestOrder: 0 };
      d.count++;
      d.latestOrder = Math.max(d.latestOrder, o.id);
      devices.set(o.device, d);
    }
    anomalies.push(...repeatFaults(new Map(), Infinity, 7, [...devices].map(([device, d]) => ({ device, ...d }))));
  }

  // ---- alarm-system health (EEMUA 191) over the last 24 h, and repeat alarms over 7 days ----
  let alarmHealth: DecisionSummary['alarmHealth'];
  if (!a) alarmHealth = { available: false, reason: 'the alarms module is not running' };
  else {
    const from = at - DAY_MS;
    const rows = a.journal.query({ from, to: at, kind: [...ANNUNCIATING_KINDS], ascending: true, limit: 100_000 });
    const k = computeKpis(rows, a.engine.states(), { from, to: at, operatorPositions: a.operatorPositions });
    const h: AlarmHealth = {
      from, to: at, per10MinAvg: Math.round(k.per10MinAvg * 100) / 100, per10MinMax: k.per10MinMax, floodPercent: Math.round(k.floodPercent * 10) / 10,
      grade: eemuaGrade(k.per10MinAvg),
      standing: k.stale.map((s) => ({ ...s, href: `#/alarms/journal?alarm=${encodeURIComponent(s.alarmId)}` })),
      chattering: k.chattering.map((c) => ({ ...c, href: `#/alarms/journal?alarm=${encodeURIComponent(c.alarmId)}` })),
      href: '#/alarms/kpi',
    };
    alarmHealth = h;
    const acts = new Map<string, number>();
    for (const r of a.journal.query({ from: at - 7 * DAY_MS, to: at, kind: ['activate'], ascending: true, limit: 100_000 })) acts.set(r.alarmId, (acts.get(r.alarmId) ?? 0) + 1);
    anomalies.push(...repeatFaults(acts, deps.file.anomalies.repeatAlarmCount, 7, []));
  }

  // ---- meeting rooms: occupied (CO2) vs conditioned (supply air) ----
  const rooms: RoomUse[] = [];
  if (store) {
    for (const b of deps.site.buildings) for (const f of b.floors) for (const r of f.rooms) {
      if (r.type !== 'meeting') continue;
      const inRoom = deps.points.filter((p) => p.id.split('/').slice(1, 4).join('/') === `${b.id}/${f.id}/${r.id}`);
      const co2 = inRoom.find((p) => p.brick === 'CO2_Level_Sensor' || p.unit === 'ppm');
      const air = inRoom.find((p) => p.brick === 'Supply_Air_Flow_Sensor');
      if (!co2 || !air) continue;
      const series = await store.trend({ points: [co2.id, air.id], from: window.from, to: window.to, stepMs: SLOT_MS, agg: 'mean', offsetMs: 0 });
      const u = utilisation({ co2: series[0]?.points ?? [], airflow: series[1]?.points ?? [] }, deps.file.meetingRooms.co2OccupiedPpm, deps.file.meetingRooms.airflowConditionedM3h);
      rooms.push({ room: `${b.id}/${f.id}/${r.id}`, name: r.name, ...u, href: `#/trends/${encodeURIComponent(air.id)}` });
    }
  }

  // ---- equipment running hours per local day ----
  if (store) {
    const configured = new Map(deps.file.anomalies.runningHours.map((r) => [r.point, r.maxPerDay]));
    const runPoints = deps.points.filter((p) => p.kind === 'binary' && (configured.has(p.id) || p.brick === 'Run_Status' || p.brick === 'Fan_Status'));
    const days = deps.file.anomalies.baselineDays + 1;
    const lastDayEnd = periodOf(at, tz, 'day').from;
    const from = lastDayEnd - days * DAY_MS;
    if (runPoints.length > 0) {
      const series = await store.trend({ points: runPoints.map((p) => p.id), from, to: lastDayEnd, stepMs: HOUR_MS, agg: 'mean', offsetMs: 0 });
      runPoints.forEach((p, i) => {
        const byDay = new Map<string, number>();
        for (const [t, v] of series[i]?.points ?? []) byDay.set(dateKey(t, tz), (byDay.get(dateKey(t, tz)) ?? 0) + v);
        const list = [...byDay].sort(([x], [y]) => x.localeCompare(y)).map(([d, h]) => [d, Math.round(h * 100) / 100] as const);
        const an = runningHoursAnomaly({ pointId: p.id, label: `${p.device} ${p.name.en}` }, list, configured.get(p.id), deps.file.anomalies);
        if (an) anomalies.push(an);
      });
    }
  }

  // ---- patrols (optional: hub/patrols) ----
  let patrols: PatrolFigures;
  const ps = deps.patrols();
  if ('absent' in ps) patrols = { available: false, reason: ps.absent };
  else {
    const c = ps.compliance(window.from, window.to);
    patrols = { available: true, planned: c.planned, done: c.done, missed: c.missed, compliancePercent: c.planned ? Math.round((c.done / c.planned) * 1000) / 10 : null, href: '#/patrols' };
    for (const m of c.missedItems ?? []) anomalies.push({ kind: 'patrol-missed', subject: m.subject, reason: { en: m.reason, 'zh-CN': m.reason }, href: m.href ?? '#/patrols' });
  }

  const summary: DecisionSummary = {
    generatedAt: at, timezone: tz, tookMs: Date.now() - t0,
    now: {
      criticalAlarms: critical.slice(0, 20).map((v) => ({ id: v.id, pointId: v.pointId, message: v.message, activeSince: v.activeSince, acked: v.acked, href: `#/alarms/${v.area}` })),
      criticalCount: critical.length,
      emergencies: open.filter((o) => o.priority === 'critical').map((o) => ({ id: o.id, title: o.title, area: o.area, state: o.state, createdAt: o.createdAt, href: `#/workorders/${o.id}` })),
      notCurrent,
    },
    energy, deviations: biggestDeviations(energy), maintenance, patrols, alarmHealth, rooms, roomsWindow: window, anomalies, weather,
  };
  return { summary, thisYear, queried: spans.thisYear };
}
