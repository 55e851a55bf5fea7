// A&C event subscription of one session: one event monitored item on the notifier, every condition
// event mapped to an ExternalCondition, ConditionRefresh after (re)subscribing so conditions that
// are already active survive a reconnect, and Acknowledge(EventId, Comment) back to the server.
import type { ClientSession, ClientSubscription, Variant } from 'node-opcua-client';
import { AttributeIds, DataType, TimestampsToReturn, constructEventFilter } from './lib.js';
import type { ExternalCondition } from '../../contracts/alarms.js';
import { toNsuForm } from './nodeid.js';
import { EVENT_FIELDS, toExternalCondition, withBranches, type RawConditionEvent } from './conditions.js';

/** ConditionType (i=2782) and its ConditionRefresh method (i=3875); AcknowledgeableConditionType.Acknowledge (i=9111). */
const CONDITION_TYPE = 'ns=0;i=2782';
const CONDITION_REFRESH = 'ns=0;i=3875';
const ACKNOWLEDGE = 'ns=0;i=9111';

/** Unwraps the select-clause Variants (in EVENT_FIELDS order) into plain values. */
export function rawEvent(fields: Variant[]): RawConditionEvent {
  const v = (i: number): unknown => fields[i]?.value ?? null;
  const text = (x: unknown): string | null => (x == null ? null : typeof x === 'object' && 'text' in (x as object) ? String((x as { text: unknown }).text ?? '') : String(x));
  const id = (x: unknown): string | null => (x == null ? null : String(x));
  return {
    eventId: v(0) instanceof Uint8Array ? (v(0) as Uint8Array) : null,
    eventType: id(v(1)),
    conditionId: fields[2]?.dataType === DataType.NodeId ? id(v(2)) : null,
    sourceName: text(v(3)),
    severity: typeof v(4) === 'number' ? (v(4) as number) : null,
    message: text(v(5)),
    time: v(6) instanceof Date ? (v(6) as Date) : null,
    active: typeof v(7) === 'boolean' ? (v(7) as boolean) : null,
    acked: typeof v(8) === 'boolean' ? (v(8) as boolean) : null,
    retain: typeof v(9) === 'boolean' ? (v(9) as boolean) : null,
    branchId: isNullNodeId(v(10)) ? null : id(v(10)),
  };
}

function isNullNodeId(x: unknown): boolean {
  if (x == null) return true;
  const t = String(x);
  return t === 'ns=0;i=0' || t === 'i=0';
}

export interface TrackedCondition {
  /** The condition node in this session's namespace indexes (for Call). */
  conditionId: string;
  /** EventId of the trunk's last event. */
  eventId: Uint8Array;
  /** Trunk state as the server reported it. */
  trunk: ExternalCondition;
  /** Unacknowledged branches: BranchId → EventId. */
  branches: Map<string, Uint8Array>;
}

export interface ConditionTracker {
  /** Each condition seen, by ExternalCondition.id. */
  readonly last: Map<string, TrackedCondition>;
}

/** Adds the event item to `subscription`, then asks the server to replay current conditions. */
export async function subscribeEvents(
  session: ClientSession,
  subscription: ClientSubscription,
  notifier: string,
  queueSize: number,
  connection: string,
  namespaceArray: readonly string[],
  tracker: ConditionTracker,
  onCondition: (c: ExternalCondition) => void,
): Promise<void> {
  const filter = constructEventFilter([...EVENT_FIELDS]);
  const item = await subscription.monitor(
    { nodeId: notifier, attributeId: AttributeIds.EventNotifier },
    { samplingInterval: 0, discardOldest: true, queueSize, filter },
    TimestampsToReturn.Neither,
  );
  item.on('changed', (fields: unknown) => {
    const raw = rawEvent(fields as Variant[]);
    const sessionNodeId = raw.conditionId;
    // The Watchfloor id uses the nsu= form: namespace indexes may change when the server restarts.
    if (raw.conditionId) raw.conditionId = safeNsu(raw.conditionId, namespaceArray);
    const c = toExternalCondition(connection, raw, Date.now());
    if (!c || !raw.eventId || !sessionNodeId) return;
    let t = tracker.last.get(c.id);
    if (raw.branchId) {
      // A branch event carries the earlier occurrence only; the trunk state is unchanged.
      if (!t) return;
      if (raw.acked === false && raw.retain !== false) t.branches.set(raw.branchId, raw.eventId);
      else t.branches.delete(raw.branchId);
    } else {
      if (!t) tracker.last.set(c.id, (t = { conditionId: sessionNodeId, eventId: raw.eventId, trunk: c, branches: new Map() }));
      t.conditionId = sessionNodeId;
      t.eventId = raw.eventId;
      t.trunk = c;
    }
    onCondition(withBranches(t.trunk, t.branches.size));
  });
  const [r] = await session.call([{ objectId: CONDITION_TYPE, methodId: CONDITION_REFRESH, inputArguments: [{ dataType: DataType.UInt32, value: subscription.subscriptionId }] }]);
  if (!r.statusCode.isGood()) throw new Error(`ConditionRefresh failed: ${r.statusCode.toString()}`);
}

function safeNsu(nodeId: string, namespaceArray: readonly string[]): string {
  try {
    return toNsuForm(nodeId, namespaceArray);
  } catch {
    return nodeId;
  }
}

/** Calls Acknowledge on the condition with its last EventId; throws with the server's status when refused. */
export async function acknowledge(session: ClientSession, conditionId: string, eventId: Uint8Array, comment: string): Promise<void> {
  const [r] = await session.call([{
    objectId: conditionId,
    methodId: ACKNOWLEDGE,
    inputArguments: [
      { dataType: DataType.ByteString, value: Buffer.from(eventId) },
      { dataType: DataType.LocalizedText, value: { text: comment } },
    ],
  }]);
  if (!r.statusCode.isGood()) throw new Error(`Acknowledge refused: ${r.statusCode.toString()}`);
}
