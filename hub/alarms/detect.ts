// The raw alarm condition of one alarm from a point state: limits with deadband (hysteresis),
// binary/multistate values, rate of change, deviation from a setpoint, communication failure.
// Pure apart from the small per-alarm memory the rate detector keeps (mutated, not allocated:
// this runs for every sample).
import type { PointState } from '../../contracts/point.js';
import { sameScalar, trusted } from './conditions.js';
import type { Detector } from './rules.js';

/** The baseline sample the rate of change is measured from (advanced once per decision). */
export interface RateMemory { lastValue: number; lastTs: number }

/** The shortest span a rate is measured over, so sensor quantisation noise is not a "fast rise". */
export const RATE_MIN_SPAN_MS = 30_000;

export function newRateMemory(): RateMemory {
  return { lastValue: NaN, lastTs: NaN };
}

function numeric(s: PointState): number {
  const v = s.value;
  return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : NaN;
}

/**
 * The raw condition (before on/off delays). A value we cannot trust (comm_fail, stale, bad,
 * null) keeps the previous raw condition: an alarm neither raises nor clears on data that is
 * not there — the comm-fail rule reports that separately.
 */
export function detectRaw(
  d: Detector,
  s: PointState | undefined,
  prevRaw: boolean,
  setpoint: (id: string) => PointState | undefined,
  mem?: RateMemory,
): boolean {
  if (d.kind === 'comm-fail') return s?.quality === 'comm_fail';
  if (d.kind === 'external' || d.kind === 'source') return prevRaw; // the source system reports it (AlarmEngine.upsertExternal)
  if (!trusted(s)) return prevRaw;
  switch (d.kind) {
    case 'limit': {
      const v = numeric(s);
      if (Number.isNaN(v)) return prevRaw;
      // Deadband: once active, the value must come back past the limit by the deadband to clear.
      if (d.direction === 'high') return prevRaw ? v > d.value - d.deadband : v > d.value;
      return prevRaw ? v < d.value + d.deadband : v < d.value;
    }
    case 'state':
      for (const x of d.values) if (sameScalar(s.value, x)) return true;
      return false;
    case 'rate': {
      const v = numeric(s);
      if (Number.isNaN(v) || !mem) return prevRaw;
      const ts = s.readTs;
      if (Number.isNaN(mem.lastTs)) {
        mem.lastValue = v;
        mem.lastTs = ts;
        return prevRaw;
      }
      // Compare against a baseline at least RATE_MIN_SPAN_MS old: between two polls a second
      // apart, one step of the sensor's resolution (0.1 °C) already reads as 6 °C/min.
      if (ts - mem.lastTs < RATE_MIN_SPAN_MS) return prevRaw;
      const perMin = ((v - mem.lastValue) / (ts - mem.lastTs)) * 60_000;
      mem.lastValue = v;
      mem.lastTs = ts;
      return (d.maxRisePerMin !== undefined && perMin > d.maxRisePerMin) || (d.maxFallPerMin !== undefined && -perMin > d.maxFallPerMin);
    }
    case 'deviation': {
      const sp = setpoint(d.setpoint);
      const v = numeric(s);
      if (!trusted(sp) || Number.isNaN(v)) return prevRaw;
      const dev = Math.abs(v - numeric(sp));
      if (Number.isNaN(dev)) return prevRaw;
      return prevRaw ? dev > d.maxDeviation - d.deadband : dev > d.maxDeviation;
    }
  }
}

/**
 * A rate alarm is computed between samples; a value that stopped changing produces no new
 * sample, so the engine's tick clears the rate condition once the last change is this old.
 */
export const RATE_QUIET_MS = 60_000;
