// Pure rules of the KPI page: the period presets and how each figure compares with the
// EEMUA 191 / ISA-18.2 benchmarks, so the page only colours what is out of bounds (ISA-101).
import type { AlarmKpis } from '../../../../contracts/alarms.js';

export const KPI_PRESETS = ['24h', '7d', '30d'] as const;
export type KpiPreset = (typeof KPI_PRESETS)[number];

const PRESET_MS: Record<KpiPreset, number> = { '24h': 24 * 3600_000, '7d': 7 * 24 * 3600_000, '30d': 30 * 24 * 3600_000 };

export function presetRange(preset: KpiPreset, now: number): { from: number; to: number } {
  return { from: now - PRESET_MS[preset], to: now };
}

/** ok: within the benchmark; watch: manageable but above the target; bad: over-demanding. */
export type Verdict = 'ok' | 'watch' | 'bad';

/**
 * Average alarms per 10 min per operator position. EEMUA 191 / ISA-18.2: about 1 is very likely
 * acceptable, about 2 the most that is manageable; above that the operator cannot keep up.
 */
export function averageRateVerdict(per10Min: number): Verdict {
  if (per10Min <= 1) return 'ok';
  if (per10Min <= 2) return 'watch';
  return 'bad';
}

/** Busiest 10 minutes: ISA-18.2 target at most 10 (more is a flood). */
export function peakRateVerdict(per10MinMax: number): Verdict {
  return per10MinMax <= 10 ? 'ok' : 'bad';
}

/** Share of 10-minute periods in flood: ISA-18.2 target below 1 %. */
export function floodVerdict(percent: number): Verdict {
  if (percent < 1) return 'ok';
  if (percent <= 5) return 'watch';
  return 'bad';
}

/** Chattering and stale alarms: ISA-18.2 target none; any is worth a look. */
export function countVerdict(n: number): Verdict {
  return n === 0 ? 'ok' : 'watch';
}

/** One decimal below 10, whole numbers above: "0.4", "2.5", "14". */
export function rate(n: number): string {
  return n < 10 ? (Math.round(n * 10) / 10).toFixed(1) : String(Math.round(n));
}

export interface KpiTile {
  key: 'avg' | 'peak' | 'flood' | 'chattering' | 'stale' | 'shelved' | 'oos';
  value: string;
  verdict: Verdict;
}

/** The number tiles of the page, in reading order. */
export function kpiTiles(k: AlarmKpis): KpiTile[] {
  return [
    { key: 'avg', value: rate(k.per10MinAvg), verdict: averageRateVerdict(k.per10MinAvg) },
    { key: 'peak', value: rate(k.per10MinMax), verdict: peakRateVerdict(k.per10MinMax) },
    { key: 'flood', value: `${rate(k.floodPercent)} %`, verdict: floodVerdict(k.floodPercent) },
    { key: 'chattering', value: String(k.chattering.length), verdict: countVerdict(k.chattering.length) },
    { key: 'stale', value: String(k.stale.length), verdict: countVerdict(k.stale.length) },
    // Shelved and out-of-service are held on purpose by a supervisor: shown, not judged.
    { key: 'shelved', value: String(k.shelvedCount), verdict: 'ok' },
    { key: 'oos', value: String(k.outOfServiceCount), verdict: 'ok' },
  ];
}
