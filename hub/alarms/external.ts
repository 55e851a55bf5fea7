// External alarm systems (OPC UA Alarms & Conditions servers) as alarms of the hub's ISA-18.2
// engine. Drivers report each condition's full state (DriverContext.publishConditions); the hub
// keeps the latest per condition, the alarms module turns each into an engine alarm (same list,
// journal, banner, live push and flood counting as rule alarms), and an operator's acknowledge
// goes back to the source through the driver that reported it before it is journaled here.
import type { ExternalCondition } from '../../contracts/alarms.js';
import { DomainError } from '../errors.js';
import type { AlarmDef } from './rules.js';

/** Alarm ids of external conditions: `ext:` + the driver's stable condition id (`<connection>:<ConditionId>`). */
export const EXTERNAL_ALARM_PREFIX = 'ext:';

export const externalAlarmId = (conditionId: string): string => EXTERNAL_ALARM_PREFIX + conditionId;

/** The engine definition of an external condition: no delays, no evaluation; shelving allowed for a shift (8 h). */
export function externalAlarmDef(c: ExternalCondition): AlarmDef {
  return {
    id: externalAlarmId(c.id),
    ruleId: `external:${c.connection}`,
    pointId: `${c.connection}/${c.source}`,
    priority: c.priority,
    area: c.area ?? '',
    // The source sends one language (OPC UA LocalizedText of its locale): shown as is in both.
    message: { en: c.message, 'zh-CN': c.message },
    detector: { kind: 'external', connection: c.connection, conditionId: c.id, source: c.source, severity: c.severity },
    onDelayMs: 0,
    offDelayMs: 0,
    latching: false,
    reAlarmMs: 0,
    maxShelveMs: 8 * 3600_000,
    escalateMs: 0,
    actions: [],
    dependsOn: [],
  };
}

/** Sends an acknowledgement to the driver serving `connection` (hub/reload/units.ts). */
export type ConditionAcknowledger = (connection: string, conditionId: string, comment: string, user: string) => Promise<void>;

/** The source refused or could not take the acknowledgement: nothing is journaled here. */
export class ExternalAckError extends DomainError {
  constructor(conditionId: string, reason: string) {
    super('unavailable', 'external_ack_failed', `the alarm server did not take the acknowledgement of ${conditionId}: ${reason}`);
    this.name = 'ExternalAckError';
  }
}

export type ConditionListener = (conditions: readonly ExternalCondition[]) => void;

/**
 * The latest state of every external condition, fed by drivers and read by the alarms module.
 * One per hub (created by the composition root); a listener added late first gets everything known.
 */
export class ExternalConditions {
  private readonly latest = new Map<string, ExternalCondition>();
  private readonly listeners = new Set<ConditionListener>();

  constructor(private readonly acknowledger: ConditionAcknowledger) {}

  /** From a driver: each entry is a condition's full current state. */
  publish(conditions: readonly ExternalCondition[]): void {
    if (conditions.length === 0) return;
    for (const c of conditions) this.latest.set(c.id, c);
    for (const l of this.listeners) l(conditions);
  }

  subscribe(listener: ConditionListener): () => void {
    this.listeners.add(listener);
    if (this.latest.size > 0) listener([...this.latest.values()]);
    return () => this.listeners.delete(listener);
  }

  get(conditionId: string): ExternalCondition | undefined {
    return this.latest.get(conditionId);
  }

  /** Acknowledges at the source; rejects with ExternalAckError when the source refuses or is unreachable. */
  async acknowledge(conditionId: string, connection: string, comment: string, user: string): Promise<void> {
    try {
      await this.acknowledger(connection, conditionId, comment, user);
    } catch (err) {
      throw new ExternalAckError(conditionId, err instanceof Error ? err.message : String(err));
    }
  }
}
