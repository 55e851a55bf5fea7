import { describe, expect, it } from 'vitest';
import { allHold, anyHolds, evaluateCondition, insideWindows, localWeekMinute, ConditionRegistry, scheduleConditionProblems, type ConditionContext } from './conditions.js';
import { alarmsFileSchema, conditionSchema, type Condition, type TimeWindow } from './schema.js';
import { ps } from './test-fixtures.js';

const TZ = 'Asia/Shanghai'; // UTC+8, no DST
const at = (iso: string) => Date.parse(iso);
const office: TimeWindow[] = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00' }];
const night: TimeWindow[] = [{ days: ['fri'], from: '22:00', to: '06:00' }];

describe('weekly time windows in the site time zone', () => {
  it('reads weekday and minute in the zone', () => {
    // 2025-03-03 is a Monday; 00:30 UTC is 08:30 in Shanghai.
    expect(localWeekMinute(at('2025-03-03T00:30:00Z'), TZ)).toEqual({ day: 1, minute: 8 * 60 + 30 });
    expect(localWeekMinute(at('2025-03-02T23:59:00Z'), TZ)).toEqual({ day: 1, minute: 7 * 60 + 59 });
  });
  it.each([
    ['Mon 08:30 local', '2025-03-03T00:30:00Z', office, true],
    ['Mon 07:59 local', '2025-03-02T23:59:00Z', office, false],
    ['Mon 18:00 local (end excluded)', '2025-03-03T10:00:00Z', office, false],
    ['Sat 10:00 local', '2025-03-08T02:00:00Z', office, false],
    ['Fri 23:00 local, overnight window', '2025-03-07T15:00:00Z', night, true],
    ['Sat 05:00 local, overnight window begun Friday', '2025-03-07T21:00:00Z', night, true],
    ['Sat 06:00 local, overnight window over', '2025-03-07T22:00:00Z', night, false],
    ['Sun 05:00 local, no window began Saturday', '2025-03-08T21:00:00Z', night, false],
  ] as Array<[string, string, TimeWindow[], boolean]>)('%s', (_n, iso, windows, want) => {
    expect(insideWindows(windows, at(iso), TZ)).toBe(want);
  });
});

describe('conditions', () => {
  const states = new Map([
    ['hq/a/l01/plant-101/ahu-1/cmd', ps('hq/a/l01/plant-101/ahu-1/cmd', false)],
    ['hq/a/l01/plant-101/ahu-1/speed', ps('hq/a/l01/plant-101/ahu-1/speed', 42)],
    ['hq/a/l01/plant-101/ahu-1/lost', ps('hq/a/l01/plant-101/ahu-1/lost', 1, 0, 'comm_fail')],
  ]);
  const ctx = (iso: string): ConditionContext => ({ now: at(iso), timezone: TZ, timeWindows: { office }, point: (id) => states.get(id) });
  const monMorning = '2025-03-03T01:00:00Z';
  const satNight = '2025-03-08T14:00:00Z';

  it.each([
    [{ type: 'time-window', window: 'office', match: 'inside' }, monMorning, true],
    [{ type: 'time-window', window: 'office', match: 'outside' }, monMorning, false],
    [{ type: 'time-window', window: 'office', match: 'outside' }, satNight, true],
    [{ type: 'point', point: 'hq/a/l01/plant-101/ahu-1/cmd', equals: false }, monMorning, true],
    [{ type: 'point', point: 'hq/a/l01/plant-101/ahu-1/cmd', equals: 0 }, monMorning, true],
    [{ type: 'point', point: 'hq/a/l01/plant-101/ahu-1/cmd', notEquals: false }, monMorning, false],
    [{ type: 'point', point: 'hq/a/l01/plant-101/ahu-1/speed', above: 40 }, monMorning, true],
    [{ type: 'point', point: 'hq/a/l01/plant-101/ahu-1/speed', below: 40 }, monMorning, false],
    [{ type: 'point', point: 'hq/a/l01/plant-101/ahu-1/lost', equals: 1 }, monMorning, false],
    [{ type: 'point', point: 'hq/a/l01/plant-101/ahu-1/none', equals: 1 }, monMorning, false],
  ] as Array<[Condition, string, boolean]>)('%j at %s → %s', (cond, iso, want) => {
    expect(evaluateCondition(cond, ctx(iso))).toBe(want);
  });

  it('combines: all for gating, any for suppression; empty lists neither gate nor suppress', () => {
    const t: Condition = { type: 'time-window', window: 'office', match: 'inside' };
    const f: Condition = { type: 'point', point: 'hq/a/l01/plant-101/ahu-1/speed', below: 40 };
    expect(allHold([t, f], ctx(monMorning))).toBe(false);
    expect(anyHolds([t, f], ctx(monMorning))).toBe(true);
    expect(allHold(undefined, ctx(monMorning))).toBe(true);
    expect(anyHolds(undefined, ctx(monMorning))).toBe(false);
  });

  it('is pluggable: a new condition type registers its evaluator in an injected registry', () => {
    const conditions = new ConditionRegistry();
    const withRegistry = { ...ctx(monMorning), conditions };
    expect(() => evaluateCondition({ type: 'schedule-test' }, withRegistry)).toThrow('no evaluator registered for condition type "schedule-test"');
    conditions.register('schedule-test', (_c, c) => c.now > 0);
    expect(evaluateCondition({ type: 'schedule-test' }, withRegistry)).toBe(true);
    // Registries are independent: no process-wide table leaks one hub's evaluators into another.
    expect(() => evaluateCondition({ type: 'schedule-test' }, { ...ctx(monMorning), conditions: new ConditionRegistry() })).toThrow('no evaluator registered');
    expect(() => evaluateCondition({ type: 'schedule-test' }, ctx(monMorning))).toThrow('no evaluator registered');
  });
});

