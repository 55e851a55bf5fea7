// Table tests for the site-map geometry: rays, line of sight, visibility polygons, coverage
// figures and blind spots, nearest cameras and PTZ aiming. Figures are checked against values
// worked out by hand (areas of sectors, rectangles in shadow).
import { describe, expect, it } from 'vitest';
import { angleDiff, bearingOf, planToMap, type MapXy, type SiteCamera, type SiteMap } from '../../contracts/sitemap.js';
import { signedArea } from '../../contracts/geometry.js';
import { CoverageModel, distToSegment, inPolygon } from './coverage.js';
import { aimAt, nearestCameras, tiltTo, toNormalised } from './nearest.js';
import { lineOfSight, occluders, rayHit, viewPolygon } from './visibility.js';

const sq = (x0: number, y0: number, x1: number, y1: number): MapXy[] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
const cam = (id: string, at: MapXy, heading: number, fov: number, range: number, extra: Partial<SiteCamera> = {}): SiteCamera => ({ id, name: { en: id, 'zh-CN': id }, at, height: 6, heading, fov, range, ...extra });
const baseMap = (over: Partial<SiteMap>): SiteMap => ({ version: 1, site: 'hq', name: { en: 'x', 'zh-CN': 'x' }, buildings: [], roads: [], areas: [], cameras: [], devices: [], ...over });
const building = (id: string, footprint: MapXy[]) => ({ id, name: { en: id, 'zh-CN': id }, footprint, height: 20 });

describe('bearings', () => {
  it.each([
    [[0, 0], [0, 10], 0],
    [[0, 0], [10, 0], 90],
    [[0, 0], [0, -10], 180],
    [[0, 0], [-10, 0], 270],
    [[5, 5], [15, 15], 45],
  ] as Array<[MapXy, MapXy, number]>)('bearing %j → %j is %d°', (a, b, want) => {
    expect(bearingOf(a, b)).toBeCloseTo(want, 6);
  });
  it.each([[350, 10, 20], [10, 350, -20], [0, 180, 180], [90, 45, -45]])('angleDiff(%d, %d) = %d', (a, b, want) => {
    expect(angleDiff(a, b)).toBeCloseTo(want, 9);
  });
  it('places plan points by origin and rotation', () => {
    expect(planToMap({ planOrigin: [20, 120] }, [60, 24])).toEqual([80, 144]);
    const p = planToMap({ planOrigin: [0, 0], planRotation: 90 }, [10, 0]);
    expect(p[0]).toBeCloseTo(0, 9);
    expect(p[1]).toBeCloseTo(10, 9);
  });
});

describe('rays and line of sight', () => {
  const wall = { a: [10, -5] as MapXy, b: [10, 5] as MapXy };
  it.each([
    ['hits a wall ahead', [0, 0], [1, 0], 10],
    ['misses a wall behind', [0, 0], [-1, 0], Infinity],
    ['misses past its end', [0, 6], [1, 0], Infinity],
    ['parallel does not block', [0, 0], [0, 1], Infinity],
  ] as Array<[string, MapXy, MapXy, number]>)('%s', (_n, o, d, want) => {
    expect(rayHit(o, d, wall)).toBe(want);
  });
  it.each([
    ['blocked by the building', [0, 5], [30, 5], false],
    ['clear beside it', [0, 20], [30, 20], true],
    ['a spot on the near façade is seen', [0, 5], [10, 5], true],
    ['clear when it stops short', [0, 5], [9, 5], true],
  ] as Array<[string, MapXy, MapXy, boolean]>)('%s', (_n, a, b, want) => {
    expect(lineOfSight(a, b, occluders([sq(10, 0, 20, 10)]))).toBe(want);
  });
});

