// "Should be lit but draws nothing": a circuit commanded on whose current stays ≈ 0 for a while
// has a dead lamp, driver or breaker — a maintenance job, not an emergency. Pure state machine.

export interface LampFaultState {
  /** When the on-but-dark condition began (ms), or null. */
  darkSince: number | null;
  fault: boolean;
}

export const initialLampState = (): LampFaultState => ({ darkSince: null, fault: false });

/**
 * Next state from one observation. Unknown readings (null) keep the state: a comm failure is
 * not a lamp fault. Returns `changed` when the fault flag flipped.
 */
export function stepLampFault(
  s: LampFaultState,
  on: boolean | null,
  currentA: number | null,
  now: number,
  o: { minCurrentA: number; forSec: number },
): { state: LampFaultState; changed: boolean } {
  if (on === null || currentA === null) return { state: s, changed: false };
  const dark = on && currentA < o.minCurrentA;
  if (!dark) return { state: { darkSince: null, fault: false }, changed: s.fault };
  const darkSince = s.darkSince ?? now;
  const fault = now - darkSince >= o.forSec * 1000;
  return { state: { darkSince, fault }, changed: fault !== s.fault };
}
