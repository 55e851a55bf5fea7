// What a camera sees on the ground: its view cone clipped by building footprints, as a visibility
// polygon made by ray casting. Rays go out every `stepDeg` across the cone and, so that corners
// are exact, just either side of every footprint vertex in range; each ray stops at the nearest
// footprint edge or at the camera's range. Pure; the coverage grid and the map draw the same polygon.
import { bearingVector, type MapXy } from '../../contracts/sitemap.js';

export interface Segment {
  a: MapXy;
  b: MapXy;
}

export interface ViewSpec {
  at: MapXy;
  /** Compass bearing of the cone's axis. */
  heading: number;
  /** Degrees; ≥ 360 = all round. */
  fov: number;
  range: number;
}

/** Footprint edges as occluding segments. */
export function occluders(footprints: ReadonlyArray<readonly MapXy[]>): Segment[] {
  const out: Segment[] = [];
  for (const poly of footprints) for (let i = 0; i < poly.length; i++) out.push({ a: poly[i], b: poly[(i + 1) % poly.length] });
  return out;
}

/** Distance along the ray from `o` in unit direction `d` to segment s, or Infinity. */
export function rayHit(o: MapXy, d: MapXy, s: Segment): number {
  const ex = s.b[0] - s.a[0];
  const ey = s.b[1] - s.a[1];
  const den = d[0] * ey - d[1] * ex;
  if (Math.abs(den) < 1e-12) return Infinity; // parallel: grazing an edge does not block
  const wx = s.a[0] - o[0];
  const wy = s.a[1] - o[1];
  const t = (wx * ey - wy * ex) / den;
  const u = (wx * d[1] - wy * d[0]) / den;
  if (t <= 1e-7 || u < -1e-9 || u > 1 + 1e-9) return Infinity;
  return t;
}

/** Segments that can matter within `range` of `o` (bounding-box test). */
export function nearSegments(o: MapXy, range: number, segs: readonly Segment[]): Segment[] {
  return segs.filter((s) => Math.min(s.a[0], s.b[0]) <= o[0] + range && Math.max(s.a[0], s.b[0]) >= o[0] - range && Math.min(s.a[1], s.b[1]) <= o[1] + range && Math.max(s.a[1], s.b[1]) >= o[1] - range);
}

/** True when nothing in `segs` stands between a and b. */
export function lineOfSight(a: MapXy, b: MapXy, segs: readonly Segment[]): boolean {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = Math.hypot(dx, dy);
  if (len < 1e-9) return true;
  const d: MapXy = [dx / len, dy / len];
  for (const s of segs) if (rayHit(a, d, s) < len - 1e-7) return false;
  return true;
}

/**
 * The visibility polygon of a view. For a cone (fov < 360) the first vertex is the camera; for
 * all-round views it is the ring of ray ends. Vertices run clockwise (compass order).
 */
export function viewPolygon(v: ViewSpec, segs: readonly Segment[], stepDeg = 2): MapXy[] {
  const near = nearSegments(v.at, v.range, segs);
  const full = v.fov >= 360;
  const half = full ? 180 : v.fov / 2;
  const start = full ? 0 : v.heading - half;
  const span = full ? 360 : v.fov;
  const offsets = new Set<number>();
  const n = Math.max(1, Math.ceil(span / stepDeg));
  for (let i = 0; i <= n; i++) offsets.add((span * i) / n);
  // Either side of each corner in range, so the shadow edge lands exactly on it.
  for (const s of near) {
    for (const p of [s.a, s.b]) {
      const dist = Math.hypot(p[0] - v.at[0], p[1] - v.at[1]);
      if (dist > v.range || dist < 1e-9) continue;
      const bearing = (Math.atan2(p[0] - v.at[0], p[1] - v.at[1]) * 180) / Math.PI;
      const off = (((bearing - start) % 360) + 360) % 360;
      for (const e of [-0.01, 0, 0.01]) {
        const o = off + e;
        if (full ? true : o >= 0 && o <= span) offsets.add(full ? (o + 360) % 360 : o);
      }
    }
  }
  const sorted = [...offsets].sort((a, b) => a - b);
  if (full && sorted[sorted.length - 1] >= 360 - 1e-9) sorted.pop();
  const ring: MapXy[] = [];
  for (const off of sorted) {
    const d = bearingVector(start + off);
    let t = v.range;
    for (const s of near) t = Math.min(t, rayHit(v.at, d, s));
    ring.push([v.at[0] + d[0] * t, v.at[1] + d[1] * t]);
  }
  return full ? ring : [v.at, ...ring];
}
