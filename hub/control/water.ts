// Night-flow watch: keeps a day of flow readings per water meter (from the sample bus) and, once
// the night window has passed, decides whether the flow ever dropped to zero. A flow that never
// does is a suspected leak: it is audited, logged once and handed to listeners (the alarms wiring).
import type { PointInfo } from '../../contracts/point.js';
import { localParts, zonedToUtc } from '../../contracts/timezone.js';
import type { AuditLogLike, HubLogger, IngestEvent } from '../module.js';
import { nightFlowAnalysis, type FlowSample, type NightFlowOptions, type NightFlowResult } from './energy.js';

export interface LeakEvent {
  meter: string;
  date: string;
  result: NightFlowResult;
  ts: number;
}

const KEEP_MS = 26 * 3_600_000;

/**
 * A water flow meter: analog in m³/h and not an air-flow sensor (VAV and AHU airflow share the
 * unit; the Brick class tells them apart). Derived points never count.
 */
export function isWaterFlowMeter(p: PointInfo): boolean {
  return p.kind === 'analog' && p.unit === 'm³/h' && p.protocol !== 'derived' && !/Air/.test(p.brick ?? '');
}
const MIN_SPACING_MS = 10_000;

export class WaterWatch {
  private readonly samples = new Map<string, FlowSample[]>();
  private readonly evaluated = new Map<string, string>(); // meter → date evaluated
  readonly latest = new Map<string, LeakEvent>();
  private readonly listeners = new Set<(e: LeakEvent) => void>();
  private readonly evaluatedListeners = new Set<(e: LeakEvent) => void>();

  constructor(
    readonly meters: readonly PointInfo[],
    private readonly o: NightFlowOptions & { now: () => number; audit: AuditLogLike; log: HubLogger },
  ) {
    for (const m of meters) this.samples.set(m.id, []);
  }

  onLeakSuspected(l: (e: LeakEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Every daily verdict (ok, leak-suspected, insufficient-data), e.g. for the derived night-flow-leak points. */
  onEvaluated(l: (e: LeakEvent) => void): () => void {
    this.evaluatedListeners.add(l);
    return () => this.evaluatedListeners.delete(l);
  }

  onIngest = (e: IngestEvent): void => {
    for (const s of e.samples) {
      const list = this.samples.get(s.pointId);
      if (!list) continue;
      const value = s.quality === 'good' && typeof s.value === 'number' ? s.value : null;
      this.push(s.pointId, { ts: s.sourceTs ?? s.readTs, value });
    }
  };

  /** Adds a reading (also used to backfill from history); keeps ≥10 s spacing and 26 h. */
  push(meter: string, sample: FlowSample): void {
    const list = this.samples.get(meter);
    if (!list) return;
    const last = list[list.length - 1];
    if (last && sample.ts - last.ts < MIN_SPACING_MS && !(last.value !== null && sample.value !== null && sample.value < last.value)) return;
    list.push(sample);
    const cutoff = sample.ts - KEEP_MS;
    while (list.length && list[0].ts < cutoff) list.shift();
  }

  /**
   * Tonight's window in absolute time for the local day `p`. A hole is a silence longer than five
   * of the meter's readings (kept at least MIN_SPACING_MS apart), and never less than two minutes.
   */
  private windowOf(p: { year: number; month: number; day: number }, meter: PointInfo): { from: number; to: number; maxGapMs: number } {
    const [sh, sm] = this.o.nightStart.split(':').map(Number);
    const [eh, em] = this.o.nightEnd.split(':').map(Number);
    const midnight = zonedToUtc(this.o.timezone, p.year, p.month, p.day, 0);
    const to = midnight + (eh * 60 + em) * 60_000;
    let from = midnight + (sh * 60 + sm) * 60_000;
    if (from >= to) from -= 86_400_000; // a window across midnight started the evening before
    return { from, to, maxGapMs: Math.max(5 * Math.max(meter.intervalMs ?? 0, MIN_SPACING_MS), 120_000) };
  }

  /** Evaluates each meter once per day, after the night window ended. */
  tick(): LeakEvent[] {
    const now = this.o.now();
    const p = localParts(now, this.o.timezone);
    const [eh, em] = this.o.nightEnd.split(':').map(Number);
    if (p.hour * 60 + p.minute < eh * 60 + em) return [];
    const date = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
    const out: LeakEvent[] = [];
    for (const m of this.meters) {
      if (this.evaluated.get(m.id) === date) continue;
      this.evaluated.set(m.id, date);
      const todays = (this.samples.get(m.id) ?? []).filter((s) => now - s.ts < 12 * 3_600_000);
      const result = nightFlowAnalysis(todays, { ...this.o, window: this.windowOf(p, m) });
      const e: LeakEvent = { meter: m.id, date, result, ts: now };
      this.latest.set(m.id, e);
      out.push(e);
      for (const l of this.evaluatedListeners) {
        try {
          l(e);
        } catch (err) {
          this.o.log.warn({ err }, 'night-flow listener failed');
        }
      }
      if (result.verdict !== 'leak-suspected') continue;
      this.o.audit.record({ user: 'system:water', action: 'water.leak-suspected', target: m.id, details: { date, ...result } });
      this.o.log.warn({ meter: m.id, date, minFlow: result.minFlow }, 'night flow never dropped to zero: suspected leak');
      for (const l of this.listeners) {
        try {
          l(e);
        } catch (err) {
          this.o.log.warn({ err }, 'leak listener failed');
        }
      }
    }
    return out;
  }
}
