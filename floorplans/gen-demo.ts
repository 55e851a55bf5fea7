// Draws the demo building from the config (pure; `npx tsx scripts/gen-floorplans.ts` loads the
// config and writes floorplans/a.yaml).
// Each floor is a 60 m × 24 m slab with a 4 m central corridor (east–west) and the rooms of
// config/site.yaml along both sides, widths weighted by room type; every configured device
// gets a place inside its room. The output is validated before it is written.
import YAML from 'yaml';
import type { FloorNode, SiteTree } from '../contracts/api.js';
import type { BuildingPlan, DeviceKind, DevicePlace, FloorPlan, Opening, RoomPlan, Xy } from './schema.js';

/** What the drawing needs of a configured device (the hub's DeviceEntry has it; floorplans never import the hub). */
export interface DeviceEntry {
  id: string;
  location: { building: string; floor: string; room: string };
}

export const SLAB = { width: 60, depth: 24, corridorSouth: 10, corridorNorth: 14 };
const STOREY = 4.2;
const BASEMENT = 4.8;

const WEIGHT: Record<string, number> = { parking: 4, lobby: 2.2, meeting: 1.5, archive: 1.4, office: 1.2, plant: 1.1, server: 1.3, 'weak-current': 0.7, restroom: 0.7 };

/** Marker kind from the device id (the demo names devices by what they are). */
export function deviceKind(device: Pick<DeviceEntry, 'id'>): DeviceKind {
  const id = device.id;
  if (/^cam/.test(id)) return 'camera';
  if (/^light/.test(id)) return 'light';
  if (/door|entrance/.test(id)) return 'door';
  if (/window/.test(id)) return 'window';
  if (/leak|water/.test(id)) return 'leak';
  if (/meter/.test(id)) return 'meter';
  if (/^env|dehum/.test(id)) return 'env';
  if (/^vav|^ahu|^crac/.test(id)) return 'hvac';
  if (/chiller|pump/.test(id)) return 'plant';
  return 'other';
}

/** Splits rooms into a south and a north row with similar total weight (largest first). */
function splitRows<T extends { type: string }>(rooms: T[]): [T[], T[]] {
  const south: T[] = [];
  const north: T[] = [];
  let ws = 0;
  let wn = 0;
  const w = (r: T) => WEIGHT[r.type] ?? 1;
  for (const room of [...rooms].sort((a, b) => w(b) - w(a))) {
    if (ws <= wn) { south.push(room); ws += w(room); } else { north.push(room); wn += w(room); }
  }
  return [south, north];
}

const rect = (x0: number, y0: number, x1: number, y1: number): Xy[] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
const round = (n: number) => Math.round(n * 100) / 100;

/** Grid positions for n devices inside a rectangle, 0.8 m from the walls. */
function gridIn(x0: number, y0: number, x1: number, y1: number, n: number): Xy[] {
  const cols = Math.ceil(Math.sqrt(n * ((x1 - x0) / Math.max(1, y1 - y0))));
  const rows = Math.ceil(n / Math.max(1, cols));
  const out: Xy[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % cols;
    const r = Math.floor(i / cols);
    out.push([round(x0 + 0.8 + ((x1 - x0 - 1.6) * (c + 0.5)) / cols), round(y0 + 0.8 + ((y1 - y0 - 1.6) * (r + 0.5)) / rows)]);
  }
  return out;
}

