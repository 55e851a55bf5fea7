// `#/wall/:building?` — the control-room wall: the live 3D building with layers, alarm pulses,
// device markers, a side column of alarms, energy and key figures; a floor tour for kiosks; a
// "connection lost — data as of" overlay and a clean resync. Three.js is loaded on mount only.
import { energyMeters, todayVsYesterday, totalOrNull } from '../energy-today.js';
import { openCameraPanel } from '../video/camera-panel.js';
import type { AlarmSummary } from '../../../contracts/alarms.js';
import type { PointView } from '../../../contracts/api.js';
import type { BuildingPlan } from '../../../contracts/geometry.js';
import { h, setText } from '../dom.js';
import { getLocale, localized, t, type MessageKey } from '../i18n.js';
import type { BuildingScene, Pick3D } from '../scene/building-scene.js';
import { NEUTRAL, PRIORITY_COLOURS, PRIORITY_SHAPES } from '../scene/palette.js';
import { LAYERS, isAbnormal, lookColour, roomKey, type Layer, type RoomLook } from '../scene/room-state.js';
import { createRoomPanel, type RoomPanel } from '../views/room-panel.js';
import type { ViewContext, ViewModule } from '../views/view.js';
import { WallFeed } from './wall-feed.js';
import { WallModel, type WallMarker } from './wall-model.js';
import { parseWallOptions } from './wall-options.js';
import { tourStep, urgentAlarms } from './wall-tour.js';
import { createWallSide, type KeyFigures } from './wall-side.js';

declare global {
  interface Window {
    /** Read-only probes for tests and people at the browser console. */
    __wallDebug?: WallDebug;
  }
}
export interface WallDebug {
  ready: boolean;
  layer: () => Layer;
  roomColour(room: string): string | undefined;
  roomLook(room: string): RoomLook | undefined;
  roomScreenPoint(room: string): [number, number] | null;
  renders(): number;
  markers(): number;
  linkUp(): boolean;
  focusedFloor(): string | null;
  /** The alarm the tour holds on screen (null: touring). */
  holding(): string | null;
  /** A room's label text and font size in px, or null when it has none. */
  roomLabel(room: string): { text: string; fontPx: number; className: string } | null;
}

/** An abnormal room's label: the room's name first (where), then what is wrong. */
function labelFor(look: RoomLook, unit: string, name: string): string {
  switch (look.kind) {
    case 'alarm': return `${PRIORITY_SHAPES[look.priority]} ${name} · ${t(`prio.${look.priority}` as MessageKey)}${look.count > 1 ? ` ×${look.count}` : ''}`;
    case 'untrusted': return `⚠ ${name} · ${t(`quality.${look.quality}` as MessageKey)}`;
    case 'low': return `▼ ${name} ${look.value.toLocaleString(getLocale(), { maximumFractionDigits: 1 })} ${unit}`;
    case 'high': return `▲ ${name} ${look.value.toLocaleString(getLocale(), { maximumFractionDigits: 1 })} ${unit}`;
    default: return '';
  }
}
const UNITS: Record<Layer, string> = { alarms: '', temperature: '°C', humidity: '%', co2: 'ppm', energy: 'kW' };

