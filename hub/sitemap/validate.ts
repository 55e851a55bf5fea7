// The site-map file (config/sitemap.geojson, docs/sitemap.md) parsed into a SiteMap, with every
// problem named by feature and field: `features[12] (camera "cam-n2"): properties.fov: …`.
// Pure: the caller reads the file. Cross-checks against the site config when given one.
import { AREA_KINDS, SITE_FEATURE_KINDS, type MapName, type MapXy, type PtzGeometry, type SiteMap } from '../../contracts/sitemap.js';
import { polygonProblem } from '../../floorplans/geometry.js';
import { inPolygon } from './coverage.js';

export interface SiteMapProblem {
  /** e.g. `features[3].properties.heading`, or `watchfloor.site`. */
  path: string;
  message: string;
}

export interface SiteMapRefs {
  site?: string;
  buildings?: ReadonlySet<string>;
  /** Camera connection ids (ONVIF/RTSP). */
  connections?: ReadonlySet<string>;
  /** Device (equipment) ids. */
  devices?: ReadonlySet<string>;
}

const ID = /^[a-z0-9][a-z0-9-]*$/;
const DEG = Math.PI / 180;

/** Equirectangular projection about `origin`: good to centimetres over a campus (a few km). */
export function lonLatToLocal(origin: { lat: number; lon: number }, lon: number, lat: number): MapXy {
  const x = (lon - origin.lon) * DEG * 6_378_137 * Math.cos(origin.lat * DEG);
  const y = (lat - origin.lat) * DEG * 6_378_137;
  return [Math.round(x * 100) / 100, Math.round(y * 100) / 100];
}

