// Offline import of a site map (scripts/sitemap-import.ts): an OpenStreetMap extract (.osm XML as
// JOSM or the OSM website's Export writes it) or a GeoJSON drawing in WGS-84 (QGIS, geojson.io),
// turned into a site-map FeatureCollection in the local metric frame about an origin. No tiles and
// no network. OSM tags decide the kind: building=*, highway=*, amenity=parking, place=square /
// area:highway, man_made=surveillance, barrier=gate|lift_gate, highway=traffic_signals,
// and a drawing may carry `kind` itself. Pure: the script reads and writes the files.
import { lonLatToLocal } from './validate.js';

type P = [number, number];
type Tags = Record<string, string>;
export interface ImportedFeature { type: 'Feature'; id: string; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }

export interface OsmData {
  nodes: Map<string, { lon: number; lat: number; tags: Tags }>;
  ways: Array<{ id: string; refs: string[]; tags: Tags }>;
}

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}=("([^"]*)"|'([^']*)')`).exec(tag);
  return m ? unescape(m[2] ?? m[3] ?? '') : undefined;
};

/** A small OSM XML reader: nodes, ways and their tags (relations are not imported). */
export function parseOsmXml(xml: string): OsmData {
  const nodes: OsmData['nodes'] = new Map();
  const ways: OsmData['ways'] = [];
  const re = /<(node|way)\b([^>]*?)(\/>|>([\s\S]*?)<\/\1>)/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const [, kind, head, , body = ''] = m;
    const id = attr(head, 'id') ?? '';
    const tags: Tags = {};
    for (const t of body.matchAll(/<tag\b([^>]*)\/>/g)) {
      const k = attr(t[1], 'k');
      const v = attr(t[1], 'v');
      if (k !== undefined && v !== undefined) tags[k] = v;
    }
    if (kind === 'node') nodes.set(id, { lon: Number(attr(head, 'lon')), lat: Number(attr(head, 'lat')), tags });
    else ways.push({ id, refs: [...body.matchAll(/<nd\b[^>]*ref="([^"]+)"/g)].map((r) => r[1]), tags });
  }
  return { nodes, ways };
}

const ROAD_WIDTH: Record<string, number> = { motorway: 24, trunk: 20, primary: 16, secondary: 14, tertiary: 12, residential: 8, unclassified: 8, service: 6, living_street: 6, pedestrian: 6, footway: 3, path: 2, cycleway: 3 };
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x';

function nameOf(tags: Tags, fallback: string) {
  const en = tags['name:en'] ?? tags.name ?? fallback;
  return { en, 'zh-CN': tags['name:zh'] ?? tags.name ?? en };
}

/** What a set of OSM-style tags is on the site map, with its properties; undefined = not imported. */
export function classify(tags: Tags, geometry: 'point' | 'line' | 'polygon'): { kind: string; props: Record<string, unknown> } | undefined {
  if (tags.kind) return { kind: tags.kind, props: {} };
  if (geometry === 'polygon' && tags.building) {
    const levels = Number(tags['building:levels']);
    const height = Number.parseFloat(tags.height ?? '') || (Number.isFinite(levels) && levels > 0 ? levels * 3.5 : 10);
    return { kind: 'building', props: { height } };
  }
  if (geometry === 'polygon' && (tags.amenity === 'parking' || tags.landuse === 'garages')) return { kind: 'area', props: { areaKind: 'car-park' } };
  if (geometry === 'polygon' && (tags.place === 'square' || tags['area:highway'] === 'pedestrian' || (tags.highway === 'pedestrian' && tags.area === 'yes'))) return { kind: 'area', props: { areaKind: 'plaza' } };
  if (geometry === 'polygon' && (tags.leisure === 'park' || tags.landuse === 'grass')) return { kind: 'area', props: { areaKind: 'green', coverage: false } };
  if (geometry === 'line' && tags.highway && ROAD_WIDTH[tags.highway] !== undefined) return { kind: 'road', props: { width: Number.parseFloat(tags.width ?? '') || ROAD_WIDTH[tags.highway] } };
  if (geometry === 'point' && tags.man_made === 'surveillance' && (tags['surveillance:type'] ?? 'camera') === 'camera') {
    const dir = Number(tags['camera:direction']);
    const dome = tags['camera:type'] === 'dome' || tags['camera:type'] === 'panning';
    return { kind: 'camera', props: { height: Number.parseFloat(tags.height ?? '') || 6, heading: Number.isFinite(dir) ? ((dir % 360) + 360) % 360 : 0, fov: dome ? 360 : Number(tags['camera:angle']) || 60, range: 60 } };
  }
  if (geometry === 'point' && (tags.barrier === 'gate' || tags.barrier === 'lift_gate')) return { kind: 'gate', props: {} };
  if (geometry === 'point' && tags.highway === 'traffic_signals') return { kind: 'intersection', props: {} };
  if (geometry === 'point' && tags.amenity === 'loudspeaker') return { kind: 'pa-horn', props: {} };
  return undefined;
}

export interface ImportOptions {
  site: string;
  name?: { en: string; 'zh-CN': string };
  /** Origin of the local frame; default the centre of everything imported. */
  origin?: { lat: number; lon: number };
}

export interface ImportResult {
  collection: { type: 'FeatureCollection'; watchfloor: Record<string, unknown>; features: ImportedFeature[] };
  skipped: number;
}

/** Features in lon/lat with their tags, from either source, before projection. */
interface Raw { id: string; tags: Tags; geometry: 'point' | 'line' | 'polygon'; coords: P[] }

export function rawFromOsm(osm: OsmData): Raw[] {
  const out: Raw[] = [];
  for (const w of osm.ways) {
    const coords = w.refs.map((r) => osm.nodes.get(r)).filter((n): n is NonNullable<typeof n> => !!n).map((n): P => [n.lon, n.lat]);
    if (coords.length < 2) continue;
    const closed = w.refs.length > 3 && w.refs[0] === w.refs[w.refs.length - 1];
    const area = closed && (w.tags.area === 'yes' || !w.tags.highway || w.tags['area:highway'] !== undefined);
    out.push({ id: `w${w.id}`, tags: w.tags, geometry: area ? 'polygon' : 'line', coords: area ? coords.slice(0, -1) : coords });
  }
  for (const [id, n] of osm.nodes) if (Object.keys(n.tags).length) out.push({ id: `n${id}`, tags: n.tags, geometry: 'point', coords: [[n.lon, n.lat]] });
  return out;
}

export function rawFromGeoJson(fc: { features?: Array<{ id?: string | number; geometry?: { type: string; coordinates: any }; properties?: Record<string, unknown> | null }> }): Raw[] {
  const out: Raw[] = [];
  (fc.features ?? []).forEach((f, i) => {
    const g = f.geometry;
    if (!g) return;
    const tags: Tags = {};
    for (const [k, v] of Object.entries(f.properties ?? {})) if (typeof v === 'string' || typeof v === 'number') tags[k] = String(v);
    const id = String(f.id ?? f.properties?.id ?? `f${i}`);
    if (g.type === 'Point') out.push({ id, tags, geometry: 'point', coords: [g.coordinates] });
    else if (g.type === 'LineString') out.push({ id, tags, geometry: 'line', coords: g.coordinates });
    else if (g.type === 'Polygon') {
      const ring = g.coordinates[0] as P[];
      out.push({ id, tags, geometry: 'polygon', coords: ring.length > 3 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1] ? ring.slice(0, -1) : ring });
    }
  });
  return out;
}

