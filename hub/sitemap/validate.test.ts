// The site-map file format: every problem named by feature and field, the WGS-84 projection, the
// demo file being what demo.ts draws, and `npm run check-config` (validateConfigFolder) refusing a
// broken map with the file, the feature and the field.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/errors.js';
import { validateConfigFolder } from '../config/validate.js';
import { CoverageModel } from './coverage.js';
import { demoSiteMap } from './demo.js';
import { formatSiteMap } from './format.js';
import { localToLonLat, lonLatToLocal, parseSiteMap } from './validate.js';

const CONFIG = path.resolve(__dirname, '../../config');
const name = { en: 'x', 'zh-CN': 'x' };
const fc = (features: unknown[], head: Record<string, unknown> = {}) => ({ type: 'FeatureCollection', watchfloor: { version: 1, site: 'hq', name, frame: 'local', ...head }, features });
const camera = (props: Record<string, unknown>, at: unknown = [50, 50], id = 'cam-1') => ({ type: 'Feature', id, geometry: { type: 'Point', coordinates: at }, properties: { kind: 'camera', name, height: 6, heading: 90, fov: 60, range: 50, ...props } });
const footprint = { type: 'Feature', id: 'b', geometry: { type: 'Polygon', coordinates: [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]] }, properties: { kind: 'building', name, height: 10 } };

