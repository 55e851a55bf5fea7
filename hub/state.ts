// The live truth: latest value + quality per point.
import type { PointInfo, PointState, PointValue, Sample } from '../contracts/point.js';
import type { HubLogger, PointStoreLike } from './module.js';

/** A point turns `stale` after this many expected intervals without a sample. */
export const STALE_AFTER_INTERVALS = 3;

function sameValue(a: PointValue, b: PointValue): boolean {
  // NaN never equals itself; two NaN readings are no change.
  return a === b || (typeof a === 'number' && typeof b === 'number' && a !== a && b !== b);
}

export class PointStore implements PointStoreLike {
  private readonly infosById = new Map<string, PointInfo>();
  private readonly states = new Map<string, PointState>();
  /** Hub clock (ms) of the last sample per point, or of store creation before any sample. */
  private readonly lastSeen = new Map<string, number>();
  private readonly unknown = new Map<string, number>();

  constructor(
    infos: PointInfo[],
    private readonly log: HubLogger,
    private readonly now: () => number = Date.now,
  ) {
    const created = now();
    for (const info of infos) {
      this.infosById.set(info.id, info);
      this.lastSeen.set(info.id, created);
    }
  }

  /** Applies a batch; returns the states whose value, quality or detail changed (in batch order, latest per point). */
  apply(batch: Sample[]): PointState[] {
    const changed = new Map<string, PointState>();
    const seenAt = this.now();
    for (const s of batch) {
      if (!this.infosById.has(s.pointId)) {
        this.countUnknown(s.pointId);
        continue;
      }
      this.lastSeen.set(s.pointId, seenAt);
      const prev = this.states.get(s.pointId);
      // A device that stops answering sends no value: keep the last known one (its quality says it
      // is not live), so a console opened during an outage still shows what was last read.
      const value = s.value === null && s.quality !== 'good' && prev ? prev.value : s.value;
      const valueChanged = !prev || !sameValue(prev.value, value);
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
      this.states.set(s.pointId, next);
      if (valueChanged || prev.quality !== s.quality || prev.detail !== s.detail) {
        changed.delete(s.pointId); // keep batch order of the latest change
        changed.set(s.pointId, next);
      } else if (changed.has(s.pointId)) {
        changed.set(s.pointId, next); // the latest readTs wins within one batch
      }
    }
    return [...changed.values()];
  }

  /**
   * Turns `stale` every point without a sample for STALE_AFTER_INTERVALS × its intervalMs,
   * keeping its last value; a point that never had a sample becomes stale with value null.
   * A point in comm_fail stays comm_fail.
   * Returns the states it changed.
   */
  markStale(now: number = this.now()): PointState[] {
    const changed: PointState[] = [];
    for (const [id, info] of this.infosById) {
      const seen = this.lastSeen.get(id)!;
      const silentMs = now - seen;
      if (silentMs < STALE_AFTER_INTERVALS * info.intervalMs) continue;
      const prev = this.states.get(id);
      // A comm_fail outage is already reported, and more precisely: drivers publish it once per
      // outage, so silence afterwards is expected. Turning it stale would also clear the
      // comm-fail alarm while the device is still down.
      if (prev?.quality === 'stale' || prev?.quality === 'comm_fail') continue;
      const detail = prev
        ? `no sample for ${Math.round(silentMs / 1000)} s (expected every ${info.intervalMs} ms)`
        : `no sample since start (expected every ${info.intervalMs} ms)`;
      const next: PointState = prev
        ? { ...prev, quality: 'stale', detail }
        : { id, value: null, quality: 'stale', detail, readTs: now, changedTs: now };
      this.states.set(id, next);
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
      if (!this.infosById.has(info.id)) this.lastSeen.set(info.id, now);
      this.infosById.set(info.id, info);
      this.unknown.delete(info.id);
    }
  }

  /** Removes points and their state (a live reload); O(given). Later samples for them count as unknown. */
  removePoints(ids: readonly string[]): void {
    for (const id of ids) {
      this.infosById.delete(id);
      this.states.delete(id);
      this.lastSeen.delete(id);
    }
  }

  get(id: string): PointState | undefined {
    return this.states.get(id);
  }

  all(): PointState[] {
    return [...this.states.values()];
  }

  info(id: string): PointInfo | undefined {
    return this.infosById.get(id);
  }

  infos(): PointInfo[] {
    return [...this.infosById.values()];
  }

  get size(): number {
    return this.infosById.size;
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
