// Pure display rules for a point's value, quality and age. No DOM here, so they are table-tested.
import type { PointInfo, PointState, PointValue, Quality } from '../../contracts/point.js';
import { formatNumber, localized, translate, type Locale, type MessageKey } from './i18n.js';

/**
 * Decimals for an analog value: from the span of its limits when known (a 0–500 kW meter
 * needs no decimals, a 0–1 valve position needs two), otherwise from the value itself.
 */
export function decimalsFor(point: Pick<PointInfo, 'limits' | 'unit'>, value: number): number {
  const min = point.limits?.min;
  const max = point.limits?.max;
  const span = min !== undefined && max !== undefined ? Math.abs(max - min) : Math.abs(value);
  if (span >= 1000) return 0;
  if (span >= 10) return 1;
  return 2;
}

/** Words for the two states of a binary point. Order matters: `held-open` is an alarm, not a door. */
const BINARY_WORDING: Array<{ pattern: RegExp; on: MessageKey; off: MessageKey }> = [
  { pattern: /leak|water_?detect/i, on: 'bin.leak', off: 'bin.dry' },
  { pattern: /alarm|fault|smoke|fire|intrusion|tamper|trip|forced|held|loss/i, on: 'bin.alarm', off: 'bin.normal' },
  { pattern: /door|damper|valve|window|gate|contact|open/i, on: 'bin.open', off: 'bin.closed' },
  { pattern: /occupan|presence|motion/i, on: 'bin.occupied', off: 'bin.vacant' },
  { pattern: /light|lamp|lumin|relay|fan|pump|run|switch|enable|command|power|on_?off|override|status/i, on: 'bin.on', off: 'bin.off' },
];

/** Picks the wording from the Brick class, then the point's own id segment, then its device's. */
export function binaryWording(point: Pick<PointInfo, 'brick' | 'id'>): { on: MessageKey; off: MessageKey } {
  const segments = point.id.split('/');
  for (const candidate of [point.brick, segments[segments.length - 1], segments[segments.length - 2]]) {
    if (!candidate) continue;
    const rule = BINARY_WORDING.find((r) => r.pattern.test(candidate));
    if (rule) return { on: rule.on, off: rule.off };
  }
  return { on: 'bin.true', off: 'bin.false' };
}

export type ValuePoint = Pick<PointInfo, 'id' | 'kind' | 'unit' | 'brick' | 'limits' | 'states'>;

/** The value as text in the given language: analog with unit, binary in words, multistate by label. */
export function formatValue(point: ValuePoint, value: PointValue, locale: Locale): string {
  if (value === null || value === undefined) return '—';
  switch (point.kind) {
    case 'analog': {
      if (typeof value !== 'number') return String(value);
      const text = formatNumber(value, decimalsFor(point, value), locale);
      return point.unit ? `${text} ${point.unit}` : text;
    }
    case 'binary': {
      const on = value === true || value === 1 || value === '1' || value === 'true';
      const wording = binaryWording(point);
      return translate(locale, on ? wording.on : wording.off);
    }
    case 'multistate': {
      const label = point.states?.[String(value)];
      return label ? localized(label, locale) : String(value);
    }
    default:
      return String(value);
  }
}

/** "3 s", "2 min", "5 h", "2 d": whole units, rounded down, never negative (clock skew). */
export function formatAge(ageMs: number, locale: Locale): string {
  const s = Math.max(0, Math.floor(ageMs / 1000));
  if (s < 60) return translate(locale, 'age.s', { n: s });
  const min = Math.floor(s / 60);
  if (min < 60) return translate(locale, 'age.min', { n: min });
  const h = Math.floor(min / 60);
  if (h < 24) return translate(locale, 'age.h', { n: h });
  return translate(locale, 'age.d', { n: Math.floor(h / 24) });
}

/**
 * ISA-101 styling class of a quality. Normal is calm and neutral; every abnormal quality
 * gets its own look so an old or unreadable value can never pass for a live one.
 */
export type QualityClass = 'q-good' | 'q-uncertain' | 'q-bad' | 'q-comm-fail' | 'q-stale' | 'q-none';

export function qualityClass(quality: Quality | null): QualityClass {
  switch (quality) {
    case 'good': return 'q-good';
    case 'uncertain': return 'q-uncertain';
    case 'bad': return 'q-bad';
    case 'comm_fail': return 'q-comm-fail';
    case 'stale': return 'q-stale';
    default: return 'q-none';
  }
}

export interface CellView {
  valueText: string;
  qualityText: string;
  qualityClass: QualityClass;
  ageText: string;
  /** Hover text: why the quality is not good, and when the value was read. */
  title: string;
}

/** The last value that was read well, kept by the table to show (struck through) during an outage. */
export interface LastKnown {
  value: PointValue;
  ts: number;
}

const TRUSTED: ReadonlySet<Quality> = new Set(['good', 'uncertain']);

/** Remembers the last trustworthy value: a good or uncertain state with a value replaces it. */
export function nextLastKnown(previous: LastKnown | undefined, state: PointState): LastKnown | undefined {
  if (TRUSTED.has(state.quality) && state.value !== null) return { value: state.value, ts: state.readTs };
  return previous;
}

/**
 * Everything a table row shows for one point, as plain data. When the hub sends an outage
 * without a value (comm_fail, stale, bad), the last known value is shown instead (the row's
 * styling strikes it through) and the age counts from that value, not from the failure report.
 */
export function describePoint(point: ValuePoint, state: PointState | null, now: number, locale: Locale, lastKnown?: LastKnown): CellView {
  if (!state) {
    return { valueText: '—', qualityText: translate(locale, 'quality.none'), qualityClass: 'q-none', ageText: '', title: '' };
  }
  const qualityText = translate(locale, `quality.${state.quality}` as MessageKey);
  const fallBack = !TRUSTED.has(state.quality) && lastKnown !== undefined;
  const value = state.value === null && fallBack ? lastKnown.value : state.value;
  const ageFrom = fallBack ? lastKnown.ts : state.readTs;
  const title = [state.quality === 'good' ? '' : qualityText, state.detail ?? ''].filter(Boolean).join(': ');
  return {
    valueText: formatValue(point, value, locale),
    qualityText,
    qualityClass: qualityClass(state.quality),
    ageText: formatAge(now - ageFrom, locale),
    title,
  };
}
