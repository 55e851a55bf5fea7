// Where the scene's HTML labels go, pure (no DOM, no Three.js), so it is table-tested:
//  - every label stays wholly inside the picture (a floor's name sits off its west end, which a
//    floor filling the screen pushes past the left edge: it was drawn as "nt 1");
//  - labels never cover each other: the more important one stays (an alarm before a floor name
//    before a quiet room name) and a lower one that would overlap it is hidden, so a big alarm
//    label no longer sits over its neighbours' names.

export interface LabelBox {
  key: string;
  /** Wanted centre in the picture, px. */
  x: number;
  y: number;
  /** The label's size, px. */
  w: number;
  h: number;
  /** Lower is more important (drawn first, never hidden for another). */
  rank: number;
}

export interface PlacedLabel {
  key: string;
  /** Centre after keeping it inside the picture. */
  x: number;
  y: number;
  visible: boolean;
}

/** Keeps a centre so that a box of `size` stays `margin` inside [0, span]. */
export function clampCentre(centre: number, size: number, span: number, margin = 4): number {
  const lo = size / 2 + margin;
  const hi = span - size / 2 - margin;
  if (hi < lo) return span / 2; // wider than the picture: centre it
  return Math.min(hi, Math.max(lo, centre));
}

const overlaps = (a: PlacedLabel & { w: number; h: number }, b: PlacedLabel & { w: number; h: number }, gap: number) =>
  Math.abs(a.x - b.x) * 2 < a.w + b.w + gap * 2 && Math.abs(a.y - b.y) * 2 < a.h + b.h + gap * 2;

/** Ranks up to this one say something is abnormal: never hidden. */
export const ABNORMAL_RANK = 1;

/** Places the labels in a picture of `width` × `height`: inside it, most important first, no overlaps. */
export function layoutLabels(labels: LabelBox[], width: number, height: number, gap = 2): PlacedLabel[] {
  const order = labels.map((l, i) => [l, i] as const).sort((a, b) => a[0].rank - b[0].rank || a[1] - b[1]);
  const shown: Array<PlacedLabel & { w: number; h: number }> = [];
  const out: PlacedLabel[] = new Array(labels.length);
  for (const [l, i] of order) {
    const p = { key: l.key, x: clampCentre(l.x, l.w, width), y: clampCentre(l.y, l.h, height), visible: true, w: l.w, h: l.h };
    const wanted = p.y;
    // An abnormal state must be seen: move it a line up or down to a free place (a name only
    // makes sense on its room, so names are hidden instead). With no free place it still shows.
    const steps = l.rank <= ABNORMAL_RANK ? [0, 1, -1, 2, -2] : [0];
    const free = steps.find((k) => {
      p.y = clampCentre(wanted + k * (l.h + gap), l.h, height);
      return !shown.some((s) => overlaps(p, s, gap));
    });
    if (free === undefined) {
      p.y = wanted;
      p.visible = l.rank <= ABNORMAL_RANK;
    }
    if (p.visible) shown.push(p);
    out[i] = { key: p.key, x: p.x, y: p.y, visible: p.visible };
  }
  return out;
}

/** A label's rank from its class: alarms, then other abnormal states, then floor names, then room names. */
export function labelRank(className: string): number {
  if (/\balarm\b/.test(className)) return 0;
  if (/\bfloor-label\b/.test(className)) return 2;
  if (/\broom-name\b/.test(className)) return 3;
  return 1;
}
