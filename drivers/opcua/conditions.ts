// Pure mapping of OPC UA Alarms & Conditions event fields to Watchfloor external conditions.
// The select clauses and the mapping live together so field order cannot drift apart.
import type { AlarmPriority, AlarmStateName, ExternalCondition } from '../../contracts/alarms.js';

/** Select clauses of the event filter, in this order (ConditionId is the condition node's NodeId). */
export const EVENT_FIELDS = [
  'EventId', 'EventType', 'ConditionId', 'SourceName', 'Severity', 'Message', 'Time', 'ActiveState.Id', 'AckedState.Id', 'Retain', 'BranchId',
] as const;

/** RefreshStartEventType / RefreshEndEventType: brackets of a ConditionRefresh, not conditions. */
export const REFRESH_EVENT_TYPES = new Set(['ns=0;i=2787', 'ns=0;i=2788', 'i=2787', 'i=2788']);

/**
 * OPC UA severity 1..1000 → Watchfloor priority. Part 9 suggests 801-1000 high, 601-800 medium-high,
 * 401-600 medium, 1-400 low; Watchfloor's four priorities take those four bands.
 */
export function priorityOfSeverity(severity: number): AlarmPriority {
  if (severity >= 801) return 'critical';
  if (severity >= 601) return 'high';
  if (severity >= 401) return 'medium';
  return 'low';
}

/** ISA-18.2 display state of a condition from its Active and Acked states. */
export function stateOf(active: boolean, acked: boolean): AlarmStateName {
  if (active) return acked ? 'acknowledged' : 'unacknowledged';
  return acked ? 'normal' : 'rtn_unacknowledged';
}

/** One event, as plain values (the driver unwraps node-opcua Variants into this). */
export interface RawConditionEvent {
  eventId: Uint8Array | null;
  eventType: string | null;
  conditionId: string | null;
  sourceName: string | null;
  severity: number | null;
  message: string | null;
  time: Date | null;
  active: boolean | null;
  acked: boolean | null;
  retain: boolean | null;
  /** Non-null for a branch: a previous occurrence kept for acknowledgement while the trunk moved on. */
  branchId: string | null;
}

/** A condition event → ExternalCondition, or null for refresh brackets and plain (non-condition) events. */
export function toExternalCondition(connection: string, e: RawConditionEvent, now: number): ExternalCondition | null {
  if (!e.conditionId || (e.eventType && REFRESH_EVENT_TYPES.has(e.eventType))) return null;
  const severity = Math.min(1000, Math.max(1, Math.round(e.severity ?? 1)));
  const active = e.active === true;
  const acked = e.acked === true;
  return {
    id: `${connection}:${e.conditionId}`,
    connection,
    source: e.sourceName ?? '',
    priority: priorityOfSeverity(severity),
    severity,
    message: e.message ?? '',
    active,
    acked,
    state: stateOf(active, acked),
    ts: e.time?.getTime() ?? now,
  };
}

/**
 * The condition as Watchfloor shows it: a trunk that returned to normal while an earlier occurrence
 * still waits on its own branch for acknowledgement is RTN-unacknowledged (ISA-18.2), not normal.
 */
export function withBranches(trunk: ExternalCondition, unackedBranches: number): ExternalCondition {
  if (trunk.active || unackedBranches === 0) return trunk;
  return { ...trunk, acked: false, state: stateOf(false, false) };
}

/**
 * Where the condition shows on the site: the `areas` entry of its SourceName, else the
 * connection's `area`, else none (the whole site). Config: `events.areas` / `events.area`.
 */
export function withArea(c: ExternalCondition, o: { area?: string; areas: Record<string, string> }): ExternalCondition {
  // node-opcua sends SourceName as a qualified name (`1:FanFault`); namespace indexes are not stable, so the bare name matches too.
  const area = o.areas[c.source] ?? o.areas[c.source.replace(/^\d+:/, '')] ?? o.area;
  return area === undefined ? c : { ...c, area };
}
