// "Should be lit but draws nothing": a circuit commanded on whose current stays ≈ 0 for a while
// has a dead lamp, driver or breaker — a maintenance job, not an emergency. Pure state machine.

export interface LampFaultState {
  /** When the on-but-dark condition began (ms), or null. */
  darkSince: number | null;
  fault: boolean;
}

export const initialLampState = (): LampFaultState => ({ darkSince: null, fault: false });

/**
 * Next state from one observation. Unknown readings (null: not `good`) never raise or clear a
 * fault: a comm failure is not a lamp fault, nor a repair. They do restart the dark timer of a
 * circuit not yet faulted — the forSec of darkness must be seen, not assumed across a gap.
 * Returns `changed` when the fault flag flipped.
 */
export function stepLampFault(
  s: LampFaultState,
  on: boolean | null,
  currentA: number | null,
  now: number,
  o: { minCurrentA: number; forSec: number },
): { state: LampFaultState; changed: boolean } {
  if (on === null || currentA === null) return { state: s.fault ? s : { darkSince: null, fault: false }, changed: false };
  const dark = on && currentA < o.minCurrentA;
  if (!dark) return { state: { darkSince: null, fault: false }, changed: s.fault };
  const darkSince = s.darkSince ?? now;
  const fault = now - darkSince >= o.forSec * 1000;
  return { state: { darkSince, fault }, changed: fault !== s.fault };
}
