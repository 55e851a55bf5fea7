// The floor-plan format (docs: floorplans/README.md): one YAML file per building, geometry in
// metres on a plan where x runs east and y runs north. The types live in contracts/geometry.ts (the
// console imports them from there); the schemas below must produce exactly those types.
import { z } from 'zod';
import { DEVICE_KINDS, type BuildingPlan, type DevicePlace, type FloorPlan, type Opening, type RoomPlan } from '../contracts/geometry.js';

export { DEVICE_KINDS };
export type { BuildingPlan, DeviceKind, DevicePlace, FloorPlan, Opening, RoomPlan, Xy } from '../contracts/geometry.js';

const text = z.strictObject({ en: z.string().min(1), 'zh-CN': z.string().min(1) });
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes');
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
/** A point of the plan, [x, y] in metres. */
const xy = z.tuple([finite, finite]);


export const roomSchema = z.strictObject({
  /** Room id of config/site.yaml on this floor. */
  id,
  /** Outline, counter-clockwise or clockwise, not closed (the last vertex joins the first). */
  polygon: z.array(xy).min(3, 'a polygon needs at least 3 vertices'),
});

export const openingSchema = z.strictObject({
  /** Wall segment the door or window fills. */
  from: xy,
  to: xy,
  /** Door contact / window contact equipment id in the same room, when it is monitored. */
  equipment: id.optional(),
  room: id.optional(),
});

export const devicePlaceSchema = z.strictObject({
  /** Room id (device ids are unique per room only). */
  room: id,
  /** Equipment id: the 5th segment of its point ids (a camera: its device id). */
  equipment: id,
  at: xy,
  /** Height above the floor in metres (markers sit at it); default 1. */
  z: finite.optional(),
  kind: z.enum(DEVICE_KINDS).default('other'),
});

export const floorPlanSchema = z.strictObject({
  /** Floor id of config/site.yaml. */
  id,
  name: text,
  /** Floor level above ground (metres, may be negative) and storey height. */
  elevation: finite,
  height: finite.refine((n) => n > 0, 'must be > 0'),
  /** The slab outline; every room must lie inside it. */
  outline: z.array(xy).min(3),
  rooms: z.array(roomSchema).default([]),
  doors: z.array(openingSchema).default([]),
  windows: z.array(openingSchema).default([]),
  devices: z.array(devicePlaceSchema).default([]),
});

export const buildingPlanSchema = z.strictObject({
  version: z.literal(1),
  site: id,
  building: id,
  name: text,
  floors: z.array(floorPlanSchema).min(1),
});

// Compile-time proof that the schemas and contracts/geometry.ts describe the same files.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agree: [
  Same<z.infer<typeof roomSchema>, RoomPlan>,
  Same<z.infer<typeof openingSchema>, Opening>,
  Same<z.infer<typeof devicePlaceSchema>, DevicePlace>,
  Same<z.infer<typeof floorPlanSchema>, FloorPlan>,
  Same<z.infer<typeof buildingPlanSchema>, BuildingPlan>,
] = [true, true, true, true, true];
void agree;
