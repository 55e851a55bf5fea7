// Energy and water analysis as pure functions: night-flow leak suspicion, schedule savings against
// an always-on baseline, on-time accumulation, and period-over-period comparison.
import { localParts } from '../../contracts/timezone.js';
import { addDays, type HolidayCalendar, type LocalDate } from './calendar.js';
import { evaluateAt } from './schedule.js';
import type { Schedule, Zone } from './schedule-schema.js';

export interface FlowSample {
  ts: number;
  /** m³/h; null = no valid reading. */
  value: number | null;
}

export interface NightFlowOptions {
  timezone: string;
  /** Local HH:MM window in which a sound building uses no water at all. */
  nightStart: string;
  nightEnd: string;
  /** Flows at or below this count as zero (meter noise), m³/h. */
  zeroThreshold: number;
  /** Fewer valid readings than this in the window: no verdict. */
  minSamples: number;
  /**
   * The night's window in absolute time, and the longest silence between readings that still
   * counts as covered (ms). When given, holes in the data (comm_fail, a stale meter) are reported
   * in `gaps`: a zero might have fallen into one, so the verdict is not certain.
   */
  window?: { from: number; to: number; maxGapMs: number };
}

export const DEFAULT_NIGHT_FLOW: Omit<NightFlowOptions, 'timezone'> = { nightStart: '01:00', nightEnd: '05:00', zeroThreshold: 0.05, minSamples: 10 };

export interface NightFlowResult {
  verdict: 'leak-suspected' | 'ok' | 'insufficient-data';
  samples: number;
  /** Lowest flow seen in the window (m³/h); a leak keeps it above zero all night. */
  minFlow: number | null;
  meanFlow: number | null;
  /** Volume lost in the window at the minimum flow, m³ (what the leak costs at least). */
  minimumLossM3: number | null;
  /** Stretches of the window without a good reading (only with `window`). */
  gaps?: Array<{ from: number; to: number }>;
  /** Their total length in minutes. */
  missingMin?: number;
}

/**
 * Where [from, to) has no good reading: before the first one, after the last one, after a
 * non-good reading (comm_fail), and between readings further apart than maxGapMs. Pure.
 */
export function coverageGaps(samples: readonly FlowSample[], from: number, to: number, maxGapMs: number): Array<{ from: number; to: number }> {
  const inside = samples.filter((s) => s.ts >= from && s.ts < to).sort((a, b) => a.ts - b.ts);
  const gaps: Array<{ from: number; to: number }> = [];
  let coveredUntil = from; // the last good reading (or the window start)
  let broken = false; // a non-good reading since then
  const hole = (end: number) => {
    if (end - coveredUntil > maxGapMs || (broken && end > coveredUntil)) {
      const last = gaps[gaps.length - 1];
      if (last && last.to === coveredUntil) last.to = end;
      else gaps.push({ from: coveredUntil, to: end });
    }
  };
  for (const s of inside) {
    if (s.value === null || !Number.isFinite(s.value)) {
      broken = true;
      continue;
    }
    hole(s.ts);
    coveredUntil = s.ts;
    broken = false;
  }
  hole(to);
  return gaps;
}

const hm = (s: string) => {
  const [h, m] = s.split(':').map(Number);
  return h * 60 + m;
};

/** A leak shows as a flow that never drops to zero during the night window. */
export function nightFlowAnalysis(samples: readonly FlowSample[], o: NightFlowOptions): NightFlowResult {
  const start = hm(o.nightStart);
  const end = hm(o.nightEnd);
  const inWindow = samples.filter((s) => {
    if (s.value === null || !Number.isFinite(s.value)) return false;
    const p = localParts(s.ts, o.timezone);
    const m = p.hour * 60 + p.minute;
    return start <= end ? m >= start && m < end : m >= start || m < end;
  }) as Array<{ ts: number; value: number }>;
  const coverage = o.window ? (() => {
    const gaps = coverageGaps(samples, o.window.from, o.window.to, o.window.maxGapMs);
    return { gaps, missingMin: Math.round(gaps.reduce((a, g) => a + g.to - g.from, 0) / 60_000) };
  })() : {};
  if (inWindow.length < o.minSamples) return { verdict: 'insufficient-data', samples: inWindow.length, minFlow: null, meanFlow: null, minimumLossM3: null, ...coverage };
  const min = Math.min(...inWindow.map((s) => s.value));
  const mean = inWindow.reduce((a, s) => a + s.value, 0) / inWindow.length;
  const hours = ((end - start + 1440) % 1440) / 60;
  return {
    verdict: min > o.zeroThreshold ? 'leak-suspected' : 'ok',
    samples: inWindow.length,
    minFlow: min,
    meanFlow: mean,
    minimumLossM3: min > o.zeroThreshold ? Math.round(min * hours * 1000) / 1000 : 0,
    ...coverage,
  };
}

