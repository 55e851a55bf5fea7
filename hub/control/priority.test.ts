import { describe, expect, it } from 'vitest';
import { DEFAULT_LEVELS_BY_ROLE, describeArray, effectiveOf, expiredSlots, levelRefusal, releaseSlot, setSlot, type PriorityArray, type Slot } from './priority.js';

const slot = (level: number, value: number | boolean, expiresAt: number | null = null): Slot => ({ level, value, user: `u${level}`, setAt: 0, expiresAt });
const arr = (slots: Slot[], relinquishDefault: number | boolean | null = 20): PriorityArray => ({ pointId: 'p', slots, relinquishDefault });

describe('effectiveOf', () => {
  it.each([
    ['empty → relinquish default', arr([]), 20, null],
    ['empty, no default → null', arr([], null), null, null],
    ['single schedule level', arr([slot(15, 24)]), 24, 15],
    ['manual beats schedule', arr([slot(15, 24), slot(8, 22)]), 22, 8],
    ['life safety beats manual', arr([slot(8, 22), slot(1, 30), slot(15, 24)]), 30, 1],
    ['expired manual falls back to schedule', arr([slot(8, 22, 500), slot(15, 24)]), 24, 15],
    ['not yet expired manual wins', arr([slot(8, 22, 2000), slot(15, 24)]), 22, 8],
    ['binary values', arr([slot(14, false), slot(13, true)], false), true, 13],
  ])('%s', (_name, a, value, level) => {
    const e = effectiveOf(a, 1000);
    expect(e.value).toBe(value);
    expect(e.level).toBe(level);
  });

  it('set replaces the same level, release falls back', () => {
    let a = arr([slot(15, 24)]);
    a = setSlot(a, slot(8, 22));
    a = setSlot(a, slot(8, 21));
    expect(a.slots.filter((s) => s.level === 8)).toHaveLength(1);
    expect(effectiveOf(a, 0).value).toBe(21);
    a = releaseSlot(a, 8);
    expect(effectiveOf(a, 0)).toMatchObject({ value: 24, level: 15 });
    a = releaseSlot(a, 15);
    expect(effectiveOf(a, 0)).toMatchObject({ value: 20, level: null });
  });

  it('lists expired slots and describes all 16 levels with who/when/expiry', () => {
    const a = arr([slot(8, 22, 500), slot(15, 24)]);
    expect(expiredSlots(a, 1000).map((s) => s.level)).toEqual([8]);
    const v = describeArray(arr([slot(8, 22, 5000), slot(15, 24)]), 1000);
    expect(v.levels).toHaveLength(16);
    expect(v.levels[7]).toMatchObject({ level: 8, value: 22, user: 'u8', expiresAt: 5000, empty: false });
    expect(v.levels[0]).toMatchObject({ level: 1, empty: true, value: null });
    expect(v.effective).toEqual({ value: 22, level: 8 });
  });
});

describe('levelRefusal', () => {
  it.each([
    ['operator', 8, null],
    ['operator', 13, null],
    ['operator', 1, 'role operator may not write at priority 1 (manual life safety); allowed: 8-13'],
    ['operator', 15, 'allowed: 8-13'],
    ['energy_officer', 15, null],
    ['energy_officer', 8, 'allowed: 10-16'],
    ['supervisor', 3, null],
    ['supervisor', 2, 'allowed: 3-16'],
    ['admin', 1, null],
    ['system:alarm', 1, null],
    ['system:schedule', 8, 'allowed: 14-16'],
    ['viewer', 8, 'role viewer may not command at any priority level'],
    ['admin', 0, 'priority level 0 is not an integer 1..16'],
    ['admin', 17, 'not an integer 1..16'],
    ['admin', 8.5, 'not an integer'],
  ])('%s at %s', (role, level, expected) => {
    const r = levelRefusal(DEFAULT_LEVELS_BY_ROLE, role, level);
    if (expected === null) expect(r).toBeNull();
    else expect(r).toContain(expected);
  });
});
