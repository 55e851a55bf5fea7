// What an alarm looks like to the API and the console: rendered message, live value, age.
// Also the list ordering and filters. Pure.
import { ALARM_PRIORITIES, type AlarmPriority, type AlarmStateName, type AlarmView } from '../../contracts/alarms.js';
import type { LocalizedText, PointState, PointValue } from '../../contracts/point.js';
import { displayState, type AlarmState } from './machine.js';
import type { AlarmDef } from './rules.js';

export function formatValue(v: PointValue, unit?: string): string {
  if (v === null) return '—';
  const text = typeof v === 'number' ? String(Math.round(v * 100) / 100) : String(v);
  return unit ? `${text} ${unit}` : text;
}

export function renderMessage(m: LocalizedText, v: PointValue, unit?: string): LocalizedText {
  const value = formatValue(v, unit);
  return { en: m.en.replaceAll('{value}', value), 'zh-CN': m['zh-CN'].replaceAll('{value}', value) };
}

export function alarmView(def: AlarmDef, s: AlarmState, point: PointState | undefined, now: number): AlarmView {
  // The message shows the value that raised the alarm; `value` beside it is the live one.
  const trigger = s.value;
  const view: AlarmView = {
    id: def.id,
    ruleId: def.ruleId,
    pointId: def.pointId,
    priority: def.priority,
    area: def.area,
    state: displayState(s),
    active: s.active,
    acked: s.acked,
    escalated: s.escalated,
    message: renderMessage(def.message, trigger ?? point?.value ?? null, def.unit),
    value: point?.value ?? null,
    quality: point?.quality ?? null,
    triggerValue: trigger,
    activeSince: s.activeSince,
    lastChange: s.lastChange,
    ageMs: Math.max(0, now - (s.activeSince ?? s.lastChange)),
    maxShelveMin: Math.round(def.maxShelveMs / 60_000),
  };
  if (def.unit) view.unit = def.unit;
  if (s.ackedBy) view.ackedBy = s.ackedBy;
  if (s.ackedAt !== null) view.ackedAt = s.ackedAt;
  if (s.shelved) view.shelved = s.shelved;
  if (s.outOfService) view.outOfService = s.outOfService;
  if (def.detector.kind === 'external') view.external = { connection: def.detector.connection, source: def.detector.source, severity: def.detector.severity };
  return view;
}

export { compareAlarms } from '../../contracts/alarms.js';

export interface AlarmFilter {
  priority?: AlarmPriority[];
  state?: AlarmStateName[];
  /** building[/floor[/room]] prefix. */
  area?: string;
  point?: string;
  /** Include alarms in state normal (default: only the ones that are not). */
  all?: boolean;
}

export function inArea(alarmArea: string, area: string): boolean {
  return alarmArea === area || alarmArea.startsWith(`${area}/`);
}

export function matchesFilter(v: AlarmView, f: AlarmFilter): boolean {
  if (!f.all && v.state === 'normal' && !f.state?.includes('normal')) return false;
  if (f.priority && f.priority.length > 0 && !f.priority.includes(v.priority)) return false;
  if (f.state && f.state.length > 0 && !f.state.includes(v.state)) return false;
  if (f.area && !inArea(v.area, f.area)) return false;
  if (f.point && v.pointId !== f.point) return false;
  return true;
}

export const isPriority = (p: string): p is AlarmPriority => (ALARM_PRIORITIES as readonly string[]).includes(p);
