// Pure helpers of the site-map view: the SVG frame (map y runs north, SVG y runs down), where an
// alarm or a guard sits on the map, and the figures' wording. No DOM here (sitemap-model.test.ts).
import type { AlarmPriority } from '../../../../contracts/alarms.js';
import { planToMap, type MapXy, type SiteMap } from '../../../../contracts/sitemap.js';

export interface ViewBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Bounds of everything drawn, plus a margin, in SVG coordinates (x, -y). */
export function viewBoxOf(map: SiteMap, margin = 10): ViewBox {
  const pts: MapXy[] = [
    ...map.buildings.flatMap((b) => b.footprint),
    ...map.areas.flatMap((a) => a.polygon),
    ...map.roads.flatMap((r) => r.line.flatMap(([x, y]): MapXy[] => [[x - r.width / 2, y - r.width / 2], [x + r.width / 2, y + r.width / 2]])),
    ...map.cameras.map((c) => c.at),
    ...map.devices.map((d) => d.at),
  ];
  if (!pts.length) return { x: 0, y: -100, w: 100, h: 100 };
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const x0 = Math.min(...xs) - margin;
  const x1 = Math.max(...xs) + margin;
  const y0 = Math.min(...ys) - margin;
  const y1 = Math.max(...ys) + margin;
  return { x: x0, y: -y1, w: x1 - x0, h: y1 - y0 };
}

/** SVG `points` attribute of a map polygon. */
export function svgPoints(poly: readonly MapXy[]): string {
  return poly.map(([x, y]) => `${round(x)},${round(-y)}`).join(' ');
}

const round = (v: number) => Math.round(v * 100) / 100;

export function centre(poly: readonly MapXy[]): MapXy {
  const n = poly.length || 1;
  return [poly.reduce((s, p) => s + p[0], 0) / n, poly.reduce((s, p) => s + p[1], 0) / n];
}

export interface MapAlarm {
  id: string;
  pointId: string;
  priority: AlarmPriority;
  area: string;
  state: string;
  message: { en: string; 'zh-CN': string };
}

export interface PlacedAlarm extends MapAlarm {
  at: MapXy;
  /** Where it was placed: an outdoor device on the map, or inside a building's footprint. */
  place: 'device' | 'building';
}

const PRIORITY_ORDER: Record<AlarmPriority, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/**
 * Alarms at their place: a device drawn on the map (gate contact, camera) puts it there; otherwise
 * the building of its area, spread on a small grid over the footprint so several stay apart.
 * Alarms with no place on the map (building not drawn) are left out.
 */
export function placeAlarms(alarms: readonly MapAlarm[], map: SiteMap): PlacedAlarm[] {
  const perBuilding = new Map<string, number>();
  const out: PlacedAlarm[] = [];
  const sorted = [...alarms].sort((a, b) => PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] || a.id.localeCompare(b.id));
  for (const a of sorted) {
    const equipment = a.pointId.split('/')[4];
    const dev = equipment ? map.devices.find((d) => d.device === equipment || d.id === equipment) ?? map.cameras.find((c) => c.id === equipment || c.connection === equipment) : undefined;
    if (dev) {
      out.push({ ...a, at: dev.at, place: 'device' });
      continue;
    }
    const b = map.buildings.find((x) => x.building === a.area.split('/')[0]);
    if (!b) continue;
    const k = perBuilding.get(b.id) ?? 0;
    perBuilding.set(b.id, k + 1);
    const [cx, cy] = centre(b.footprint);
    // A row under the building's name (drawn at its centre), five to a row.
    const col = (k % 5) - 2;
    const row = Math.floor(k / 5) % 2;
    out.push({ ...a, at: [cx + col * 7, cy - 7 - row * 7], place: 'building' });
  }
  return out;
}

export interface PatrolMark {
  run: string;
  by: string;
  checkpoint: string;
  at: MapXy;
  ageMin: number;
}

/**
 * Guards at their last scan: a checkpoint's position is in its building's plan metres (placed by
 * the building's planOrigin) or, for `site/<place>` areas, in map metres already.
 */
export function patrolMarks(
  runs: ReadonlyArray<{ runId: string; state: string; last?: { checkpoint: string; at: number; by: string; area: string; position?: { x: number; y: number } } }>,
  map: SiteMap,
  now: number,
): PatrolMark[] {
  const out: PatrolMark[] = [];
  for (const r of runs) {
    const last = r.last;
    if (r.state !== 'in_progress' || !last?.position) continue;
    const [first] = last.area.split('/');
    const p: MapXy = [last.position.x, last.position.y];
    let at: MapXy | undefined;
    if (first === 'site') at = p;
    else {
      const b = map.buildings.find((x) => x.building === first);
      if (b) at = planToMap(b, p);
    }
    if (at) out.push({ run: r.runId, by: last.by, checkpoint: last.checkpoint, at, ageMin: Math.max(0, Math.round((now - last.at) / 60_000)) });
  }
  return out;
}

export function percent(fraction: number): string {
  return `${(Math.floor(fraction * 1000) / 10).toFixed(1)}%`;
}

/** A coverage figure below `target` is abnormal (ISA-101: colour only then). */
export function coverageState(fraction: number, target = 0.95): 'ok' | 'short' {
  return fraction >= target ? 'ok' : 'short';
}

/** The map's URL options: `#/sitemap?kiosk=1&cones=0&blind=0`. */
export function parseMapOptions(hash: string): { kiosk: boolean; cones: boolean; blind: boolean } {
  const q = new URLSearchParams(hash.split('?')[1] ?? '');
  return { kiosk: q.get('kiosk') === '1', cones: q.get('cones') !== '0', blind: q.get('blind') !== '0' };
}
