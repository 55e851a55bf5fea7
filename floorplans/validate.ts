// Validation of a building's floor plan against itself (geometry) and the site config (ids).
// Pure: the loader reads files, this only judges. Every problem names file, path and reason.
import type { SiteTree } from '../contracts/api.js';
import { containsPoint, containsPolygon, polygonProblem } from './geometry.js';
import { buildingPlanSchema, type BuildingPlan } from './schema.js';

export interface PlanProblem {
  file: string;
  /** e.g. `floors[2].rooms[0].polygon` */
  path: string;
  message: string;
}

export function formatProblem(p: PlanProblem): string {
  return `${p.file}: ${p.path || '(root)'}: ${p.message}`;
}

export class FloorPlanError extends Error {
  constructor(readonly problems: PlanProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'FloorPlanError';
  }
}

/** What the plan is checked against: the site tree and where each configured device is. */
export interface PlanContext {
  site: SiteTree;
  devices: ReadonlyArray<{ id: string; location: { building: string; floor: string; room: string } }>;
  /** Require every room and every device of the building to be drawn (default true). */
  complete?: boolean;
}

function pathOf(parts: ReadonlyArray<PropertyKey>): string {
  return parts.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '');
}

export function validateBuildingPlan(raw: unknown, file: string, ctx: PlanContext): { plan: BuildingPlan | null; problems: PlanProblem[] } {
  const problems: PlanProblem[] = [];
  const add = (path: string, message: string) => problems.push({ file, path, message });

  const parsed = buildingPlanSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) add(pathOf(issue.path), issue.message);
    return { plan: null, problems };
  }
  const plan = parsed.data;
  if (plan.site !== ctx.site.id) add('site', `site "${plan.site}" is not the configured site "${ctx.site.id}"`);
  const building = ctx.site.buildings.find((b) => b.id === plan.building);
  if (!building) {
    add('building', `building "${plan.building}" is not in the site config (has: ${ctx.site.buildings.map((b) => b.id).join(', ')})`);
    return { plan: null, problems };
  }
  const complete = ctx.complete ?? true;
  const seenFloors = new Set<string>();

  plan.floors.forEach((floor, fi) => {
    const at = `floors[${fi}]`;
    const siteFloor = building.floors.find((f) => f.id === floor.id);
    if (!siteFloor) {
      add(`${at}.id`, `floor "${floor.id}" is not a floor of building ${building.id} (has: ${building.floors.map((f) => f.id).join(', ')})`);
      return;
    }
    if (seenFloors.has(floor.id)) add(`${at}.id`, `floor "${floor.id}" is drawn twice`);
    seenFloors.add(floor.id);
    const outlineProblem = polygonProblem(floor.outline);
    if (outlineProblem) add(`${at}.outline`, outlineProblem);

    const roomPolys = new Map<string, Array<[number, number]>>();
    floor.rooms.forEach((room, ri) => {
      const rat = `${at}.rooms[${ri}]`;
      if (!siteFloor.rooms.some((r) => r.id === room.id)) {
        add(`${rat}.id`, `room "${room.id}" is not a room of ${building.id}/${floor.id} in the site config`);
      }
      if (roomPolys.has(room.id)) add(`${rat}.id`, `room "${room.id}" is drawn twice`);
      const problem = polygonProblem(room.polygon);
      if (problem) add(`${rat}.polygon`, problem);
      else if (!outlineProblem && !containsPolygon(floor.outline, room.polygon)) add(`${rat}.polygon`, 'lies outside the floor outline');
      roomPolys.set(room.id, room.polygon);
    });
    if (complete) {
      for (const r of siteFloor.rooms) {
        if (!roomPolys.has(r.id)) add(`${at}.rooms`, `room "${r.id}" of the site config has no geometry`);
      }
    }

    const placed = new Set<string>();
    floor.devices.forEach((device, di) => {
      const dat = `${at}.devices[${di}]`;
      const key = `${device.room}/${device.equipment}`;
      const configured = ctx.devices.some((d) =>
        d.id === device.equipment && d.location.building === building.id && d.location.floor === floor.id && d.location.room === device.room);
      if (!configured) add(`${dat}.equipment`, `no device "${device.equipment}" in room ${building.id}/${floor.id}/${device.room} in the device config`);
      if (placed.has(key)) add(`${dat}.equipment`, `device "${key}" is placed twice`);
      placed.add(key);
      const poly = roomPolys.get(device.room);
      if (!poly) add(`${dat}.room`, `room "${device.room}" is not drawn on this floor`);
      else if (!polygonProblem(poly) && !containsPoint(poly, device.at)) {
        add(`${dat}.at`, `[${device.at.join(', ')}] is outside its room "${device.room}"`);
      }
    });
    for (const [kind, list] of [['doors', floor.doors], ['windows', floor.windows]] as const) {
      list.forEach((opening, oi) => {
        if (!containsPoint(floor.outline, opening.from) || !containsPoint(floor.outline, opening.to)) {
          add(`${at}.${kind}[${oi}]`, 'lies outside the floor outline');
        }
        if (opening.room && !roomPolys.has(opening.room)) add(`${at}.${kind}[${oi}].room`, `room "${opening.room}" is not drawn on this floor`);
      });
    }
    if (complete) {
      for (const d of ctx.devices) {
        if (d.location.building === building.id && d.location.floor === floor.id && !placed.has(`${d.location.room}/${d.id}`)) {
          add(`${at}.devices`, `device "${d.location.room}/${d.id}" of the device config has no place`);
        }
      }
    }
  });
  if (complete) {
    for (const f of building.floors) if (!seenFloors.has(f.id)) add('floors', `floor "${f.id}" of the site config is not drawn`);
  }
  return { plan: problems.length ? null : plan, problems };
}