export const wallView: ViewModule = {
  id: 'wall',
  mount(container, params, ctx: ViewContext) {
    const options = parseWallOptions(location.hash);
    const building = ctx.site.buildings.find((b) => b.id === params.building) ?? ctx.site.buildings[0];
    const shell = container.closest('.shell');
    if (options.kiosk) shell?.classList.add('kiosk');

    const stage = h('div', { class: 'wall-stage' });
    const status = h('p', { class: 'view-status' });
    const overlay = h('div', { class: 'wall-overlay', role: 'alert', hidden: true }, h('strong'), h('span'));
    const layerButtons = LAYERS.map((layer) => h('button', { type: 'button', class: 'btn', 'data-layer': layer }));
    const floorSelect = h('div', { class: 'wall-floors' });
    const explode = h('button', { type: 'button', class: 'btn', 'data-action': 'explode' });
    const presets = (['iso', 'top', 'front'] as const).map((p) => h('button', { type: 'button', class: 'btn ghost', 'data-preset': p }));
    const tour = h('button', { type: 'button', class: 'btn ghost', 'data-action': 'tour' });
    const legend = h('div', { class: 'wall-legend' });
    const toolbar = h('div', { class: 'wall-toolbar' }, h('div', { class: 'wall-layers' }, ...layerButtons), floorSelect, explode, ...presets, tour);
    // The strip: the most urgent alarms waiting for acknowledgement, always on top of the picture.
    const strip = h('ol', { class: 'wall-strip', 'aria-live': 'polite' });
    stage.append(status, overlay, legend, strip);
    const side = createWallSide();
    const body = h('div', { class: 'wall-body' }, stage, side.element);
    const root = h('div', { class: `wall${options.kiosk ? ' kiosk' : ''}`, 'data-building': building?.id ?? '' }, toolbar, body);
    container.replaceChildren(root);

    let layer: Layer = options.layer;
    let scene: BuildingScene | null = null;
    let model: WallModel | null = null;
    let feed: WallFeed | null = null;
    let plan: BuildingPlan | null = null;
    let points: PointView[] = [];
    let panel: { view: RoomPanel; key: string; pointIds: Set<string> } | null = null;
    let summary: AlarmSummary | null = null;
    let linkUp = false;
    let lostSince = 0;
    let exploded = true;
    let tourStop: string | null = options.floor;
    let tourOn = options.cycle > 0;
    /** The alarm the tour holds on screen until it is acknowledged. */
    let holding: string | null = null;
    let frame = 0;
    let disposed = false;
    const timers: Array<ReturnType<typeof setInterval>> = [];
    const pendingPanel = new Set<string>();

    const drawStatus = (text: string) => setText(status, text);
    drawStatus(t('wall.loading'));

    // ---- applying state: coalesced into one pass per animation frame ----
    const schedule = () => {
      if (!frame && !disposed) frame = requestAnimationFrame(flush);
    };
    const flush = () => {
      frame = 0;
      if (!scene || !model) return;
      for (const key of model.dirtyRooms) paintRoom(key);
      model.dirtyRooms.clear();
      for (const i of model.dirtyMarkers) {
        const look = model.markerLook(i);
        scene.setMarker(i, look.colour, look.scale);
      }
      model.dirtyMarkers.clear();
      if (panel && pendingPanel.size) panel.view.update(model.states, pendingPanel);
      pendingPanel.clear();
    };
    const paintRoom = (key: string) => {
      if (!scene || !model) return;
      const [floor, room] = key.split('/');
      const look = model.roomLook(layer, key);
      scene.setRoomColour(floor, room, look.kind === 'normal' || look.kind === 'none' ? (panel?.key === key ? NEUTRAL.roomSelected : NEUTRAL.room) : lookColour(look), look.kind === 'alarm');
      // Abnormal: name and state, big. Normal: the quiet grey name, only when its floor is in focus.
      const name = roomName(floor, room);
      if (isAbnormal(look)) scene.setRoomLabel(floor, room, labelFor(look, UNITS[layer], name), look.kind === 'alarm' ? `alarm prio-${look.priority}` : look.kind);
      else scene.setRoomLabel(floor, room, scene.focusedFloor === floor ? name : '', 'room-name');
    };
    const repaintAll = () => {
      if (!model) return;
      for (const key of model.roomKeys) model.dirtyRooms.add(key);
      schedule();
    };

    // ---- side column figures, once a second at most ----
    const figures = (): KeyFigures => {
      const f: KeyFigures = { meanTemp: null, devicesDown: 0, doorsOpen: 0, lightsOn: 0 };
      if (!model) return f;
      let sum = 0;
      let n = 0;
      for (const key of model.roomKeys) {
        const look = model.roomLook('temperature', key);
        if ('value' in look && typeof look.value === 'number' && look.kind !== 'untrusted') { sum += look.value; n++; }
      }
      f.meanTemp = n ? sum / n : null;
      model.markers.forEach((m, i) => {
        const look = model!.markerLook(i);
        if (look.flag === 'comm_fail') f.devicesDown++;
        if (m.kind === 'door' && look.flag === 'active') f.doorsOpen++;
        if (m.kind === 'light') f.lightsOn += model!.lightCircuitsOn(i);
      });
      return f;
    };
    const refreshEnergy = async () => {
      const meters = energyMeters(points);
      if (!meters.length) return;
      try {
        // "Today" is the building's day (the hub buckets energy in the site's time zone).
        const { today, yesterday } = await todayVsYesterday(meters, ctx.site.timezone, ctx.session.token);
        if (disposed) return;
        side.setEnergy(totalOrNull(today), totalOrNull(yesterday));
      } catch {
        side.setEnergy(null, null); // history not available: show a dash, not an old figure
      }
    };

    // ---- the connection ----
    const drawOverlay = () => {
      overlay.hidden = linkUp || !model;
      root.classList.toggle('link-down', !linkUp);
      const time = new Intl.DateTimeFormat(getLocale(), { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(lostSince);
      setText(overlay.children[0], t('wall.lost', { time }));
      setText(overlay.children[1], t('wall.lostHint'));
    };

    const relabel = () => {
      for (const b of layerButtons) {
        setText(b, t(`layer.${b.dataset.layer}` as MessageKey));
        b.classList.toggle('selected', b.dataset.layer === layer);
      }
      for (const b of presets) setText(b, t(`wall.view.${b.dataset.preset}` as MessageKey));
      setText(explode, exploded ? t('wall.stacked') : t('wall.exploded'));
      setText(tour, tourOn ? t('wall.tour', { n: options.cycle || 30 }) : t('wall.tourOff'));
      tour.classList.toggle('selected', tourOn);
      drawFloors();
      drawLegend();
      for (const f of plan?.floors ?? []) scene?.setRoomLabel(f.id, '', localized(f.name), 'floor-label');
      drawOverlay();
      side.relabel();
      panel?.view.relabel();
      if (model) repaintAll();
    };
    const drawFloors = () => {
      if (!plan) return;
      const focused = scene?.focusedFloor ?? null;
      const buttons = [h('button', { type: 'button', class: `btn${focused === null ? ' selected' : ''}`, 'data-floor': '' }, t('wall.allFloors')),
        ...[...plan.floors].reverse().map((f) => h('button', { type: 'button', class: `btn${focused === f.id ? ' selected' : ''}`, 'data-floor': f.id }, localized(f.name)))];
      floorSelect.replaceChildren(...buttons);
    };
    const drawLegend = () => {
      const item = (cls: string, symbol: string, text: string) => h('span', { class: `legend-item ${cls}` }, h('span', { class: 'swatch' }, symbol), text);
      legend.replaceChildren(...(layer === 'alarms'
        ? (['critical', 'high', 'medium', 'low'] as const).map((p) => item(`prio-${p}`, PRIORITY_SHAPES[p], t(`prio.${p}` as MessageKey)))
        : [item('normal', '', t('wall.legend.normal')), item('low', '▼', t('wall.legend.low')), item('high', '▲', t('wall.legend.high'))]),
        item('untrusted', '⚠', t('wall.legend.untrusted')));
    };
    const focus = (floor: string | null) => {
      if (scene && scene.focusedFloor !== floor) {
        scene.focusFloor(floor);
        repaintAll(); // room names show on the focused floor only
      }
      tourStop = floor;
      drawFloors();
    };
    const floorsTopDown = () => [...(plan?.floors ?? [])].reverse().map((f) => f.id);
    /** The tour, with alarms in charge (wall-tour.ts): jump to a waiting alarm's floor and hold. */
    const steer = (tick: boolean) => {
      if (!tourOn || !plan) return;
      const step = tourStep(tourStop, floorsTopDown(), allAlarms(), tick);
      holding = step.holding;
      root.dataset.holding = holding ?? '';
      if (step.floor !== tourStop || scene?.focusedFloor !== step.floor) focus(step.floor);
    };
    const drawStrip = () => {
      const urgent = urgentAlarms(allAlarms(), 3);
      strip.hidden = urgent.length === 0;
      strip.replaceChildren(...urgent.map((a) => {
        const [, floor, room] = a.area.split('/');
        const floorName = localized(plan?.floors.find((f) => f.id === floor)?.name) || floor;
        return h('li', { class: `prio-${a.priority}`, 'data-alarm': a.id, 'data-floor': floor ?? '', style: `--prio: ${PRIORITY_COLOURS[a.priority]}` },
          h('span', { class: 'strip-prio' }, `${PRIORITY_SHAPES[a.priority]} ${t(`prio.${a.priority}` as MessageKey)}`),
          h('span', { class: 'strip-where' }, `${floorName} · ${room ? roomName(floor, room) : ''}`),
          h('span', { class: 'strip-message' }, localized(a.message)));
      }));
    };

    toolbar.addEventListener('click', (event) => {
      const button = (event.target as HTMLElement).closest('button');
      if (!button) return;
      if (button.dataset.layer) {
        layer = button.dataset.layer as Layer;
        relabel();
      } else if (button.dataset.floor !== undefined) {
        focus(button.dataset.floor || null);
      } else if (button.dataset.preset) {
        scene?.preset(button.dataset.preset as 'iso' | 'top' | 'front');
      } else if (button.dataset.action === 'explode') {
        exploded = !exploded;
        scene?.setExploded(exploded);
        scene?.preset('iso');
        relabel();
      } else if (button.dataset.action === 'tour') {
        tourOn = !tourOn;
        relabel();
        steer(false);
      }
    });

    const openPanel = (pick: Pick3D | null) => {
      if (!model || !plan) return;
      closePanel();
      if (!pick) return;
      let key: string;
      let panelPoints: PointView[];
      let title: () => string;
      const floorPlan = plan.floors.find((f) => f.id === pick.floor);
      if (pick.type === 'device' && model.markers[pick.index].kind === 'camera') {
        // A camera marker opens its live view (with PTZ for roles that may move it).
        openCameraPanel(model.markers[pick.index].equipment, { session: ctx.session, api: ctx.api, site: ctx.site });
        return;
      }
      if (pick.type === 'device') {
        const marker = model.markers[pick.index];
        key = roomKey(marker.floor, marker.room);
        const ids = new Set(model.markerPointIds(pick.index));
        panelPoints = points.filter((p) => ids.has(p.id));
        title = () => `${marker.equipment} · ${roomName(marker.floor, marker.room)}`;
      } else {
        key = roomKey(pick.floor, pick.room);
        panelPoints = points.filter((p) => p.id.split('/')[2] === pick.floor && p.id.split('/')[3] === pick.room);
        title = () => `${roomName(pick.floor, pick.room)} · ${localized(floorPlan?.name)}`;
      }
      for (const p of panelPoints) p.state = model.states.get(p.id) ?? p.state;
      const [floor, room] = key.split('/');
      const view = createRoomPanel({
        api: ctx.api, token: ctx.session.token, permissions: ctx.session.permissions, scope: ctx.session.scope, title,
        area: [building.id, floor, room], points: panelPoints, alarms: model.roomAlarms(key), onClose: closePanel,
      });
      panel = { view, key, pointIds: new Set(panelPoints.map((p) => p.id)) };
      view.setLive(linkUp);
      body.append(view.element);
      model.dirtyRooms.add(key);
      schedule();
    };
    const closePanel = () => {
      if (!panel) return;
      const key = panel.key;
      panel.view.dispose();
      panel = null;
      model?.dirtyRooms.add(key);
      schedule();
    };
    const roomName = (floor: string, room: string) =>
      localized(building.floors.find((f) => f.id === floor)?.rooms.find((r) => r.id === room)?.name) || room;

    // ---- start: plan + points, then Three.js, then the live feed ----
    (async () => {
      if (!building) throw new Error('no building in the site');
      [plan, points] = await Promise.all([ctx.api.floorplan(building.id), ctx.api.allPoints({ building: building.id })]);
      if (disposed) return;
      const markers: WallMarker[] = plan.floors.flatMap((f) => f.devices.map((d) => ({ floor: f.id, room: d.room, equipment: d.equipment, kind: d.kind })));
      model = new WallModel(plan.floors.flatMap((f) => f.rooms.map((r) => roomKey(f.id, r.id))), markers, points);
      model.snapshot(points.flatMap((p) => (p.state ? [p.state] : [])));
      const { loadBuildingScene } = await import('../scene/building-scene.js');
      if (disposed) return;
      try {
        scene = await loadBuildingScene(stage, plan.floors, plan.floors.flatMap((f) => f.devices.map((d) => ({ ...d, floor: f.id }))));
      } catch (err) {
        drawStatus(t('wall.noWebgl', { message: (err as Error).message }));
        return;
      }
      if (disposed) {
        scene.dispose();
        return;
      }
      status.remove();
      scene.onPick(openPanel);
      if (tourStop) scene.focusFloor(tourStop);
      const floorKeys = plan.floors.map((f) => `${ctx.site.id}/${building.id}/${f.id}`);
      feed = new WallFeed(ctx.session.token, floorKeys, {
        onPointsSnapshot(states) {
          model!.snapshot(states);
          for (const s of states) if (panel?.pointIds.has(s.id)) pendingPanel.add(s.id);
          schedule();
        },
        onPoints(states) {
          model!.apply(states);
          if (panel) for (const s of states) if (panel.pointIds.has(s.id)) pendingPanel.add(s.id);
          schedule();
        },
        onAlarmsSnapshot(alarms, s) {
          summary = s;
          model!.alarmsSnapshot(alarms);
          side.setAlarms(allAlarms(), summary);
          if (panel) panel.view.setAlarms(model!.roomAlarms(panel.key));
          drawStrip();
          steer(false);
          schedule();
        },
        onAlarms(update) {
          summary = update.summary;
          model!.alarms(update.changed);
          side.setAlarms(allAlarms(), summary);
          if (panel) panel.view.setAlarms(model!.roomAlarms(panel.key));
          drawStrip();
          steer(false);
          schedule();
        },
        onLink(up, since) {
          linkUp = up;
          lostSince = since;
          drawOverlay();
          panel?.view.setLive(up);
          if (up) void refreshEnergy();
        },
      });
      relabel();
      side.setFigures(figures());
      timers.push(setInterval(() => side.setFigures(figures()), 2000));
      timers.push(setInterval(() => void refreshEnergy(), 5 * 60_000));
      if (options.cycle > 0 || tourOn) {
        timers.push(setInterval(() => steer(true), (options.cycle || 30) * 1000));
      }
      window.__wallDebug = {
        ready: true,
        layer: () => layer,
        roomColour: (room) => { const k = keyOfRoom(room); return k ? scene?.roomColour(...k) : undefined; },
        roomLook: (room) => { const k = keyOfRoom(room); return k ? model?.roomLook(layer, k.join('/')) : undefined; },
        roomScreenPoint: (room) => { const k = keyOfRoom(room); return k ? scene?.roomScreenPoint(...k) ?? null : null; },
        renders: () => scene?.renders ?? 0,
        markers: () => scene?.markerCount ?? 0,
        linkUp: () => linkUp,
        focusedFloor: () => scene?.focusedFloor ?? null,
        holding: () => holding,
        roomLabel: (room) => { const k = keyOfRoom(room); return k ? scene?.roomLabel(...k) ?? null : null; },
      };
    })().catch((err: Error) => {
      if (!disposed) drawStatus(t('wall.noPlan', { id: building?.id ?? '?', message: err.message }));
    });

    const keyOfRoom = (room: string): [string, string] | null => {
      if (room.includes('/')) return room.split('/') as [string, string];
      const floor = plan?.floors.find((f) => f.rooms.some((r) => r.id === room));
      return floor ? [floor.id, room] : null;
    };
    const allAlarms = function* () {
      if (!model) return;
      for (const key of model.roomKeys) yield* model.roomAlarms(key);
    };

    relabel();
    return {
      relabel() {
        relabel();
        drawStrip();
      },
      setLinkState() {
        // The wall has its own link (WallFeed); the shell's one-floor link does not decide here.
      },
      unmount() {
        disposed = true;
        cancelAnimationFrame(frame);
        for (const timer of timers) clearInterval(timer);
        closePanel();
        feed?.close();
        scene?.dispose();
        scene = null;
        model = null;
        shell?.classList.remove('kiosk');
        delete window.__wallDebug;
      },
    };
  },
};
