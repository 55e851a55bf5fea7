// The demo campus as a GeoJSON FeatureCollection (config/sitemap.geojson is generated from this:
// `npx tsx hub/sitemap/gen-demo.ts`). A block of about 240 m × 180 m between four streets, with
// Tower A (its floor plans placed at planOrigin), Tower B, the conference center, the surface car
// park, the plaza, a drive through two gates, and the four corner intersections. 17 outdoor
// cameras, each streaming as the connection of the same id (config/devices/cameras.yaml); the
// simulator serves them on demand, so they cost nothing until watched (see docs/sitemap.md).

type P = [number, number];
type Name = { en: string; 'zh-CN': string };
interface Feature { type: 'Feature'; id: string; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }

const rect = (x0: number, y0: number, x1: number, y1: number): P[] => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const n = (en: string, zh: string): Name => ({ en, 'zh-CN': zh });

function building(id: string, name: Name, ring: P[], height: number, extra: Record<string, unknown> = {}): Feature {
  return { type: 'Feature', id, geometry: { type: 'Polygon', coordinates: [ring] }, properties: { kind: 'building', name, height, ...extra } };
}
function area(id: string, name: Name, areaKind: string, ring: P[], coverage = true): Feature {
  return { type: 'Feature', id, geometry: { type: 'Polygon', coordinates: [ring] }, properties: { kind: 'area', name, areaKind, coverage } };
}
function road(id: string, name: Name, line: P[], width: number): Feature {
  return { type: 'Feature', id, geometry: { type: 'LineString', coordinates: line }, properties: { kind: 'road', name, width } };
}
function point(kind: string, id: string, name: Name, at: P, props: Record<string, unknown> = {}): Feature {
  return { type: 'Feature', id, geometry: { type: 'Point', coordinates: at }, properties: { kind, name, ...props } };
}

/** A corner dome: pans all round, one preset up each street arm. */
function dome(id: string, name: Name, at: P, heading: number, arms: Array<[string, number]>): Feature {
  return point('camera', id, name, at, {
    height: 8, heading, fov: 50, range: 130, connection: id,
    ptz: { pan: [-180, 180], tilt: [-90, 0], presets: arms.map(([token, bearing]) => ({ token, name: token, pan: ((bearing - heading + 540) % 360) - 180, tilt: -8 })) },
  });
}
function fixed(id: string, name: Name, at: P, heading: number, fov: number, range: number, height = 6): Feature {
  return point('camera', id, name, at, { height, heading, fov, range, connection: id });
}

