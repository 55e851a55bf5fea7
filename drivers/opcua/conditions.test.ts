import { describe, expect, it } from 'vitest';
import { priorityOfSeverity, stateOf, toExternalCondition, withArea, withBranches, type RawConditionEvent } from './conditions.js';

const base: RawConditionEvent = {
  eventId: new Uint8Array([1]), eventType: 'ns=0;i=9341', conditionId: 'nsu=urn:x;s=C', sourceName: 'Pump', severity: 500,
  message: 'hot', time: new Date(1000), active: true, acked: false, retain: true, branchId: null,
};

describe('OPC UA condition mapping', () => {
  it.each([
    [1, 'low'], [400, 'low'], [401, 'medium'], [600, 'medium'], [601, 'high'], [800, 'high'], [801, 'critical'], [1000, 'critical'],
  ] as const)('severity %i → %s', (sev, prio) => expect(priorityOfSeverity(sev)).toBe(prio));

  it.each([
    [true, false, 'unacknowledged'], [true, true, 'acknowledged'], [false, false, 'rtn_unacknowledged'], [false, true, 'normal'],
  ] as const)('active %s acked %s → %s', (a, k, s) => expect(stateOf(a, k)).toBe(s));

  it('maps an event, clamping severity and prefixing the connection', () => {
    expect(toExternalCondition('c1', { ...base, severity: 5000 }, 0)).toEqual({
      id: 'c1:nsu=urn:x;s=C', connection: 'c1', source: 'Pump', priority: 'critical', severity: 1000, message: 'hot',
      active: true, acked: false, state: 'unacknowledged', ts: 1000,
    });
  });

  it('ignores refresh brackets and events without a ConditionId', () => {
    expect(toExternalCondition('c1', { ...base, eventType: 'ns=0;i=2787' }, 0)).toBeNull();
    expect(toExternalCondition('c1', { ...base, conditionId: null }, 0)).toBeNull();
  });

  it('an inactive trunk with an unacknowledged branch is RTN-unacknowledged', () => {
    const trunk = toExternalCondition('c1', { ...base, active: false, acked: true }, 0)!;
    expect(withBranches(trunk, 0).state).toBe('normal');
    expect(withBranches(trunk, 1)).toMatchObject({ acked: false, state: 'rtn_unacknowledged' });
  });
});

describe('withArea', () => {
  const c = toExternalCondition('c1', { eventId: null, eventType: null, conditionId: 'ns=1;s=X', sourceName: '1:FanFault', severity: 900, message: 'm', time: null, active: true, acked: false, retain: true, branchId: null }, 0)!;
  const table: Array<[string, { area?: string; areas: Record<string, string> }, string | undefined]> = [
    ['no config: the whole site', { areas: {} }, undefined],
    ['the connection default', { area: 'a', areas: {} }, 'a'],
    ['the qualified SourceName', { area: 'a', areas: { '1:FanFault': 'a/b1' } }, 'a/b1'],
    ['the bare name (namespace index not stable)', { area: 'a', areas: { FanFault: 'a/b1/plant' } }, 'a/b1/plant'],
    ['another source falls back to the default', { area: 'a', areas: { Other: 'b' } }, 'a'],
  ];
  it.each(table)('%s', (_name, o, area) => {
    expect(withArea(c, o).area).toBe(area);
  });
});
