import { describe, expect, it } from 'vitest';
import { RouteTable, hrefOf, matchPattern, pathOfHash } from './router.js';

describe('matchPattern', () => {
  it.each([
    ['/floor/:building/:floor/:room?', '/floor/a/b1', { building: 'a', floor: 'b1' }],
    ['/floor/:building/:floor/:room?', '/floor/a/b1/archive-b101', { building: 'a', floor: 'b1', room: 'archive-b101' }],
    ['/floor/:building/:floor/:room?', '/floor/a', null],
    ['/floor/:building/:floor/:room?', '/floor/a/b1/r/extra', null],
    ['/floor/:building/:floor/:room?', '/trends/a/b1', null],
    ['/', '/', {}],
    ['/', '/wall', null],
    ['/wall', '/wall/', {}],
    ['/p/:id', '/p/a%20b', { id: 'a b' }],
    ['/p/:id', '/p/%E0%A4%A', null],
  ])('%s vs %s', (pattern, path, expected) => {
    expect(matchPattern(pattern, path)).toEqual(expected);
  });
});

describe('hash helpers', () => {
  it.each([
    ['', '/'],
    ['#', '/'],
    ['#/floor/a/b1', '/floor/a/b1'],
    ['#/floor/a/b1?x=1', '/floor/a/b1'],
    ['#wall', '/wall'],
  ])('pathOfHash(%j) → %s', (hash, path) => {
    expect(pathOfHash(hash)).toBe(path);
  });

  it('builds encoded hrefs that round-trip through the matcher', () => {
    const href = hrefOf('floor', 'a', 'b 1');
    expect(href).toBe('#/floor/a/b%201');
    expect(matchPattern('/floor/:b/:f', pathOfHash(href))).toEqual({ b: 'a', f: 'b 1' });
  });
});

describe('RouteTable', () => {
  it('resolves the first matching route, or null', () => {
    const table = new RouteTable<string>().add('/floor/:b/:f/:r?', 'floor').add('/', 'home');
    expect(table.resolve('/floor/a/b1')).toEqual({ view: 'floor', params: { b: 'a', f: 'b1' } });
    expect(table.resolve('/')).toEqual({ view: 'home', params: {} });
    expect(table.resolve('/alarms')).toBeNull();
  });
});
