import { describe, expect, it } from 'vitest';
import type { AlarmSummary, AlarmView } from '../../../../contracts/alarms.js';
import { AlarmList, compareAlarms } from './alarm-model.js';

const summary: AlarmSummary = { unacked: { critical: 0, high: 0, medium: 0, low: 0 }, active: 0, shelved: 0, suppressed: 0, outOfService: 0, flood: false, floodGroups: [], recentCount: 0 };
function alarm(id: string, over: Partial<AlarmView> = {}): AlarmView {
  return {
    id, ruleId: id, pointId: `hq/a/b1/r/e/${id}`, priority: 'high', area: 'a/b1/pump-b101', state: 'unacknowledged', active: true, acked: false, escalated: false,
    message: { en: id, 'zh-CN': id }, value: 1, quality: 'good', triggerValue: 1, activeSince: 0, lastChange: 0, ageMs: 1000, ...over,
  };
}
const all = { area: '', priorities: [], showHidden: true };

describe('console alarm list', () => {
  it('sorts by priority, then unacknowledged first, then newest', () => {
    const list = [alarm('a', { priority: 'low', lastChange: 9 }), alarm('b', { state: 'acknowledged', lastChange: 5 }), alarm('c', { lastChange: 1 }), alarm('d', { lastChange: 2 }), alarm('e', { priority: 'critical' })];
    expect(list.sort(compareAlarms).map((a) => a.id)).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it('applies updates; an alarm back to normal leaves; a reset replaces everything', () => {
    const l = new AlarmList();
    l.reset([alarm('a'), alarm('b')], summary, 0);
    l.apply([alarm('a', { state: 'acknowledged' }), alarm('b', { state: 'normal' }), alarm('c')], { ...summary, flood: true }, 10);
    expect(l.visible(all).map((a) => [a.id, a.state])).toEqual([['c', 'unacknowledged'], ['a', 'acknowledged']]);
    expect(l.summary?.flood).toBe(true);
    l.reset([alarm('z')], summary, 20);
    expect(l.visible(all).map((a) => a.id)).toEqual(['z']);
  });

  it('filters by area prefix, priority and hidden states; counts what waits for an ack', () => {
    const l = new AlarmList();
    l.reset([
      alarm('pump', { area: 'a/b1/pump-b101' }),
      alarm('b10', { area: 'a/b10/x' }),
      alarm('crit', { area: 'a/b1/archive-b103', priority: 'critical' }),
      alarm('shelved', { area: 'a/b1/archive-b103', state: 'shelved' }),
      alarm('latched', { area: 'a/b1/archive-b103', state: 'latched' }),
    ], summary, 0);
    expect(l.visible({ area: 'a/b1', priorities: [], showHidden: false }).map((a) => a.id)).toEqual(['crit', 'pump', 'latched']);
    expect(l.visible({ area: 'a/b1', priorities: ['critical'], showHidden: false }).map((a) => a.id)).toEqual(['crit']);
    expect(l.visible({ area: 'a/b1/archive-b103', priorities: [], showHidden: true }).map((a) => a.id)).toEqual(['crit', 'latched', 'shelved']);
    expect(l.pendingAck({ area: 'a/b1', priorities: [], showHidden: true })).toBe(3);
  });

  it('ages count on from the hub age at reception', () => {
    const l = new AlarmList();
    l.reset([alarm('a', { ageMs: 5000 })], summary, 1000);
    expect(l.ageMs(l.get('a')!, 4000)).toBe(8000);
  });
});

describe('groupByArea', () => {
  it('orders groups by their most urgent alarm and counts what waits for an ack', async () => {
    const { groupByArea } = await import('./alarm-model.js');
    const sorted = [
      alarm('crit', { area: 'a/b1/x', priority: 'critical' }),
      alarm('h1', { area: 'a/l03/y' }),
      alarm('h2', { area: 'a/b1/x', state: 'acknowledged' }),
      alarm('low', { area: 'a/l03/y', priority: 'low', state: 'latched' }),
    ];
    expect(groupByArea(sorted).map((g) => [g.area, g.alarms.map((a) => a.id), g.pendingAck])).toEqual([
      ['a/b1/x', ['crit', 'h2'], 1],
      ['a/l03/y', ['h1', 'low'], 2],
    ]);
  });
});
