// Alarm payloads shared by the hub (hub/alarms) and the console (alarm list, banner, floor plan).
import type { LocalizedText, PointValue, Quality } from './point.js';

export const ALARM_PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type AlarmPriority = (typeof ALARM_PRIORITIES)[number];

/**
 * ISA-18.2 display states. `latched`: a latching alarm whose condition cleared after it was
 * acknowledged, waiting for an operator reset (an acknowledge).
 */
export const ALARM_STATES = [
  'normal',
  'unacknowledged',
  'acknowledged',
  'rtn_unacknowledged',
  'latched',
  'shelved',
  'suppressed',
  'out_of_service',
] as const;
export type AlarmStateName = (typeof ALARM_STATES)[number];

/** One alarm as the API and the live channel show it. */
export interface AlarmView {
  /** Stable: the rule id, plus `.hh`/`.h`/`.l`/`.ll` for limit levels. */
  id: string;
  ruleId: string;
  pointId: string;
  priority: AlarmPriority;
  /** `building/floor/room` (routing and floor plan). */
  area: string;
  state: AlarmStateName;
  /** Alarm condition after delays, independent of shelving/suppression. */
  active: boolean;
  acked: boolean;
  escalated: boolean;
  /** Rendered message (the rule's `{value}` placeholder filled in). */
  message: LocalizedText;
  /** Live value of the point (null when unknown). */
  value: PointValue;
  quality: Quality | null;
  unit?: string;
  /** Value when the alarm last changed state. */
  triggerValue: PointValue;
  activeSince: number | null;
  /** When the state last changed (ms). */
  lastChange: number;
  /** ms since activeSince (or since lastChange when not active), at the time of the view. */
  ageMs: number;
  ackedBy?: string;
  ackedAt?: number;
  shelved?: { by: string; reason: string; at: number; until: number };
  outOfService?: { by: string; reason: string; at: number };
  /** Longest shelve this alarm's rule allows (minutes): the shelve dialog offers no more. */
  maxShelveMin?: number;
  /** Raised while a test run drove its point (hub/testruns): the run's tag. Never a real event. */
  test?: string;
  /** Set when an external alarm system owns the condition (OPC UA A&C): acknowledging goes back to it. */
  external?: { connection: string; source: string; severity: number };
}

export const JOURNAL_KINDS = [
  'activate', 'clear', 'ack', 're-alarm', 'escalate', 'shelve', 'unshelve', 'shelve-expired',
  'out-of-service', 'return-to-service', 'suppress', 'unsuppress', 'comment',
] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

/** One row of the alarm journal. */
export interface JournalRow {
  seq: number;
  ts: number;
  alarmId: string;
  ruleId: string;
  pointId: string;
  priority: AlarmPriority;
  area: string;
  kind: JournalKind;
  /** State after the entry. */
  state: AlarmStateName;
  /** `system` for process transitions and timers. */
  user: string;
  comment?: string;
  value?: PointValue;
}

export interface FloodGroup { area: string; count: number; alarmIds: string[] }

export interface AlarmSummary {
  /** Alarms needing acknowledgement (unacknowledged + rtn_unacknowledged + latched), by priority. */
  unacked: Record<AlarmPriority, number>;
  active: number;
  shelved: number;
  suppressed: number;
  outOfService: number;
  /** More than 10 new alarms in the last 10 minutes. */
  flood: boolean;
  /** New alarms of the last 10 minutes by area, most first (filled when flooding). */
  floodGroups: FloodGroup[];
  /** New alarms in the last 10 minutes. */
  recentCount: number;
}

/** Pushed to the `alarms` room, batched (never per sample). */
export interface AlarmsUpdate {
  changed: AlarmView[];
  summary: AlarmSummary;
}

export type AlarmsSubscribeAck =
  | { ok: true; alarms: AlarmView[]; summary: AlarmSummary }
  | { ok: false; error: string };

/** Sent to supervisors and admins when a critical/high alarm stays unacknowledged too long. */
export interface AlarmEscalation { alarm: AlarmView; unackedForMs: number }

export interface AlarmKpis {
  from: number;
  to: number;
  periods: number;
  operatorPositions: number;
  /** Annunciated alarms per 10 minutes per operator position (average and busiest period). */
  per10MinAvg: number;
  per10MinMax: number;
  /** Share (0..100) of 10-minute periods with more than 10 alarms. */
  floodPercent: number;
  top10: Array<{ alarmId: string; count: number }>;
  /** ≥3 activations within 60 s. */
  chattering: Array<{ alarmId: string; maxIn60s: number }>;
  /** Active for more than 24 h at `to`. */
  stale: Array<{ alarmId: string; activeSince: number }>;
  shelvedCount: number;
  outOfServiceCount: number;
}

const PRIORITY_RANK: Record<AlarmPriority, number> = { critical: 0, high: 1, medium: 2, low: 3 };

const STATE_RANK: Record<AlarmStateName, number> = {
  unacknowledged: 0, rtn_unacknowledged: 1, latched: 2, acknowledged: 3, shelved: 4, suppressed: 5, out_of_service: 6, normal: 7,
};

/**
 * The one order of alarm lists, on the hub and in every console: priority first (critical on
 * top), then what waits for the operator, then the newest change, then id.
 */
export function compareAlarms(a: AlarmView, b: AlarmView): number {
  return (
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
    STATE_RANK[a.state] - STATE_RANK[b.state] ||
    b.lastChange - a.lastChange ||
    a.id.localeCompare(b.id)
  );
}

/**
 * A condition owned by an external system (an OPC UA Alarms & Conditions server), as a driver
 * reports it. The hub keeps its state; acknowledging it goes back to the source through the driver.
 */
export interface ExternalCondition {
  /** Stable across events and reconnects: `<connection>:<ConditionId>`. */
  id: string;
  /** Connection that reported it (the hub routes acknowledgements back to it). */
  connection: string;
  /** Source object of the condition (OPC UA SourceName). */
  source: string;
  /** `building/floor/room` where the condition shows, from the connection's config; absent = the site. */
  area?: string;
  priority: AlarmPriority;
  /** Native severity (OPC UA 1..1000). */
  severity: number;
  message: string;
  active: boolean;
  acked: boolean;
  /** ISA-18.2 state derived from active/acked. */
  state: AlarmStateName;
  /** Source time of the last change (ms). */
  ts: number;
}
