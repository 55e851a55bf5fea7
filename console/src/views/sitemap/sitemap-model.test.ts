// The site-map view's pure parts: the SVG frame, alarms and guards at their place, the wording.
import { describe, expect, it } from 'vitest';
import type { SiteMap } from '../../../../contracts/sitemap.js';
import { coverageState, parseMapOptions, patrolMarks, percent, placeAlarms, svgPoints, viewBoxOf, type MapAlarm } from './sitemap-model.js';

const n = (s: string) => ({ en: s, 'zh-CN': s });
const map: SiteMap = {
  version: 1, site: 'hq', name: n('HQ'),
  buildings: [
    { id: 'tower-a', name: n('A'), footprint: [[20, 120], [80, 120], [80, 144], [20, 144]], height: 26, building: 'a', planOrigin: [20, 120] },
    { id: 'tower-b', name: n('B'), footprint: [[170, 120], [230, 120], [230, 144], [170, 144]], height: 30 },
  ],
  roads: [{ id: 'r', name: n('R'), line: [[-40, -20], [280, -20]], width: 16, coverage: true }],
  areas: [],
  cameras: [{ id: 'cam-1', name: n('C'), at: [136, -6], height: 4, heading: 0, fov: 80, range: 60, connection: 'cam-lobby' }],
  devices: [{ id: 'gate-south', kind: 'gate', name: n('Gate'), at: [130, -8], device: 'gate-contact-s' }],
};
const alarm = (id: string, pointId: string, priority: MapAlarm['priority'] = 'high'): MapAlarm => ({ id, pointId, priority, area: pointId.split('/').slice(1, 4).join('/'), state: 'unacknowledged', message: n(id) });

describe('site-map view model', () => {
  it('frames everything drawn with a margin, y flipped for SVG', () => {
    // The road's half-width (8 m) counts: x from -48 to 288, y from -28 to 144, plus 10 m.
    expect(viewBoxOf(map, 10)).toEqual({ x: -58, y: -154, w: 356, h: 192 });
    expect(svgPoints([[1, 2], [3.456, -4]])).toBe('1,-2 3.46,4');
  });

  it.each([
    ['a gate contact sits on its gate', 'hq/a/l01/lobby-101/gate-contact-s/state', [130, -8], 'device'],
    ['a camera event sits on the camera', 'hq/a/l01/lobby-101/cam-lobby/motion', [136, -6], 'device'],
    ['an indoor alarm sits in its building', 'hq/a/b1/pump-b101/leak-1/leak', [36, 125], 'building'],
  ] as const)('%s', (_n, pointId, at, place) => {
    const [p] = placeAlarms([alarm('x', pointId)], map);
    expect(p.place).toBe(place);
    expect(p.at[0]).toBeCloseTo(at[0], 6);
    expect(p.at[1]).toBeCloseTo(at[1], 6);
  });

  it('spreads several alarms of one building, most urgent first, and drops those with no place', () => {
    const placed = placeAlarms([alarm('low', 'hq/a/l01/r/d/p', 'low'), alarm('crit', 'hq/a/l02/r/d/p', 'critical'), alarm('nowhere', 'hq/zz/l01/r/d/p')], map);
    expect(placed.map((p) => p.id)).toEqual(['crit', 'low']);
    expect(placed[0].at).not.toEqual(placed[1].at);
  });

  it('puts guards at their last scan: plan metres by the building origin, site metres outdoors', () => {
    const runs = [
      { runId: 'r1', state: 'in_progress', last: { checkpoint: 'a-lobby', at: 0, by: 'guard1', area: 'a/l01/lobby-101', position: { x: 22, y: 5 } } },
      { runId: 'r2', state: 'in_progress', last: { checkpoint: 'gate', at: 0, by: 'guard2', area: 'site/gate-south', position: { x: 130, y: -8 } } },
      { runId: 'r3', state: 'done', last: { checkpoint: 'x', at: 0, by: 'g', area: 'a/l01/x', position: { x: 1, y: 1 } } },
      { runId: 'r4', state: 'in_progress' },
    ];
    expect(patrolMarks(runs, map, 120_000)).toEqual([
      { run: 'r1', by: 'guard1', checkpoint: 'a-lobby', at: [42, 125], ageMin: 2 },
      { run: 'r2', by: 'guard2', checkpoint: 'gate', at: [130, -8], ageMin: 2 },
    ]);
  });

  it.each([
    [1, '100.0%', 'ok'],
    [0.9999, '99.9%', 'ok'],
    [0.8475, '84.7%', 'short'],
    [0, '0.0%', 'short'],
  ] as const)('%d reads %s and is %s', (f, text, state) => {
    expect(percent(f)).toBe(text);
    expect(coverageState(f)).toBe(state);
  });

  it.each([
    ['#/sitemap', { kiosk: false, cones: true, blind: true }],
    ['#/sitemap?kiosk=1&cones=0', { kiosk: true, cones: false, blind: true }],
    ['#/sitemap?blind=0', { kiosk: false, cones: true, blind: false }],
  ])('options of %s', (hash, want) => {
    expect(parseMapOptions(hash)).toEqual(want);
  });
});
