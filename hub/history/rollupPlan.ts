// Which table serves which part of a trend, and which roll-up intervals still need computing. Pure.
//
// A roll-up answers a bucket only where the hub KNOWS it equals the raw aggregate: inside the range it
// has rolled up ([from, to)) and outside any range where data landed after it was rolled up (dirty).
// Everything else is read from raw data, so a minute never rolled up falls back to raw instead of `[]`.

export type Interval = readonly [number, number];

export interface Coverage {
  /** Roll-up rows are complete for [from, to); null: nothing is known yet (all raw). */
  from: number | null;
  to: number | null;
  /** Ranges whose raw data changed after they were rolled up (late or replayed samples); sorted, disjoint. */
  dirty: Interval[];
}

export interface Segment {
  from: number;
  to: number;
  rollup: boolean;
}

/** A dirty list longer than this is collapsed into its hull: cheaper to plan, still correct (more raw). */
export const MAX_DIRTY = 16;

/** Adds [a, b) to a sorted, disjoint interval list (merging touching ones). */
export function addInterval(list: readonly Interval[], a: number, b: number): Interval[] {
  if (!(b > a)) return [...list];
  const out: Interval[] = [];
  let lo = a;
  let hi = b;
  let placed = false;
  for (const [x, y] of list) {
    if (y < lo) out.push([x, y]);
    else if (x > hi) {
      if (!placed) {
        out.push([lo, hi]);
        placed = true;
      }
      out.push([x, y]);
    } else {
      lo = Math.min(lo, x);
      hi = Math.max(hi, y);
    }
  }
  if (!placed) out.push([lo, hi]);
  return out.length > MAX_DIRTY ? [[out[0][0], out[out.length - 1][1]]] : out;
}

/** Removes [a, b) from a sorted, disjoint interval list. */
export function removeInterval(list: readonly Interval[], a: number, b: number): Interval[] {
  const out: Interval[] = [];
  for (const [x, y] of list) {
    if (y <= a || x >= b) out.push([x, y]);
    else {
      if (x < a) out.push([x, a]);
      if (y > b) out.push([b, y]);
    }
  }
  return out;
}

/** Widens [a, b) outward to whole buckets of `res` (epoch-aligned, as GROUP BY time(res) is). */
export function alignOutward(a: number, b: number, res: number): Interval {
  return [Math.floor(a / res) * res, Math.ceil(b / res) * res];
}

/**
 * Splits the trend range [from, to) (whole steps: from and to on step boundaries) into segments served by
 * the roll-up or by raw data. Roll-up segments are shrunk inward to step boundaries so no bucket mixes
 * sources; adjacent segments of the same source are merged.
 */
export function planSegments(from: number, to: number, stepMs: number, offsetMs: number, cov: Coverage): Segment[] {
  const segs: Segment[] = [];
  const push = (a: number, b: number, rollup: boolean) => {
    if (!(b > a)) return;
    const last = segs[segs.length - 1];
    if (last && last.rollup === rollup && last.to === a) last.to = b;
    else segs.push({ from: a, to: b, rollup });
  };
  const up = (t: number) => Math.ceil((t - offsetMs) / stepMs) * stepMs + offsetMs;
  const down = (t: number) => Math.floor((t - offsetMs) / stepMs) * stepMs + offsetMs;
  let usable: Interval[] = [];
  if (cov.from !== null && cov.to !== null) {
    const lo = Math.max(from, cov.from);
    const hi = Math.min(to, cov.to);
    if (hi > lo) usable = [[lo, hi]];
    for (const [a, b] of cov.dirty) usable = removeInterval(usable, a, b);
  }
  let cursor = from;
  for (const [a, b] of usable) {
    const ra = up(a);
    const rb = down(b);
    if (rb <= ra) continue;
    push(cursor, ra, false);
    push(ra, rb, true);
    cursor = rb;
  }
  push(cursor, to, false);
  return segs;
}

/**
 * The next piece of roll-up work, oldest concern first: dirty ranges (data changed under finished
 * roll-ups), then forward progress up to `target` (the last interval old enough that its samples have
 * arrived), then backward extension down to `horizon` (raw data older than that has expired).
 * `chunk` bounds each piece so one SELECT … INTO never reads more raw data than that span.
 */
export type Work = { kind: 'dirty' | 'forward' | 'backward'; from: number; to: number };

export function nextWork(cov: Coverage, target: number, horizon: number, chunk: number): Work | null {
  if (cov.from === null || cov.to === null) return null;
  if (cov.dirty.length > 0) {
    const [a, b] = cov.dirty[0];
    return { kind: 'dirty', from: a, to: Math.min(b, a + chunk) };
  }
  if (target > cov.to) return { kind: 'forward', from: cov.to, to: Math.min(target, cov.to + chunk) };
  if (horizon < cov.from) return { kind: 'backward', from: Math.max(horizon, cov.from - chunk), to: cov.from };
  return null;
}
