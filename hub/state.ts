// The live truth: latest value + quality per point.
import type { PointInfo, PointState, PointValue, Sample } from '../contracts/point.js';
import type { HubLogger, PointStoreLike } from './module.js';

/** A point turns `stale` after this many expected intervals without a sample. */
export const STALE_AFTER_INTERVALS = 3;

function sameValue(a: PointValue, b: PointValue): boolean {
  // NaN never equals itself; two NaN readings are no change.
  return a === b || (typeof a === 'number' && typeof b === 'number' && a !== a && b !== b);
}

/**
 * One record per configured point: its description, its latest state, and when it was last seen.
 * One Map lookup per sample (not four), and the stale sweep walks records instead of joining maps:
 * at 200k samples/s both showed up in profiles (docs/performance.md).
 */
interface Slot {
  /** info.id, or REMOVED once the point left the store: checked against a sample's id when guessed. */
  id: string;
  info: PointInfo;
  state: PointState | undefined;
  /**
   * readTs of the latest sample. A sample that changes nothing but the time only moves this; the state
   * object is copied with it when someone reads the state (current()), so the common unchanged sample
   * costs no allocation while states stay immutable for whoever holds them.
   */
  readTs: number;
  /** Hub clock (ms) of the last sample, or of store creation / addition before any sample. */
  lastSeen: number;
  /** STALE_AFTER_INTERVALS × info.intervalMs, kept here so the sweep reads one record per point, not two. */
  staleMs: number;
  /** Batch stamp and position in the `changed` list of the batch being applied. */
  mark: number;
  at: number;
  /**
   * The slot of the sample that followed this one in the last batch. A driver publishes its points in
   * the same order every cycle, so the next sample's slot is found without a lookup in the 200k-entry
   * map (its cache misses were most of apply's time: 377 → 105 ns per sample at 200k points).
   */
  next: Slot | undefined;
}

/** Never a point id: a removed slot still named as some slot's `next` matches no sample. */
const REMOVED = '\u0000removed';

function newSlot(info: PointInfo, seen: number): Slot {
  return { id: info.id, info, state: undefined, readTs: 0, lastSeen: seen, staleMs: STALE_AFTER_INTERVALS * info.intervalMs, mark: 0, at: 0, next: undefined };
}

/** The slot's state with the latest readTs (copied, never mutated, when only the time moved). */
function current(slot: Slot): PointState | undefined {
  const st = slot.state;
  if (st !== undefined && st.readTs !== slot.readTs) slot.state = { ...st, readTs: slot.readTs };
  return slot.state;
}

export class PointStore implements PointStoreLike {
  private readonly slots = new Map<string, Slot>();
  private readonly unknown = new Map<string, number>();
  private batchNo = 0;

  constructor(
    infos: PointInfo[],
    private readonly log: HubLogger,
    private readonly now: () => number = Date.now,
  ) {
    const created = now();
    for (const info of infos) this.slots.set(info.id, newSlot(info, created));
  }

  /** Applies a batch; returns the states whose value, quality or detail changed (in batch order, latest per point). */
  apply(batch: Sample[]): PointState[] {
    const changed: Array<PointState | null> = [];
    let holes = 0;
    const mark = ++this.batchNo;
    const seenAt = this.now();
    let last: Slot | undefined;
    for (let i = 0; i < batch.length; i++) {
      const s = batch[i];
      const guess = last?.next;
      const slot = guess !== undefined && guess.id === s.pointId ? guess : this.slots.get(s.pointId);
      if (slot === undefined) {
        this.countUnknown(s.pointId);
        last = undefined;
        continue;
      }
      if (last !== undefined && guess !== slot) last.next = slot;
      last = slot;
      slot.lastSeen = seenAt;
      const prev = slot.state;
      // A device that stops answering sends no value: keep the last known one (its quality says it
      // is not live), so a console opened during an outage still shows what was last read.
      const value = s.value === null && s.quality !== 'good' && prev ? prev.value : s.value;
      const valueChanged = !prev || !sameValue(prev.value, value);
      slot.readTs = s.readTs;
      // Nothing but the time moved (the bulk of a polled site's traffic): no new state object.
      if (!valueChanged && slot.mark !== mark && prev.quality === s.quality && prev.detail === s.detail && prev.sourceTs === s.sourceTs) continue;
      const next: PointState = {
        id: s.pointId,
        value,
        quality: s.quality,
        readTs: s.readTs,
        changedTs: valueChanged ? s.readTs : prev.changedTs,
      };
      if (s.detail !== undefined) next.detail = s.detail;
      if (s.sourceTs !== undefined) next.sourceTs = s.sourceTs;
      // States are replaced, never mutated: listeners may keep the objects they were given.
      slot.state = next;
      const inBatch = slot.mark === mark;
      if (valueChanged || prev.quality !== s.quality || prev.detail !== s.detail) {
        if (inBatch) {
          changed[slot.at] = null; // keep batch order of the latest change
          holes++;
        }
        slot.mark = mark;
        slot.at = changed.length;
        changed.push(next);
      } else if (inBatch) {
        changed[slot.at] = next; // the latest readTs wins within one batch
      }
    }
    return holes === 0 ? (changed as PointState[]) : (changed.filter((c) => c !== null) as PointState[]);
  }

