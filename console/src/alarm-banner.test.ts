import { describe, expect, it } from 'vitest';
import type { AlarmView } from '../../contracts/alarms.js';
import type { AlarmSummary } from '../../contracts/alarms.js';
import { bannerMessage, newestLoud, shouldRing } from './alarm-banner.js';

const alarm = (id: string, priority: AlarmView['priority'], state: AlarmView['state'], lastChange: number): AlarmView => ({
  id, ruleId: id, pointId: 'p', priority, area: 'a/b1/x', state, active: true, acked: false, escalated: false,
  message: { en: id, 'zh-CN': id }, value: null, quality: 'good', triggerValue: null, activeSince: lastChange, lastChange, ageMs: 0,
});

describe('alarm banner rules', () => {
  it('picks the newest critical before any high, ignoring acknowledged and low ones', () => {
    const list = [alarm('h-new', 'high', 'unacknowledged', 9), alarm('c-old', 'critical', 'unacknowledged', 1), alarm('c-acked', 'critical', 'acknowledged', 10), alarm('low', 'low', 'unacknowledged', 11)];
    expect(newestLoud(list)?.id).toBe('c-old');
    expect(newestLoud([alarm('m', 'medium', 'unacknowledged', 1)])).toBeNull();
  });
  it.each([
    ['a new critical', undefined, alarm('a', 'critical', 'unacknowledged', 1), true],
    ['a high coming back after acknowledgement', alarm('a', 'high', 'acknowledged', 1), alarm('a', 'high', 'unacknowledged', 2), true],
    ['the same alarm again (no change)', alarm('a', 'high', 'unacknowledged', 2), alarm('a', 'high', 'unacknowledged', 2), false],
    ['an acknowledgement', alarm('a', 'critical', 'unacknowledged', 1), alarm('a', 'critical', 'acknowledged', 2), false],
    ['a new medium', undefined, alarm('a', 'medium', 'unacknowledged', 1), false],
  ] as const)('rings for %s: %s', (_name, before, after, ring) => expect(shouldRing(before, after)).toBe(ring));

  const summary = (unacked: Partial<AlarmSummary['unacked']>, flood = false): AlarmSummary => ({
    unacked: { critical: 0, high: 0, medium: 0, low: 0, ...unacked }, active: 0, shelved: 0, suppressed: 0, outOfService: 0,
    flood, floodGroups: [], recentCount: 0,
  } as AlarmSummary);
  it.each([
    ['link down', false, summary({ low: 1 }), [], 'down', 0],
    ['only a low alarm waits: never "nothing to acknowledge"', true, summary({ low: 1 }), [alarm('l', 'low', 'unacknowledged', 1)], 'waiting', 1],
    ['medium and low wait', true, summary({ medium: 2, low: 1 }), [], 'waiting', 3],
    ['a critical waits beside a low one', true, summary({ critical: 1, low: 1 }), [alarm('c', 'critical', 'unacknowledged', 1)], 'alarm', 2],
    ['nothing waits', true, summary({}), [], 'none', 0],
    ['a flood with nothing waiting', true, summary({}, true), [], 'flood', 0],
  ] as const)('banner says %s', (_name, up, s, list, kind, waiting) => {
    const said = bannerMessage(up, s, list);
    expect(said.kind).toBe(kind);
    if (said.kind === 'waiting' || said.kind === 'alarm') expect(said.waiting).toBe(waiting);
  });
});
