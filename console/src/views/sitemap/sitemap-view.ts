// The site map (#/sitemap): the campus in SVG, metres on the map, north up. Roads, areas and
// building footprints (a footprint with floor plans opens its floors), outdoor cameras with their
// view cones clipped by the buildings, blind spots, PA horns and gates, alarms at their place and
// guards at their last scan. ISA-101 like the wall: a grey map, colour only for alarms (priority
// colour + shape) and for what falls short (blind spots). `?kiosk=1` makes it a wall page.
import type { SiteTree } from '../../../../contracts/api.js';
import type { CoverageFigure, CoverageReport, SiteCamera, SiteMap } from '../../../../contracts/sitemap.js';
import { hubJson, type HubEndpoint } from '../../api.js';
import { h, setText } from '../../dom.js';
import { formatNumber, localized, onLocaleChange, t } from '../../i18n.js';
import { PRIORITY_COLOURS, PRIORITY_SHAPES } from '../../scene/palette.js';
import type { MountedView, ViewModule } from '../view.js';
import { centre, coverageState, parseMapOptions, patrolMarks, percent, placeAlarms, svgPoints, viewBoxOf, type MapAlarm } from './sitemap-model.js';
import './sitemap.css';

/** Alarm states drawn on the map (shelved, suppressed and out-of-service ones stay off it, as on the wall). */
const SHOWN_STATES = new Set(['unacknowledged', 'acknowledged', 'rtn_unacknowledged', 'latched']);
const NS = 'http://www.w3.org/2000/svg';
function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: Array<SVGElement | string>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

interface Data {
  map: SiteMap;
  coverage: CoverageReport;
  alarms: MapAlarm[];
  runs: Parameters<typeof patrolMarks>[0];
}

