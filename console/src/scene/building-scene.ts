// The 3D building (Three.js, loaded lazily by loadBuildingScene): floors stacked or exploded,
// rooms extruded from their polygons and merged into one mesh per floor (per-vertex colour, so
// recolouring a room is a write into a typed array, not a new material), device markers as one
// InstancedMesh per shape, HTML labels for abnormal rooms, raycast picking, on-demand rendering.
import type * as THREE_NS from 'three';
import type { OrbitControls as OrbitControlsType } from 'three/examples/jsm/controls/OrbitControls.js';
import type { DeviceKind, Xy } from '../../../contracts/geometry.js';
import { centroid } from '../../../contracts/geometry.js';
import { NEUTRAL } from './palette.js';
import { SceneLabels, type Anchor } from './scene-labels.js';
import { SHAPE_OF, TILE, buildFloorMeshes, markerGeometries, type FloorMeshes } from './floor-mesh.js';
import { VIEW_DIRECTION, cameraDistance, type ViewPreset } from './camera-fit.js';

type Three = typeof THREE_NS;

export interface SceneFloorInput {
  id: string;
  elevation: number;
  height: number;
  outline: Xy[];
  rooms: Array<{ id: string; polygon: Xy[] }>;
}
export interface SceneMarkerInput {
  floor: string;
  room: string;
  equipment: string;
  kind: DeviceKind;
  at: Xy;
  z?: number;
}
export type Pick3D = { type: 'room'; floor: string; room: string } | { type: 'device'; index: number; floor: string; room: string; equipment: string };
export type { ViewPreset };

const EXPLODE_GAP = 7;

interface FloorParts extends FloorMeshes {
  id: string;
  baseY: number;
  explodedY: number;
  height: number;
}

export class BuildingScene {
  readonly canvas: HTMLCanvasElement;
  private readonly renderer: THREE_NS.WebGLRenderer;
  private readonly scene: THREE_NS.Scene;
  private readonly camera: THREE_NS.PerspectiveCamera;
  private readonly controls: OrbitControlsType;
  private readonly floors = new Map<string, FloorParts>();
  private readonly roomBase = new Map<string, string>();
  private readonly pulsing = new Set<string>();
  private readonly markerSlots: Array<{ mesh: THREE_NS.InstancedMesh; slot: number; y: number; x: number; z: number; floor: string; scale: number }> = [];
  private readonly instanced: THREE_NS.InstancedMesh[] = [];
  private readonly labels = new SceneLabels();
  private readonly matrix: THREE_NS.Matrix4;
  private readonly colour: THREE_NS.Color;
  private readonly raycaster: THREE_NS.Raycaster;
  private readonly centre: THREE_NS.Vector3;
  private readonly span: number;
  private readonly depth: number;
  private stackHeight = 0;
  private readonly linear = new Map<string, [number, number, number]>();
  private exploded = true;
  private focus: string | null = null;
  private dirty = true;
  private frame = 0;
  private lastPulse = 0;
  private disposed = false;
  private readonly resizeObserver: ResizeObserver;
  private pickHandler: (p: Pick3D | null) => void = () => {};
  /** Frames actually drawn (for tests and the benchmark). */
  renders = 0;

