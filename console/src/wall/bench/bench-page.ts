// The wall benchmark's page (bench/wall.ts builds and serves it): a generated building of
// 10 floors, 500 rooms and 20,000 device markers, fed 10,000 point updates per second through
// the same WallModel and BuildingScene the wall uses. Results go to window.__bench.
import type { PointState } from '../../../../contracts/point.js';
import type { DeviceKind } from '../../../../contracts/geometry.js';
import { lookColour, roomKey } from '../../scene/room-state.js';
import { WallModel, type WallMarker } from '../wall-model.js';

const FLOORS = 10;
const ROOMS_PER_FLOOR = 50;
const MARKERS_PER_ROOM = 40;
const UPDATES_PER_SECOND = 10_000;
const KINDS: DeviceKind[] = ['light', 'door', 'leak', 'camera', 'env', 'meter'];

interface BenchResult { firstRenderMs: number; buildMs: number; firstFrameMs: number; frames: number; applyMs: number[]; perFrameShareMs: number[]; updates: number; markers: number; rooms: number; drawCalls: number }
declare global { interface Window { __bench?: BenchResult; __benchDone?: boolean } }

const t0 = performance.now();
const floors = Array.from({ length: FLOORS }, (_, f) => {
  const id = `l${String(f + 1).padStart(2, '0')}`;
  const rooms = Array.from({ length: ROOMS_PER_FLOOR }, (_, r) => {
    const row = r < ROOMS_PER_FLOOR / 2 ? 0 : 1;
    const x = (r % (ROOMS_PER_FLOOR / 2)) * 4;
    const y = row ? 14 : 0;
    return { id: `room-${r}`, polygon: [[x, y], [x + 4, y], [x + 4, y + 10], [x, y + 10]] as Array<[number, number]> };
  });
  return { id, elevation: f * 4, height: 4, outline: [[0, 0], [100, 0], [100, 24], [0, 24]] as Array<[number, number]>, rooms };
});
const markers: Array<WallMarker & { at: [number, number]; z: number }> = [];
const points: Array<{ id: string; kind: 'analog' | 'binary'; brick?: string }> = [];
for (const f of floors) {
  for (const room of f.rooms) {
    const [x0, y0] = room.polygon[0];
    points.push({ id: `hq/a/${f.id}/${room.id}/env-0/temperature`, kind: 'analog', brick: 'Zone_Air_Temperature_Sensor' });
    for (let m = 0; m < MARKERS_PER_ROOM; m++) {
      const kind = KINDS[m % KINDS.length];
      markers.push({ floor: f.id, room: room.id, equipment: `dev-${m}`, kind, at: [x0 + 0.4 + (m % 8) * 0.45, y0 + 0.5 + Math.floor(m / 8) * 1.8], z: 1 });
      points.push({ id: `hq/a/${f.id}/${room.id}/dev-${m}/${kind === 'leak' ? 'leak' : kind === 'door' ? 'open' : 'status'}`, kind: 'binary' });
    }
  }
}
const model = new WallModel(floors.flatMap((f) => f.rooms.map((r) => roomKey(f.id, r.id))), markers, points);

const { loadBuildingScene } = await import('../../scene/building-scene.js');
const b0 = performance.now();
const scene = await loadBuildingScene(document.getElementById('stage')!, floors, markers);
const buildMs = performance.now() - b0;
model.snapshot(points.map((p) => ({ id: p.id, value: p.kind === 'analog' ? 22 : false, quality: 'good', readTs: Date.now(), changedTs: Date.now() })));

function flush(): void {
  for (const key of model.dirtyRooms) {
    const [floor, room] = key.split('/');
    const look = model.roomLook('temperature', key);
    scene.setRoomColour(floor, room, lookColour(look));
  }
  model.dirtyRooms.clear();
  for (const i of model.dirtyMarkers) {
    const look = model.markerLook(i);
    scene.setMarker(i, look.colour, look.scale);
  }
  model.dirtyMarkers.clear();
}
flush();
const f0 = performance.now();
scene.renderNow();
const firstFrameMs = performance.now() - f0;
const firstRenderMs = performance.now() - t0 + performance.timeOrigin - performance.timing.navigationStart;

// Updates arrive as coalesced batches (the hub's live window) and are applied once per frame.
const applyMs: number[] = [];
/** The same cost scaled to one 60 Hz frame's share of 10,000 updates/s (≈167 updates). */
const perFrameShareMs: number[] = [];
let updates = 0;
let last = performance.now();
let seq = 0;
const batch: PointState[] = [];
const runFor = Number(new URLSearchParams(location.search).get('ms') ?? '5000');
const started = performance.now();
function frame(now: number): void {
  const due = Math.round(((now - last) / 1000) * UPDATES_PER_SECOND);
  last = now;
  batch.length = 0;
  for (let i = 0; i < due; i++) {
    const p = points[(seq = (seq * 1103515245 + 12345) & 0x7fffffff) % points.length];
    const value = p.kind === 'analog' ? 18 + (seq % 140) / 10 : (seq & 4) === 0;
    batch.push({ id: p.id, value, quality: (seq & 1023) === 0 ? 'comm_fail' : 'good', readTs: Date.now(), changedTs: Date.now() });
  }
  const a = performance.now();
  model.apply(batch);
  flush();
  const spent = performance.now() - a;
  applyMs.push(spent);
  if (due > 0) perFrameShareMs.push((spent * (UPDATES_PER_SECOND / 60)) / due);
  updates += due;
  if (now - started < runFor) requestAnimationFrame(frame);
  else {
    window.__bench = { firstRenderMs, buildMs, firstFrameMs, perFrameShareMs, frames: applyMs.length, applyMs, updates, markers: scene.markerCount, rooms: FLOORS * ROOMS_PER_FLOOR, drawCalls: scene.drawCalls };
    window.__benchDone = true;
  }
}
requestAnimationFrame(frame);
