// Polling reads for servers (or nodes) that cannot be subscribed: one Read
// request per poll period for all points sharing that period.
import { AttributeIds, type ClientSession, type DataValue } from 'node-opcua';
import { DEFAULT_POLL_MS } from './schema.js';
import type { PointSlot } from './subscribe.js';

export function groupByPollMs(slots: PointSlot[]): Map<number, PointSlot[]> {
  const groups = new Map<number, PointSlot[]>();
  for (const s of slots) {
    const ms = s.point.source.pollMs ?? DEFAULT_POLL_MS;
    groups.set(ms, [...(groups.get(ms) ?? []), s]);
  }
  return groups;
}

/** Starts one timer per poll period; returns the function that stops them all. */
export function startPolling(
  session: ClientSession,
  slots: PointSlot[],
  timeoutMs: number,
  onValue: (slot: PointSlot, dv: DataValue) => void,
  onError: (err: Error) => void,
): () => void {
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;
  for (const [ms, group] of groupByPollMs(slots)) {
    let busy = false;
    const poll = async () => {
      // A slow server must not pile up overlapping reads.
      if (busy || stopped) return;
      busy = true;
      try {
        const nodes = group.map((s) => ({ nodeId: s.nodeId!, attributeId: AttributeIds.Value }));
        const values = await withTimeout(session.read(nodes, 0), timeoutMs);
        if (!stopped) values.forEach((dv, i) => onValue(group[i], dv));
      } catch (err) {
        if (!stopped) onError(err as Error);
      } finally {
        busy = false;
      }
    };
    void poll();
    timers.push(setInterval(poll, ms));
  }
  return () => {
    stopped = true;
    timers.forEach(clearInterval);
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}
