// Schema of config/lighting.yaml: lighting zones (panel circuits), the after-hours sweep and lamp-fault detection.
import { z } from 'zod';
import type { PointInfo } from '../../contracts/point.js';
import { TIME_RE } from './schedule-schema.js';

export const ZONE_KINDS = ['office', 'corridor', 'meeting', 'restroom', 'pantry', 'stairs', 'lobby', 'parking', 'plant', 'emergency', 'outdoor', 'other'] as const;

export const lightingZoneSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  /** Floor key `site/building/floor`. */
  floor: z.string().min(1),
  kind: z.enum(ZONE_KINDS),
  circuit: z.string().min(1),
  current: z.string().min(1).optional(),
  dim: z.string().min(1).optional(),
  /** Binary occupancy sensor (true = occupied): the zone goes off after `occupancy.vacantMin` empty. */
  occupancy: z.string().min(1).optional(),
});
export type LightingZone = z.infer<typeof lightingZoneSchema>;

export const lightingFileSchema = z.strictObject({
  sweep: z.strictObject({
    enabled: z.boolean().default(true),
    at: z.string().regex(TIME_RE, 'must be HH:MM'),
    days: z.enum(['every-day', 'working-days']).default('every-day'),
    kinds: z.array(z.enum(ZONE_KINDS)).min(1),
    /** The warning: lights go off this long, then back on, before the real switch-off. */
    flashMs: z.number().int().min(200).max(10_000).default(1500),
    /** Between the warning and the switch-off: time to press "re-enable". */
    graceMin: z.number().min(0).max(60).default(5),
    /** Re-enable on demand keeps a zone on this long, then the sweep holds it off again. */
    reenableMin: z.number().min(1).max(480).default(60),
    /** The sweep's off holds until this local time the next morning. */
    holdUntil: z.string().regex(TIME_RE, 'must be HH:MM').default('06:00'),
  }),
  fault: z.strictObject({
    /** A circuit that is on but draws less than this is dark. */
    minCurrentA: z.number().positive().default(0.05),
    forSec: z.number().positive().default(30),
  }).default({ minCurrentA: 0.05, forSec: 30 }),
  occupancy: z.strictObject({ vacantMin: z.number().positive().default(15) }).default({ vacantMin: 15 }),
  zones: z.array(lightingZoneSchema),
});
export type LightingFile = z.infer<typeof lightingFileSchema>;

/** Cross-checks against the site's points (no I/O). Paths are inside lighting.yaml. */
export function checkLighting(file: LightingFile, points: ReadonlyMap<string, PointInfo>): Array<{ path: (string | number)[]; message: string }> {
  const out: Array<{ path: (string | number)[]; message: string }> = [];
  const ids = new Set<string>();
  file.zones.forEach((z, i) => {
    if (ids.has(z.id)) out.push({ path: ['zones', i, 'id'], message: `duplicate lighting zone "${z.id}"` });
    ids.add(z.id);
    const need = (key: 'circuit' | 'current' | 'dim' | 'occupancy', kind: PointInfo['kind'], writable: boolean) => {
      const id = z[key];
      if (!id) return;
      const p = points.get(id);
      if (!p) out.push({ path: ['zones', i, key], message: `unknown point ${id}` });
      else if (p.kind !== kind || (writable && !p.writable)) out.push({ path: ['zones', i, key], message: `${id} must be a${writable ? ' writable' : 'n'} ${kind} point (it is ${p.writable ? 'writable ' : ''}${p.kind})` });
    };
    need('circuit', 'binary', true);
    need('current', 'analog', false);
    need('dim', 'analog', true);
    need('occupancy', 'binary', false);
    if (!z.circuit.startsWith(`${z.floor}/`)) out.push({ path: ['zones', i, 'floor'], message: `circuit ${z.circuit} is not on floor ${z.floor}` });
  });
  return out;
}
