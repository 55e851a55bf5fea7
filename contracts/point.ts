// The point model shared by drivers, hub and console. Imports nothing of them.

/** Quality of a sample. `comm_fail`: the device stopped answering; `stale`: no fresh sample in time. */
export const QUALITIES = ['good', 'uncertain', 'bad', 'comm_fail', 'stale'] as const;
export type Quality = (typeof QUALITIES)[number];

export const POINT_KINDS = ['analog', 'binary', 'multistate', 'string'] as const;
export type PointKind = (typeof POINT_KINDS)[number];

export type PointValue = number | boolean | string | null;

/** Display text in both UI languages. Ids never depend on it. */
export interface LocalizedText {
  en: string;
  'zh-CN': string;
}

/**
 * A point id is a path: site/building/floor/room/equipment/point,
 * e.g. `hq/a/l03/archive-301/env-1/humidity`. Every segment is lowercase
 * letters, digits and dashes, so ids are stable, URL-safe and never translated.
 */
export const ID_SEGMENT = /^[a-z0-9][a-z0-9-]*$/;
export const POINT_ID = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*){5}$/;

export interface PointIdParts {
  site: string;
  building: string;
  floor: string;
  room: string;
  equipment: string;
  point: string;
}

export function parsePointId(id: string): PointIdParts | null {
  if (!POINT_ID.test(id)) return null;
  const [site, building, floor, room, equipment, point] = id.split('/');
  return { site, building, floor, room, equipment, point };
}

export function formatPointId(p: PointIdParts): string {
  return [p.site, p.building, p.floor, p.room, p.equipment, p.point].join('/');
}

/** `site/building/floor`, the key of a floor room on the live channel. */
export function floorKeyOf(pointId: string): string {
  return pointId.split('/').slice(0, 3).join('/');
}

/** Protocol-neutral description of a point. Everything protocol-specific stays in the driver's `source`. */
export interface PointInfo {
  id: string;
  name: LocalizedText;
  kind: PointKind;
  unit?: string;
  /** Brick class, e.g. `Zone_Air_Temperature_Sensor`. */
  brick?: string;
  /** Engineering limits: writes outside them are refused; displays use them for scale. */
  limits?: { min?: number; max?: number };
  /** Multistate: value → label. */
  states?: Record<string, LocalizedText>;
  writable: boolean;
  /** Equipment (device) id, the 5th segment of the point id. */
  device: string;
  protocol: string;
  /** Expected update interval in ms, used for staleness. */
  intervalMs: number;
}

/** One reading of one point, as a driver publishes it. */
export interface Sample {
  pointId: string;
  value: PointValue;
  quality: Quality;
  /** Why the quality is not good, e.g. `Modbus exception 2 (Illegal Data Address)`. */
  detail?: string;
  /** Device's own timestamp (ms since epoch), when the protocol carries one. */
  sourceTs?: number;
  /** When the driver read it (ms since epoch). */
  readTs: number;
}

/** Live state of a point as the hub holds it and sends it to consoles. */
export interface PointState {
  id: string;
  value: PointValue;
  quality: Quality;
  detail?: string;
  sourceTs?: number;
  readTs: number;
  /** When the value last changed (ms). */
  changedTs: number;
}
