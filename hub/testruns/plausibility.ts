// Point-to-point checkout rules, pure: is an input live, in range, with a plausible unit; what test
// value to write to an output; which points are safety-critical. Table-tested.
import type { PointInfo, PointState, PointValue } from '../../contracts/point.js';
import { pointClassOf } from '../../contracts/scopes.js';

export interface Verdict {
  ok: boolean;
  detail: string;
}

/** Units that make sense for a Brick class word (the class names the quantity). */
const UNITS_BY_QUANTITY: Array<[RegExp, RegExp]> = [
  [/Power_Factor/, /^$/],
  [/Temperature/, /^(°C|°F|K|℃)$/],
  [/Humidity/, /^(%|%RH)$/],
  [/CO2|Carbon_Dioxide/, /^(ppm)$/],
  [/Energy|Usage/, /^(kWh|MWh|Wh)$/],
  [/Power/, /^(W|kW|MW|kVA|kvar)$/],
  [/Current/, /^(A|mA)$/],
  [/Voltage/, /^(V|kV)$/],
  [/Flow/, /^(m³\/h|m3\/h|L\/s|l\/s|L\/min|m³)$/],
  [/Pressure/, /^(Pa|kPa|bar|mbar|psi)$/],
  [/Speed|Frequency/, /^(%|Hz|rpm)$/],
  [/Illuminance|Lux/, /^(lx|lux)$/],
];

/** Why a point's unit does not fit its kind or Brick class, or null. */
export function unitProblem(info: Pick<PointInfo, 'kind' | 'unit' | 'brick'>): string | null {
  if (info.kind === 'binary' && info.unit) return `binary point with unit "${info.unit}"`;
  if (info.kind !== 'analog' || !info.brick) return null;
  for (const [quantity, units] of UNITS_BY_QUANTITY) {
    if (!quantity.test(info.brick)) continue;
    if (!info.unit) return units.test('') ? null : `${info.brick} has no unit`;
    return units.test(info.unit) ? null : `unit "${info.unit}" is not plausible for ${info.brick}`;
  }
  return null;
}

/** The staleness horizon of a point: three poll intervals, never less than 30 s. */
export const liveWindowMs = (info: Pick<PointInfo, 'intervalMs'>) => Math.max(3 * info.intervalMs, 30_000);

/** An input: good quality, recently read, inside its engineering limits, unit plausible. */
export function checkInput(info: PointInfo, state: PointState | undefined, now: number): Verdict {
  if (!state) return { ok: false, detail: 'no reading yet' };
  if (state.quality !== 'good') return { ok: false, detail: `quality ${state.quality}${state.detail ? ` (${state.detail})` : ''}` };
  const age = now - state.readTs;
  if (age > liveWindowMs(info)) return { ok: false, detail: `last read ${Math.round(age / 1000)} s ago (stale)` };
  const v = state.value;
  if (info.kind === 'analog') {
    if (typeof v !== 'number' || !Number.isFinite(v)) return { ok: false, detail: `value ${JSON.stringify(v)} is not a number` };
    const { min, max } = info.limits ?? {};
    if ((min !== undefined && v < min) || (max !== undefined && v > max)) return { ok: false, detail: `value ${v} outside ${min ?? '−∞'}..${max ?? '∞'}` };
  }
  if (info.kind === 'binary' && typeof v !== 'boolean') return { ok: false, detail: `value ${JSON.stringify(v)} is not on/off` };
  const unit = unitProblem(info);
  if (unit) return { ok: false, detail: unit };
  return { ok: true, detail: `live, ${fmt(v)}${info.unit ? ` ${info.unit}` : ''}` };
}

/** A value to write that differs from the current one and stays inside the limits; null when none is safe. */
export function testValueFor(info: PointInfo, current: PointValue): PointValue | null {
  if (info.kind === 'binary') return typeof current === 'boolean' ? !current : true;
  if (info.kind === 'multistate') {
    const keys = Object.keys(info.states ?? {}).map(Number).filter(Number.isFinite);
    return keys.find((k) => k !== current) ?? null;
  }
  if (info.kind !== 'analog') return null;
  const { min, max } = info.limits ?? {};
  const cur = typeof current === 'number' ? current : (min ?? 0);
  const span = min !== undefined && max !== undefined ? max - min : 10;
  const step = Math.max(0.5, Math.round(span * 0.05 * 10) / 10);
  for (const candidate of [cur + step, cur - step]) {
    const v = Math.round(candidate * 10) / 10;
    if ((min === undefined || v >= min) && (max === undefined || v <= max)) return v;
  }
  return null;
}

/** `*` is one id segment, `**` any number of them. */
export function globMatch(pattern: string, id: string): boolean {
  const re = pattern
    .split('/')
    .map((seg) => (seg === '**' ? '.*' : seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')))
    .join('/');
  return new RegExp(`^${re.replace(/\/\.\*/g, '(/.*)?')}$`).test(id);
}

/** Safety-critical: every security point (doors, locks, cameras; contracts/scopes.ts) and the site's listed patterns. */
export function isSafetyCritical(info: Pick<PointInfo, 'id' | 'device' | 'brick'>, patterns: readonly string[]): boolean {
  return pointClassOf(info) === 'security' || patterns.some((p) => globMatch(p, info.id));
}

/** Values compare equal for read-back (analog within 0.05 or 0.1%). */
export function sameValue(a: PointValue, b: PointValue): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= Math.max(0.05, Math.abs(a) * 0.001);
  return a === b;
}

const fmt = (v: PointValue) => (typeof v === 'number' ? String(Math.round(v * 100) / 100) : String(v));
