// Each (point, readTs) enters the hub once from the edges (docs/edge.md, "Duplicates"). What repeats a
// sample on the edge → host path, measured: every birth restates each point's latest sample (the edge
// births on each reconnect and the host asks for a rebirth on its own reconnect and on take-over), and
// store-and-forward is at least once (a replayed chunk whose acknowledgement was lost is sent again).
// MQTT QoS 1 itself redelivers nothing here (clean sessions; the agent tells mqtt.js not to resend).
// Pure and per point: the last live/birth readTs, and the last replayed (historical) readTs.

export type SampleKind = 'live' | 'birth' | 'historical';

export class SampleDedup {
  private readonly last = new Map<string, number>();
  private readonly lastHistorical = new Map<string, number>();
  /** Samples refused as repeats, by kind (bench and tests). */
  readonly dropped: Record<SampleKind, number> = { live: 0, birth: 0, historical: 0 };

  /** Whether this sample is new to the hub (and remembers it). */
  accept(pointId: string, readTs: number, kind: SampleKind): boolean {
    const last = this.last.get(pointId);
    if (kind === 'historical') {
      // A replay is in order per point: anything not after the last replayed one was delivered; the
      // newest spooled sample also went out in the birth that precedes the replay.
      const h = this.lastHistorical.get(pointId);
      if ((h !== undefined && readTs <= h) || readTs === last) return this.refuse(kind);
      this.lastHistorical.set(pointId, readTs);
      return true;
    }
    // Live data only moves forward, but an edge's clock may step back: only an exact repeat is refused.
    if (readTs === last) return this.refuse(kind);
    this.last.set(pointId, readTs);
    return true;
  }

  /**
   * The hub stopped following the point (marked comm_fail, or its building went to another hub): the
   * next birth's restatement of it is needed again (it restores the state), so it is not a repeat.
   */
  forget(pointId: string): void {
    this.last.delete(pointId);
  }

  private refuse(kind: SampleKind): false {
    this.dropped[kind]++;
    return false;
  }
}
