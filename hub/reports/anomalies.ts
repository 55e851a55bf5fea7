// Anomaly notes: each one has a reason a person can check in one line (the figure, the baseline
// and where it came from). Pure: callers pass hourly consumption, daily running hours and counts.
import { localParts } from '../../contracts/timezone.js';
import type { Anomaly } from '../../contracts/reports.js';

export interface AnomalyRules {
  nightFrom: string;
  nightTo: string;
  abovePct: number;
  minAbove: number;
  baselineDays: number;
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1));
const dateOf = (p: { year: number; month: number; day: number }) => `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Local date key (`YYYY-MM-DD`) of the night an hour belongs to, or null when the hour is not at night. */
export function nightOf(hourStart: number, tz: string, rules: Pick<AnomalyRules, 'nightFrom' | 'nightTo'>): string | null {
  const p = localParts(hourStart, tz);
  const m = p.hour * 60 + p.minute;
  const a = minutes(rules.nightFrom);
  const b = minutes(rules.nightTo);
  const wraps = a > b;
  const inside = wraps ? m >= a || m < b : m >= a && m < b;
  if (!inside) return null;
  if (wraps && m < b) {
    const prev = localParts(hourStart - 24 * 3_600_000, tz);
    return dateOf(prev);
  }
  return dateOf(p);
}

export const isWeekend = (dayStart: number, tz: string) => {
  const p = localParts(dayStart, tz);
  const dow = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
  return dow === 0 || dow === 6;
};

export interface Flag { latestKey: string; latest: number; baseline: number; samples: number; pct: number }

/** The last group against the median of the groups before it (up to `baselineDays` of them). */
export function aboveBaseline(groups: ReadonlyArray<readonly [string, number]>, rules: Pick<AnomalyRules, 'abovePct' | 'minAbove' | 'baselineDays'>): Flag | null {
  if (groups.length < 4) return null; // three or more earlier values before a baseline means anything
  const [latestKey, latest] = groups[groups.length - 1];
  const prior = groups.slice(Math.max(0, groups.length - 1 - rules.baselineDays), -1).map(([, v]) => v);
  const base = median(prior);
  if (base === null) return null;
  const over = latest - base;
  if (over < rules.minAbove || latest <= base * (1 + rules.abovePct / 100)) return null;
  return { latestKey, latest, baseline: base, samples: prior.length, pct: base > 0 ? Math.round((over / base) * 1000) / 10 : Infinity };
}

/**
 * Night and weekend consumption of one meter from its hourly consumption (bucket start, value),
 * considering only nights/weekend days that ended before `at`.
 */
export function consumptionAnomalies(
  meter: { pointId: string; unit: string; label: string },
  hourly: ReadonlyArray<readonly [number, number | null]>,
  at: number,
  tz: string,
  rules: AnomalyRules,
): Anomaly[] {
  const out: Anomaly[] = [];
  const nights = new Map<string, { sum: number; end: number }>();
  const weekend = new Map<string, { sum: number; end: number }>();
  for (const [t, v] of hourly) {
    if (v === null) continue;
    const n = nightOf(t, tz, rules);
    if (n) {
      const g = nights.get(n) ?? { sum: 0, end: 0 };
      g.sum += v;
      g.end = Math.max(g.end, t + 3_600_000);
      nights.set(n, g);
    }
    if (isWeekend(t, tz)) {
      const k = dateOf(localParts(t, tz));
      const g = weekend.get(k) ?? { sum: 0, end: 0 };
      g.sum += v;
      g.end = Math.max(g.end, t + 3_600_000);
      weekend.set(k, g);
    }
  }
  // A group counts only once it is over (its last hour ended before `at`); the newest open one is left out.
  const closed = (m: Map<string, { sum: number; end: number }>) =>
    [...m.entries()].filter(([, g]) => g.end <= at).sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => [k, g.sum] as const);
  const night = aboveBaseline(closed(nights), rules);
  if (night) {
    out.push({
      kind: 'night-consumption', subject: meter.pointId, href: `#/trends/${encodeURIComponent(meter.pointId)}`,
      reason: {
        en: `${meter.label}: night ${rules.nightFrom}–${rules.nightTo} from ${night.latestKey} used ${fmt(night.latest)} ${meter.unit}, median of the ${night.samples} nights before ${fmt(night.baseline)} ${meter.unit} (+${night.pct}%)`,
        'zh-CN': `${meter.label}：${night.latestKey} 夜间 ${rules.nightFrom}–${rules.nightTo} 用量 ${fmt(night.latest)} ${meter.unit}，此前 ${night.samples} 晚中位数 ${fmt(night.baseline)} ${meter.unit}（+${night.pct}%）`,
      },
    });
  }
  const we = aboveBaseline(closed(weekend), { ...rules, baselineDays: Math.max(3, Math.round((rules.baselineDays * 2) / 7)) });
  if (we) {
    out.push({
      kind: 'weekend-consumption', subject: meter.pointId, href: `#/trends/${encodeURIComponent(meter.pointId)}`,
      reason: {
        en: `${meter.label}: weekend day ${we.latestKey} used ${fmt(we.latest)} ${meter.unit}, median of the ${we.samples} weekend days before ${fmt(we.baseline)} ${meter.unit} (+${we.pct}%)`,
        'zh-CN': `${meter.label}：周末 ${we.latestKey} 用量 ${fmt(we.latest)} ${meter.unit}，此前 ${we.samples} 个周末日中位数 ${fmt(we.baseline)} ${meter.unit}（+${we.pct}%）`,
      },
    });
  }
  return out;
}

