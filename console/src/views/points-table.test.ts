import { describe, expect, it } from 'vitest';
import type { PointView } from '../../../contracts/api.js';
import { groupByRoom } from './points-table.js';

const p = (id: string) => ({ id }) as PointView;

describe('groupByRoom', () => {
  it('groups by the room segment, in site order, dropping empty rooms and keeping unknown rooms last', () => {
    const points = [p('hq/a/b1/r2/x/a'), p('hq/a/b1/r1/x/b'), p('hq/a/b1/zz/x/c'), p('hq/a/b1/r2/y/d')];
    const groups = groupByRoom(points, [{ id: 'r1' }, { id: 'r2' }, { id: 'r3' }]);
    expect(groups.map((g) => [g.room, g.points.map((q) => q.id.split('/').pop())])).toEqual([
      ['r1', ['b']],
      ['r2', ['a', 'd']],
      ['zz', ['c']],
    ]);
  });
});
