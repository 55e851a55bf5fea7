import { describe, expect, it } from 'vitest';
import type { PointState } from '../../contracts/point.js';
import { RoomCoalescer } from './coalescer.js';

const st = (id: string, value: number): PointState => ({ id, value, quality: 'good', readTs: value, changedTs: value });

describe('RoomCoalescer', () => {
  it.each([
    ['nothing', [], []],
    ['one state', [['r1', st('a', 1)]], [['r1', [st('a', 1)]]]],
    ['latest value wins per point', [['r1', st('a', 1)], ['r1', st('a', 2)], ['r1', st('a', 3)]], [['r1', [st('a', 3)]]]],
    ['points keep first-seen order', [['r1', st('a', 1)], ['r1', st('b', 1)], ['r1', st('a', 2)]], [['r1', [st('a', 2), st('b', 1)]]]],
    ['rooms are separate', [['r1', st('a', 1)], ['r2', st('a', 1)], ['r2', st('b', 2)]], [['r1', [st('a', 1)]], ['r2', [st('a', 1), st('b', 2)]]]],
  ] as Array<[string, Array<[string, PointState]>, Array<[string, PointState[]]>]>)('%s', (_n, adds, expected) => {
    const c = new RoomCoalescer();
    for (const [room, s] of adds) c.add(room, s);
    expect(c.isEmpty).toBe(adds.length === 0);
    expect(c.drain()).toEqual(expected);
    expect(c.isEmpty).toBe(true);
    expect(c.drain()).toEqual([]);
  });
});
