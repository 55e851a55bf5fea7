// Which points are under test right now, and by which run: the alarm engine asks this when an
// alarm activates, so an alarm raised by an injected fault or a scenario carries a `test` tag in
// the journal and the console and can never pass for a real event. Per hub (hub/registries.ts).

/** A point stays marked this long after its fault is cleared: the alarm's delays may still be running. */
export const MARK_GRACE_MS = 120_000;

export class TestMarks {
  private readonly marks = new Map<string, { tag: string; until: number }>();
  private all: { tag: string; until: number } | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  /** Marks points until cleared (plus the grace period). */
  mark(pointIds: readonly string[], tag: string): void {
    for (const id of pointIds) this.marks.set(id, { tag, until: Infinity });
  }

  /** A scenario can touch any point: marks the whole site. */
  markAll(tag: string): void {
    this.all = { tag, until: Infinity };
  }

  unmark(pointIds: readonly string[]): void {
    const until = this.now() + MARK_GRACE_MS;
    for (const id of pointIds) {
      const m = this.marks.get(id);
      if (m) m.until = Math.min(m.until, until);
    }
  }

  unmarkAll(): void {
    if (this.all) this.all.until = Math.min(this.all.until, this.now() + MARK_GRACE_MS);
  }

  /** The test tag of a point, or undefined when no test touches it. */
  tagOf(pointId: string): string | undefined {
    const now = this.now();
    const m = this.marks.get(pointId);
    if (m && m.until > now) return m.tag;
    if (m) this.marks.delete(pointId);
    if (this.all && this.all.until > now) return this.all.tag;
    return undefined;
  }
}
