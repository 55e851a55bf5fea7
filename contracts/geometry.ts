// Floor-plan geometry that crosses the boundary between the hub (floorplans/, /api/floorplans) and
// the console (3D scene, wall): the plan types and the pure helpers both sides use. Imports nothing.
// floorplans/schema.ts validates files against zod schemas whose output types must equal these.

/** A point of the plan, [x, y] in metres; x runs east, y north. */
export type Xy = [number, number];

/** What a device marker shows; the console picks a shape per kind (colour-blind redundancy). */
export const DEVICE_KINDS = ['light', 'door', 'window', 'leak', 'camera', 'meter', 'env', 'hvac', 'plant', 'security', 'other'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export interface LocalizedName {
  en: string;
  'zh-CN': string;
}

export interface RoomPlan {
  /** Room id of config/site.yaml on this floor. */
  id: string;
  /** Outline, counter-clockwise or clockwise, not closed (the last vertex joins the first). */
  polygon: Xy[];
}

export interface Opening {
  /** Wall segment the door or window fills. */
  from: Xy;
  to: Xy;
  /** Door contact / window contact equipment id in the same room, when it is monitored. */
  equipment?: string;
  room?: string;
}

export interface DevicePlace {
  /** Room id (device ids are unique per room only). */
  room: string;
  /** Equipment id: the 5th segment of its point ids (a camera: its device id). */
  equipment: string;
  at: Xy;
  /** Height above the floor in metres (markers sit at it); default 1. */
  z?: number;
  kind: DeviceKind;
}

export interface FloorPlan {
  /** Floor id of config/site.yaml. */
  id: string;
  name: LocalizedName;
  /** Floor level above ground (metres, may be negative) and storey height. */
  elevation: number;
  height: number;
  /** The slab outline; every room must lie inside it. */
  outline: Xy[];
  rooms: RoomPlan[];
  doors: Opening[];
  windows: Opening[];
  devices: DevicePlace[];
}

export interface BuildingPlan {
  version: 1;
  site: string;
  building: string;
  name: LocalizedName;
  floors: FloorPlan[];
}

const EPS = 1e-9;

/** Signed area (shoelace): positive for counter-clockwise. */
export function signedArea(poly: readonly Xy[]): number {
  let sum = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i];
    const [x2, y2] = poly[(i + 1) % poly.length];
    sum += x1 * y2 - x2 * y1;
  }
  return sum / 2;
}

export function centroid(poly: readonly Xy[]): Xy {
  const a = signedArea(poly);
  if (Math.abs(a) < EPS) {
    const n = poly.length;
    return [poly.reduce((s, p) => s + p[0], 0) / n, poly.reduce((s, p) => s + p[1], 0) / n];
  }
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i];
    const [x2, y2] = poly[(i + 1) % poly.length];
    const f = x1 * y2 - x2 * y1;
    cx += (x1 + x2) * f;
    cy += (y1 + y2) * f;
  }
  return [cx / (6 * a), cy / (6 * a)];
}