export const sitemapView: ViewModule = {
  id: 'sitemap',
  mount(container, _params, ctx) {
    const hub: HubEndpoint = { baseUrl: '', token: () => ctx.session.token };
    const opts = parseMapOptions(location.hash);
    const shell = container.closest('.shell');
    if (opts.kiosk) shell?.classList.add('kiosk');
    const layers = { cones: opts.cones, blind: opts.blind, labels: true };
    const svg = s('svg', { class: 'map-svg', role: 'img', preserveAspectRatio: 'xMidYMid meet' });
    const side = h('aside', { class: 'map-side' });
    const status = h('p', { class: 'map-status' }, t('map.loading'));
    const root = h('div', { class: `sitemap${opts.kiosk ? ' kiosk' : ''}` }, h('div', { class: 'map-frame' }, svg, status), side);
    container.replaceChildren(root);
    let data: Data | null = null;
    let selected: { kind: 'camera' | 'building'; id: string } | null = null;
    let stopped = false;

    const load = async () => {
      try {
        const [map, coverage, alarms] = await Promise.all([
          hubJson<SiteMap>(hub, 'GET', '/api/sitemap'),
          hubJson<CoverageReport>(hub, 'GET', '/api/sitemap/coverage'),
          hubJson<MapAlarm[]>(hub, 'GET', '/api/alarms').catch(() => [] as MapAlarm[]),
        ]);
        // Guard tours are optional (a hub without the patrols module, or a role without patrols:read).
        const runs = await hubJson<{ runs: Data['runs'] }>(hub, 'GET', '/api/patrols/status').then((r) => r.runs, () => [] as Data['runs']);
        if (stopped) return;
        data = { map, coverage, alarms, runs };
        status.hidden = true;
        draw();
      } catch (err) {
        if (stopped) return;
        const e = err as { status?: number; message?: string };
        status.hidden = false;
        setText(status, e.status === 503 ? t('map.none') : t('map.failed', { error: e.message ?? String(err) }));
      }
    };

    function draw() {
      if (!data) return;
      const { map, coverage } = data;
      // Geometry is drawn in metres inside one scaled group; labels and alarm glyphs in screen
      // pixels on top, so text keeps its size (and the kiosk's 26 px minimum) at any zoom.
      const W = Math.max(200, svg.clientWidth || 800);
      const H = Math.max(200, svg.clientHeight || 600);
      const vb = viewBoxOf(map);
      const k = Math.min(W / vb.w, H / vb.h);
      const tx = (W - vb.w * k) / 2 - vb.x * k;
      const ty = (H - vb.h * k) / 2 - vb.y * k;
      const px = (x: number, y: number): [number, number] => [x * k + tx, -y * k + ty];
      svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
      // Kiosk text follows the root size the shell sets for walls (26 px at 1080p, 52 px at 4K: console/README.md).
      const kioskScale = opts.kiosk ? Math.max(1, (Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 26) / 26) : 1;
      const font = opts.kiosk ? 26 * kioskScale : 13;
      // On a phone the streets' and areas' names would pile up: buildings only.
      const narrow = W < 600;
      const label = (x: number, y: number, text: string, cls = 'map-label') => {
        const [lx, ly] = px(x, y);
        return s('text', { x: lx.toFixed(1), y: (ly + font * 0.35).toFixed(1), class: cls, 'font-size': font, 'text-anchor': 'middle' }, text);
      };
      const geo = s('g', { transform: `matrix(${k} 0 0 ${k} ${tx} ${ty})` });
      const g = {
        areas: s('g'), roads: s('g'), buildings: s('g'), blind: s('g', { class: 'map-blind' }), cones: s('g', { class: 'map-cones' }),
        devices: s('g'), alarms: s('g'), labels: s('g', { class: 'map-labels' }),
      };
      for (const a of map.areas) {
        g.areas.append(s('polygon', { points: svgPoints(a.polygon), class: `map-area area-${a.kind}` }));
        if (layers.labels && !narrow) g.labels.append(label(...centre(a.polygon), localized(a.name), 'map-label dim'));
      }
      for (const r of map.roads) {
        g.roads.append(s('polyline', { points: svgPoints(r.line), class: 'map-road', 'stroke-width': r.width }));
        // Label a quarter of the way along, so crossing streets' labels do not meet in the middle.
        const a = r.line[0];
        const b = r.line[r.line.length - 1];
        if (layers.labels && !narrow) g.labels.append(label(a[0] + (b[0] - a[0]) * 0.3, a[1] + (b[1] - a[1]) * 0.3, localized(r.name), 'map-label road'));
      }
      for (const b of map.buildings) {
        const linked = !!b.building && ctx.site.buildings.some((x) => x.id === b.building);
        const poly = s('polygon', { points: svgPoints(b.footprint), class: `map-building${linked ? ' linked' : ''}${selected?.id === b.id ? ' selected' : ''}`, tabindex: 0, 'data-building': b.id });
        poly.addEventListener('click', () => select('building', b.id));
        g.buildings.append(poly);
        if (layers.labels) g.labels.append(label(...centre(b.footprint), localized(b.name), 'map-label strong'));
      }
      if (layers.blind) for (const bs of coverage.blindSpots) for (const [x, y, w, hgt] of bs.rects) g.blind.append(s('rect', { x, y: -(y + hgt), width: w, height: hgt }));
      if (layers.cones) {
        for (const c of coverage.cones) {
          if (c.reach) g.cones.append(s('polygon', { points: svgPoints(c.reach), class: 'map-reach' }));
          g.cones.append(s('polygon', { points: svgPoints(c.polygon), class: `map-cone${selected?.id === c.camera ? ' selected' : ''}` }));
        }
      }
      const unit = Math.max(1.6, 7 / k); // markers ≥ ~7 px
      for (const d of map.devices) {
        const [x, y] = d.at;
        const u = unit;
        if (d.kind === 'pa-horn') g.devices.append(s('g', { class: 'map-horn' }, s('path', { d: `M${x - u},${-y - u * 0.5} h${u * 0.8} l${u * 1.2},${-u * 0.7} v${u * 2.4} l${-u * 1.2},${-u * 0.7} h${-u * 0.8} z` }), s('title', {}, localized(d.name))));
        else if (d.kind === 'gate') g.devices.append(s('g', { class: 'map-gate' }, s('rect', { x: x - u * 1.2, y: -y - u * 0.3, width: u * 2.4, height: u * 0.6 }), s('title', {}, localized(d.name))));
        else g.devices.append(s('g', { class: 'map-intersection' }, s('circle', { cx: x, cy: -y, r: u * 1.2 }), s('title', {}, localized(d.name))));
      }
      // Cameras last: they are the clickable markers, nothing may cover them.
      for (const c of map.cameras) g.devices.append(cameraMark(c, unit, () => select('camera', c.id)));
      geo.append(g.areas, g.roads, g.blind, g.cones, g.buildings, g.devices);
      const placed = placeAlarms(data.alarms.filter((a) => SHOWN_STATES.has(a.state)), map);
      const glyph = opts.kiosk ? 30 * kioskScale : 18;
      for (const a of placed) {
        const colour = PRIORITY_COLOURS[a.priority];
        const unacked = a.state === 'unacknowledged' || a.state === 'rtn_unacknowledged';
        const [ax, ay0] = px(...a.at);
        // Inside a building: below its name, whatever the zoom.
        const ay = a.place === 'building' ? Math.max(ay0, px(...centre(map.buildings.find((b) => b.building === a.area.split('/')[0])!.footprint))[1] + font * 1.6) : ay0;
        g.alarms.append(s('g', { class: `map-alarm${unacked ? ' unacked' : ''}`, style: `--prio:${colour}`, 'data-alarm': a.id },
          s('circle', { cx: ax.toFixed(1), cy: ay.toFixed(1), r: glyph * 0.8 }),
          s('text', { x: ax.toFixed(1), y: (ay + glyph * 0.36).toFixed(1), 'font-size': glyph, 'text-anchor': 'middle' }, PRIORITY_SHAPES[a.priority]),
          s('title', {}, localized(a.message))));
      }
      for (const p of patrolMarks(data.runs, map, Date.now())) {
        const [gx, gy] = px(...p.at);
        g.alarms.append(s('g', { class: 'map-patrol' }, s('circle', { cx: gx.toFixed(1), cy: gy.toFixed(1), r: glyph * 0.6 }), s('text', { x: gx.toFixed(1), y: (gy + glyph * 0.3).toFixed(1), 'font-size': glyph * 0.8, 'text-anchor': 'middle' }, 'G'), s('title', {}, `${p.by} · ${p.checkpoint} · ${p.ageMin} min`)));
      }
      svg.replaceChildren(geo, g.labels, g.alarms);
      drawSide(placed.length);
    }

    function cameraMark(c: SiteCamera, unit: number, onClick: () => void): SVGElement {
      const [x, y] = c.at;
      const r = unit * 0.7;
      const rad = (c.heading * Math.PI) / 180;
      const tip = [x + Math.sin(rad) * r * 2.2, -(y + Math.cos(rad) * r * 2.2)];
      const el = s('g', { 'data-camera': c.id, class: `map-camera${c.ptz ? ' ptz' : ''}${c.connection ? ' streams' : ''}${selected?.id === c.id ? ' selected' : ''}`, tabindex: 0 },
        s('line', { x1: x, y1: -y, x2: tip[0], y2: tip[1], 'stroke-width': unit * 0.25 }),
        c.ptz ? s('circle', { cx: x, cy: -y, r }) : s('rect', { x: x - r, y: -y - r, width: 2 * r, height: 2 * r }),
        s('title', {}, localized(c.name)));
      el.addEventListener('click', onClick);
      return el;
    }

    function select(kind: 'camera' | 'building', id: string) {
      selected = selected?.id === id ? null : { kind, id };
      draw();
    }

    function figureRow(f: CoverageFigure | { name?: undefined; fraction: number; area: number; covered: number }, title: string) {
      const st = coverageState(f.fraction);
      return h('li', { class: `map-fig ${st}` },
        h('span', { class: 'fig-name' }, title),
        h('span', { class: 'fig-bar' }, h('span', { style: `width:${(f.fraction * 100).toFixed(1)}%` })),
        h('span', { class: 'fig-pct' }, `${st === 'short' ? '▽ ' : ''}${percent(f.fraction)}`));
    }

    function drawSide(alarmCount: number) {
      if (!data) return;
      const { coverage, map } = data;
      const sel = selected ? detail(map, ctx.site) : null;
      const toggle = (key: keyof typeof layers, text: string) => h('label', { class: 'map-toggle' },
        h('input', { type: 'checkbox', ...(layers[key] ? { checked: true } : {}), onchange: (e: Event) => { layers[key] = (e.target as HTMLInputElement).checked; draw(); } }), text);
      side.replaceChildren(
        h('h2', {}, t('map.coverage')),
        h('div', { class: `map-overall ${coverageState(coverage.overall.fraction)}` },
          h('span', { class: 'big' }, percent(coverage.overall.fraction)),
          h('span', {}, t('map.overall')),
          h('span', { class: 'dim' }, t('map.areaOf', { covered: formatNumber(coverage.overall.covered, 0), area: formatNumber(coverage.overall.area, 0) }))),
        h('ul', { class: 'map-figs' }, ...coverage.roads.map((f) => figureRow(f, localized(f.name))), ...coverage.areas.map((f) => figureRow(f, localized(f.name)))),
        h('p', { class: 'dim' }, `${t('map.blindSpots', { n: coverage.blindSpots.length })} · ${t('map.recompute', { ms: coverage.computeMs })}`),
        h('p', { class: alarmCount ? 'map-alarm-count' : 'dim' }, alarmCount ? t('map.alarms', { n: alarmCount }) : t('map.noAlarms')),
        sel ?? '',
        h('div', { class: 'map-toggles' }, toggle('cones', t('map.layer.cones')), toggle('blind', t('map.layer.blind')), toggle('labels', t('map.layer.labels'))),
        h('ul', { class: 'map-legend' },
          h('li', {}, h('span', { class: 'lg lg-cam' }), t('map.legend.camera')),
          h('li', {}, h('span', { class: 'lg lg-ptz' }), t('map.legend.ptz')),
          h('li', {}, h('span', { class: 'lg lg-horn' }), t('map.legend.horn')),
          h('li', {}, h('span', { class: 'lg lg-gate' }), t('map.legend.gate')),
          h('li', {}, h('span', { class: 'lg lg-blind' }), t('map.legend.blind')),
          h('li', {}, h('span', { class: 'lg lg-patrol' }, 'G'), t('map.legend.patrol'))),
      );
    }

    function detail(map: SiteMap, site: SiteTree): HTMLElement | null {
      if (!selected) return null;
      if (selected.kind === 'building') {
        const b = map.buildings.find((x) => x.id === selected!.id);
        if (!b) return null;
        const tree = site.buildings.find((x) => x.id === b.building);
        const floor = tree?.floors.find((f) => f.level === 1) ?? tree?.floors[0];
        return h('div', { class: 'map-detail' }, h('strong', {}, localized(b.name)),
          tree && floor
            ? h('p', {}, h('a', { href: `#/floor/${tree.id}/${floor.id}` }, t('map.openFloor', { name: localized(b.name) })), ' · ', h('a', { href: `#/wall/${tree.id}` }, t('nav.wall')))
            : h('p', { class: 'dim' }, t('map.noPlan', { name: localized(b.name) })));
      }
      const c = map.cameras.find((x) => x.id === selected!.id);
      if (!c) return null;
      return h('div', { class: 'map-detail' }, h('strong', {}, t('map.camera', { name: localized(c.name), fov: c.fov, range: c.range })),
        c.connection ? h('p', {}, h('a', { href: `#/cameras/${encodeURIComponent(c.connection)}` }, t('map.stream'))) : h('p', { class: 'dim' }, t('map.geometric')));
    }

    void load();
    const timer = setInterval(() => void load(), 5000);
    const offLocale = onLocaleChange(() => draw());
    const onResize = () => draw();
    window.addEventListener('resize', onResize);
    const mounted: MountedView = {
      relabel: () => draw(),
      unmount() {
        stopped = true;
        clearInterval(timer);
        offLocale();
        window.removeEventListener('resize', onResize);
        shell?.classList.remove('kiosk');
        root.remove();
      },
    };
    return mounted;
  },
};
