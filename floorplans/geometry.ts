// Pure 2D geometry for floor plans: polygons as arrays of [x, y] metres, last vertex joins the first.
import { centroid, signedArea, type Xy } from '../contracts/geometry.js';

export { centroid, signedArea };

const EPS = 1e-9;

function cross(o: Xy, a: Xy, b: Xy): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

function onSegment(p: Xy, a: Xy, b: Xy): boolean {
  return Math.abs(cross(a, b, p)) < 1e-7 &&
    Math.min(a[0], b[0]) - 1e-7 <= p[0] && p[0] <= Math.max(a[0], b[0]) + 1e-7 &&
    Math.min(a[1], b[1]) - 1e-7 <= p[1] && p[1] <= Math.max(a[1], b[1]) + 1e-7;
}

/** Do segments ab and cd share any point (touching counts)? */
export function segmentsIntersect(a: Xy, b: Xy, c: Xy, d: Xy): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (((d1 > EPS && d2 < -EPS) || (d1 < -EPS && d2 > EPS)) && ((d3 > EPS && d4 < -EPS) || (d3 < -EPS && d4 > EPS))) return true;
  return onSegment(a, c, d) || onSegment(b, c, d) || onSegment(c, a, b) || onSegment(d, a, b);
}

/**
 * Why a polygon is not a simple polygon, or null: repeated vertices, zero area, or two
 * non-adjacent edges that cross or touch. Names the edges so the author can find them.
 */
export function polygonProblem(poly: readonly Xy[]): string | null {
  const n = poly.length;
  if (n < 3) return `needs at least 3 vertices, has ${n}`;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    if (Math.abs(poly[i][0] - poly[j][0]) < EPS && Math.abs(poly[i][1] - poly[j][1]) < EPS) return `vertices ${i} and ${j} are the same point`;
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const adjacent = j === i + 1 || (i === 0 && j === n - 1);
      if (adjacent) continue;
      if (segmentsIntersect(poly[i], poly[(i + 1) % n], poly[j], poly[(j + 1) % n])) {
        return `self-intersecting: edge ${i}→${(i + 1) % n} crosses edge ${j}→${(j + 1) % n}`;
      }
    }
  }
  // After the crossing test: a bow tie's lobes cancel out to zero area, and crossing says more.
  if (Math.abs(signedArea(poly)) < EPS) return 'has zero area';
  return null;
}

/** Point in polygon (ray casting); points on the boundary count as inside. */
export function containsPoint(poly: readonly Xy[], p: Xy): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    if (onSegment(p, poly[j], poly[i])) return true;
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if ((yi > p[1]) !== (yj > p[1]) && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Every vertex of `inner` inside or on `outer` (enough for the convex-ish outlines of floor slabs). */
export function containsPolygon(outer: readonly Xy[], inner: readonly Xy[]): boolean {
  return inner.every((p) => containsPoint(outer, p));
}

export function bounds(polys: ReadonlyArray<readonly Xy[]>): { minX: number; minY: number; maxX: number; maxY: number } {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const poly of polys) for (const [x, y] of poly) {
    minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y);
  }
  return { minX, minY, maxX, maxY };
}