export interface SavingsResult {
  date: string;
  zones: number;
  /** Conditioned hours if every zone ran all day. */
  baselineHours: number;
  scheduledHours: number;
  avoidedHours: number;
  baselineKwh: number;
  scheduledKwh: number;
  savedKwh: number;
}

/**
 * What a schedule saved on a day: hours each zone was unoccupied (not conditioned) × its load,
 * against an always-on baseline. Standby counts as half load. Evaluated in 15-minute steps.
 */
export function scheduleSavings(s: Schedule, cal: HolidayCalendar, d: LocalDate, zones: readonly Pick<Zone, 'loadKw'>[], stepMin = 15): SavingsResult {
  let occupiedH = 0;
  let standbyH = 0;
  for (let m = 0; m < 1440; m += stepMin) {
    const mode = evaluateAt(s, cal, d, m).mode;
    if (mode === 'occupied') occupiedH += stepMin / 60;
    else if (mode === 'standby') standbyH += stepMin / 60;
  }
  const load = zones.reduce((a, z) => a + z.loadKw, 0);
  const scheduledHours = (occupiedH + standbyH) * zones.length;
  const scheduledKwh = (occupiedH + 0.5 * standbyH) * load;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    date: `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`,
    zones: zones.length,
    baselineHours: 24 * zones.length,
    scheduledHours: round(scheduledHours),
    avoidedHours: round(24 * zones.length - scheduledHours),
    baselineKwh: round(24 * load),
    scheduledKwh: round(scheduledKwh),
    savedKwh: round(24 * load - scheduledKwh),
  };
}

/** Savings over a range of local days (inclusive). */
export function savingsOverDays(s: Schedule, cal: HolidayCalendar, from: LocalDate, days: number, zones: readonly Pick<Zone, 'loadKw'>[]): SavingsResult[] {
  return Array.from({ length: days }, (_, i) => scheduleSavings(s, cal, addDays(from, i), zones));
}

/** Accumulates on-time of binary points (fans running, circuits lit) per local day. */
export class RuntimeTracker {
  private readonly on = new Map<string, number>(); // pointId → on since (ms)
  private readonly totals = new Map<string, Map<string, number>>(); // pointId → date → ms

  constructor(private readonly timezone: string) {}

  observe(pointId: string, value: unknown, ts: number): void {
    const since = this.on.get(pointId);
    if (value === true) {
      if (since === undefined) this.on.set(pointId, ts);
      return;
    }
    if (since !== undefined) {
      this.add(pointId, since, ts);
      this.on.delete(pointId);
    }
  }

  /** On-time in hours on local day `date` (YYYY-MM-DD), counting a running interval up to `now`. */
  hours(pointId: string, date: string, now: number): number {
    let ms = this.totals.get(pointId)?.get(date) ?? 0;
    const since = this.on.get(pointId);
    if (since !== undefined) {
      const per = new Map<string, number>();
      splitByDay(since, now, this.timezone, per);
      ms += per.get(date) ?? 0;
    }
    return ms / 3_600_000;
  }

  private add(pointId: string, from: number, to: number): void {
    let t = this.totals.get(pointId);
    if (!t) this.totals.set(pointId, (t = new Map()));
    splitByDay(from, to, this.timezone, t);
  }
}

function splitByDay(from: number, to: number, tz: string, into: Map<string, number>): void {
  let t = from;
  while (t < to) {
    const p = localParts(t, tz);
    const date = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
    const msIntoDay = ((p.hour * 60 + p.minute) * 60 + p.second) * 1000 + (t % 1000);
    const end = Math.min(to, t - msIntoDay + 86_400_000);
    into.set(date, (into.get(date) ?? 0) + (end - t));
    t = end;
  }
}

/** `{ value, previous, change%, ratio }` with null-safe arithmetic. */
export function compare(value: number | null, previous: number | null): { value: number | null; previous: number | null; changePct: number | null } {
  const changePct = value !== null && previous !== null && previous !== 0 ? Math.round(((value - previous) / previous) * 1000) / 10 : null;
  return { value, previous, changePct };
}
