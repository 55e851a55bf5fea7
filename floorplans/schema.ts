// The floor-plan format (docs: floorplans/README.md): one YAML file per building, geometry in
// metres on a plan where x runs east and y runs north. Types are shared with the console (type-only).
import { z } from 'zod';

const text = z.strictObject({ en: z.string().min(1), 'zh-CN': z.string().min(1) });
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes');
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
/** A point of the plan, [x, y] in metres. */
const xy = z.tuple([finite, finite]);

/** What a device marker shows; the console picks a shape per kind (colour-blind redundancy). */
export const DEVICE_KINDS = ['light', 'door', 'window', 'leak', 'camera', 'meter', 'env', 'hvac', 'plant', 'security', 'other'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

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

export type Xy = [number, number];
export type RoomPlan = z.infer<typeof roomSchema>;
export type Opening = z.infer<typeof openingSchema>;
export type DevicePlace = z.infer<typeof devicePlaceSchema>;
export type FloorPlan = z.infer<typeof floorPlanSchema>;
export type BuildingPlan = z.infer<typeof buildingPlanSchema>;