export function demoSiteMap(): { type: 'FeatureCollection'; watchfloor: Record<string, unknown>; features: Feature[] } {
  const f: Feature[] = [
    building('tower-a', n('Tower A', 'A座'), rect(20, 120, 80, 144), 26, { building: 'a', planOrigin: [20, 120], planRotation: 0 }),
    building('tower-b', n('Tower B', 'B座'), rect(170, 120, 230, 144), 30),
    building('conference', n('Conference center', '会议中心'), rect(20, 20, 90, 70), 15),
    building('guard-south', n('South gatehouse', '南门岗亭'), rect(138, 2, 144, 8), 3),
    area('car-park', n('Car park', '停车场'), 'car-park', rect(150, 15, 245, 80)),
    area('plaza', n('Front plaza', '前广场'), 'plaza', rect(88, 88, 124, 170)),
    area('lawn', n('Lawn', '草坪'), 'green', rect(20, 80, 80, 112), false),
    road('road-north', n('Zhongshan Road', '中山路'), [[-40, 200], [280, 200]], 16),
    road('road-south', n('Renmin Road', '人民路'), [[-40, -20], [280, -20]], 16),
    road('road-west', n('Jianshe Street', '建设街'), [[-20, -40], [-20, 220]], 14),
    road('road-east', n('Wenhua Street', '文化街'), [[260, -40], [260, 220]], 14),
    road('drive', n('Campus drive', '园区内道路'), [[130, -12], [130, 192]], 8),
    road('drive-east', n('Car park lane', '停车场车道'), [[134, 100], [252, 100]], 7),
    ...([[-20, -20, 'sw', '西南'], [260, -20, 'se', '东南'], [-20, 200, 'nw', '西北'], [260, 200, 'ne', '东北']] as const).map(([x, y, k, zh]) =>
      point('intersection', `x-${k}`, n(`${k.toUpperCase()} intersection`, `${zh}路口`), [x, y])),
    // Corner poles: a dome watching one street from the junction and a fixed camera down the other,
    // turned so that each street is seen from both of its ends.
    dome('cam-x-sw-ptz', n('SW junction dome', '西南路口球机'), [-10, -10], 2, [['west-street', 2], ['south-road', 92], ['junction', 225]]),
    fixed('cam-x-sw-fix', n('SW junction, Renmin Road east', '西南路口人民路东向'), [-32, -32], 84, 40, 160),
    dome('cam-x-se-ptz', n('SE junction dome', '东南路口球机'), [250, -10], 268, [['east-street', 358], ['south-road', 268], ['junction', 135]]),
    fixed('cam-x-se-fix', n('SE junction, Wenhua Street north', '东南路口文化街北向'), [272, -32], 354, 40, 160),
    dome('cam-x-nw-ptz', n('NW junction dome', '西北路口球机'), [-10, 190], 88, [['west-street', 182], ['north-road', 88], ['junction', 315]]),
    fixed('cam-x-nw-fix', n('NW junction, Jianshe Street south', '西北路口建设街南向'), [-32, 212], 174, 40, 160),
    dome('cam-x-ne-ptz', n('NE junction dome', '东北路口球机'), [250, 190], 182, [['east-street', 182], ['north-road', 272], ['junction', 45]]),
    fixed('cam-x-ne-fix', n('NE junction, Zhongshan Road west', '东北路口中山路西向'), [272, 212], 264, 40, 160),
    // Mid-block street cameras, looking back towards the junction the corner dome does not watch.
    fixed('cam-n-mid', n('Zhongshan Road mid-block', '中山路中段'), [120, 190], 80, 60, 110),
    fixed('cam-s-mid', n('Renmin Road mid-block', '人民路中段'), [120, -10], 260, 60, 110),
    fixed('cam-w-mid', n('Jianshe Street mid-block', '建设街中段'), [-10, 90], 350, 60, 110),
    fixed('cam-e-mid', n('Wenhua Street mid-block', '文化街中段'), [250, 90], 170, 60, 110),
    // Gates, plaza and car park.
    fixed('cam-gate-s', n('South gate', '南门'), [136, -6], 0, 80, 90, 4),
    fixed('cam-gate-n', n('North gate', '北门'), [136, 186], 180, 80, 90, 4),
    dome('cam-plaza', n('Plaza dome', '广场球机'), [126, 116], 300, [['plaza-north', 330], ['plaza-south', 220], ['tower-a', 280]]),
    fixed('cam-park-sw', n('Car park south-west', '停车场西南'), [148, 13], 45, 90, 80),
    fixed('cam-park-ne', n('Car park north-east', '停车场东北'), [247, 104], 235, 100, 110),
    point('pa-horn', 'horn-plaza', n('Plaza horn', '广场号角'), [106, 172], { zone: 'plaza' }),
    point('pa-horn', 'horn-car-park', n('Car park horn', '停车场号角'), [198, 84], { zone: 'car-park' }),
    point('pa-horn', 'horn-gate-s', n('South gate horn', '南门号角'), [122, -6], { zone: 'plaza' }),
    point('pa-horn', 'horn-gate-n', n('North gate horn', '北门号角'), [122, 186], { zone: 'plaza' }),
    point('gate', 'gate-south', n('South gate barrier', '南门道闸'), [130, -8], { device: 'gate-south' }),
    point('gate', 'gate-north', n('North gate barrier', '北门道闸'), [130, 188], { device: 'gate-north' }),
    point('gate', 'gate-car-park', n('Car park barrier', '停车场道闸'), [148, 100], { device: 'gate-car-park' }),
  ];
  return {
    type: 'FeatureCollection',
    watchfloor: { version: 1, site: 'hq', name: n('Municipal Administrative Center', '市行政中心'), frame: 'local', origin: { lat: 30.2741, lon: 120.1551 } },
    features: f,
  };
}
