import { describe, expect, it } from 'vitest';
import { floodState, pruneActivations, type Activation } from './flood.js';

const MIN = 60_000;
const act = (ts: number, alarmId: string, area: string): Activation => ({ ts, alarmId, area });

describe('alarm flood', () => {
  const ten = Array.from({ length: 10 }, (_, i) => act(i * MIN, `a${i}`, i < 6 ? 'a/b1/pump-b101' : 'a/l03/archive-303'));

  it('10 new alarms in 10 minutes is not yet a flood', () => {
    expect(floodState(ten, 9 * MIN)).toEqual({ flood: false, recentCount: 10, groups: [] });
  });

  it('the 11th makes a flood, grouped by area, most first', () => {
    const eleven = [...ten, act(9.5 * MIN, 'a0', 'a/b1/pump-b101')];
    expect(floodState(eleven, 9.5 * MIN)).toEqual({
      flood: true,
      recentCount: 11,
      groups: [
        { area: 'a/b1/pump-b101', count: 7, alarmIds: ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'] },
        { area: 'a/l03/archive-303', count: 4, alarmIds: ['a6', 'a7', 'a8', 'a9'] },
      ],
    });
  });

  it('the window slides: old activations drop out', () => {
    const eleven = [...ten, act(9.5 * MIN, 'x', 'a/b1/pump-b101')];
    expect(floodState(eleven, 10 * MIN).flood).toBe(false); // the one at 0 is 10 min old
    const list = [...eleven];
    pruneActivations(list, 10.5 * MIN);
    expect(list.map((a) => a.alarmId)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'x']);
  });
});