/**
 * Running hours of one run-status point per local day (oldest first; the last one is the day
 * judged): above `maxPerDay` when configured, else above the median of the days before by more
 * than max(2 h, abovePct %).
 */
export function runningHoursAnomaly(
  point: { pointId: string; label: string },
  days: ReadonlyArray<readonly [string, number]>,
  maxPerDay: number | undefined,
  rules: Pick<AnomalyRules, 'abovePct' | 'baselineDays'>,
): Anomaly | null {
  if (days.length === 0) return null;
  const [day, hours] = days[days.length - 1];
  const href = `#/trends/${encodeURIComponent(point.pointId)}`;
  if (maxPerDay !== undefined) {
    if (hours <= maxPerDay) return null;
    return {
      kind: 'running-hours', subject: point.pointId, href,
      reason: { en: `${point.label} ran ${fmt(hours)} h on ${day}; its norm is at most ${fmt(maxPerDay)} h a day`, 'zh-CN': `${point.label} 在 ${day} 运行 ${fmt(hours)} 小时，规定每天不超过 ${fmt(maxPerDay)} 小时` },
    };
  }
  const prior = days.slice(Math.max(0, days.length - 1 - rules.baselineDays), -1).map(([, h]) => h);
  if (prior.length < 3) return null;
  const base = median(prior)!;
  if (hours - base <= Math.max(2, (base * rules.abovePct) / 100)) return null;
  return {
    kind: 'running-hours', subject: point.pointId, href,
    reason: { en: `${point.label} ran ${fmt(hours)} h on ${day}, median of the ${prior.length} days before ${fmt(base)} h`, 'zh-CN': `${point.label} 在 ${day} 运行 ${fmt(hours)} 小时，此前 ${prior.length} 天中位数 ${fmt(base)} 小时` },
  };
}

/** Alarms that activated at least `min` times, and devices with more than one work order. */
export function repeatFaults(
  activations: ReadonlyMap<string, number>,
  min: number,
  days: number,
  orderDevices: ReadonlyArray<{ device: string; count: number; latestOrder: number }>,
): Anomaly[] {
  const out: Anomaly[] = [];
  for (const [alarmId, n] of [...activations].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    if (n < min) continue;
    out.push({
      kind: 'repeat-fault', subject: alarmId, href: `#/alarms/journal?alarm=${encodeURIComponent(alarmId)}`,
      reason: { en: `Alarm ${alarmId} activated ${n} times in ${days} days (alarm journal)`, 'zh-CN': `报警 ${alarmId} 在 ${days} 天内触发 ${n} 次（报警日志）` },
    });
  }
  for (const d of orderDevices) {
    if (d.count < 2) continue;
    out.push({
      kind: 'repeat-fault', subject: d.device, href: `#/workorders/${d.latestOrder}`,
      reason: { en: `${d.device}: ${d.count} work orders in 30 days (latest #${d.latestOrder})`, 'zh-CN': `${d.device}：30 天内 ${d.count} 张工单（最近 #${d.latestOrder}）` },
    });
  }
  return out;
}
