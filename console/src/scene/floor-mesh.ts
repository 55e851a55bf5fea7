// One floor's meshes (split out of building-scene.ts): the rooms extruded from their polygons and
// merged into one mesh (per-vertex colour, so recolouring a room is a write into a typed array),
// the walls as lines only (calm, see-through) and the slab as a thin plate.
import type * as THREE_NS from 'three';
import type { DeviceKind, Xy } from '../../../contracts/geometry.js';
import { NEUTRAL } from './palette.js';

export const TILE = 0.35;

export interface FloorShape {
  id: string;
  height: number;
  outline: Xy[];
  rooms: Array<{ id: string; polygon: Xy[] }>;
}

export interface FloorMeshes {
  group: THREE_NS.Group;
  tiles: THREE_NS.Mesh;
  colours: Float32Array;
  /** Room id → [first vertex, vertex count] in the merged tile geometry. */
  ranges: Map<string, [number, number]>;
  /** Triangle index → room id, for picking. */
  triangleRoom: string[];
}

/** Builds a floor's group centred on (cx, cy) of the plan. */
export function buildFloorMeshes(T: typeof THREE_NS, floor: FloorShape, cx: number, cy: number): FloorMeshes {
  const group = new T.Group();
  group.name = floor.id;
  const positions: number[] = [];
  const normals: number[] = [];
  const ranges = new Map<string, [number, number]>();
  const triangleRoom: string[] = [];
  const toShape = (poly: Xy[]) => new T.Shape(poly.map(([x, y]) => new T.Vector2(x - cx, y - cy)));
  for (const room of floor.rooms) {
    const geometry = new T.ExtrudeGeometry(toShape(room.polygon), { depth: TILE, bevelEnabled: false });
    geometry.rotateX(-Math.PI / 2);
    const flat = geometry.index ? geometry.toNonIndexed() : geometry;
    const pos = flat.getAttribute('position');
    const nor = flat.getAttribute('normal');
    const first = positions.length / 3;
    for (let i = 0; i < pos.count; i++) {
      positions.push(pos.getX(i), pos.getY(i), pos.getZ(i));
      normals.push(nor.getX(i), nor.getY(i), nor.getZ(i));
    }
    for (let t = 0; t < pos.count / 3; t++) triangleRoom.push(room.id);
    ranges.set(room.id, [first, pos.count]);
    if (flat !== geometry) flat.dispose();
    geometry.dispose();
  }
  const tilesGeometry = new T.BufferGeometry();
  const colours = new Float32Array(positions.length);
  tilesGeometry.setAttribute('position', new T.Float32BufferAttribute(positions, 3));
  tilesGeometry.setAttribute('normal', new T.Float32BufferAttribute(normals, 3));
  tilesGeometry.setAttribute('color', new T.BufferAttribute(colours, 3));
  const tiles = new T.Mesh(tilesGeometry, new T.MeshLambertMaterial({ vertexColors: true }));
  tiles.name = `${floor.id}:tiles`;
  group.add(tiles);

  // Walls as lines only (calm, see-through), one LineSegments per floor; the slab as a thin plate.
  const wallHeight = floor.height * 0.45;
  const lines: number[] = [];
  for (const room of floor.rooms) {
    const poly = room.polygon;
    for (let i = 0; i < poly.length; i++) {
      const [x1, y1] = poly[i];
      const [x2, y2] = poly[(i + 1) % poly.length];
      const a = [x1 - cx, -(y1 - cy)];
      const b = [x2 - cx, -(y2 - cy)];
      lines.push(a[0], TILE, a[1], b[0], TILE, b[1], a[0], wallHeight, a[1], b[0], wallHeight, b[1], a[0], TILE, a[1], a[0], wallHeight, a[1]);
    }
  }
  const edgeGeometry = new T.BufferGeometry();
  edgeGeometry.setAttribute('position', new T.Float32BufferAttribute(lines, 3));
  group.add(new T.LineSegments(edgeGeometry, new T.LineBasicMaterial({ color: NEUTRAL.edge, transparent: true, opacity: 0.55 })));
  const slabGeometry = new T.ExtrudeGeometry(toShape(floor.outline), { depth: 0.15, bevelEnabled: false });
  slabGeometry.rotateX(-Math.PI / 2);
  const slab = new T.Mesh(slabGeometry, new T.MeshLambertMaterial({ color: NEUTRAL.slab }));
  slab.position.y = -0.16;
  group.add(slab);
  return { group, tiles, colours, ranges, triangleRoom };
}

/** A device marker's shape by kind (one InstancedMesh per shape). */
export const SHAPE_OF: Record<DeviceKind, 'sphere' | 'box' | 'cone' | 'octa' | 'tetra'> = {
  light: 'sphere', door: 'box', window: 'box', hvac: 'box', plant: 'box', meter: 'box', leak: 'cone', camera: 'octa', env: 'tetra', security: 'octa', other: 'tetra',
};

export function markerGeometries(T: typeof THREE_NS) {
  return {
    sphere: new T.IcosahedronGeometry(0.45, 1),
    box: new T.BoxGeometry(0.7, 0.7, 0.7),
    cone: new T.ConeGeometry(0.45, 0.9, 12).rotateX(Math.PI),
    octa: new T.OctahedronGeometry(0.55),
    tetra: new T.TetrahedronGeometry(0.55),
  };
}