describe('view polygons', () => {
  it.each([
    ['90° cone, open field', 90, 0.25],
    ['60° cone', 60, 1 / 6],
    ['all round', 360, 1],
  ])('%s has the sector area π r² fov/360 (±1%%)', (_n, fov, share) => {
    const poly = viewPolygon({ at: [0, 0], heading: 0, fov, range: 50 }, [], 0.5);
    expect(Math.abs(signedArea(poly))).toBeGreaterThan(Math.PI * 2500 * share * 0.99);
    expect(Math.abs(signedArea(poly))).toBeLessThan(Math.PI * 2500 * share * 1.001);
  });
  it('a building in the cone casts a shadow: the ray stops on its façade, corners are exact', () => {
    // Camera at origin looking east at a 10 m wide building 20 m away.
    const poly = viewPolygon({ at: [0, 0], heading: 90, fov: 90, range: 60 }, occluders([sq(20, -5, 30, 5)]), 1);
    expect(inPolygon(poly, 19, 0)).toBe(true); // in front of the building
    expect(inPolygon(poly, 40, 0)).toBe(false); // behind it
    expect(inPolygon(poly, 40, 15)).toBe(true); // beside the shadow
    expect(poly.some(([x, y]) => Math.abs(x - 20) < 1e-6 && Math.abs(y - 5) < 1e-6)).toBe(true); // the corner itself
  });
  it('a camera mounted on a façade sees out, not through its own wall', () => {
    const poly = viewPolygon({ at: [0, 10], heading: 0, fov: 120, range: 30 }, occluders([sq(-10, 0, 10, 10)]), 1);
    expect(inPolygon(poly, 0, 20)).toBe(true);
    expect(inPolygon(poly, 0, 5)).toBe(false);
  });
});

describe('coverage', () => {
  const road = (id: string, line: MapXy[], width: number) => ({ id, name: { en: id, 'zh-CN': id }, line, width, coverage: true });
  const area = (id: string, polygon: MapXy[], coverage = true) => ({ id, name: { en: id, 'zh-CN': id }, kind: 'plaza' as const, polygon, coverage });
  it.each([
    // name, map, road/area id, expected fraction (± 2 %)
    ['road inside an all-round camera', baseMap({ roads: [road('r', [[0, 0], [40, 0]], 10)], cameras: [cam('c', [20, 0], 0, 360, 100)] }), 'r', 1],
    ['camera sees the east half of a road', baseMap({ roads: [road('r', [[-50, 0], [50, 0]], 4)], cameras: [cam('c', [0, 0], 90, 180, 200)] }), 'r', 0.5],
    ['no camera', baseMap({ roads: [road('r', [[0, 0], [40, 0]], 10)] }), 'r', 0],
    // The near corners (20,40) and (30,40) throw a shadow x 0..50 at y 0 and 5..45 at y 10: 450 of 1000 m² hidden.
    ['a building throws its shadow', baseMap({ areas: [area('a', sq(0, 0, 100, 10))], buildings: [building('b', sq(20, 12, 30, 40))], cameras: [cam('c', [25, 50], 180, 360, 200)] }), 'a', 0.55],
  ] as Array<[string, SiteMap, string, number]>)('%s', (_n, map, id, want) => {
    const rep = new CoverageModel(map).report();
    const f = [...rep.roads, ...rep.areas].find((x) => x.id === id)!;
    expect(Math.abs(f.fraction - want)).toBeLessThan(0.03);
  });

  it('area counts road cells once, leaves building ground out, and skips regions with coverage: false', () => {
    const map = baseMap({
      roads: [road('ew', [[0, 0], [100, 0]], 10), road('ns', [[50, -50], [50, 50]], 10)],
      areas: [area('lawn', sq(0, 20, 10, 30), false), area('yard', sq(60, 10, 80, 30))],
      buildings: [building('b', sq(70, 10, 80, 30))],
    });
    const rep = new CoverageModel(map).report();
    expect(rep.roads.find((r) => r.id === 'ew')!.area).toBeCloseTo(1000 + 110, -2); // 100×10 plus the round caps' half-cells
    expect(rep.areas.map((a) => a.id)).toEqual(['yard']);
    expect(rep.areas[0].area).toBe(200); // 20×20 minus the 10×20 building
    // Union: two 10 m roads crossing share 100 m².
    const sum = rep.roads.reduce((s, r) => s + r.area, 0) + rep.areas[0].area;
    expect(rep.overall.area).toBe(sum - 100);
  });

  it('blind spots are the connected uncovered patches, largest first, as rectangles that add up', () => {
    const map = baseMap({ roads: [road('r', [[0, 0], [100, 0]], 4)], cameras: [cam('c', [50, 0], 0, 360, 20)] });
    const rep = new CoverageModel(map).report();
    expect(rep.blindSpots).toHaveLength(2);
    for (const b of rep.blindSpots) {
      expect(b.regions).toEqual(['r']);
      expect(b.rects.reduce((s, [, , w, h]) => s + w * h, 0)).toBe(b.area);
    }
    expect(rep.blindSpots[0].centroid[0] < 50 !== rep.blindSpots[1].centroid[0] < 50).toBe(true);
    expect(rep.blindSpots[0].id).toBe('blind-1');
  });

  it('moving a camera redoes only that camera and the figures follow', () => {
    const map = baseMap({ roads: [road('r', [[0, 0], [100, 0]], 4)], cameras: [cam('c', [20, 0], 90, 10, 30), cam('d', [80, 0], 270, 10, 30)] });
    const m = new CoverageModel(map);
    const before = m.report().overall.fraction;
    m.setCamera(cam('c', [20, 0], 90, 360, 30));
    expect(m.report().overall.fraction).toBeGreaterThan(before);
    m.removeCamera('c');
    m.removeCamera('d');
    expect(m.report().overall.covered).toBe(0);
    expect(m.coveredAt(50, 0)).toBe(false);
    expect(m.coveredAt(50, 40)).toBeUndefined();
  });

  it.each([
    [[5, 0], [0, 0], [10, 0], 0],
    [[5, 3], [0, 0], [10, 0], 3],
    [[13, 4], [0, 0], [10, 0], 5],
  ] as Array<[MapXy, MapXy, MapXy, number]>)('distance from %j to segment %j–%j is %d', (p, a, b, want) => {
    expect(distToSegment(p[0], p[1], a, b)).toBeCloseTo(want, 9);
  });
});

