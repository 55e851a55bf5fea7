import { describe, expect, it } from 'vitest';
import { centroid, containsPoint, polygonProblem, segmentsIntersect, signedArea } from './geometry.js';
import type { Xy } from './schema.js';

const square: Xy[] = [[0, 0], [4, 0], [4, 4], [0, 4]];

describe('polygonProblem', () => {
  it.each<[string, Xy[], RegExp | null]>([
    ['a square', square, null],
    ['an L shape', [[0, 0], [6, 0], [6, 2], [2, 2], [2, 6], [0, 6]], null],
    ['a bow tie', [[0, 0], [4, 4], [4, 0], [0, 4]], /self-intersecting: edge 0→1 crosses edge 2→3/],
    ['a repeated vertex', [[0, 0], [0, 0], [4, 0], [4, 4]], /vertices 0 and 1 are the same point/],
    ['collinear points', [[0, 0], [2, 0], [4, 0]], /zero area/],
    ['two vertices', [[0, 0], [1, 1]], /at least 3/],
    ['a spike touching an edge', [[0, 0], [4, 0], [4, 4], [2, 0], [0, 4]], /self-intersecting/],
  ])('%s', (_name, poly, expected) => {
    const problem = polygonProblem(poly);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

describe('containsPoint', () => {
  it.each<[Xy, boolean]>([
    [[2, 2], true],
    [[0, 2], true], // on the wall counts as inside
    [[4, 4], true],
    [[4.01, 2], false],
    [[-1, -1], false],
  ])('%j in the square → %s', (p, inside) => expect(containsPoint(square, p)).toBe(inside));
});

describe('area, centroid, intersection', () => {
  it('measures a counter-clockwise square positive and finds its middle', () => {
    expect(signedArea(square)).toBe(16);
    expect(signedArea([...square].reverse())).toBe(-16);
    expect(centroid(square)).toEqual([2, 2]);
  });
  it('tells crossing, touching and parallel segments apart', () => {
    expect(segmentsIntersect([0, 0], [2, 2], [0, 2], [2, 0])).toBe(true);
    expect(segmentsIntersect([0, 0], [2, 0], [2, 0], [3, 1])).toBe(true);
    expect(segmentsIntersect([0, 0], [2, 0], [0, 1], [2, 1])).toBe(false);
  });
});
