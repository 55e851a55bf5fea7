// Alarm-system performance KPIs (EEMUA 191 / ISA-18.2) as a pure function over journal rows
// (oldest first) and the current alarm states.
import type { AlarmKpis, JournalRow } from '../../contracts/alarms.js';
import { FLOOD_THRESHOLD } from './flood.js';
import type { AlarmState } from './machine.js';

export const KPI_PERIOD_MS = 10 * 60_000;
export const CHATTER_WINDOW_MS = 60_000;
export const CHATTER_MIN = 3;
export const STALE_AFTER_MS = 24 * 3600_000;

/** Journal kinds that can put an alarm in front of the operator. */
export const ANNUNCIATING_KINDS = ['activate', 're-alarm', 'shelve-expired', 'unshelve', 'return-to-service', 'unsuppress'] as const;

/**
 * An alarm the operator saw: an activation not hidden by shelving, suppression or
 * out-of-service, a re-alarm, or an active alarm coming back from one of those.
 */
export function isAnnunciation(r: JournalRow): boolean {
  return (ANNUNCIATING_KINDS as readonly string[]).includes(r.kind) && r.state === 'unacknowledged';
}

export function computeKpis(
  rows: readonly JournalRow[],
  states: Iterable<AlarmState>,
  opts: { from: number; to: number; operatorPositions?: number },
): AlarmKpis {
  const { from, to } = opts;
  const positions = opts.operatorPositions ?? 1;
  const periods = Math.max(1, Math.ceil((to - from) / KPI_PERIOD_MS));
  const buckets = new Array<number>(periods).fill(0);
  const byAlarm = new Map<string, number>();
  const activationTimes = new Map<string, number[]>();
  for (const r of rows) {
    if (r.ts < from || r.ts > to) continue;
    if (isAnnunciation(r)) {
      buckets[Math.min(periods - 1, Math.floor((r.ts - from) / KPI_PERIOD_MS))]++;
      byAlarm.set(r.alarmId, (byAlarm.get(r.alarmId) ?? 0) + 1);
    }
    // Chattering counts every activation, shown or not: a chattering input is a bad rule either way.
    if (r.kind === 'activate') {
      let t = activationTimes.get(r.alarmId);
      if (!t) activationTimes.set(r.alarmId, (t = []));
      t.push(r.ts);
    }
  }
  const total = buckets.reduce((a, b) => a + b, 0);
  const perPosition = buckets.map((n) => n / positions);

  const chattering: AlarmKpis['chattering'] = [];
  for (const [alarmId, times] of activationTimes) {
    times.sort((a, b) => a - b);
    let best = 0;
    for (let i = 0, j = 0; j < times.length; j++) {
      while (times[j] - times[i] >= CHATTER_WINDOW_MS) i++;
      best = Math.max(best, j - i + 1);
    }
    if (best >= CHATTER_MIN) chattering.push({ alarmId, maxIn60s: best });
  }
  chattering.sort((a, b) => b.maxIn60s - a.maxIn60s || a.alarmId.localeCompare(b.alarmId));

  const stale: AlarmKpis['stale'] = [];
  let shelvedCount = 0;
  let outOfServiceCount = 0;
  for (const s of states) {
    if (s.shelved) shelvedCount++;
    if (s.outOfService) outOfServiceCount++;
    if (s.active && s.activeSince !== null && to - s.activeSince > STALE_AFTER_MS) stale.push({ alarmId: s.id, activeSince: s.activeSince });
  }
  stale.sort((a, b) => a.activeSince - b.activeSince);

  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    from, to, periods, operatorPositions: positions,
    per10MinAvg: round(total / periods / positions),
    per10MinMax: round(Math.max(...perPosition)),
    floodPercent: round((perPosition.filter((n) => n > FLOOD_THRESHOLD).length / periods) * 100),
    top10: [...byAlarm].map(([alarmId, count]) => ({ alarmId, count })).sort((a, b) => b.count - a.count || a.alarmId.localeCompare(b.alarmId)).slice(0, 10),
    chattering,
    stale,
    shelvedCount,
    outOfServiceCount,
  };
}
