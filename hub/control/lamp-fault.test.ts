import { describe, expect, it } from 'vitest';
import { initialLampState, stepLampFault, type LampFaultState } from './lamp-fault.js';

const o = { minCurrentA: 0.05, forSec: 30 };

describe('stepLampFault', () => {
  it('raises after the circuit stays on without current for forSec, clears when current returns', () => {
    const steps: Array<[boolean | null, number | null, number, boolean, boolean]> = [
      // on, currentA, t(s), expected fault, changed
      [true, 3.2, 0, false, false],
      [true, 0, 10, false, false], // dark starts
      [true, 0.01, 39, false, false],
      [true, 0, 40, true, true], // 30 s dark
      [null, null, 50, true, false], // comm failure keeps the state
      [true, 0, 60, true, false],
      [false, 0, 70, false, true], // switched off: not a fault
      [true, 0, 80, false, false],
      [true, 2.9, 200, false, false],
      [true, 0, 210, false, false], // dark again
      [null, null, 230, false, false], // a gap: what happened in it is not seen
      [true, 0, 245, false, false], // 35 s after 210, but only seen dark since 245
      [true, 0, 274, false, false],
      [true, 0, 275, true, true],
      [true, null, 280, true, false], // current unknown: the fault stays, not cleared
      [true, 3.1, 290, false, true],
    ];
    let s: LampFaultState = initialLampState();
    for (const [on, a, ts, fault, changed] of steps) {
      const r = stepLampFault(s, on, a, ts * 1000, o);
      expect([ts, r.state.fault, r.changed]).toEqual([ts, fault, changed]);
      s = r.state;
    }
  });
});
