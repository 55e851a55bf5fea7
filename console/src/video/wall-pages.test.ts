import { describe, expect, it } from 'vitest';
import { columnsOf, pageCount, parseWallOptions, wallPage } from './wall-pages.js';

describe('parseWallOptions', () => {
  it.each([
    ['layout=9&cycle=10', { layout: 9, cycleS: 10, page: 0 }],
    ['?layout=16', { layout: 16, cycleS: 30, page: 0 }],
    ['', { layout: 4, cycleS: 30, page: 0 }],
    ['layout=5&cycle=abc&page=-1', { layout: 4, cycleS: 30, page: 0 }],
    ['layout=1&cycle=0&page=2', { layout: 1, cycleS: 0, page: 2 }],
    ['cycle=1', { layout: 4, cycleS: 5, page: 0 }], // never faster than 5 s: a wall must be readable
  ])('%s', (query, want) => expect(parseWallOptions(query)).toEqual(want));
});

describe('wall pages', () => {
  const cams = ['a', 'b', 'c', 'd', 'e', 'f'];
  it('splits cameras into pages of the layout, wrapping around', () => {
    expect(pageCount(6, 4)).toBe(2);
    expect(pageCount(0, 4)).toBe(1);
    expect(wallPage(cams, 4, 0)).toEqual(['a', 'b', 'c', 'd']);
    expect(wallPage(cams, 4, 1)).toEqual(['e', 'f']);
    expect(wallPage(cams, 4, 2)).toEqual(['a', 'b', 'c', 'd']);
    expect(wallPage(cams, 9, 5)).toEqual(cams);
  });
  it('columns: 1, 2, 3, 4', () => {
    expect([1, 4, 9, 16].map(columnsOf)).toEqual([1, 2, 3, 4]);
  });
});
