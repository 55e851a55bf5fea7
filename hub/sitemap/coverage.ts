// Coverage as a checked figure: the roads (centre lines buffered by half their width) and the
// chosen areas are rasterised once on a grid (default 1 m; cells inside building footprints are
// not ground and are left out); each camera marks the cells whose centres lie in its visibility
// polygon. Moving one camera only redoes that camera (subtract its old cells, add the new ones),
// which is what keeps a recompute after a PATCH far under 200 ms. Pure and synchronous.
import type { BlindSpot, CameraCone, CoverageFigure, CoverageReport, MapXy, SiteCamera, SiteMap } from '../../contracts/sitemap.js';
import { occluders, viewPolygon, type Segment } from './visibility.js';

/** Point in polygon (even-odd), fast path for the grid (boundary cases do not matter at cell centres). */
export function inPolygon(poly: readonly MapXy[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const yi = poly[i][1];
    const yj = poly[j][1];
    if (yi > y !== yj > y && x < ((poly[j][0] - poly[i][0]) * (y - yi)) / (yj - yi) + poly[i][0]) inside = !inside;
  }
  return inside;
}

/** Distance from p to segment ab. */
export function distToSegment(x: number, y: number, a: MapXy, b: MapXy): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  const t = l2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / l2));
  return Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy));
}

function bbox(points: readonly MapXy[], pad = 0): [number, number, number, number] {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of points) {
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  return [x0 - pad, y0 - pad, x1 + pad, y1 + pad];
}

interface Region {
  id: string;
  kind: 'road' | 'area';
  name: CoverageFigure['name'];
  cells: Int32Array; // target positions
}

/** The view a camera has now: PTZ cameras count at their home heading (what they watch unattended). */
export function coneOf(cam: SiteCamera, segs: readonly Segment[], stepDeg = 2): CameraCone {
  const cone: CameraCone = { camera: cam.id, polygon: viewPolygon(cam, segs, stepDeg) };
  if (cam.ptz) {
    const [p0, p1] = cam.ptz.pan;
    const span = Math.min(360, p1 - p0 + cam.fov);
    cone.reach = viewPolygon({ at: cam.at, heading: cam.heading + (p0 + p1) / 2, fov: span, range: cam.range }, segs, stepDeg * 2);
  }
  return cone;
}

export class CoverageModel {
  readonly step: number;
  readonly segs: Segment[];
  private readonly x0: number;
  private readonly y0: number;
  private readonly w: number;
  private readonly h: number;
  /** Grid cell → target position, or -1. */
  private readonly targetAt: Int32Array;
  /** Target position → grid cell. */
  private readonly targetCell: Int32Array;
  private readonly firstRegion: Int16Array;
  private readonly count: Uint16Array;
  private readonly regions: Region[] = [];
  private readonly camCells = new Map<string, Int32Array>();
  private readonly cones = new Map<string, CameraCone>();
  computeMs = 0;
  computedAt = 0;
  /** Bumped by every change; report() is cached per version (a wall polling it costs nothing). */
  private version = 0;
  private cached: { version: number; minBlindArea: number; report: CoverageReport } | undefined;

