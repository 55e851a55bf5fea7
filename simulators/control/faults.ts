// Fault specifications for the running simulators, and the pure rules that turn a fault into a
// value over time (ramp, noise, flap). The engine (engine.ts) applies them; the HTTP control
// channel (server.ts) accepts them. Protocol-neutral: a target names a simulator and a field.
import { z } from 'zod';
import { FAULT_KINDS, type FaultKind } from '../../contracts/testruns.js';

export { FAULT_KINDS, type FaultKind };

/** What a fault acts on: one field of a Modbus unit, one OPC UA plant variable, a whole endpoint, a camera. */
export const faultTargetSchema = z.discriminatedUnion('sim', [
  z.strictObject({ sim: z.literal('modbus'), gateway: z.string().min(1), unit: z.number().int().min(1).max(247).optional(), field: z.string().min(1).optional() }),
  z.strictObject({ sim: z.literal('opcua'), path: z.string().min(1).optional() }),
  z.strictObject({ sim: z.literal('onvif'), camera: z.string().min(1) }),
  z.strictObject({ sim: z.literal('history') }),
]);
export type FaultTarget = z.infer<typeof faultTargetSchema>;

export const faultSpecSchema = z
  .strictObject({
    kind: z.enum(FAULT_KINDS),
    target: faultTargetSchema,
    /** step: the value to hold. */
    value: z.union([z.number(), z.boolean()]).optional(),
    /** ramp: the end value, reached after rampS seconds. */
    to: z.number().optional(),
    rampS: z.number().positive().max(86_400).optional(),
    /** noise: ± amplitude around the value at injection. */
    amplitude: z.number().positive().optional(),
    /** comm-flap: seconds down, then seconds up, repeating. */
    periodS: z.number().min(0.2).max(3600).optional(),
    /** Cleared by itself after this many seconds; without it the fault stays until cleared. */
    durationS: z.number().positive().max(7 * 86_400).optional(),
    /** Who asked and why (the hub's test run id); echoed in the fault list. */
    tag: z.string().max(200).optional(),
  })
  .superRefine((f, ctx) => {
    const needField = ['step', 'ramp', 'stuck', 'noise', 'leak', 'forced-door'].includes(f.kind);
    const t = f.target;
    const hasField = (t.sim === 'modbus' && t.unit !== undefined && t.field !== undefined) || (t.sim === 'opcua' && t.path !== undefined);
    if (needField && !hasField) ctx.addIssue({ code: 'custom', path: ['target'], message: `${f.kind} needs a field: modbus {gateway, unit, field} or opcua {path}` });
    if ((f.kind === 'offline' || f.kind === 'comm-flap') && !(t.sim === 'modbus' || t.sim === 'opcua' || t.sim === 'onvif')) ctx.addIssue({ code: 'custom', path: ['target'], message: `${f.kind} needs a modbus gateway, the opcua server or a camera` });
    if (f.kind === 'dead-camera' && t.sim !== 'onvif') ctx.addIssue({ code: 'custom', path: ['target'], message: 'dead-camera needs an onvif camera target' });
    if (f.kind === 'history-down' && t.sim !== 'history') ctx.addIssue({ code: 'custom', path: ['target'], message: 'history-down needs target {sim: history}' });
    if (f.kind === 'step' && f.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: 'step needs a value' });
    if (f.kind === 'ramp' && (f.to === undefined || f.rampS === undefined)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'ramp needs to and rampS' });
    if (f.kind === 'noise' && f.amplitude === undefined) ctx.addIssue({ code: 'custom', path: ['amplitude'], message: 'noise needs an amplitude' });
    if (f.kind === 'comm-flap' && f.periodS === undefined) ctx.addIssue({ code: 'custom', path: ['periodS'], message: 'comm-flap needs periodS' });
  });
export type FaultSpec = z.infer<typeof faultSpecSchema>;

/** Parses a fault request; throws one line naming every problem (`target: step needs a field…`). */
export function parseFaultSpec(input: unknown): FaultSpec {
  const r = faultSpecSchema.safeParse(input);
  if (r.success) return r.data;
  throw new Error(r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
}

/** Kinds that hold a field at a computed value (the rest take an endpoint down). */
export function isValueFault(kind: FaultKind): boolean {
  return kind === 'step' || kind === 'ramp' || kind === 'stuck' || kind === 'noise' || kind === 'leak' || kind === 'forced-door';
}

/**
 * The value a value fault holds `elapsedS` seconds after injection. `base` is the field's value at
 * injection; `random` in [0, 1). Pure.
 */
export function faultValue(f: Pick<FaultSpec, 'kind' | 'value' | 'to' | 'rampS' | 'amplitude'>, base: number | boolean, elapsedS: number, random = 0.5): number | boolean {
  switch (f.kind) {
    case 'step':
      return f.value!;
    case 'leak':
    case 'forced-door':
      return true;
    case 'stuck':
      return base;
    case 'ramp': {
      const from = typeof base === 'number' ? base : 0;
      const k = Math.min(1, Math.max(0, elapsedS / f.rampS!));
      return round3(from + (f.to! - from) * k);
    }
    case 'noise':
      return typeof base === 'number' ? round3(base + (random * 2 - 1) * f.amplitude!) : base;
    default:
      throw new Error(`${f.kind} is not a value fault`);
  }
}

/** comm-flap: down for periodS, up for periodS, starting down. Pure. */
export function flapDown(elapsedS: number, periodS: number): boolean {
  return Math.floor(elapsedS / periodS) % 2 === 0;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
