// Where a point, a room or a device is on the site map, and which cameras see it. Indoors a spot
// is the room's centroid on its floor plan, placed on the map by its building's planOrigin and
// planRotation; the candidates are the cameras drawn on that floor (walls are not modelled:
// distance on the floor decides, same room first). Outdoors it is the map feature that names the
// device (gate contact, horn, camera) and the candidates are the map cameras (nearest.ts).
import { centroid } from '../../contracts/geometry.js';
import type { BuildingPlan } from '../../contracts/geometry.js';
import { planToMap, type MapXy, type NearestCamera, type NearestResult, type SiteMap } from '../../contracts/sitemap.js';
import type { DeviceEntry } from '../config/types.js';
import { nearestCameras } from './nearest.js';
import type { Segment } from './visibility.js';

/** How far an indoor camera is taken to see on its floor (floor plans carry no cones). */
export const INDOOR_RANGE_M = 30;

export interface PlaceContext {
  map: SiteMap;
  segs: readonly Segment[];
  plans: ReadonlyMap<string, BuildingPlan>;
  devices: readonly Pick<DeviceEntry, 'id' | 'connection' | 'location'>[];
}

export type Where = { kind: 'room'; building: string; floor: string; room: string; device?: string } | { kind: 'device'; device: string } | { kind: 'xy'; at: MapXy };

/** `site/building/floor/room/equipment/point` → where it is. */
export function whereIsPoint(pointId: string): Where | undefined {
  const parts = pointId.split('/');
  if (parts.length < 5) return undefined;
  return { kind: 'room', building: parts[1], floor: parts[2], room: parts[3], device: parts[4] };
}

export function locate(ctx: PlaceContext, where: Where, limit = 5): NearestResult | undefined {
  if (where.kind === 'xy') return { at: where.at, cameras: nearestCameras(ctx.map.cameras, ctx.segs, where.at, limit) };
  const device = where.kind === 'device' ? where.device : where.device;
  // A device drawn on the map (gate contact, horn, an outdoor camera's own events) is outdoors.
  const onMap = device ? ctx.map.devices.find((d) => d.device === device || d.id === device) ?? ctx.map.cameras.find((c) => c.id === device || c.connection === device) : undefined;
  if (onMap) return { at: onMap.at, cameras: nearestCameras(ctx.map.cameras, ctx.segs, onMap.at, limit) };
  if (where.kind !== 'room') return undefined;
  const site = ctx.map.buildings.find((b) => b.building === where.building);
  const plan = ctx.plans.get(where.building);
  const floor = plan?.floors.find((f) => f.id === where.floor);
  const room = floor?.rooms.find((r) => r.id === where.room);
  if (!site || !floor || !room) {
    // No plan: the building's middle, and no camera claims to see inside it.
    if (!site) return undefined;
    return { at: centroid(site.footprint), indoor: { building: where.building, floor: where.floor, room: where.room }, cameras: [] };
  }
  const spot = centroid(room.polygon);
  const cameras: NearestCamera[] = [];
  for (const d of floor.devices) {
    if (d.kind !== 'camera') continue;
    const distance = Math.hypot(d.at[0] - spot[0], d.at[1] - spot[1]);
    if (distance > INDOOR_RANGE_M) continue;
    const conf = ctx.devices.find((c) => c.id === d.equipment && c.location.building === where.building);
    const [cx, cy] = planToMap(site, d.at);
    const [sx, sy] = planToMap(site, spot);
    const bearing = ((Math.atan2(sx - cx, sy - cy) * 180) / Math.PI + 360) % 360;
    cameras.push({ camera: d.equipment, ...(conf ? { connection: conf.connection } : {}), distance: Math.round(distance * 10) / 10, bearing: Math.round(bearing * 10) / 10, seesNow: d.room === where.room, indoor: true });
  }
  cameras.sort((a, b) => Number(b.seesNow) - Number(a.seesNow) || a.distance - b.distance);
  return { at: planToMap(site, spot), indoor: { building: where.building, floor: where.floor, room: where.room }, cameras: cameras.slice(0, limit) };
}
