// Pure helpers of the decision view: number and percentage formatting, the tone of a deviation,
// and the rooms to name. Table-tested in model.test.ts.
import type { DecisionSummary, PeriodFigure } from '../../../../contracts/reports.js';

// Plain arithmetic, not Intl: the page's first Intl formatter loads ICU data (~50 ms measured at
// load 6 on the phone-size run) before the cards can paint, and toLocaleString with options builds
// a new formatter per call (node, 400 calls: 53 ms); the energy table formats ~5 figures a cell.

/** 1234.5 → "1,235"; 12.34 → "12.3"; 0.123 → "0.12"; null → "—". */
export function fmtAmount(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  const [int, frac = ''] = a.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : 2).split('.');
  const digits = frac.replace(/0+$/, '');
  const text = `${int.replace(/\B(?=(\d{3})+$)/g, ',')}${digits ? `.${digits}` : ''}`;
  return x < 0 && text !== '0' ? `-${text}` : text;
}

/** The local time as 2026-12-04 09:05:07: the same in both languages, and no Intl (see above). */
export function fmtLocalTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
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
