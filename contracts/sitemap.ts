// The site map: the campus outside the buildings (footprints, roads, areas, outdoor devices) and
// cameras as things in space. Shared by the hub (hub/sitemap: load, validate, coverage, nearest
// cameras) and the console (the map view). Imports nothing (see contracts/README rules).
//
// Frame: metres on a local plane, x east and y north, like the floor plans. Headings are compass
// bearings in degrees: 0 = north, 90 = east, clockwise (how installers write them down).

/** [x, y] in metres, x east, y north. */
export type MapXy = [number, number];

export interface MapName {
  en: string;
  'zh-CN': string;
}

export const SITE_FEATURE_KINDS = ['building', 'road', 'area', 'camera', 'pa-horn', 'gate', 'intersection'] as const;
export type SiteFeatureKind = (typeof SITE_FEATURE_KINDS)[number];

export const AREA_KINDS = ['car-park', 'plaza', 'green', 'yard', 'other'] as const;
export type AreaKind = (typeof AREA_KINDS)[number];

export interface SiteBuilding {
  id: string;
  name: MapName;
  footprint: MapXy[];
  /** Height in metres (drawn, and used to say which cameras a roof hides). */
  height: number;
  /** Building id of config/site.yaml when it has floors there (the map opens its floor view). */
  building?: string;
  /** Where the floor plan's (0,0) sits on the map, and the plan's rotation (degrees, counter-clockwise). */
  planOrigin?: MapXy;
  planRotation?: number;
}

export interface SiteRoad {
  id: string;
  name: MapName;
  /** Centre line. */
  line: MapXy[];
  /** Carriageway + pavements, metres; the road is the line buffered by width / 2. */
  width: number;
  /** Counted in the coverage figure (default true). */
  coverage: boolean;
}

export interface SiteArea {
  id: string;
  name: MapName;
  kind: AreaKind;
  polygon: MapXy[];
  coverage: boolean;
}

export interface PtzPresetGeo {
  /** ONVIF preset token on the camera. */
  token: string;
  name?: string;
  /** Pan in degrees relative to the camera's heading (+ = clockwise). */
  pan: number;
  /** Tilt in degrees (negative = down). */
  tilt?: number;
  /** Field of view at this preset's zoom (default the camera's fov). */
  fov?: number;
}

export interface PtzGeometry {
  /** Pan range in degrees relative to heading, e.g. [-180, 180] for a dome. */
  pan: [number, number];
  /** Tilt range in degrees, e.g. [-90, 0]. */
  tilt: [number, number];
  presets: PtzPresetGeo[];
}

export interface SiteCamera {
  id: string;
  name: MapName;
  at: MapXy;
  /** Mounting height above ground, metres. */
  height: number;
  /** Compass bearing of the optical axis (PTZ: its home position). */
  heading: number;
  /** Horizontal field of view, degrees (0 < fov ≤ 360). */
  fov: number;
  /** How far it sees usefully (identify a person), metres. */
  range: number;
  /** The camera id (ONVIF/RTSP connection id) when this camera streams; absent = drawn and counted only. */
  connection?: string;
  ptz?: PtzGeometry;
}

export interface SiteDevice {
  id: string;
  kind: 'pa-horn' | 'gate' | 'intersection';
  name: MapName;
  at: MapXy;
  /** Configured device (equipment) id whose points belong here, e.g. a gate contact. */
  device?: string;
  /** PA zone id (broadcast.yaml) of a horn. */
  zone?: string;
}

export interface SiteMap {
  version: 1;
  site: string;
  name: MapName;
  /** WGS-84 of the local frame's (0,0), when known (import/export; tiles are never needed). */
  origin?: { lat: number; lon: number };
  buildings: SiteBuilding[];
  roads: SiteRoad[];
  areas: SiteArea[];
  cameras: SiteCamera[];
  /** PA horns, gates/barriers and intersections. */
  devices: SiteDevice[];
}

// ---- coverage (GET /api/sitemap/coverage) ----

export interface CoverageFigure {
  id: string;
  kind: 'road' | 'area';
  name: MapName;
  /** Square metres of the region (buildings excluded). */
  area: number;
  covered: number;
  /** covered / area, 0..1. */
  fraction: number;
}

/** A connected uncovered patch, rasterised at the grid step: rectangles [x, y, w, h] (x,y = south-west corner). */
export interface BlindSpot {
  id: string;
  area: number;
  centroid: MapXy;
  /** Regions (road/area ids) it lies in. */
  regions: string[];
  rects: Array<[number, number, number, number]>;
}

export interface CameraCone {
  camera: string;
  /** What the camera sees on the ground now: its view cone clipped by building footprints. */
  polygon: MapXy[];
  /** For a PTZ camera: everything it could see by panning (same clipping). */
  reach?: MapXy[];
}

export interface CoverageReport {
  /** Grid step in metres. */
  step: number;
  overall: { area: number; covered: number; fraction: number };
  roads: CoverageFigure[];
  areas: CoverageFigure[];
  cones: CameraCone[];
  blindSpots: BlindSpot[];
  /** Milliseconds the last recompute took, and when it ended (epoch ms). */
  computeMs: number;
  computedAt: number;
}

// ---- nearest cameras (GET /api/sitemap/nearest) ----

export interface CameraAim {
  /** A preset that covers the spot, when one does. */
  preset?: string;
  /** Degrees relative to heading / tilt degrees (negative down). */
  pan: number;
  tilt: number;
}

export interface NearestCamera {
  camera: string;
  /** Connection id when it streams. */
  connection?: string;
  distance: number;
  /** Compass bearing from the camera to the spot. */
  bearing: number;
  /** True when it sees the spot without moving. */
  seesNow: boolean;
  /** PTZ: how to turn it onto the spot. */
  aim?: CameraAim;
  indoor?: boolean;
}

export interface NearestResult {
  /** Where the spot is on the map (indoors: the room's centroid placed by the building). */
  at: MapXy;
  indoor?: { building: string; floor: string; room: string };
  cameras: NearestCamera[];
}

/** PATCH /api/sitemap/cameras/:id body. */
export interface CameraPosePatch {
  at?: MapXy;
  height?: number;
  heading?: number;
  fov?: number;
  range?: number;
}

const DEG = Math.PI / 180;

/** Compass bearing (0 = north, clockwise) from a to b, in [0, 360). */
export function bearingOf(a: MapXy, b: MapXy): number {
  const deg = Math.atan2(b[0] - a[0], b[1] - a[1]) / DEG;
  return (deg + 360) % 360;
}

/** Signed difference b - a of two bearings, in (-180, 180]. */
export function angleDiff(a: number, b: number): number {
  let d = (((b - a) % 360) + 360) % 360;
  if (d > 180) d -= 360;
  return d;
}

/** Unit vector [east, north] of a compass bearing. */
export function bearingVector(bearing: number): MapXy {
  return [Math.sin(bearing * DEG), Math.cos(bearing * DEG)];
}

/** A floor-plan point placed on the map by its building's plan origin and rotation. */
export function planToMap(b: Pick<SiteBuilding, 'planOrigin' | 'planRotation'>, p: readonly [number, number]): MapXy {
  const r = (b.planRotation ?? 0) * DEG;
  const [ox, oy] = b.planOrigin ?? [0, 0];
  return [ox + p[0] * Math.cos(r) - p[1] * Math.sin(r), oy + p[0] * Math.sin(r) + p[1] * Math.cos(r)];
}
