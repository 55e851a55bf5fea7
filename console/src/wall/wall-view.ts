// `#/wall/:building?` — the control-room wall: the live 3D building with layers, alarm pulses,
// device markers, a side column of alarms, energy and key figures; a floor tour for kiosks; a
// "connection lost — data as of" overlay and a clean resync. Three.js is loaded on mount only.
// This file only draws: state, derivations and tour decisions live in wall-view-model.ts.
import { energyMeters, todayVsYesterday, totalOrNull } from '../energy-today.js';
import { openCameraPanel } from '../video/camera-panel.js';
import type { AlarmSummary } from '../../../contracts/alarms.js';
import type { PointView } from '../../../contracts/api.js';
import type { BuildingPlan } from '../../../contracts/geometry.js';
import { h, setText } from '../dom.js';
import { localized, t } from '../i18n.js';
import type { BuildingScene, Pick3D } from '../scene/building-scene.js';
import { NEUTRAL } from '../scene/palette.js';
import { isAbnormal, lookColour, roomKey, type Layer } from '../scene/room-state.js';
import { createRoomPanel, type RoomPanel } from '../views/room-panel.js';
import type { ViewContext, ViewModule } from '../views/view.js';
import { WallFeed } from './wall-feed.js';
import { WallModel, type WallMarker } from './wall-model.js';
import { parseWallOptions } from './wall-options.js';
import { createWallChrome } from './wall-chrome.js';
import { createWallSide } from './wall-side.js';
import './wall-debug.js';
import { UNITS, WallViewState, allAlarms as alarmsOf, floorsTopDown, keyFigures, keyOfRoom as roomOf, labelFor, panelTarget, stripItems } from './wall-view-model.js';

