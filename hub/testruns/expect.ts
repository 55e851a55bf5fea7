// Evaluates one expectation of a test run against what the runner observed through the API.
// Pure: the runner polls, this decides, with a one-line reason either way.
import type { AlarmView } from '../../contracts/alarms.js';
import type { BroadcastJob } from '../../contracts/control.js';
import type { PointState } from '../../contracts/point.js';
import type { Expectation } from './suite.js';

export interface Observation {
  /** Start of the step (ms): events before it do not count. */
  since: number;
  alarms?: AlarmView[];
  deliveries?: Array<{ user: string; channel: string; status: string; updatedAt: number }>;
  jobs?: BroadcastJob[];
  /** Snapshot file names now, and at the start of the run. */
  snapshots?: { now: string[]; before: string[] };
  workorders?: Array<{ id: string; alarmId?: string | null; createdAt: number }>;
  historySamples?: number;
  /** Inside office hours now (site time), for rules that only alarm after hours. */
  officeHours?: boolean;
  point?: PointState | null;
}

export interface Verdict {
  ok: boolean;
  detail: string;
}

export function describeExpectation(e: Expectation): string {
  if ('alarm' in e) return `alarm ${e.alarm.id}${e.alarm.priority ? ` ${e.alarm.priority}` : ''}${e.alarm.state ? ` ${[e.alarm.state].flat().join('|')}` : ''}`;
  if ('noAlarm' in e) return `no alarm ${e.noAlarm.id}`;
  if ('notification' in e) return `notification${e.notification.user ? ` to ${e.notification.user}` : ''}${e.notification.channel ? ` by ${e.notification.channel}` : ''}`;
  if ('pa' in e) return `PA played in zone ${e.pa.zone}`;
  if ('snapshot' in e) return `snapshot stored for ${e.snapshot.camera}`;
  if ('workorder' in e) return `work order for ${e.workorder.alarm}`;
  if ('history' in e) return `history has ≥${e.history.minSamples} samples of ${e.history.point}`;
  return `point ${e.point.id}${e.point.quality ? ` ${e.point.quality}` : ''}${e.point.value !== undefined ? ` = ${e.point.value}` : ''}`;
}

/** An alarm matches by its id or its rule id (a limit rule's levels are `<rule>.h`, `<rule>.hh`…). */
export function findAlarm(alarms: readonly AlarmView[], id: string): AlarmView | undefined {
  return alarms.find((a) => a.id === id) ?? alarms.find((a) => a.ruleId === id && a.state !== 'normal');
}

/** Mon–Fri 08:00–18:00 in the site's time zone (the demo's office-hours window). Pure. */
export function isOfficeHours(ms: number, timezone: string): boolean {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const day = parts.find((p) => p.type === 'weekday')!.value;
  const hour = Number(parts.find((p) => p.type === 'hour')!.value);
  return !['Sat', 'Sun'].includes(day) && hour >= 8 && hour < 18;
}

export function evaluate(e: Expectation, o: Observation): Verdict {
  if ('alarm' in e && e.alarm.afterHoursOnly && o.officeHours) {
    const a = findAlarm(o.alarms ?? [], e.alarm.id);
    return a && a.state !== 'normal' ? { ok: false, detail: `${a.id} is ${a.state} during office hours` } : { ok: true, detail: `office hours: ${e.alarm.id} rightly not raised` };
  }
  if ('alarm' in e) {
    const a = findAlarm(o.alarms ?? [], e.alarm.id);
    if (!a || a.state === 'normal') return { ok: false, detail: `alarm ${e.alarm.id} not raised` };
    const states = e.alarm.state === undefined ? null : [e.alarm.state].flat();
    const problems = [
      e.alarm.priority && a.priority !== e.alarm.priority ? `priority ${a.priority}, expected ${e.alarm.priority}` : null,
      states && !states.includes(a.state) ? `state ${a.state}, expected ${states.join('|')}` : null,
      e.alarm.active !== undefined && a.active !== e.alarm.active ? `active ${a.active}, expected ${e.alarm.active}` : null,
      e.alarm.test && !a.test ? 'raised without the test tag (could pass for a real event)' : null,
    ].filter(Boolean);
    return problems.length ? { ok: false, detail: `${a.id}: ${problems.join('; ')}` } : { ok: true, detail: `${a.id} ${a.priority} ${a.state}${a.test ? ` [test: ${a.test}]` : ''}` };
  }
  if ('noAlarm' in e) {
    const a = findAlarm(o.alarms ?? [], e.noAlarm.id);
    return a && a.state !== 'normal' ? { ok: false, detail: `${a.id} is ${a.state}` } : { ok: true, detail: `${e.noAlarm.id} not raised` };
  }
  if ('notification' in e) {
    const n = e.notification;
    const hit = (o.deliveries ?? []).find((d) => d.updatedAt >= o.since && (!n.user || d.user === n.user) && (!n.channel || d.channel === n.channel) && (!n.status || d.status === n.status));
    return hit ? { ok: true, detail: `${hit.channel} to ${hit.user}: ${hit.status}` } : { ok: false, detail: `no matching delivery since the step started (${(o.deliveries ?? []).length} in the log)` };
  }
  if ('pa' in e) {
    const jobs = (o.jobs ?? []).filter((j) => j.createdAt >= o.since && j.zones.includes(e.pa.zone));
    const played = jobs.find((j) => j.status === 'playing' || j.status === 'done');
    if (played) return { ok: true, detail: `job ${played.id} ${played.status} in ${played.zones.join(', ')}` };
    return { ok: false, detail: jobs.length ? `job ${jobs[0].id} is ${jobs[0].status}${jobs[0].detail ? ` (${jobs[0].detail})` : ''}` : `no broadcast to zone ${e.pa.zone}` };
  }
  if ('snapshot' in e) {
    const before = new Set(o.snapshots?.before ?? []);
    const fresh = (o.snapshots?.now ?? []).filter((f) => !before.has(f));
    return fresh.length ? { ok: true, detail: `stored ${fresh[0]}` } : { ok: false, detail: `no new snapshot of ${e.snapshot.camera}` };
  }
  if ('workorder' in e) {
    const wo = (o.workorders ?? []).find((w) => w.alarmId === e.workorder.alarm || w.alarmId?.startsWith(`${e.workorder.alarm}.`));
    return wo ? { ok: true, detail: `work order ${wo.id}` } : { ok: false, detail: `no work order linked to ${e.workorder.alarm}` };
  }
  if ('history' in e) {
    const n = o.historySamples ?? 0;
    return n >= e.history.minSamples ? { ok: true, detail: `${n} samples` } : { ok: false, detail: `${n} samples, expected ≥${e.history.minSamples}` };
  }
  const p = o.point;
  if (!p) return { ok: false, detail: `no state for ${e.point.id}` };
  const problems = [
    e.point.quality && p.quality !== e.point.quality ? `quality ${p.quality}, expected ${e.point.quality}` : null,
    e.point.value !== undefined && p.value !== e.point.value ? `value ${JSON.stringify(p.value)}, expected ${JSON.stringify(e.point.value)}` : null,
    e.point.min !== undefined && !(typeof p.value === 'number' && p.value >= e.point.min) ? `value ${JSON.stringify(p.value)} below ${e.point.min}` : null,
    e.point.max !== undefined && !(typeof p.value === 'number' && p.value <= e.point.max) ? `value ${JSON.stringify(p.value)} above ${e.point.max}` : null,
  ].filter(Boolean);
  return problems.length ? { ok: false, detail: problems.join('; ') } : { ok: true, detail: `${p.quality} ${JSON.stringify(p.value)}` };
}