  constructor(private readonly T: Three, Controls: typeof OrbitControlsType, private readonly container: HTMLElement, floors: SceneFloorInput[], markers: SceneMarkerInput[]) {
    this.matrix = new T.Matrix4();
    this.colour = new T.Color();
    this.raycaster = new T.Raycaster();
    this.renderer = new T.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true, powerPreference: 'high-performance' });
    this.renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
    this.renderer.setClearColor(NEUTRAL.background);
    this.canvas = this.renderer.domElement;
    this.canvas.className = 'scene-canvas';
    container.append(this.canvas, this.labels.layer);

    this.scene = new T.Scene();
    this.scene.add(new T.HemisphereLight(0xdfe6ee, 0x30343a, 1.1));
    const sun = new T.DirectionalLight(0xffffff, 0.9);
    sun.position.set(40, 80, 30);
    this.scene.add(sun);

    const sorted = [...floors].sort((a, b) => a.elevation - b.elevation);
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (const f of sorted) for (const [x, y] of f.outline) { minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y); }
    const cx = (minX + maxX) / 2;
    const cy = (minY + maxY) / 2;
    this.span = Math.max(maxX - minX, 10);
    this.depth = Math.max(maxY - minY, 10);
    const lowest = sorted[0]?.elevation ?? 0;
    sorted.forEach((floor, i) => this.buildFloor(floor, i, lowest, cx, cy));
    this.buildMarkers(markers, cx, cy);
    const last = sorted[sorted.length - 1];
    this.stackHeight = last ? this.floorY(last.id) + last.height : 10;
    this.centre = new T.Vector3(0, this.stackHeight / 2, 0);

    this.camera = new T.PerspectiveCamera(40, 1, 0.5, 2000);
    this.controls = new Controls(this.camera, this.canvas);
    this.controls.enableDamping = false;
    this.controls.addEventListener('change', () => { this.dirty = true; });
    this.preset('iso');

    this.canvas.addEventListener('pointerdown', this.onPointerDown);
    this.canvas.addEventListener('pointerup', this.onPointerUp);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
    this.resize();
    this.loop = this.loop.bind(this);
    this.frame = requestAnimationFrame(this.loop);
  }

  private floorY(id: string): number {
    const f = this.floors.get(id);
    if (!f) return 0;
    return this.exploded ? f.explodedY : f.baseY;
  }

  private buildFloor(floor: SceneFloorInput, index: number, lowest: number, cx: number, cy: number): void {
    const { group, tiles, colours, ranges, triangleRoom } = buildFloorMeshes(this.T, floor, cx, cy);
    const baseY = floor.elevation - lowest;
    const explodedY = baseY + index * EXPLODE_GAP;
    group.position.y = explodedY;
    this.scene.add(group);
    const parts: FloorParts = { id: floor.id, group, tiles, colours, ranges, triangleRoom, baseY, explodedY, height: floor.height };
    this.floors.set(floor.id, parts);
    let westX = Infinity;
    for (const [x] of floor.outline) westX = Math.min(westX, x);
    // The floor's own label sits off its west end; setRoomLabel(floor, '', text) fills it.
    this.labels.add(`${floor.id}/`, { x: westX - cx - 4, y: TILE, z: 0 });
    for (const room of floor.rooms) {
      this.setRoomColour(floor.id, room.id, NEUTRAL.room);
      const [x, y] = centroid(room.polygon);
      this.labels.add(`${floor.id}/${room.id}`, { x: x - cx, y: TILE + 0.5, z: -(y - cy) });
    }
  }

  private buildMarkers(markers: SceneMarkerInput[], cx: number, cy: number): void {
    const T = this.T;
    const geometries = markerGeometries(T);
    const byShape = new Map<keyof typeof geometries, number[]>();
    markers.forEach((m, i) => {
      const shape = SHAPE_OF[m.kind] ?? 'tetra';
      if (!byShape.has(shape)) byShape.set(shape, []);
      byShape.get(shape)!.push(i);
    });
    for (const [shape, indices] of byShape) {
      const mesh = new T.InstancedMesh(geometries[shape], new T.MeshLambertMaterial({ color: 0xffffff }), indices.length);
      mesh.name = `markers:${shape}`;
      mesh.instanceMatrix.setUsage(T.DynamicDrawUsage);
      indices.forEach((markerIndex, slot) => {
        const m = markers[markerIndex];
        this.markerSlots[markerIndex] = { mesh, slot, x: m.at[0] - cx, y: (m.z ?? 1) + TILE, z: -(m.at[1] - cy), floor: m.floor, scale: 1 };
        mesh.setColorAt(slot, this.colour.set(NEUTRAL.marker));
      });
      for (const markerIndex of indices) this.placeMarker(this.markerSlots[markerIndex]);
      this.instanced.push(mesh);
      this.scene.add(mesh);
    }
    for (const [shape, geometry] of Object.entries(geometries)) if (!byShape.has(shape as keyof typeof geometries)) geometry.dispose();
  }

  /** Recolours one room (a write into its vertex range). */
  setRoomColour(floor: string, room: string, hex: string, pulse = false): void {
    const parts = this.floors.get(floor);
    const range = parts?.ranges.get(room);
    if (!parts || !range) return;
    const key = `${floor}/${room}`;
    this.roomBase.set(key, hex);
    if (pulse) this.pulsing.add(key); else this.pulsing.delete(key);
    this.paintRoom(parts, range, hex, 1);
  }

  /** Palette colours are sRGB; vertex colours are in the renderer's linear working space. */
  private linearOf(hex: string): [number, number, number] {
    let rgb = this.linear.get(hex);
    if (!rgb) {
      this.colour.set(hex);
      rgb = [this.colour.r, this.colour.g, this.colour.b];
      this.linear.set(hex, rgb);
    }
    return rgb;
  }

  private paintRoom(parts: FloorParts, [first, count]: [number, number], hex: string, gain: number): void {
    const [r, g, b] = this.linearOf(hex);
    const c = parts.colours;
    for (let v = first; v < first + count; v++) {
      c[v * 3] = r * gain; c[v * 3 + 1] = g * gain; c[v * 3 + 2] = b * gain;
    }
    (parts.tiles.geometry.getAttribute('color') as THREE_NS.BufferAttribute).needsUpdate = true;
    this.dirty = true;
  }

  roomColour(floor: string, room: string): string | undefined {
    return this.roomBase.get(`${floor}/${room}`);
  }

  /** A room's label: the words and symbol that say what its colour says. Empty text hides it. */
  setRoomLabel(floor: string, room: string, text: string, className = ''): void {
    if (this.labels.set(`${floor}/${room}`, text, className)) this.dirty = true;
  }

  /** A room's label as drawn (tests measure its size), or null when hidden. */
  roomLabel(floor: string, room: string): { text: string; fontPx: number; className: string } | null {
    return this.labels.read(`${floor}/${room}`);
  }

  setMarker(index: number, hex: string, scale: number): void {
    const s = this.markerSlots[index];
    if (!s) return;
    // Thousands of markers change per second: write only what changed, straight into the buffers.
    if (s.scale !== scale) {
      s.scale = scale;
      this.placeMarker(s);
    }
    const colours = s.mesh.instanceColor;
    if (!colours) return;
    const [r, g, b] = this.linearOf(hex);
    const a = colours.array as Float32Array;
    const o = s.slot * 3;
    if (a[o] === r && a[o + 1] === g && a[o + 2] === b) return;
    a[o] = r; a[o + 1] = g; a[o + 2] = b;
    colours.needsUpdate = true;
    this.dirty = true;
  }

  /** Writes a marker's matrix: its floor's offset, its size, or zero size when its floor is hidden. */
  private placeMarker(s: (typeof this.markerSlots)[number]): void {
    // One InstancedMesh cannot hide single instances: a hidden floor's markers get zero size.
    const scale = this.focus && s.floor !== this.focus ? 0 : s.scale;
    this.matrix.makeScale(scale, scale, scale);
    this.matrix.setPosition(s.x, s.y + this.floorY(s.floor), s.z);
    s.mesh.setMatrixAt(s.slot, this.matrix);
    s.mesh.instanceMatrix.needsUpdate = true;
    this.dirty = true;
  }

  get markerCount(): number {
    return this.markerSlots.length;
  }

  setExploded(exploded: boolean): void {
    this.exploded = exploded;
    for (const f of this.floors.values()) f.group.position.y = exploded ? f.explodedY : f.baseY;
    for (const slot of this.markerSlots) this.placeMarker(slot);
    this.dirty = true;
  }

  /** Shows one floor alone (null: all) and looks at it. */
  focusFloor(id: string | null): void {
    this.focus = id && this.floors.has(id) ? id : null;
    for (const f of this.floors.values()) f.group.visible = !this.focus || f.id === this.focus;
    for (const slot of this.markerSlots) this.placeMarker(slot);
    this.labels.focus(this.focus);
    this.preset(this.focus ? 'top' : 'iso');
  }

  get focusedFloor(): string | null {
    return this.focus;
  }

  private lastPreset: ViewPreset = 'iso';

  preset(view: ViewPreset): void {
    this.lastPreset = view;
    const focused = this.focus ? this.floors.get(this.focus) : undefined;
    const height = focused ? focused.height : this.exploded ? this.stackHeight : this.stackHeight;
    const target = focused ? new this.T.Vector3(0, this.floorY(focused.id) + 1, 0) : new this.T.Vector3(0, height / 2, 0);
    const d = cameraDistance({ view, fovDeg: this.camera.fov, aspect: this.camera.aspect, span: this.span, depth: this.depth, height, focused: !!focused });
    const dir = VIEW_DIRECTION[view];
    const len = Math.hypot(dir[0], dir[1], dir[2]);
    this.camera.position.set(target.x + (d * dir[0]) / len, target.y + (d * dir[1]) / len, target.z + (d * dir[2]) / len);
    this.controls.target.copy(target);
    this.controls.update();
    this.dirty = true;
  }

  onPick(handler: (p: Pick3D | null) => void): void {
    this.pickHandler = handler;
  }

  private downAt: [number, number] | null = null;
  private readonly onPointerDown = (e: PointerEvent) => { this.downAt = [e.clientX, e.clientY]; };
  private readonly onPointerUp = (e: PointerEvent) => {
    if (!this.downAt || Math.hypot(e.clientX - this.downAt[0], e.clientY - this.downAt[1]) > 5) return; // a drag, not a click
    this.downAt = null;
    this.pickHandler(this.pickAt(e.clientX, e.clientY));
  };

  /** What is under a point of the page (client coordinates). */
  pickAt(clientX: number, clientY: number): Pick3D | null {
    const rect = this.canvas.getBoundingClientRect();
    const ndc = new this.T.Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    this.raycaster.setFromCamera(ndc, this.camera);
    const targets: THREE_NS.Object3D[] = [...this.instanced];
    for (const f of this.floors.values()) if (f.group.visible) targets.push(f.tiles);
    const hit = this.raycaster.intersectObjects(targets, false)[0];
    if (!hit) return null;
    if ((hit.object as THREE_NS.InstancedMesh).isInstancedMesh && hit.instanceId !== undefined) {
      const index = this.markerSlots.findIndex((s) => s.mesh === hit.object && s.slot === hit.instanceId);
      return index < 0 ? null : { type: 'device', index, floor: this.markerSlots[index].floor, room: '', equipment: '' };
    }
    for (const f of this.floors.values()) {
      if (f.tiles === hit.object && hit.faceIndex !== undefined && hit.faceIndex !== null) return { type: 'room', floor: f.id, room: f.triangleRoom[hit.faceIndex] };
    }
    return null;
  }

  /** Screen position (client coordinates) of a room's centre, for tests and tours. */
  roomScreenPoint(floor: string, room: string): [number, number] | null {
    const at = this.labels.anchor(`${floor}/${room}`);
    const parts = this.floors.get(floor);
    if (!at || !parts) return null;
    const p = new this.T.Vector3(at.x, TILE / 2 + parts.group.position.y, at.z);
    p.project(this.camera);
    const rect = this.canvas.getBoundingClientRect();
    return [rect.left + ((p.x + 1) / 2) * rect.width, rect.top + ((1 - p.y) / 2) * rect.height];
  }

  private resize(): void {
    const w = Math.max(1, this.container.clientWidth);
    const h = Math.max(1, this.container.clientHeight);
    const aspectChanged = Math.abs(this.camera.aspect - w / h) > 0.01;
    this.renderer.setSize(w, h, true);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    if (aspectChanged) this.preset(this.lastPreset);
    this.dirty = true;
  }

  private loop(now: number): void {
    if (this.disposed) return;
    this.frame = requestAnimationFrame(this.loop);
    // Alarm pulse: about 8 repaints a second is enough to be seen and cheap on a software GPU.
    if (this.pulsing.size && now - this.lastPulse > 120) {
      this.lastPulse = now;
      const gain = 0.65 + 0.35 * (0.5 + 0.5 * Math.sin(now / 250));
      for (const key of this.pulsing) {
        const [floor, room] = key.split('/');
        const parts = this.floors.get(floor);
        const range = parts?.ranges.get(room);
        if (parts && range) this.paintRoom(parts, range, this.roomBase.get(key)!, gain);
      }
    }
    if (this.dirty) this.renderNow();
  }

  /** Draws now (the loop calls this when something changed). */
  renderNow(): void {
    this.dirty = false;
    this.renderer.render(this.scene, this.camera);
    this.renders++;
    this.placeLabels();
  }

  /** Projects each shown label's anchor (on its floor as it sits now) and lays the labels out. */
  private placeLabels(): void {
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight;
    const v = new this.T.Vector3();
    this.labels.place(w, h, (key: string, at: Anchor) => {
      const parts = this.floors.get(key.slice(0, key.indexOf('/')));
      v.set(at.x, at.y + (parts?.group.position.y ?? 0), at.z).project(this.camera);
      return [((v.x + 1) / 2) * w, ((1 - v.y) / 2) * h];
    });
  }

  get drawCalls(): number {
    return this.renderer.info.render.calls;
  }

  dispose(): void {
    this.disposed = true;
    cancelAnimationFrame(this.frame);
    this.resizeObserver.disconnect();
    this.canvas.removeEventListener('pointerdown', this.onPointerDown);
    this.canvas.removeEventListener('pointerup', this.onPointerUp);
    this.controls.dispose();
    this.scene.traverse((o) => {
      const mesh = o as THREE_NS.Mesh;
      if (mesh.geometry) mesh.geometry.dispose();
      const material = mesh.material as THREE_NS.Material | THREE_NS.Material[] | undefined;
      if (Array.isArray(material)) material.forEach((m) => m.dispose());
      else material?.dispose();
      if ((o as THREE_NS.InstancedMesh).isInstancedMesh) (o as THREE_NS.InstancedMesh).dispose();
    });
    this.scene.clear();
    this.renderer.dispose();
    this.renderer.forceContextLoss();
    this.canvas.remove();
    this.labels.dispose();
    this.floors.clear();
  }
}

/** Loads Three.js (its own chunk) and builds the scene. */
export async function loadBuildingScene(container: HTMLElement, floors: SceneFloorInput[], markers: SceneMarkerInput[]): Promise<BuildingScene> {
  const [T, controls] = await Promise.all([import('three'), import('three/examples/jsm/controls/OrbitControls.js')]);
  return new BuildingScene(T, controls.OrbitControls, container, floors, markers);
}
