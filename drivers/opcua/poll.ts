// Polling reads for servers (or nodes) that cannot be subscribed: one Read
// request per poll period for all points sharing that period.
import type { ClientSession, DataValue } from 'node-opcua-client';
import { AttributeIds } from './lib.js';
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

/** Nodes per Read request of readInitialValues (servers commonly cap a request's size). */
const MAX_NODES_PER_READ = 1000;

/**
 * One Read of every subscribed node right after subscribing: a server sends a monitored item's
 * first value only with its first Publish, up to one publishing interval later (~0.7 s of the
 * demo's cold start). A node that has notified meanwhile (`notified`) keeps that newer value.
 * Bad answers (e.g. BadWaitingForInitialData) and failures are left to the subscription, which
 * delivers every value anyway.
 */
export async function readInitialValues(
  session: ClientSession,
  slots: PointSlot[],
  timeoutMs: number,
  notified: ReadonlySet<PointSlot>,
  onValue: (slot: PointSlot, dv: DataValue) => void,
): Promise<void> {
  for (let i = 0; i < slots.length; i += MAX_NODES_PER_READ) {
    const chunk = slots.slice(i, i + MAX_NODES_PER_READ);
    const values = await withTimeout(session.read(chunk.map((s) => ({ nodeId: s.nodeId!, attributeId: AttributeIds.Value })), 0), timeoutMs);
    values.forEach((dv, k) => {
      if (!notified.has(chunk[k]) && !dv.statusCode.isBad()) onValue(chunk[k], dv);
    });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}