  constructor(map: SiteMap, step = 1) {
    this.step = step;
    const footprints = map.buildings.map((b) => b.footprint);
    this.segs = occluders(footprints);
    const roads = map.roads.filter((r) => r.coverage);
    const areas = map.areas.filter((a) => a.coverage);
    const all: MapXy[] = [
      ...roads.flatMap((r) => r.line.flatMap(([x, y]): MapXy[] => [[x - r.width / 2, y - r.width / 2], [x + r.width / 2, y + r.width / 2]])),
      ...areas.flatMap((a) => a.polygon),
    ];
    const [bx0, by0, bx1, by1] = all.length ? bbox(all, step) : [0, 0, step, step];
    this.x0 = Math.floor(bx0 / step) * step;
    this.y0 = Math.floor(by0 / step) * step;
    this.w = Math.ceil((bx1 - this.x0) / step) + 1;
    this.h = Math.ceil((by1 - this.y0) / step) + 1;
    this.targetAt = new Int32Array(this.w * this.h).fill(-1);
    const cellsOf: number[] = [];
    const regionOf: number[] = [];
    const inBuilding = (x: number, y: number) => map.buildings.some((b) => inPolygon(b.footprint, x, y));
    const mark = (cell: number, x: number, y: number, region: number, list: number[]) => {
      let t = this.targetAt[cell];
      if (t === -1) {
        if (inBuilding(x, y)) return;
        t = cellsOf.length;
        this.targetAt[cell] = t;
        cellsOf.push(cell);
        regionOf.push(region);
      }
      list.push(t);
    };
    const addRegion = (id: string, kind: 'road' | 'area', name: CoverageFigure['name'], fill: (push: (cell: number, x: number, y: number) => void) => void) => {
      const list: number[] = [];
      const index = this.regions.length;
      const seen = new Set<number>();
      fill((cell, x, y) => {
        if (seen.has(cell)) return;
        seen.add(cell);
        mark(cell, x, y, index, list);
      });
      this.regions.push({ id, kind, name, cells: Int32Array.from(list) });
    };
    for (const r of roads) {
      addRegion(r.id, 'road', r.name, (push) => {
        for (let i = 0; i + 1 < r.line.length; i++) {
          const a = r.line[i];
          const b = r.line[i + 1];
          this.forCells(bbox([a, b], r.width / 2), (cell, x, y) => {
            if (distToSegment(x, y, a, b) <= r.width / 2) push(cell, x, y);
          });
        }
      });
    }
    for (const a of areas) {
      addRegion(a.id, 'area', a.name, (push) => this.forCells(bbox(a.polygon), (cell, x, y) => {
        if (inPolygon(a.polygon, x, y)) push(cell, x, y);
      }));
    }
    this.targetCell = Int32Array.from(cellsOf);
    this.firstRegion = Int16Array.from(regionOf);
    this.count = new Uint16Array(cellsOf.length);
    const t0 = performance.now();
    for (const cam of map.cameras) this.setCamera(cam, false);
    this.computeMs = performance.now() - t0;
    this.computedAt = Date.now();
  }

  /** Calls f for every grid cell whose centre lies in the box. */
  private forCells([bx0, by0, bx1, by1]: [number, number, number, number], f: (cell: number, x: number, y: number) => void): void {
    const s = this.step;
    const i0 = Math.max(0, Math.floor((bx0 - this.x0) / s));
    const i1 = Math.min(this.w - 1, Math.ceil((bx1 - this.x0) / s));
    const j0 = Math.max(0, Math.floor((by0 - this.y0) / s));
    const j1 = Math.min(this.h - 1, Math.ceil((by1 - this.y0) / s));
    for (let j = j0; j <= j1; j++) {
      const y = this.y0 + (j + 0.5) * s;
      for (let i = i0; i <= i1; i++) f(j * this.w + i, this.x0 + (i + 0.5) * s, y);
    }
  }

  /** (Re)computes one camera's cone and cells; returns the milliseconds it took. */
  setCamera(cam: SiteCamera, timed = true): number {
    const t0 = performance.now();
    this.removeCamera(cam.id, false);
    const cone = coneOf(cam, this.segs);
    this.cones.set(cam.id, cone);
    const cells: number[] = [];
    this.forCells(bbox(cone.polygon), (cell, x, y) => {
      const t = this.targetAt[cell];
      if (t !== -1 && inPolygon(cone.polygon, x, y)) cells.push(t);
    });
    this.version++;
    const arr = Int32Array.from(cells);
    for (const t of arr) this.count[t]++;
    this.camCells.set(cam.id, arr);
    const ms = performance.now() - t0;
    if (timed) {
      this.computeMs = ms;
      this.computedAt = Date.now();
    }
    return ms;
  }

  removeCamera(id: string, timed = true): void {
    const old = this.camCells.get(id);
    if (old) for (const t of old) this.count[t]--;
    this.camCells.delete(id);
    this.cones.delete(id);
    this.version++;
    if (timed) this.computedAt = Date.now();
  }

  cone(id: string): CameraCone | undefined {
    return this.cones.get(id);
  }

  /** Is the ground at (x, y) seen by some camera? undefined when it is not in a counted road or area. */
  coveredAt(x: number, y: number): boolean | undefined {
    const i = Math.floor((x - this.x0) / this.step);
    const j = Math.floor((y - this.y0) / this.step);
    if (i < 0 || j < 0 || i >= this.w || j >= this.h) return undefined;
    const t = this.targetAt[j * this.w + i];
    return t === -1 ? undefined : this.count[t] > 0;
  }