describe('parseSiteMap', () => {
  it.each([
    ['not a FeatureCollection', { type: 'Feature' }, 'type', 'FeatureCollection'],
    ['no watchfloor header', { type: 'FeatureCollection', features: [] }, 'watchfloor', 'missing'],
    ['wrong site', fc([], { site: 'other' }), 'watchfloor.site', 'site config'],
    ['wgs84 without origin', fc([], { frame: 'wgs84' }), 'watchfloor.origin', 'origin'],
    ['unknown kind', fc([{ type: 'Feature', id: 'x', geometry: { type: 'Point', coordinates: [0, 0] }, properties: { kind: 'tree' } }]), 'features[0] (tree "x"): properties.kind', 'one of'],
    ['bad id', fc([camera({}, [50, 50], 'Cam 1')]), 'features[0] (camera "Cam 1"): id', 'lower-case'],
    ['fov out of range', fc([camera({ fov: 0 })]), 'features[0] (camera "cam-1"): properties.fov', 'from 1 to 360'],
    ['missing range', fc([camera({ range: undefined })]), 'features[0] (camera "cam-1"): properties.range', 'missing'],
    ['camera as a polygon', fc([{ ...camera({}), geometry: { type: 'Polygon', coordinates: [] } }]), 'features[0] (camera "cam-1"): geometry.type', 'Point'],
    ['bad position', fc([camera({}, [1])]), 'features[0] (camera "cam-1"): geometry.coordinates', 'position'],
    ['duplicate id', fc([camera({}), camera({})]), 'features[1] (camera "cam-1"): id', 'already used by features[0]'],
    ['self-crossing footprint', fc([{ ...footprint, geometry: { type: 'Polygon', coordinates: [[[0, 0], [10, 10], [10, 0], [0, 10]]] } }]), 'features[0] (building "b"): geometry.coordinates', 'self-intersecting'],
    ['camera inside a building', fc([footprint, camera({}, [5, 5])]), 'features[1] (camera "cam-1"): geometry.coordinates', 'inside building "b"'],
    ['preset outside the pan range', fc([camera({ ptz: { pan: [-90, 90], presets: [{ token: 'a', pan: 120 }] } })]), 'features[0] (camera "cam-1"): properties.ptz.presets[0].pan', 'outside the pan range'],
    ['preset twice', fc([camera({ ptz: { pan: [-90, 90], presets: [{ token: 'a', pan: 1 }, { token: 'a', pan: 2 }] } })]), 'properties.ptz.presets[1].token', 'twice'],
    ['road too narrow', fc([{ type: 'Feature', id: 'r', geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] }, properties: { kind: 'road', name, width: 0 } }]), 'features[0] (road "r"): properties.width', 'from 1'],
    ['unknown area kind', fc([{ type: 'Feature', id: 'a', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1]]] }, properties: { kind: 'area', name, areaKind: 'swamp' } }]), 'properties.areaKind', 'car-park'],
  ] as Array<[string, unknown, string, string]>)('refuses %s', (_n, raw, where, says) => {
    const { map, problems } = parseSiteMap(raw, { site: 'hq' });
    expect(map).toBeUndefined();
    expect(problems.find((p) => p.path === where || p.path.endsWith(where))?.message ?? JSON.stringify(problems)).toContain(says);
  });

  it.each([
    ['connection', { connection: 'cam-nope' }, 'unknown camera connection "cam-nope"'],
  ])('checks the %s against the site config', (_n, props, says) => {
    const { problems } = parseSiteMap(fc([camera(props)]), { site: 'hq', connections: new Set(['cam-lobby']) });
    expect(problems[0]).toMatchObject({ path: 'features[0] (camera "cam-1"): properties.connection' });
    expect(problems[0].message).toContain(says);
  });

  it('reads a WGS-84 drawing, projecting about the origin (metres within a centimetre)', () => {
    const origin = { lat: 30.2741, lon: 120.1551 };
    const ll = localToLonLat(origin, [120, -45]);
    const { map, problems } = parseSiteMap(fc([camera({}, ll)], { frame: 'wgs84', origin }));
    expect(problems).toEqual([]);
    expect(map!.cameras[0].at[0]).toBeCloseTo(120, 1);
    expect(map!.cameras[0].at[1]).toBeCloseTo(-45, 1);
    expect(lonLatToLocal(origin, origin.lon, origin.lat)).toEqual([0, 0]);
  });

  it('the demo map is what demo.ts draws, parses cleanly and has the demo campus', () => {
    expect(readFileSync(path.join(CONFIG, 'sitemap.geojson'), 'utf8')).toBe(formatSiteMap(demoSiteMap()));
    const { map, problems } = parseSiteMap(demoSiteMap(), { site: 'hq', buildings: new Set(['a']) });
    expect(problems).toEqual([]);
    expect(map!.buildings.map((b) => b.id)).toEqual(expect.arrayContaining(['tower-a', 'tower-b', 'conference']));
    expect(map!.areas.map((a) => a.id)).toEqual(expect.arrayContaining(['car-park', 'plaza']));
    expect(map!.devices.filter((d) => d.kind === 'intersection')).toHaveLength(4);
    expect(map!.cameras.length).toBeGreaterThanOrEqual(16);
    expect(map!.devices.filter((d) => d.kind === 'pa-horn').length).toBeGreaterThanOrEqual(3);
    expect(map!.devices.filter((d) => d.kind === 'gate').length).toBeGreaterThanOrEqual(2);
    // Honest figure, not a claim: the demo has blind spots.
    const rep = new CoverageModel(map!).report();
    expect(rep.overall.fraction).toBeGreaterThan(0.5);
    expect(rep.blindSpots.length).toBeGreaterThan(0);
  });
});

describe('check-config', () => {
  it('passes the demo config with its site map', () => {
    expect(() => validateConfigFolder(CONFIG)).not.toThrow();
  });
  it('refuses a broken site map naming the file, the feature and the field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wf-sitemap-cfg-'));
    cpSync(CONFIG, dir, { recursive: true });
    const raw = demoSiteMap();
    const i = raw.features.findIndex((f) => f.id === 'cam-gate-s');
    raw.features[i].properties.fov = 500;
    raw.features[0].properties.building = 'zz';
    writeFileSync(path.join(dir, 'sitemap.geojson'), formatSiteMap(raw));
    let err: unknown;
    try {
      validateConfigFolder(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const text = (err as Error).message;
    expect(text).toContain(`sitemap.geojson: features[${i}] (camera "cam-gate-s"): properties.fov: must be a number from 1 to 360, is 500`);
    expect(text).toContain('features[0] (building "tower-a"): properties.building: unknown building "zz"');
  });
});
