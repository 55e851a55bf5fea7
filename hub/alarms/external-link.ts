// Links the hub's external conditions (hub/alarms/external.ts) to the alarm engine: every
// reported state becomes an engine alarm, and an operator's acknowledge of such an alarm goes to
// the source first (OPC UA Acknowledge through the driver), then into the journal and the audit
// log under the operator's name. Nothing is journaled when the source refuses.
import type { AlarmView, ExternalCondition } from '../../contracts/alarms.js';
import type { AuditLogLike, HubLogger } from '../module.js';
import type { AlarmEngine } from './engine.js';
import { AlarmActionError } from './engine.js';
import { externalAlarmDef, type ExternalConditions } from './external.js';

export interface ExternalAlarmLink {
  /** True when `alarmId` is an external condition's alarm. */
  owns(alarmId: string): boolean;
  acknowledge(alarmId: string, user: string, comment?: string): Promise<AlarmView>;
  /** Acknowledges the area's external alarms that wait for it; returns their ids (those the source refused are left out and logged). */
  acknowledgeArea(area: string, user: string, comment?: string): Promise<string[]>;
  stop(): void;
}

/** Whom the journal names for an acknowledgement made at the source (an OPC UA client elsewhere). */
export const sourceUser = (c: ExternalCondition): string => `${c.connection} (source)`;

export function linkExternalAlarms(engine: AlarmEngine, conditions: ExternalConditions, log: HubLogger, audit: AuditLogLike): ExternalAlarmLink {
  // An operator's ack in flight: the source's own "acked" event may arrive before Acknowledge
  // returns; it is then journaled under the operator's name, not the source's.
  const inFlight = new Map<string, { user: string; comment?: string }>();
  let failing = false;
  const off = conditions.subscribe((batch) => {
    try {
      for (const c of batch) {
        const op = inFlight.get(c.id);
        engine.upsertExternal(externalAlarmDef(c), { active: c.active, acked: c.acked, ackedBy: op?.user ?? sourceUser(c), comment: op?.comment });
      }
      if (failing) log.info({}, 'external alarm conditions recovered');
      failing = false;
    } catch (err) {
      if (!failing) log.error({ err }, 'external alarm conditions could not be applied');
      failing = true;
    }
  });

  const conditionOf = (alarmId: string) => {
    const d = engine.def(alarmId)?.detector;
    return d?.kind === 'external' ? d : undefined;
  };

  async function acknowledge(alarmId: string, user: string, comment?: string): Promise<AlarmView> {
    const d = conditionOf(alarmId);
    if (!d) throw new AlarmActionError(404, 'not_found', `unknown external alarm "${alarmId}"`);
    const before = engine.view(alarmId)!;
    if (before.acked && before.state !== 'latched') throw new AlarmActionError(409, 'conflict', `alarm ${alarmId} is ${before.state.replace(/_/g, ' ')}: it needs no acknowledgement`);
    inFlight.set(d.conditionId, { user, comment });
    try {
      await conditions.acknowledge(d.conditionId, d.connection, comment ?? '', user);
    } finally {
      inFlight.delete(d.conditionId);
    }
    const now = engine.view(alarmId)!;
    if (!now.acked) return engine.ack(alarmId, user, comment); // journals and audits
    // The source's event got here first and was journaled under this operator: audit it here.
    audit.record({ user, action: 'alarm.ack', target: alarmId, details: { external: d.connection, ...(comment ? { comment } : {}) } });
    return now;
  }

  return {
    owns: (alarmId) => conditionOf(alarmId) !== undefined,
    acknowledge,
    async acknowledgeArea(area, user, comment) {
      const acked: string[] = [];
      for (const def of engine.externalAwaitingAck(area)) {
        try {
          await acknowledge(def.id, user, comment);
          acked.push(def.id);
        } catch (err) {
          log.warn({ err, alarm: def.id }, 'external alarm not acknowledged by its source');
        }
      }
      return acked;
    },
    stop: () => off(),
  };
}
