// The BACnet / Project Haystack 16-level priority array, as pure functions over plain data.
// Level 1 is the strongest; the effective value is the lowest-numbered non-empty level, else
// the relinquish default. Expired slots count as empty.
import type { PointValue } from '../../contracts/point.js';

export const LEVELS = 16;
export const LEVEL_NAMES: Record<number, string> = {
  1: 'manual life safety',
  2: 'automatic life safety',
  5: 'critical equipment control',
  6: 'minimum on/off',
  8: 'manual operator',
  13: 'lighting re-enable',
  14: 'lighting sweep',
  15: 'schedule',
  16: 'schedule default',
};
export const MANUAL_LEVEL = 8;
export const SCHEDULE_LEVEL = 15;
export const SWEEP_LEVEL = 14;
export const REENABLE_LEVEL = 13;

export type { Slot } from '../../contracts/control.js';
import type { Slot } from '../../contracts/control.js';

export interface PriorityArray {
  pointId: string;
  /** Only the non-empty levels, any order. */
  slots: Slot[];
  /** Value written when every level is empty (null: leave the device alone). */
  relinquishDefault: PointValue;
}

export interface Effective {
  value: PointValue;
  /** Winning level, or null when the relinquish default applies. */
  level: number | null;
  slot: Slot | null;
}

export const isLive = (s: Slot, now: number) => s.expiresAt === null || s.expiresAt > now;

export function effectiveOf(arr: PriorityArray, now: number): Effective {
  let best: Slot | null = null;
  for (const s of arr.slots) if (isLive(s, now) && (!best || s.level < best.level)) best = s;
  return best ? { value: best.value, level: best.level, slot: best } : { value: arr.relinquishDefault, level: null, slot: null };
}

export function setSlot(arr: PriorityArray, slot: Slot): PriorityArray {
  return { ...arr, slots: [...arr.slots.filter((s) => s.level !== slot.level), slot] };
}

export function releaseSlot(arr: PriorityArray, level: number): PriorityArray {
  return { ...arr, slots: arr.slots.filter((s) => s.level !== level) };
}

export function expiredSlots(arr: PriorityArray, now: number): Slot[] {
  return arr.slots.filter((s) => !isLive(s, now));
}

/** Inclusive level ranges per role. Roles not listed may not command at all. */
export type LevelsByRole = Record<string, Array<[number, number]>>;

export const DEFAULT_LEVELS_BY_ROLE: LevelsByRole = {
  operator: [[8, 13]],
  energy_officer: [[10, 16]],
  supervisor: [[3, 16]],
  admin: [[1, 16]],
  tester: [[8, 13]],
  // Internal actors: alarm actions may use life safety; schedules and the lighting sweep their own tiers.
  'system:alarm': [[1, 2]],
  'system:schedule': [[14, 16]],
  'system:lighting': [[13, 16]],
};

/** Why `role` may not write at `level`, or null when it may. Pure. */
export function levelRefusal(levelsByRole: LevelsByRole, role: string, level: unknown): string | null {
  if (typeof level !== 'number' || !Number.isInteger(level) || level < 1 || level > LEVELS) {
    return `priority level ${String(level)} is not an integer 1..${LEVELS}`;
  }
  const ranges = levelsByRole[role];
  if (!ranges || ranges.length === 0) return `role ${role} may not command at any priority level`;
  if (ranges.some(([lo, hi]) => level >= lo && level <= hi)) return null;
  const allowed = ranges.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(', ');
  return `role ${role} may not write at priority ${level}${LEVEL_NAMES[level] ? ` (${LEVEL_NAMES[level]})` : ''}; allowed: ${allowed}`;
}

/** One row per level 1..16 for the API/console. */
export function describeArray(arr: PriorityArray, now: number) {
  const eff = effectiveOf(arr, now);
  const byLevel = new Map(arr.slots.filter((s) => isLive(s, now)).map((s) => [s.level, s]));
  return {
    pointId: arr.pointId,
    effective: { value: eff.value, level: eff.level },
    relinquishDefault: arr.relinquishDefault,
    levels: Array.from({ length: LEVELS }, (_, i) => {
      const level = i + 1;
      const s = byLevel.get(level);
      return {
        level,
        name: LEVEL_NAMES[level] ?? null,
        value: s ? s.value : null,
        empty: !s,
        user: s?.user ?? null,
        setAt: s?.setAt ?? null,
        expiresAt: s?.expiresAt ?? null,
        note: s?.note ?? null,
      };
    }),
  };
}
export type PriorityArrayView = ReturnType<typeof describeArray>;