/** The inverse of lonLatToLocal: [lon, lat] of a local point. */
export function localToLonLat(origin: { lat: number; lon: number }, [x, y]: MapXy): MapXy {
  const lat = origin.lat + y / (DEG * 6_378_137);
  const lon = origin.lon + x / (DEG * 6_378_137 * Math.cos(origin.lat * DEG));
  return [Math.round(lon * 1e8) / 1e8, Math.round(lat * 1e8) / 1e8];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function parseSiteMap(raw: unknown, refs: SiteMapRefs = {}): { map?: SiteMap; problems: SiteMapProblem[] } {
  const problems: SiteMapProblem[] = [];
  const bad = (path: string, message: string) => problems.push({ path, message });
  if (!isObj(raw) || raw.type !== 'FeatureCollection') return { problems: [{ path: 'type', message: 'must be a GeoJSON FeatureCollection' }] };
  const head = isObj(raw.watchfloor) ? raw.watchfloor : undefined;
  if (!head) return { problems: [{ path: 'watchfloor', message: 'missing: {version: 1, site, name, frame: local|wgs84, origin?}' }] };
  if (head.version !== 1) bad('watchfloor.version', 'must be 1');
  const site = typeof head.site === 'string' ? head.site : '';
  if (!site) bad('watchfloor.site', 'must be the site id of config/site.yaml');
  else if (refs.site && site !== refs.site) bad('watchfloor.site', `is "${site}" but the site config's id is "${refs.site}"`);
  const frame = head.frame ?? 'local';
  if (frame !== 'local' && frame !== 'wgs84') bad('watchfloor.frame', 'must be "local" (metres, x east, y north) or "wgs84" (lon, lat)');
  let origin: { lat: number; lon: number } | undefined;
  if (head.origin !== undefined) {
    const o = head.origin;
    if (isObj(o) && isNum(o.lat) && isNum(o.lon) && Math.abs(o.lat) <= 90 && Math.abs(o.lon) <= 180) origin = { lat: o.lat, lon: o.lon };
    else bad('watchfloor.origin', 'must be {lat, lon} in degrees');
  }
  if (frame === 'wgs84' && !origin) bad('watchfloor.origin', 'a wgs84 map needs the origin its local metric frame is projected about');
  const name = mapName(head.name, 'watchfloor.name', bad) ?? { en: site, 'zh-CN': site };
  const map: SiteMap = { version: 1, site, name, ...(origin ? { origin } : {}), buildings: [], roads: [], areas: [], cameras: [], devices: [] };
  if (!Array.isArray(raw.features)) {
    bad('features', 'must be an array');
    return { problems };
  }
  const xy = (c: unknown, path: string): MapXy | undefined => {
    if (!Array.isArray(c) || c.length < 2 || !isNum(c[0]) || !isNum(c[1])) {
      bad(path, 'must be a position [x, y]');
      return undefined;
    }
    return frame === 'wgs84' && origin ? lonLatToLocal(origin, c[0], c[1]) : [c[0], c[1]];
  };
  const seen = new Map<string, string>();
  raw.features.forEach((f, i) => {
    const at = `features[${i}]`;
    if (!isObj(f) || f.type !== 'Feature' || !isObj(f.properties) || !isObj(f.geometry)) return bad(at, 'must be a GeoJSON Feature with geometry and properties');
    const p = f.properties;
    const kind = p.kind as string;
    const id = typeof f.id === 'string' ? f.id : typeof p.id === 'string' ? p.id : '';
    const where = `${at} (${kind ?? '?'} "${id}")`;
    const fb = (field: string, message: string) => bad(`${where}: ${field}`, message);
    if (!(SITE_FEATURE_KINDS as readonly string[]).includes(kind)) return fb('properties.kind', `must be one of ${SITE_FEATURE_KINDS.join(', ')}`);
    if (!ID.test(id)) return fb('id', 'must be a lower-case id (a-z, 0-9, -), as the feature id or properties.id');
    if (seen.has(id)) return fb('id', `already used by ${seen.get(id)}`);
    seen.set(id, at);
    const g = f.geometry;
    const nm = mapName(p.name, `${where}: properties.name`, bad) ?? { en: id, 'zh-CN': id };
    const want = kind === 'building' || kind === 'area' ? 'Polygon' : kind === 'road' ? 'LineString' : 'Point';
    if (g.type !== want) return fb('geometry.type', `a ${kind} is a ${want}, not ${String(g.type)}`);
    const num = (field: string, lo: number, hi: number, dflt?: number): number | undefined => {
      const v = p[field] ?? dflt;
      if (!isNum(v) || v < lo || v > hi) {
        fb(`properties.${field}`, `must be a number from ${lo} to ${hi}${v === undefined ? ' (missing)' : `, is ${JSON.stringify(v)}`}`);
        return undefined;
      }
      return v;
    };
    if (want === 'Polygon') {
      const rings = g.coordinates;
      if (!Array.isArray(rings) || !Array.isArray(rings[0])) return fb('geometry.coordinates', 'must be [[ring]]');
      const ring = (rings[0] as unknown[]).map((c, k) => xy(c, `${where}: geometry.coordinates[0][${k}]`));
      if (ring.some((c) => !c)) return;
      const poly = ring as MapXy[];
      const last = poly[poly.length - 1];
      if (poly.length > 3 && last[0] === poly[0][0] && last[1] === poly[0][1]) poly.pop();
      const why = polygonProblem(poly);
      if (why) return fb('geometry.coordinates', why);
      if (kind === 'building') {
        const height = num('height', 1, 1000);
        const building = p.building;
        if (building !== undefined && (typeof building !== 'string' || (refs.buildings && !refs.buildings.has(building)))) {
          fb('properties.building', `unknown building "${String(building)}" (site config has: ${[...(refs.buildings ?? [])].join(', ') || 'none'})`);
        }
        let planOrigin: MapXy | undefined;
        if (p.planOrigin !== undefined) planOrigin = xyLocal(p.planOrigin, `${where}: properties.planOrigin`, bad);
        const planRotation = p.planRotation === undefined ? undefined : num('planRotation', -360, 360);
        if (height !== undefined) map.buildings.push({ id, name: nm, footprint: poly, height, ...(typeof building === 'string' ? { building } : {}), ...(planOrigin ? { planOrigin } : {}), ...(planRotation !== undefined ? { planRotation } : {}) });
      } else {
        const ak = p.areaKind ?? 'other';
        if (!(AREA_KINDS as readonly string[]).includes(ak as string)) return fb('properties.areaKind', `must be one of ${AREA_KINDS.join(', ')}`);
        map.areas.push({ id, name: nm, kind: ak as SiteMap['areas'][number]['kind'], polygon: poly, coverage: p.coverage !== false });
      }
      return;
    }
    if (want === 'LineString') {
      const coords = g.coordinates;
      if (!Array.isArray(coords) || coords.length < 2) return fb('geometry.coordinates', 'a road needs at least 2 positions');
      const line = coords.map((c, k) => xy(c, `${where}: geometry.coordinates[${k}]`));
      if (line.some((c) => !c)) return;
      const width = num('width', 1, 200);
      if (width !== undefined) map.roads.push({ id, name: nm, line: line as MapXy[], width, coverage: p.coverage !== false });
      return;
    }
    const pos = xy(g.coordinates, `${where}: geometry.coordinates`);
    if (!pos) return;
    if (kind === 'camera') {
      const height = num('height', 0, 300);
      const heading = num('heading', 0, 360);
      const fov = num('fov', 1, 360);
      const range = num('range', 1, 2000);
      const connection = p.connection;
      if (connection !== undefined && (typeof connection !== 'string' || (refs.connections && !refs.connections.has(connection)))) {
        fb('properties.connection', `unknown camera connection "${String(connection)}" (configured: ${[...(refs.connections ?? [])].join(', ') || 'none'})`);
      }
      const ptz = p.ptz === undefined ? undefined : parsePtz(p.ptz, `${where}: properties.ptz`, bad);
      if (height === undefined || heading === undefined || fov === undefined || range === undefined) return;
      map.cameras.push({ id, name: nm, at: pos, height, heading, fov, range, ...(typeof connection === 'string' ? { connection } : {}), ...(ptz ? { ptz } : {}) });
      return;
    }
    const device = p.device;
    if (device !== undefined && (typeof device !== 'string' || (refs.devices && !refs.devices.has(device)))) fb('properties.device', `unknown device "${String(device)}"`);
    if (p.zone !== undefined && typeof p.zone !== 'string') fb('properties.zone', 'must be a PA zone id');
    map.devices.push({ id, kind: kind as 'pa-horn' | 'gate' | 'intersection', name: nm, at: pos, ...(typeof device === 'string' ? { device } : {}), ...(typeof p.zone === 'string' ? { zone: p.zone } : {}) });
  });
  // A camera or device inside a footprint is drawn on the roof: say so (mount it on the façade, 0.5 m out).
  for (const c of [...map.cameras, ...map.devices]) {
    const b = map.buildings.find((b) => inPolygon(b.footprint, c.at[0], c.at[1]));
    if (b) bad(`${seen.get(c.id)} (${'heading' in c ? 'camera' : c.kind} "${c.id}"): geometry.coordinates`, `lies inside building "${b.id}"; outdoor devices stand outside footprints`);
  }
  return problems.length ? { map: undefined, problems } : { map, problems };
}

function xyLocal(v: unknown, path: string, bad: (p: string, m: string) => void): MapXy | undefined {
  if (Array.isArray(v) && v.length === 2 && isNum(v[0]) && isNum(v[1])) return [v[0], v[1]];
  bad(path, 'must be [x, y] in metres');
  return undefined;
}

function mapName(v: unknown, path: string, bad: (p: string, m: string) => void): MapName | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' && v) return { en: v, 'zh-CN': v };
  if (isObj(v) && typeof v.en === 'string' && typeof v['zh-CN'] === 'string') return { en: v.en, 'zh-CN': v['zh-CN'] };
  bad(path, 'must be a string or {en, zh-CN}');
  return undefined;
}

