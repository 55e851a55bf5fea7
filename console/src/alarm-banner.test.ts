import { describe, expect, it } from 'vitest';
import type { AlarmView } from '../../contracts/alarms.js';
import { newestLoud, shouldRing } from './alarm-banner.js';

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
});
