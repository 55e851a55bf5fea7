// Creates the monitored items of one subscription, grouped by identical
// monitoring parameters so thousands of points cost a handful of requests.
import type { ClientSubscription, DataValue } from 'node-opcua-client';
import { AttributeIds, DataChangeFilter, DataChangeTrigger, DeadbandType, TimestampsToReturn } from './lib.js';
import type { BoundPoint } from '../../contracts/driver.js';
import type { Sample } from '../../contracts/point.js';
import type { ParsedNodeId } from './nodeid.js';
import type { OpcuaSource } from './schema.js';

/** The driver's per-point state on one connection. */
export interface PointSlot {
  point: BoundPoint<OpcuaSource>;
  parsed: ParsedNodeId | null;
  /** `ns=N;…` resolved against the current session's NamespaceArray. */
  nodeId: string | null;
  /** Last sample published (for keep-alive refresh). */
  last: Sample | null;
  lastPublishedAt: number;
}

/** Items per CreateMonitoredItems request; servers commonly cap this. */
export const MAX_ITEMS_PER_CALL = 1000;

/** Key of the monitoring parameters a point asks for (points with equal keys share a request). */
export function monitoringKey(source: OpcuaSource, publishingIntervalMs: number): string {
  const d = source.deadband;
  return [source.samplingIntervalMs ?? publishingIntervalMs, source.queueSize ?? 1, d ? `${d.type}:${d.value}` : 'none'].join('|');
}

export function groupByMonitoring<T extends { point: { source: OpcuaSource } }>(slots: T[], publishingIntervalMs: number): T[][] {
  const groups = new Map<string, T[]>();
  for (const s of slots) {
    const key = monitoringKey(s.point.source, publishingIntervalMs);
    const g = groups.get(key) ?? [];
    g.push(s);
    groups.set(key, g);
  }
  const out: T[][] = [];
  for (const g of groups.values()) for (let i = 0; i < g.length; i += MAX_ITEMS_PER_CALL) out.push(g.slice(i, i + MAX_ITEMS_PER_CALL));
  return out;
}

/** Creates all monitored items; returns `bad` samples for items the server refused. */
export async function subscribePoints(
  subscription: ClientSubscription,
  slots: PointSlot[],
  publishingIntervalMs: number,
  onValue: (slot: PointSlot, dv: DataValue) => void,
): Promise<Sample[]> {
  const failures: Sample[] = [];
  for (const chunk of groupByMonitoring(slots, publishingIntervalMs)) {
    const source = chunk[0].point.source;
    const d = source.deadband;
    const filter = d
      ? new DataChangeFilter({
          trigger: DataChangeTrigger.StatusValue,
          deadbandType: d.type === 'absolute' ? DeadbandType.Absolute : DeadbandType.Percent,
          deadbandValue: d.value,
        })
      : null;
    const group = await subscription.monitorItems(
      chunk.map((s) => ({ nodeId: s.nodeId!, attributeId: AttributeIds.Value })),
      { samplingInterval: source.samplingIntervalMs ?? publishingIntervalMs, queueSize: source.queueSize ?? 1, discardOldest: true, filter },
      TimestampsToReturn.Both,
    );
    group.on('changed', (_item, dv, index) => onValue(chunk[index], dv));
    const now = Date.now();
    group.monitoredItems.forEach((item, i) => {
      if (item.statusCode && !item.statusCode.isGood()) {
        failures.push({ pointId: chunk[i].point.info.id, value: null, quality: 'bad', detail: `${item.statusCode.name} (${chunk[i].point.source.nodeId})`, readTs: now });
      }
    });
  }
  return failures;
}