describe('schedule conditions', () => {
  const conditions = new ConditionRegistry();
  const ctx: ConditionContext = { now: 0, timezone: TZ, timeWindows: {}, point: () => undefined, conditions };
  const cond: Condition = { type: 'schedule', group: 'offices', when: 'unoccupied' };

  it('register returns a restore: the previous evaluator comes back, unless replaced since', () => {
    expect(evaluateCondition(cond, ctx)).toBe(false); // the default: no schedule engine, never holds
    const restore = conditions.register('schedule', () => true);
    expect(evaluateCondition(cond, ctx)).toBe(true);
    restore();
    expect(evaluateCondition(cond, ctx)).toBe(false);
    const first = conditions.register('schedule', () => true);
    const second = conditions.register('schedule', () => true);
    first(); // not current any more: no effect
    expect(evaluateCondition(cond, ctx)).toBe(true);
    second();
    expect(evaluateCondition(cond, ctx)).toBe(true); // back to `first`'s evaluator, which it replaced
  });

  it('schema: group and when are required, when is occupied|unoccupied, no other keys', () => {
    expect(conditionSchema.safeParse(cond).success).toBe(true);
    expect(conditionSchema.safeParse({ type: 'schedule', group: 'offices', when: 'closed' }).error?.issues[0].path).toEqual(['when']);
    expect(conditionSchema.safeParse({ type: 'schedule', when: 'occupied' }).error?.issues[0].path).toEqual(['group']);
    expect(conditionSchema.safeParse({ ...cond, window: 'x' }).success).toBe(false);
  });

  it.each([
    ['a known group', new Set(['offices']), []],
    ['an unknown group', new Set(['meeting-rooms']), [[['rules', 0, 'when', 1, 'group'], 'unknown zone group "offices" (groups of schedules.yaml: meeting-rooms)']]],
    ['no schedules.yaml', null, [[['rules', 0, 'when', 1, 'group'], 'zone group "offices" needs config/schedules.yaml, which is missing']]],
  ] as const)('cross-check: %s', (_n, groups, want) => {
    const file = alarmsFileSchema.parse({
      rules: [{
        id: 'door', type: 'state', point: 'hq/a/l03/archive-303/door-1/open', activeWhen: true, message: { en: 'x', 'zh-CN': 'x' },
        when: [{ type: 'point', point: 'hq/a/l03/archive-303/door-1/forced', equals: false }, cond],
      }],
    });
    expect(scheduleConditionProblems(file, groups as ReadonlySet<string> | null).map((p) => [p.path, p.message])).toEqual(want);
  });
});