export const wallView: ViewModule = {
  id: 'wall',
  mount(container, params, ctx: ViewContext) {
    const options = parseWallOptions(location.hash);
    const building = ctx.site.buildings.find((b) => b.id === params.building) ?? ctx.site.buildings[0];
    const shell = container.closest('.shell');
    if (options.kiosk) shell?.classList.add('kiosk');

    const stage = h('div', { class: 'wall-stage' });
    const status = h('p', { class: 'view-status' });
    const chrome = createWallChrome();
    const { toolbar, overlay, legend, strip } = chrome;
    stage.append(status, overlay, legend, strip);
    const side = createWallSide();
    const body = h('div', { class: 'wall-body' }, stage, side.element);
    const root = h('div', { class: `wall${options.kiosk ? ' kiosk' : ''}`, 'data-building': building?.id ?? '' }, toolbar, body);
    container.replaceChildren(root);

    const vm = new WallViewState(options);
    let scene: BuildingScene | null = null;
    let model: WallModel | null = null;
    let feed: WallFeed | null = null;
    let plan: BuildingPlan | null = null;
    let points: PointView[] = [];
    let panel: { view: RoomPanel; key: string; pointIds: Set<string> } | null = null;
    let summary: AlarmSummary | null = null;
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
      const look = model.roomLook(vm.layer, key);
      scene.setRoomColour(floor, room, look.kind === 'normal' || look.kind === 'none' ? (panel?.key === key ? NEUTRAL.roomSelected : NEUTRAL.room) : lookColour(look), look.kind === 'alarm');
      // Abnormal: name and state, big. Normal: the quiet grey name, only when its floor is in focus.
      const name = roomName(floor, room);
      if (isAbnormal(look)) scene.setRoomLabel(floor, room, labelFor(look, UNITS[vm.layer], name), look.kind === 'alarm' ? `alarm prio-${look.priority}` : look.kind);
      else scene.setRoomLabel(floor, room, scene.focusedFloor === floor ? name : '', 'room-name');
    };
    const repaintAll = () => {
      if (!model) return;
      for (const key of model.roomKeys) model.dirtyRooms.add(key);
      schedule();
    };

    // ---- side column figures, once a second at most ----
    const figures = () => keyFigures(model);
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
    const drawOverlay = () => chrome.drawOverlay(root, vm, model !== null);

    const relabel = () => {
      chrome.relabel(vm);
      drawFloors();
      chrome.drawLegend(vm.layer);
      for (const f of plan?.floors ?? []) scene?.setRoomLabel(f.id, '', localized(f.name), 'floor-label');
      drawOverlay();
      side.relabel();
      panel?.view.relabel();
      if (model) repaintAll();
    };
    const drawFloors = () => chrome.drawFloors(plan, scene?.focusedFloor ?? null);
    const focus = (floor: string | null) => {
      if (scene && scene.focusedFloor !== floor) {
        scene.focusFloor(floor);
        repaintAll(); // room names show on the focused floor only
      }
      vm.tourStop = floor;
      drawFloors();
    };
    /** The tour, with alarms in charge (wall-tour.ts): jump to a waiting alarm's floor and hold. */
    const steer = (tick: boolean) => {
      const floor = vm.steer(tick, plan ? floorsTopDown(plan) : null, allAlarms(), scene?.focusedFloor);
      if (vm.tourOn && plan) root.dataset.holding = vm.holding ?? '';
      if (floor !== undefined) focus(floor);
    };
    const drawStrip = () => chrome.drawStrip(stripItems(allAlarms(), plan, roomName));

    toolbar.addEventListener('click', (event) => {
      const button = (event.target as HTMLElement).closest('button');
      if (!button) return;
      if (button.dataset.layer) {
        vm.layer = button.dataset.layer as Layer;
        relabel();
      } else if (button.dataset.floor !== undefined) {
        focus(button.dataset.floor || null);
      } else if (button.dataset.preset) {
        scene?.preset(button.dataset.preset as 'iso' | 'top' | 'front');
      } else if (button.dataset.action === 'explode') {
        scene?.setExploded(vm.toggleExplode());
        scene?.preset('iso');
        relabel();
      } else if (button.dataset.action === 'tour') {
        vm.toggleTour();
        relabel();
        steer(false);
      }
    });

    const openPanel = (pick: Pick3D | null) => {
      if (!model || !plan) return;
      closePanel();
      if (!pick) return;
      const target = panelTarget(model, plan, points, pick, roomName);
      if (target.kind === 'camera') {
        // A camera marker opens its live view (with PTZ for roles that may move it).
        openCameraPanel(target.equipment, { session: ctx.session, api: ctx.api, site: ctx.site });
        return;
      }
      const { key, points: panelPoints, title } = target;
      for (const p of panelPoints) p.state = model.states.get(p.id) ?? p.state;
      const [floor, room] = key.split('/');
      const view = createRoomPanel({
        api: ctx.api, token: ctx.session.token, permissions: ctx.session.permissions, scope: ctx.session.scope, title,
        area: [building.id, floor, room], points: panelPoints, alarms: model.roomAlarms(key), onClose: closePanel,
      });
      panel = { view, key, pointIds: new Set(panelPoints.map((p) => p.id)) };
      view.setLive(vm.linkUp);
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
      if (vm.tourStop) scene.focusFloor(vm.tourStop);
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
          vm.setLink(up, since);
          drawOverlay();
          panel?.view.setLive(up);
          if (up) void refreshEnergy();
        },
      });
      relabel();
      side.setFigures(figures());
      timers.push(setInterval(() => side.setFigures(figures()), 2000));
      timers.push(setInterval(() => void refreshEnergy(), 5 * 60_000));
      if (options.cycle > 0 || vm.tourOn) {
        timers.push(setInterval(() => steer(true), vm.cycleSeconds * 1000));
      }
      window.__wallDebug = {
        ready: true,
        layer: () => vm.layer,
        roomColour: (room) => { const k = keyOfRoom(room); return k ? scene?.roomColour(...k) : undefined; },
        roomLook: (room) => { const k = keyOfRoom(room); return k ? model?.roomLook(vm.layer, k.join('/')) : undefined; },
        roomScreenPoint: (room) => { const k = keyOfRoom(room); return k ? scene?.roomScreenPoint(...k) ?? null : null; },
        renders: () => scene?.renders ?? 0,
        markers: () => scene?.markerCount ?? 0,
        linkUp: () => vm.linkUp,
        focusedFloor: () => scene?.focusedFloor ?? null,
        holding: () => vm.holding,
        roomLabel: (room) => { const k = keyOfRoom(room); return k ? scene?.roomLabel(...k) ?? null : null; },
      };
    })().catch((err: Error) => {
      if (!disposed) drawStatus(t('wall.noPlan', { id: building?.id ?? '?', message: err.message }));
    });

    const keyOfRoom = (room: string) => roomOf(plan, room);
    const allAlarms = () => alarmsOf(model);

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