  /**
   * Turns `stale` every point without a sample for STALE_AFTER_INTERVALS × its intervalMs,
   * keeping its last value; a point that never had a sample becomes stale with value null.
   * A point in comm_fail stays comm_fail.
   * Returns the states it changed.
   */
  markStale(now: number = this.now()): PointState[] {
    const changed: PointState[] = [];
    for (const slot of this.slots.values()) {
      const silentMs = now - slot.lastSeen;
      if (silentMs < slot.staleMs) continue;
      const prev = current(slot);
      // A comm_fail outage is already reported, and more precisely: drivers publish it once per
      // outage, so silence afterwards is expected. Turning it stale would also clear the
      // comm-fail alarm while the device is still down.
      if (prev?.quality === 'stale' || prev?.quality === 'comm_fail') continue;
      const info = slot.info;
      const detail = prev
        ? `no sample for ${Math.round(silentMs / 1000)} s (expected every ${info.intervalMs} ms)`
        : `no sample since start (expected every ${info.intervalMs} ms)`;
      const next: PointState = prev
        ? { ...prev, quality: 'stale', detail }
        : { id: info.id, value: null, quality: 'stale', detail, readTs: now, changedTs: now };
      slot.state = next;
      changed.push(next);
    }
    return changed;
  }

  /**
   * Adds points, or replaces the description of existing ones (a live reload); O(given).
   * A new point counts as unseen from now, like every point at start-up; an existing one keeps its state.
   */
  upsertInfos(infos: readonly PointInfo[]): void {
    const now = this.now();
    for (const info of infos) {
      const slot = this.slots.get(info.id);
      if (slot) (slot.info = info), (slot.staleMs = STALE_AFTER_INTERVALS * info.intervalMs);
      else this.slots.set(info.id, newSlot(info, now));
      this.unknown.delete(info.id);
    }
  }

  /** Removes points and their state (a live reload); O(given). Later samples for them count as unknown. */
  removePoints(ids: readonly string[]): void {
    for (const id of ids) {
      const slot = this.slots.get(id);
      if (slot === undefined) continue;
      slot.id = REMOVED;
      slot.next = undefined;
      this.slots.delete(id);
    }
  }

  get(id: string): PointState | undefined {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : current(slot);
  }

  all(): PointState[] {
    const out: PointState[] = [];
    for (const slot of this.slots.values()) if (slot.state !== undefined) out.push(current(slot)!);
    return out;
  }

  info(id: string): PointInfo | undefined {
    return this.slots.get(id)?.info;
  }

  infos(): PointInfo[] {
    const out: PointInfo[] = [];
    for (const slot of this.slots.values()) out.push(slot.info);
    return out;
  }

  get size(): number {
    return this.slots.size;
  }

  /** Samples dropped per unknown point id. */
  unknownCounts(): Record<string, number> {
    return Object.fromEntries(this.unknown);
  }

  private countUnknown(id: string): void {
    const n = this.unknown.get(id) ?? 0;
    this.unknown.set(id, n + 1);
    if (n === 0) this.log.warn({ pointId: id }, 'sample for an unknown point id dropped (logged once per id)');
  }
}
