// The wall's state, without DOM or Three.js: point states and alarms in, dirty rooms and markers
// out. Fixed-size maps keyed by ids known at start, so memory stays flat however long it runs.
import type { AlarmView } from '../../../contracts/alarms.js';
import type { PointState } from '../../../contracts/point.js';
import type { DeviceKind } from '../../../contracts/geometry.js';
import { markerLook, type MarkerLook } from '../scene/markers.js';
import { alarmLook, layerOfPoint, measuredLook, roomKey, type Layer, type PointMeta, type RoomLook } from '../scene/room-state.js';

export interface WallMarker {
  floor: string;
  room: string;
  equipment: string;
  kind: DeviceKind;
}

interface RoomEntry {
  points: Record<Exclude<Layer, 'alarms'>, string[]>;
  alarms: Map<string, AlarmView>;
}

interface PointEntry {
  room: string;
  layer: Exclude<Layer, 'alarms'> | null;
  marker: number;
  segment: string;
}

export class WallModel {
  readonly states = new Map<string, PointState>();
  private readonly rooms = new Map<string, RoomEntry>();
  private readonly pointIndex = new Map<string, PointEntry>();
  private readonly markerPoints: Array<Map<string, string>>;
  private readonly alarmRoom = new Map<string, string>();
  readonly dirtyRooms = new Set<string>();
  readonly dirtyMarkers = new Set<number>();

  constructor(roomKeys: Iterable<string>, readonly markers: WallMarker[], points: Iterable<PointMeta>) {
    for (const key of roomKeys) this.rooms.set(key, { points: { temperature: [], humidity: [], co2: [], energy: [] }, alarms: new Map() });
    const markerOf = new Map<string, number>();
    markers.forEach((m, i) => markerOf.set(`${m.floor}/${m.room}/${m.equipment}`, i));
    this.markerPoints = markers.map(() => new Map());
    for (const p of points) {
      const [, , floor, room, equipment, segment] = p.id.split('/');
      const key = roomKey(floor, room);
      const layer = layerOfPoint(p);
      const marker = markerOf.get(`${floor}/${room}/${equipment}`) ?? -1;
      this.pointIndex.set(p.id, { room: key, layer, marker, segment });
      if (layer) this.rooms.get(key)?.points[layer].push(p.id);
      if (marker >= 0) this.markerPoints[marker].set(segment, p.id);
    }
  }

  get roomKeys(): IterableIterator<string> {
    return this.rooms.keys();
  }

  /** Replaces every state (a snapshot after (re)subscribing): everything is redrawn. */
  snapshot(states: PointState[]): void {
    this.states.clear();
    for (const s of states) if (this.pointIndex.has(s.id)) this.states.set(s.id, s);
    for (const key of this.rooms.keys()) this.dirtyRooms.add(key);
    for (let i = 0; i < this.markers.length; i++) this.dirtyMarkers.add(i);
  }

  apply(states: PointState[]): void {
    for (const s of states) {
      const entry = this.pointIndex.get(s.id);
      if (!entry) continue;
      this.states.set(s.id, s);
      if (entry.layer) this.dirtyRooms.add(entry.room);
      if (entry.marker >= 0) this.dirtyMarkers.add(entry.marker);
    }
  }

  alarmsSnapshot(alarms: AlarmView[]): void {
    for (const room of this.rooms.values()) room.alarms.clear();
    this.alarmRoom.clear();
    this.alarms(alarms);
    for (const key of this.rooms.keys()) this.dirtyRooms.add(key);
  }

  alarms(changed: AlarmView[]): void {
    for (const a of changed) {
      const previous = this.alarmRoom.get(a.id);
      if (previous) {
        this.rooms.get(previous)?.alarms.delete(a.id);
        this.dirtyRooms.add(previous);
      }
      const [, floor, room] = a.area.split('/');
      const key = roomKey(floor, room);
      const entry = this.rooms.get(key);
      if (!entry) continue;
      // Cleared and acknowledged alarms leave the map: it holds only what is shown.
      if (a.state === 'normal') {
        this.alarmRoom.delete(a.id);
      } else {
        entry.alarms.set(a.id, a);
        this.alarmRoom.set(a.id, key);
      }
      this.dirtyRooms.add(key);
    }
  }

  roomLook(layer: Layer, key: string): RoomLook {
    const room = this.rooms.get(key);
    if (!room) return { kind: 'none' };
    if (layer === 'alarms') return alarmLook(room.alarms.values());
    return measuredLook(layer, room.points[layer].map((id) => this.states.get(id)));
  }

  roomAlarms(key: string): AlarmView[] {
    return [...(this.rooms.get(key)?.alarms.values() ?? [])];
  }

  /** Reused for every marker: markerLook() does not keep it, and 10,000 updates/s should not allocate. */
  private readonly scratch = new Map<string, PointState>();

  markerLook(index: number): MarkerLook {
    const byPoint = this.scratch;
    byPoint.clear();
    for (const [segment, id] of this.markerPoints[index] ?? []) {
      const s = this.states.get(id);
      if (s) byPoint.set(segment, s);
    }
    return markerLook(this.markers[index].kind, byPoint);
  }

  /**
   * Lighting circuits switched on behind a light marker (one lighting panel drives many). A
   * circuit is a binary point with a `<circuit>-current` sibling; status points such as
   * `mains-ok` or `manual-override` are not circuits. Untrusted values are not counted.
   */
  lightCircuitsOn(index: number): number {
    const byPoint = this.markerPoints[index];
    if (!byPoint) return 0;
    let on = 0;
    for (const [segment, id] of byPoint) {
      if (!byPoint.has(`${segment}-current`)) continue;
      const s = this.states.get(id);
      if (s && (s.quality === 'good' || s.quality === 'uncertain') && (s.value === true || s.value === 1)) on++;
    }
    return on;
  }

  markerPointIds(index: number): string[] {
    return [...(this.markerPoints[index]?.values() ?? [])];
  }
}