describe('nearest cameras and aiming', () => {
  const segs = occluders([sq(20, -5, 30, 5)]);
  const dome = cam('dome', [0, 30], 180, 60, 80, { height: 8, ptz: { pan: [-90, 90], tilt: [-90, 0], presets: [{ token: 'east', pan: -90 }, { token: 'south', pan: 0, fov: 40 }] } });
  const cams = [
    cam('near-fixed', [0, -10], 0, 90, 50),
    cam('far-fixed', [0, -40], 0, 60, 100),
    cam('behind-building', [40, 0], 270, 90, 60),
    cam('looking-away', [5, 5], 180, 60, 50),
    cam('too-short', [0, 40], 180, 60, 10),
    dome,
  ];
  it('ranks the cameras that see the spot, drops hidden, facing-away and short ones', () => {
    const got = nearestCameras(cams, segs, [0, 0]);
    expect(got.map((c) => c.camera)).toEqual(['near-fixed', 'dome', 'far-fixed']);
    expect(got[0]).toMatchObject({ distance: 10, bearing: 0, seesNow: true });
    expect(got[1]).toMatchObject({ seesNow: true, aim: { preset: 'south' } });
  });
  it.each([
    // spot, expected aim
    ['preset that covers it', [0, 0], { preset: 'south', pan: 0 }],
    ['nearest preset by angle', [30, 29], { preset: 'east', pan: -88.1 }],
    ['absolute pan when no preset covers it', [-30, 0], { pan: 45 }],
  ] as Array<[string, MapXy, object]>)('%s', (_n, spot, want) => {
    const d = Math.hypot(spot[0] - dome.at[0], spot[1] - dome.at[1]);
    const aim = aimAt(dome, bearingOf(dome.at, spot), d);
    expect(aim).toMatchObject(want);
    expect(aim!.tilt).toBeCloseTo(tiltTo(8, d), 6);
  });
  it('a spot outside the pan range cannot be aimed at', () => {
    expect(aimAt(dome, 0, 10)).toBeUndefined();
  });
  it.each([
    [8, 8, -45],
    [8, 80, -5.7],
    [0, 10, 0],
  ])('tilt from %d m up to ground %d m away is %d°', (h, d, want) => {
    expect(tiltTo(h, d)).toBeCloseTo(want, 1);
  });
  it.each([
    [0, [-180, 180], [-1, 1], 0],
    [90, [-180, 180], [-1, 1], 0.5],
    [-180, [-180, 180], [-1, 1], -1],
    [400, [-180, 180], [-1, 1], 1],
    [-45, [-90, 0], [-1, 1], 0],
  ] as Array<[number, [number, number], [number, number], number]>)('%d° in %j maps to %d', (deg, range, limits, want) => {
    expect(toNormalised(deg, range, limits)).toBeCloseTo(want, 6);
  });
});