/** Classifies, projects about the origin (metres, 2 decimals) and names the features. */
export function buildSiteMap(raws: readonly Raw[], opts: ImportOptions): ImportResult {
  const all = raws.flatMap((r) => r.coords);
  const origin = opts.origin ?? (all.length ? { lon: (Math.min(...all.map((p) => p[0])) + Math.max(...all.map((p) => p[0]))) / 2, lat: (Math.min(...all.map((p) => p[1])) + Math.max(...all.map((p) => p[1]))) / 2 } : { lat: 0, lon: 0 });
  const features: ImportedFeature[] = [];
  const ids = new Set<string>();
  let skipped = 0;
  for (const r of raws) {
    const c = classify(r.tags, r.geometry);
    if (!c) {
      skipped++;
      continue;
    }
    const base = slug(r.tags.ref ?? r.tags['name:en'] ?? (r.tags.name && /^[\x20-\x7e]+$/.test(r.tags.name) ? r.tags.name : `${c.kind}-${r.id}`));
    let id = base;
    for (let k = 2; ids.has(id); k++) id = `${base}-${k}`;
    ids.add(id);
    const xy = r.coords.map(([lon, lat]) => lonLatToLocal(origin, lon, lat));
    const geometry = r.geometry === 'point' ? { type: 'Point', coordinates: xy[0] } : r.geometry === 'line' ? { type: 'LineString', coordinates: xy } : { type: 'Polygon', coordinates: [[...xy, xy[0]]] };
    const props: Record<string, unknown> = { kind: c.kind, name: nameOf(r.tags, id), ...c.props };
    // A drawing that already speaks the site-map properties keeps them.
    for (const k of ['height', 'heading', 'fov', 'range', 'width', 'areaKind', 'building', 'connection', 'device', 'zone']) {
      if (r.tags[k] === undefined || !r.tags.kind) continue;
      const v = r.tags[k];
      props[k] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
    }
    features.push({ type: 'Feature', id, geometry, properties: props });
  }
  return {
    collection: { type: 'FeatureCollection', watchfloor: { version: 1, site: opts.site, name: opts.name ?? { en: opts.site, 'zh-CN': opts.site }, frame: 'local', origin }, features },
    skipped,
  };
}
