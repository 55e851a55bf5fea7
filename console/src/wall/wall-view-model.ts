// The wall view's state and derivations, without DOM or Three.js: which layer, tour and link state
// the operator sees, the side column's key figures, the alarm strip's lines and which points a
// picked room or device opens. wall-view.ts only draws what this says (issue 12 item 8).
import type { AlarmView } from '../../../contracts/alarms.js';
import type { PointView } from '../../../contracts/api.js';
import type { BuildingPlan } from '../../../contracts/geometry.js';
import { getLocale, localized, t, type MessageKey } from '../i18n.js';
import { PRIORITY_SHAPES } from '../scene/palette.js';
import { roomKey, type Layer, type RoomLook } from '../scene/room-state.js';
import type { WallModel } from './wall-model.js';
import type { WallOptions } from './wall-options.js';
import { tourStep, urgentAlarms } from './wall-tour.js';
import type { KeyFigures } from './wall-side.js';

/** The unit shown after a measured room's value on each layer. */
export const UNITS: Record<Layer, string> = { alarms: '', temperature: '°C', humidity: '%', co2: 'ppm', energy: 'kW' };

/** An abnormal room's label: the room's name first (where), then what is wrong. */
export function labelFor(look: RoomLook, unit: string, name: string): string {
  switch (look.kind) {
    case 'alarm': return `${PRIORITY_SHAPES[look.priority]} ${name} · ${t(`prio.${look.priority}` as MessageKey)}${look.count > 1 ? ` ×${look.count}` : ''}`;
    case 'untrusted': return `⚠ ${name} · ${t(`quality.${look.quality}` as MessageKey)}`;
    case 'low': return `▼ ${name} ${look.value.toLocaleString(getLocale(), { maximumFractionDigits: 1 })} ${unit}`;
    case 'high': return `▲ ${name} ${look.value.toLocaleString(getLocale(), { maximumFractionDigits: 1 })} ${unit}`;
    default: return '';
  }
}

/** The side column's key figures: mean trusted temperature, devices down, doors open, lights on. */
export function keyFigures(model: WallModel | null): KeyFigures {
  const f: KeyFigures = { meanTemp: null, devicesDown: 0, doorsOpen: 0, lightsOn: 0 };
  if (!model) return f;
  let sum = 0;
  let n = 0;
  for (const key of model.roomKeys) {
    const look = model.roomLook('temperature', key);
    if ('value' in look && typeof look.value === 'number' && look.kind !== 'untrusted') { sum += look.value; n++; }
  }
  f.meanTemp = n ? sum / n : null;
  model.markers.forEach((m, i) => {
    const look = model.markerLook(i);
    if (look.flag === 'comm_fail') f.devicesDown++;
    if (m.kind === 'door' && look.flag === 'active') f.doorsOpen++;
    if (m.kind === 'light') f.lightsOn += model.lightCircuitsOn(i);
  });
  return f;
}

/** Every alarm the model holds, room by room. */
export function* allAlarms(model: WallModel | null): Generator<AlarmView> {
  if (!model) return;
  for (const key of model.roomKeys) yield* model.roomAlarms(key);
}

/** 'l03/r301' or a bare room id (its floor looked up in the plan) → [floor, room]. */
export function keyOfRoom(plan: BuildingPlan | null, room: string): [string, string] | null {
  if (room.includes('/')) return room.split('/') as [string, string];
  const floor = plan?.floors.find((f) => f.rooms.some((r) => r.id === room));
  return floor ? [floor.id, room] : null;
}

/** The plan's floors from the top down, as the floor buttons and the tour order them. */
export const floorsTopDown = (plan: BuildingPlan | null): string[] => [...(plan?.floors ?? [])].reverse().map((f) => f.id);

export interface StripItem {
  id: string;
  priority: AlarmView['priority'];
  floor: string;
  /** "L3 · Room 301" */
  where: string;
  message: string;
  /** The test run's tag when a drill raised it (drawn as a TEST badge). */
  test?: string;
}

/** The strip: at most three alarms waiting for acknowledgement, most urgent first. */
export function stripItems(alarms: Iterable<AlarmView>, plan: BuildingPlan | null, roomName: (floor: string, room: string) => string): StripItem[] {
  return urgentAlarms(alarms, 3).map((a) => {
    const [, floor, room] = a.area.split('/');
    const floorName = localized(plan?.floors.find((f) => f.id === floor)?.name) || floor;
    return { id: a.id, priority: a.priority, floor: floor ?? '', where: `${floorName} · ${room ? roomName(floor, room) : ''}`, message: localized(a.message), ...(a.test ? { test: a.test } : {}) };
  });
}

/** What a pick opens: a camera's live view, or a room panel over some points. */
export type PanelTarget =
  | { kind: 'camera'; equipment: string }
  | { kind: 'room'; key: string; points: PointView[]; title: () => string };

export type WallPick = { type: 'device'; index: number; floor: string } | { type: 'room'; floor: string; room: string };

export function panelTarget(model: WallModel, plan: BuildingPlan, points: PointView[], pick: WallPick, roomName: (floor: string, room: string) => string): PanelTarget {
  if (pick.type === 'device') {
    const marker = model.markers[pick.index];
    // A camera marker opens its live view (with PTZ for roles that may move it).
    if (marker.kind === 'camera') return { kind: 'camera', equipment: marker.equipment };
    const ids = new Set(model.markerPointIds(pick.index));
    return { kind: 'room', key: roomKey(marker.floor, marker.room), points: points.filter((p) => ids.has(p.id)), title: () => `${marker.equipment} · ${roomName(marker.floor, marker.room)}` };
  }
  const floorPlan = plan.floors.find((f) => f.id === pick.floor);
  return {
    kind: 'room',
    key: roomKey(pick.floor, pick.room),
    points: points.filter((p) => p.id.split('/')[2] === pick.floor && p.id.split('/')[3] === pick.room),
    title: () => `${roomName(pick.floor, pick.room)} · ${localized(floorPlan?.name)}`,
  };
}

/** The operator's choices on the wall and the link's state: what the toolbar and overlay show. */
export class WallViewState {
  layer: Layer;
  exploded = true;
  tourOn: boolean;
  /** The floor the tour (or the operator) has in focus; null: all floors. */
  tourStop: string | null;
  /** The alarm the tour holds on screen until it is acknowledged. */
  holding: string | null = null;
  linkUp = false;
  lostSince = 0;
  readonly cycleSeconds: number;

  constructor(options: Pick<WallOptions, 'layer' | 'floor' | 'cycle'>) {
    this.layer = options.layer;
    this.tourStop = options.floor;
    this.tourOn = options.cycle > 0;
    this.cycleSeconds = options.cycle || 30;
  }

  toggleExplode(): boolean {
    this.exploded = !this.exploded;
    return this.exploded;
  }

  toggleTour(): boolean {
    this.tourOn = !this.tourOn;
    return this.tourOn;
  }

  setLink(up: boolean, since: number): void {
    this.linkUp = up;
    this.lostSince = since;
  }

  /**
   * One tour step (wall-tour.ts), alarms in charge: returns the floor to focus, or undefined when
   * nothing needs to move (tour off, no plan yet (null floors), or already there).
   */
  steer(tick: boolean, floors: string[] | null, alarms: Iterable<AlarmView>, focusedFloor: string | null | undefined): string | null | undefined {
    if (!this.tourOn || !floors) return undefined;
    const step = tourStep(this.tourStop, floors, alarms, tick);
    this.holding = step.holding;
    if (step.floor !== this.tourStop || focusedFloor !== step.floor) return step.floor;
    return undefined;
  }
}
