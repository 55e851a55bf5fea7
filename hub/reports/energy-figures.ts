// Energy and water per building and floor: today / this week / this month against target and the
// same period last year, from the meters' cumulative counters (HistoryStore.counterDeltas, the same
// rule as /api/energy). One query per meter for this year and one for last year.
import type { LocalizedText, PointInfo } from '../../contracts/point.js';
import type { SiteTree } from '../../contracts/api.js';
import type { Deviation, EnergyRow, PeriodFigure, ReportPeriodName, Utility } from '../../contracts/reports.js';
import type { CounterDelta } from '../history/energy.js';
import type { HistoryStore } from '../history/store.js';
import { lastYearSpan, periodOf, type Span } from './periods.js';
import type { ReportsFile } from './schema.js';
import { pctChange, periodTarget, project, round } from './targets.js';

export const HOUR_MS = 3_600_000;
export const PERIODS: readonly ReportPeriodName[] = ['day', 'week', 'month'];

export interface Meter { pointId: string; utility: Utility; unit: string; building: string; floor: string; label: string }

/** Cumulative counters of the site: kWh → electricity, m³ → water (analog points only). */
export function metersOf(points: readonly PointInfo[]): Meter[] {
  const out: Meter[] = [];
  for (const p of points) {
    if (p.kind !== 'analog') continue;
    const utility: Utility | null = p.unit === 'kWh' ? 'electricity' : p.unit === 'm³' ? 'water' : null;
    if (!utility) continue;
    const [, building, floor] = p.id.split('/');
    out.push({ pointId: p.id, utility, unit: p.unit!, building, floor, label: p.name.en === p.name['zh-CN'] ? p.name.en : `${p.device} ${p.name.en}` });
  }
  return out;
}

/** Hourly consumption of one meter over [from, to): [hour start, value]. */
export type MeterSeries = Map<string, CounterDelta[]>;

/** How hourly deltas are read: the store itself, or through the decision view's cache. */
export type DeltaReader = (store: HistoryStore, pointId: string, from: number, to: number, bucketMs: number) => Promise<CounterDelta[]>;
const direct: DeltaReader = (store, pointId, from, to, bucketMs) => store.counterDeltas(pointId, from, to, bucketMs);

export async function fetchDeltas(store: HistoryStore, meters: readonly Meter[], span: Span, read: DeltaReader = direct): Promise<MeterSeries> {
  const out: MeterSeries = new Map();
  await Promise.all(meters.map(async (m) => out.set(m.pointId, await read(store, m.pointId, span.from, span.to, HOUR_MS))));
  return out;
}

export const sumIn = (deltas: readonly CounterDelta[] | undefined, from: number, to: number): number | null => {
  if (!deltas) return null;
  let sum = 0;
  let any = false;
  for (const d of deltas) if (d.ts >= from && d.ts < to) (sum += d.delta), (any = true);
  return any ? sum : null;
};

const addNullable = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : a + b);

function nameOf(site: SiteTree, building: string, floor?: string): LocalizedText {
  const b = site.buildings.find((x) => x.id === building);
  if (!b) return { en: building, 'zh-CN': building };
  if (!floor) return b.name;
  const f = b.floors.find((x) => x.id === floor);
  return f ? { en: `${b.name.en} ${f.name.en}`, 'zh-CN': `${b.name['zh-CN']}${f.name['zh-CN']}` } : { en: `${b.name.en} ${floor}`, 'zh-CN': `${b.name['zh-CN']}${floor}` };
}

export interface EnergyInput {
  site: SiteTree;
  file: ReportsFile;
  tz: string;
  meters: readonly Meter[];
  thisYear: MeterSeries;
  lastYear: MeterSeries;
  /** The instant figures are "as at". */
  at: number;
  /** Weather-normalised change per row and period, when available. */
  normalise?: (actual: number | null, lastYear: number | null, period: ReportPeriodName) => number | null;
}

/** The spans the figures need: this year's and last year's query ranges. */
export function spansFor(at: number, tz: string, extraFrom?: number): { thisYear: Span; lastYear: Span } {
  const periods = PERIODS.map((p) => ({ p, span: periodOf(at, tz, p) }));
  const last = periods.map(({ p, span }) => lastYearSpan(p, span, at, tz));
  return {
    thisYear: { from: Math.min(...periods.map((x) => x.span.from), extraFrom ?? Infinity), to: at },
    lastYear: { from: Math.min(...last.map((s) => s.from)), to: Math.max(...last.map((s) => s.to)) },
  };
}

export function energyRows(i: EnergyInput): EnergyRow[] {
  const rows: EnergyRow[] = [];
  const areas: Array<{ area: string; building: string; floor?: string }> = [];
  for (const b of i.site.buildings) {
    areas.push({ area: b.id, building: b.id });
    for (const f of b.floors) areas.push({ area: `${b.id}/${f.id}`, building: b.id, floor: f.id });
  }
  for (const a of areas) {
    for (const utility of ['electricity', 'water'] as const) {
      const ms = i.meters.filter((m) => m.utility === utility && m.building === a.building && (a.floor === undefined || m.floor === a.floor));
      if (ms.length === 0) continue;
      const target = i.file.targets.find((t) => t.area === a.area)?.[utility];
      const periods: PeriodFigure[] = PERIODS.map((period) => {
        const span = periodOf(i.at, i.tz, period);
        const last = lastYearSpan(period, span, i.at, i.tz);
        let actual: number | null = null;
        let lastYear: number | null = null;
        for (const m of ms) {
          actual = addNullable(actual, sumIn(i.thisYear.get(m.pointId), span.from, Math.min(span.to, i.at)));
          lastYear = addNullable(lastYear, sumIn(i.lastYear.get(m.pointId), last.from, last.to));
        }
        const tgt = target ? periodTarget(target, span.from, span.to, i.tz) : null;
        const projected = project(actual, span.from, span.to, i.at);
        const fig: PeriodFigure = {
          period, from: span.from, to: span.to, actual: round(actual), lastYear: round(lastYear), target: round(tgt), projected: round(projected),
          vsTargetPct: pctChange(projected, tgt), vsLastYearPct: pctChange(actual, lastYear),
        };
        if (i.normalise) fig.vsLastYearNormalisedPct = i.normalise(actual, lastYear, period);
        return fig;
      });
      rows.push({ area: a.area, name: nameOf(i.site, a.building, a.floor), utility, unit: ms[0].unit, meters: ms.map((m) => m.pointId), periods, href: `#/trends/${encodeURIComponent(ms[0].pointId)}` });
    }
  }
  return rows;
}

/** The biggest deviations (by absolute %), against target first, then against last year; at most `n`. */
export function biggestDeviations(rows: readonly EnergyRow[], n = 5): Deviation[] {
  const all: Deviation[] = [];
  for (const r of rows) {
    for (const p of r.periods) {
      if (p.vsTargetPct !== null) all.push({ area: r.area, name: r.name, utility: r.utility, period: p.period, against: 'target', pct: p.vsTargetPct, href: r.href });
      if (p.vsLastYearPct !== null) all.push({ area: r.area, name: r.name, utility: r.utility, period: p.period, against: 'lastYear', pct: p.vsLastYearPct, href: r.href });
    }
  }
  return all.sort((a, b) => Math.abs(b.pct) - Math.abs(a.pct) || a.area.localeCompare(b.area)).slice(0, n);
}
