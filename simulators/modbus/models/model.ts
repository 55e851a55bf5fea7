// What a simulated device model is: a register map built from its options, initial values, and
// a step function that moves its values along in simulated time.
import type { ZodType } from 'zod';
import type { FieldDef, Localized } from '../datasheet.js';
import type { SimUnit } from '../unit.js';

export interface ModelContext {
  /** Wall-clock ms (the simulator's `now()`). */
  nowMs: number;
  /** Simulated seconds since the last step (real time × timeScale); 0 when only refreshing after a write. */
  dtS: number;
  /** Asia/Shanghai local time of nowMs. */
  local: { hour: number; weekday: number };
  /** Weekdays 08:00–18:00 Asia/Shanghai. */
  officeHours: boolean;
  /** The unit's own deterministic random source, 0..1. */
  random: () => number;
  /** Another unit behind the same gateway (a meter reads its floor's lighting panel). */
  peer(unitId: number): SimUnit | undefined;
}

export interface DeviceModel<O = any, S = any> {
  name: string;
  /** Validates the unit's options in the sim spec (z.strictObject). */
  options: ZodType<O>;
  /** The unit's register map for these options. */
  datasheet(options: O): FieldDef[];
  /** Sets initial values; returns the model's private per-unit memory. */
  init(unit: SimUnit, options: O, ctx: ModelContext): S;
  step(unit: SimUnit, options: O, ctx: ModelContext, memory: S): void;
  /** Lower stages step first within a gateway: loads (lighting) before the meters that sum them. */
  stage: number;
}

export const text = (en: string, zh: string): Localized => ({ en, 'zh-CN': zh });

/** Moves `value` toward `target` by a first-order lag with time constant `tauS`, plus bounded noise. */
export function drift(value: number, target: number, dtS: number, tauS: number, noise: number, random: () => number): number {
  const k = Math.min(1, dtS / tauS);
  const jitter = dtS > 0 ? (random() - 0.5) * 2 * noise * Math.min(1, Math.sqrt(dtS)) : 0;
  return value + (target - value) * k + jitter;
}

/** A Poisson event with `ratePerHour` happened within dtS seconds. */
export function chance(ratePerHour: number, dtS: number, random: () => number): boolean {
  return dtS > 0 && random() < 1 - Math.exp((-ratePerHour * dtS) / 3600);
}
