import { describe, expect, it } from 'vitest';
import type { SiteTree } from '../../contracts/api.js';
import { floorKeysOf, roomsFor } from './live.js';

const site: SiteTree = {
  id: 'hq', name: { en: 'HQ', 'zh-CN': 'HQ' }, timezone: 'UTC',
  buildings: [{ id: 'a', name: { en: 'A', 'zh-CN': 'A' }, floors: [
    { id: 'b1', key: 'hq/a/b1', name: { en: 'B1', 'zh-CN': 'B1' }, level: -1, rooms: [] },
    { id: 'l01', key: 'hq/a/l01', name: { en: 'L1', 'zh-CN': 'L1' }, level: 1, rooms: [] },
  ] }],
};
const floors = new Set(floorKeysOf(site));
const points = new Set(['hq/a/b1/r/d/p']);

describe('floorKeysOf', () => {
  it('lists site/building/floor keys', () => expect([...floors]).toEqual(['hq/a/b1', 'hq/a/l01']));
});

describe('roomsFor', () => {
  it.each([
    [{ floors: ['hq/a/b1'] }, { rooms: ['floor:hq/a/b1'], floors: ['hq/a/b1'], points: [] }],
    [{ floors: ['hq/a/l01'], points: ['hq/a/b1/r/d/p'] }, { rooms: ['floor:hq/a/l01', 'point:hq/a/b1/r/d/p'], floors: ['hq/a/l01'], points: ['hq/a/b1/r/d/p'] }],
    [{}, { rooms: [], floors: [], points: [] }],
    [{ floors: ['hq/a/l99'] }, { error: 'unknown floor(s): hq/a/l99' }],
    [{ points: ['hq/a/b1/r/d/zz'] }, { error: 'unknown point(s): hq/a/b1/r/d/zz' }],
    [{ floors: 'hq/a/b1' }, { error: 'floors must be an array of floor keys (site/building/floor)' }],
    [{ points: [1] }, { error: 'points must be an array of point ids' }],
    [{ rooms: ['x'] }, { error: 'unknown key(s) in subscription: rooms' }],
    [null, { error: 'subscription must be an object {floors?: string[], points?: string[]}' }],
    [{ points: Array(5001).fill('x') }, { error: 'too many rooms in one call (max 5000)' }],
  ])('%j', (sub, expected) => {
    expect(roomsFor(sub, floors, points)).toEqual(expected);
  });
});
