// Offline import: an OSM XML extract and a WGS-84 GeoJSON drawing become a site map the hub takes.
import { describe, expect, it } from 'vitest';
import { buildSiteMap, classify, parseOsmXml, rawFromGeoJson, rawFromOsm } from './import.js';
import { localToLonLat, parseSiteMap } from './validate.js';

const O = { lat: 30.2741, lon: 120.1551 };
const ll = (x: number, y: number) => localToLonLat(O, [x, y]);
const node = (id: number, x: number, y: number, tags = '') => {
  const [lon, lat] = ll(x, y);
  return `<node id="${id}" lat="${lat}" lon="${lon}" version="1">${tags}</node>`;
};
const tag = (k: string, v: string) => `<tag k="${k}" v="${v}"/>`;

const OSM = `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="JOSM">
  ${node(1, 0, 0)}${node(2, 40, 0)}${node(3, 40, 20)}${node(4, 0, 20)}
  ${node(5, -20, -10)}${node(6, 80, -10)}
  ${node(7, 50, 5, tag('man_made', 'surveillance') + tag('surveillance:type', 'camera') + tag('camera:direction', '270') + tag('height', '5'))}
  ${node(8, 60, -10, tag('barrier', 'lift_gate') + tag('name', 'South gate'))}
  ${node(9, -20, -10, tag('highway', 'traffic_signals'))}
  ${node(10, 50, 30)}${node(11, 70, 30)}${node(12, 70, 50)}${node(13, 50, 50)}
  <way id="100">${[1, 2, 3, 4, 1].map((r) => `<nd ref="${r}"/>`).join('')}${tag('building', 'office')}${tag('building:levels', '6')}${tag('name', '市政大楼')}${tag('name:en', 'City Hall')}</way>
  <way id="101"><nd ref="5"/><nd ref="6"/>${tag('highway', 'secondary')}${tag('name', 'Renmin Road &amp; more')}</way>
  <way id="102">${[10, 11, 12, 13, 10].map((r) => `<nd ref="${r}"/>`).join('')}${tag('amenity', 'parking')}</way>
  <way id="103"><nd ref="1"/><nd ref="999"/></way>
</osm>`;

describe('sitemap import', () => {
  it('reads an OSM extract: buildings, roads, parking, cameras, gates, signals; metres about the origin', () => {
    const osm = parseOsmXml(OSM);
    expect(osm.ways).toHaveLength(4);
    const { collection, skipped } = buildSiteMap(rawFromOsm(osm), { site: 'hq', origin: O });
    const byKind = (k: string) => collection.features.filter((f) => f.properties.kind === k);
    expect(byKind('building')).toHaveLength(1);
    expect(byKind('building')[0]).toMatchObject({ id: 'city-hall', properties: { height: 21, name: { en: 'City Hall', 'zh-CN': '市政大楼' } } });
    expect(byKind('road')[0].properties).toMatchObject({ width: 14, name: { en: 'Renmin Road & more' } });
    expect(byKind('area')[0].properties).toMatchObject({ areaKind: 'car-park' });
    expect(byKind('camera')[0].properties).toMatchObject({ heading: 270, height: 5, fov: 60 });
    expect(byKind('gate')[0].id).toBe('south-gate');
    expect(byKind('intersection')).toHaveLength(1);
    expect(skipped).toBe(0); // the way with a missing node (999) is dropped as unreadable, not counted
    const cam = byKind('camera')[0].geometry.coordinates as number[];
    expect(cam[0]).toBeCloseTo(50, 1);
    expect(cam[1]).toBeCloseTo(5, 1);
    const { problems } = parseSiteMap(collection, { site: 'hq' });
    expect(problems).toEqual([]);
  });

  it('reads a WGS-84 drawing; features drawn with site-map properties keep them', () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { kind: 'camera', id: 'cam-x', heading: 45, fov: 90, range: 70, height: 7 }, geometry: { type: 'Point', coordinates: ll(10, 10) } },
        { type: 'Feature', properties: { highway: 'residential', name: 'Lane' }, geometry: { type: 'LineString', coordinates: [ll(0, 0), ll(0, 100)] } },
        { type: 'Feature', properties: { building: 'yes' }, geometry: { type: 'Polygon', coordinates: [[ll(20, 20), ll(30, 20), ll(30, 30), ll(20, 20)]] } },
        { type: 'Feature', properties: { natural: 'tree' }, geometry: { type: 'Point', coordinates: ll(1, 1) } },
      ],
    };
    const { collection, skipped } = buildSiteMap(rawFromGeoJson(fc), { site: 'hq', origin: O });
    expect(skipped).toBe(1);
    expect(collection.features.map((f) => f.properties.kind)).toEqual(['camera', 'road', 'building']);
    expect(collection.features[0].properties).toMatchObject({ heading: 45, fov: 90, range: 70, height: 7 });
    expect(parseSiteMap(collection).problems).toEqual([]);
  });

  it.each([
    [{ highway: 'primary' }, 'line', 'road'],
    [{ highway: 'primary' }, 'point', undefined],
    [{ place: 'square' }, 'polygon', 'area'],
    [{ man_made: 'surveillance', 'camera:type': 'dome' }, 'point', 'camera'],
    [{ amenity: 'loudspeaker' }, 'point', 'pa-horn'],
    [{ shop: 'bakery' }, 'point', undefined],
  ] as const)('classifies %j as a %s → %s', (tags, geom, kind) => {
    expect(classify(tags as Record<string, string>, geom)?.kind).toBe(kind);
  });
});