export function drawFloor(floor: FloorNode, devices: DeviceEntry[], buildingId: string): FloorPlan {
  const { width, depth, corridorSouth, corridorNorth } = SLAB;
  const corridors = floor.rooms.filter((r) => r.type === 'corridor');
  const [south, north] = splitRows(floor.rooms.filter((r) => r.type !== 'corridor'));
  const rooms: RoomPlan[] = [];
  const doors: Opening[] = [];
  const windows: Opening[] = [];
  const devicePlaces: DevicePlace[] = [];
  const boxes = new Map<string, [number, number, number, number]>();

  for (const [row, y0, y1, corridorY, outerY] of [[south, 0, corridorSouth, corridorSouth, 0], [north, corridorNorth, depth, corridorNorth, depth]] as const) {
    const total = row.reduce((s, r) => s + (WEIGHT[r.type] ?? 1), 0);
    let x = 0;
    row.forEach((room, i) => {
      const x1 = i === row.length - 1 ? width : round(x + (width * (WEIGHT[room.type] ?? 1)) / total);
      rooms.push({ id: room.id, polygon: rect(x, y0, x1, y1) });
      boxes.set(room.id, [x, y0, x1, y1]);
      const mid = (x + x1) / 2;
      const doorDevice = devices.find((d) => d.location.room === room.id && deviceKind(d) === 'door');
      doors.push({ from: [round(mid - 0.6), corridorY], to: [round(mid + 0.6), corridorY], room: room.id, ...(doorDevice ? { equipment: doorDevice.id } : {}) });
      const windowDevice = devices.find((d) => d.location.room === room.id && deviceKind(d) === 'window');
      const span = (x1 - x) * 0.3;
      windows.push({ from: [round(mid - span), outerY], to: [round(mid + span), outerY], room: room.id, ...(windowDevice ? { equipment: windowDevice.id } : {}) });
      x = x1;
    });
  }
  corridors.forEach((room, i) => {
    // One corridor per floor in the demo; a second one would share the band, split along x.
    const x0 = (width * i) / corridors.length;
    const x1 = (width * (i + 1)) / corridors.length;
    rooms.push({ id: room.id, polygon: rect(x0, corridorSouth, x1, corridorNorth) });
    boxes.set(room.id, [x0, corridorSouth, x1, corridorNorth]);
  });

  for (const room of floor.rooms) {
    const here = devices.filter((d) => d.location.room === room.id).sort((a, b) => a.id.localeCompare(b.id));
    const box = boxes.get(room.id)!;
    const spots = gridIn(box[0], box[1], box[2], box[3], here.length);
    here.forEach((d, i) => {
      const kind = deviceKind(d);
      devicePlaces.push({ room: room.id, equipment: d.id, at: spots[i], z: kind === 'camera' ? 2.8 : kind === 'leak' ? 0.2 : 1.2, kind });
    });
  }
  const elevation = floor.level < 0 ? floor.level * BASEMENT : (floor.level - 1) * STOREY;
  return {
    id: floor.id,
    name: floor.name,
    elevation,
    height: floor.level < 0 ? BASEMENT : STOREY,
    outline: rect(0, 0, width, depth),
    rooms,
    doors,
    windows,
    devices: devicePlaces,
  };
}

export function drawBuilding(site: SiteTree, devices: DeviceEntry[], buildingId: string): BuildingPlan {
  const building = site.buildings.find((b) => b.id === buildingId);
  if (!building) throw new Error(`no building ${buildingId} in the site config`);
  const floors = [...building.floors].sort((a, b) => a.level - b.level).map((floor) =>
    drawFloor(floor, devices.filter((d) => d.location.building === buildingId && d.location.floor === floor.id), buildingId));
  return { version: 1, site: site.id, building: buildingId, name: building.name, floors };
}

/** Block YAML, but [x, y] pairs, names and device entries on one line each so a floor reads like a table. */
export function toYaml(plan: BuildingPlan): string {
  const doc = new YAML.Document(plan);
  YAML.visit(doc, {
    Seq(_key, node) {
      const flat = (item: unknown) => YAML.isScalar(item) || (YAML.isSeq(item) && item.items.every((i) => YAML.isScalar(i)));
      if (node.items.every(flat)) node.flow = true;
    },
    Map(_key, node) {
      if (node.has('en') || node.has('equipment') || node.has('from')) node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 160, flowCollectionPadding: false });
}