function parsePtz(v: unknown, path: string, bad: (p: string, m: string) => void): PtzGeometry | undefined {
  if (!isObj(v)) return void bad(path, 'must be {pan: [min, max], tilt?: [min, max], presets?: [...]}');
  const range = (r: unknown, field: string, lo: number, hi: number, dflt: [number, number]): [number, number] | undefined => {
    if (r === undefined) return dflt;
    if (Array.isArray(r) && r.length === 2 && isNum(r[0]) && isNum(r[1]) && r[0] < r[1] && r[0] >= lo && r[1] <= hi) return [r[0], r[1]];
    return void bad(`${path}.${field}`, `must be [min, max] degrees within ${lo}..${hi}, min < max`);
  };
  const pan = range(v.pan, 'pan', -360, 360, [-180, 180]);
  const tilt = range(v.tilt, 'tilt', -90, 90, [-90, 0]);
  const presets: PtzGeometry['presets'] = [];
  if (v.presets !== undefined && !Array.isArray(v.presets)) bad(`${path}.presets`, 'must be a list');
  const tokens = new Set<string>();
  (Array.isArray(v.presets) ? v.presets : []).forEach((p, i) => {
    const at = `${path}.presets[${i}]`;
    if (!isObj(p) || typeof p.token !== 'string' || !p.token || !isNum(p.pan)) return bad(at, 'must be {token, pan, tilt?, fov?, name?}');
    if (tokens.has(p.token)) return bad(`${at}.token`, `"${p.token}" is listed twice`);
    tokens.add(p.token);
    if (pan && (p.pan < pan[0] || p.pan > pan[1])) return bad(`${at}.pan`, `${p.pan} is outside the pan range ${pan[0]}..${pan[1]}`);
    if (p.fov !== undefined && (!isNum(p.fov) || p.fov <= 0 || p.fov > 360)) return bad(`${at}.fov`, 'must be degrees, 0 < fov ≤ 360');
    presets.push({ token: p.token, pan: p.pan, ...(typeof p.name === 'string' ? { name: p.name } : {}), ...(isNum(p.tilt) ? { tilt: p.tilt } : {}), ...(isNum(p.fov) ? { fov: p.fov } : {}) });
  });
  return pan && tilt ? { pan, tilt, presets } : undefined;
}
