// Pure helpers of the decision view: number and percentage formatting, the tone of a deviation,
// and the rooms to name. Table-tested in model.test.ts.
import type { DecisionSummary, PeriodFigure } from '../../../../contracts/reports.js';

/** 1234.5 → "1,235"; 12.34 → "12.3"; 0.123 → "0.12"; null → "—". */
export function fmtAmount(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return x.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: digits });
}

/** +12.3 % / −4.0 % / — */
export function fmtPct(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(1)} %`;
}

/** Over target or up on last year by more than 5 % is bad, under by more than 5 % good. */
export function tone(pct: number | null | undefined): 'bad' | 'good' | 'neutral' {
  if (pct === null || pct === undefined) return 'neutral';
  if (pct > 5) return 'bad';
  if (pct < -5) return 'good';
  return 'neutral';
}

/** Rooms conditioned while empty for at least `minH` hours, most wasteful first. */
export function wastefulRooms(s: Pick<DecisionSummary, 'rooms'>, minH = 1): DecisionSummary['rooms'] {
  return s.rooms.filter((r) => r.emptyConditionedH >= minH).sort((a, b) => b.emptyConditionedH - a.emptyConditionedH);
}

/** A figure's progress against its target for the bar (0..1.5, capped). */
export function progress(p: PeriodFigure): number | null {
  if (p.target === null || p.target === 0 || p.actual === null) return null;
  return Math.min(1.5, p.actual / p.target);
}