  report(minBlindArea = 2): CoverageReport {
    if (this.cached && this.cached.version === this.version && this.cached.minBlindArea === minBlindArea) return this.cached.report;
    const cellArea = this.step * this.step;
    const figure = (r: Region): CoverageFigure => {
      let covered = 0;
      for (const t of r.cells) if (this.count[t] > 0) covered++;
      const area = r.cells.length * cellArea;
      return { id: r.id, kind: r.kind, name: r.name, area, covered: covered * cellArea, fraction: r.cells.length ? covered / r.cells.length : 1 };
    };
    let covered = 0;
    for (let t = 0; t < this.count.length; t++) if (this.count[t] > 0) covered++;
    const total = this.count.length;
    const report: CoverageReport = {
      step: this.step,
      overall: { area: total * cellArea, covered: covered * cellArea, fraction: total ? covered / total : 1 },
      roads: this.regions.filter((r) => r.kind === 'road').map(figure),
      areas: this.regions.filter((r) => r.kind === 'area').map(figure),
      cones: [...this.cones.values()],
      blindSpots: this.blindSpots(minBlindArea),
      computeMs: Math.round(this.computeMs * 100) / 100,
      computedAt: this.computedAt,
    };
    this.cached = { version: this.version, minBlindArea, report };
    return report;
  }

  /** Connected (4-neighbour) patches of uncovered cells, as merged rectangles, largest first. */
  private blindSpots(minArea: number): BlindSpot[] {
    const seen = new Uint8Array(this.count.length);
    const spots: BlindSpot[] = [];
    const s = this.step;
    for (let start = 0; start < this.count.length; start++) {
      if (seen[start] || this.count[start] > 0) continue;
      const stack = [start];
      seen[start] = 1;
      const cells: number[] = [];
      const regions = new Set<number>();
      while (stack.length) {
        const t = stack.pop()!;
        const cell = this.targetCell[t];
        cells.push(cell);
        regions.add(this.firstRegion[t]);
        const i = cell % this.w;
        const neighbours = [i > 0 ? cell - 1 : -1, i < this.w - 1 ? cell + 1 : -1, cell - this.w, cell + this.w];
        for (const n of neighbours) {
          if (n < 0 || n >= this.targetAt.length) continue;
          const u = this.targetAt[n];
          if (u === -1 || seen[u] || this.count[u] > 0) continue;
          seen[u] = 1;
          stack.push(u);
        }
      }
      const area = cells.length * s * s;
      if (area < minArea) continue;
      spots.push({ id: '', area, centroid: this.centre(cells), regions: [...regions].map((r) => this.regions[r].id), rects: this.rects(cells) });
    }
    spots.sort((a, b) => b.area - a.area);
    spots.forEach((b, i) => (b.id = `blind-${i + 1}`));
    return spots;
  }

  private centre(cells: number[]): MapXy {
    let sx = 0, sy = 0;
    for (const c of cells) {
      sx += this.x0 + ((c % this.w) + 0.5) * this.step;
      sy += this.y0 + (Math.floor(c / this.w) + 0.5) * this.step;
    }
    return [Math.round((sx / cells.length) * 10) / 10, Math.round((sy / cells.length) * 10) / 10];
  }

  /** Row runs, then runs with the same x extent in consecutive rows merged into one rectangle. */
  private rects(cells: number[]): Array<[number, number, number, number]> {
    const sorted = [...cells].sort((a, b) => a - b);
    const open = new Map<string, [number, number, number, number]>(); // "i0:i1" → rect in cells
    const out: Array<[number, number, number, number]> = [];
    let lastRow = -1;
    let runs: Array<[number, number]> = [];
    const flushRow = (row: number) => {
      const keys = new Set(runs.map(([a, b]) => `${a}:${b}`));
      for (const [k, r] of open) if (!keys.has(k) || r[1] + r[3] !== row) { out.push(r); open.delete(k); }
      for (const [a, b] of runs) {
        const k = `${a}:${b}`;
        const r = open.get(k);
        if (r) r[3]++;
        else open.set(k, [a, row, b - a + 1, 1]);
      }
      runs = [];
    };
    for (let k = 0; k < sorted.length; k++) {
      const c = sorted[k];
      const row = Math.floor(c / this.w);
      const i = c % this.w;
      if (row !== lastRow) {
        if (lastRow >= 0) flushRow(lastRow);
        lastRow = row;
      }
      const last = runs[runs.length - 1];
      if (last && last[1] === i - 1) last[1] = i;
      else runs.push([i, i]);
    }
    if (lastRow >= 0) flushRow(lastRow);
    for (const r of open.values()) out.push(r);
    const s = this.step;
    return out.map(([i, j, w, h]) => [this.x0 + i * s, this.y0 + j * s, w * s, h * s]);
  }
}
