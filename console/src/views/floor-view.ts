// Route `/floor/:building/:floor/:room?`: the live table of one floor, optionally one room.
import type { FloorNode, SiteTree } from '../../../contracts/api.js';
import { can } from '../../../contracts/auth.js';
import { h, setText } from '../dom.js';
import { localized, t } from '../i18n.js';
import type { RouteParams } from '../router.js';
import { PointsTable } from './points-table.js';
import type { MountedView, ViewContext, ViewModule } from './view.js';

export function findFloor(site: SiteTree, building?: string, floor?: string): FloorNode | null {
  return site.buildings.find((b) => b.id === building)?.floors.find((f) => f.id === floor) ?? null;
}

export const floorView: ViewModule = {
  id: 'floor',
  mount(container: HTMLElement, params: RouteParams, ctx: ViewContext): MountedView {
    const floor = findFloor(ctx.site, params.building, params.floor);
    let room = params.room ?? null;
    const heading = h('h1', { class: 'view-title' });
    const subtitle = h('div', { class: 'view-sub' });
    const status = h('div', { class: 'view-status', role: 'status' });
    const tableSlot = h('div', { class: 'table-wrap' });
    container.replaceChildren(h('header', { class: 'view-head' }, heading, subtitle), status, tableSlot);

    let table: PointsTable | null = null;
    let stopWatching = () => {};
    let disposed = false;
    let linkLive = true;
    let statusText: () => string = () => t('floor.loading');

    const drawTexts = () => {
      setText(heading, t('floor.heading'));
      const roomNode = floor?.rooms.find((r) => r.id === room);
      setText(subtitle, floor ? [localized(floor.name), roomNode ? localized(roomNode.name) : ''].filter(Boolean).join(' › ') : '');
      setText(status, statusText());
    };
    const applyRoom = () => {
      if (!table) return;
      const visible = table.filterRoom(room);
      statusText = () => (visible ? t('floor.count', { n: visible }) : t('floor.empty'));
    };

    if (!floor) {
      statusText = () => t('floor.unknown', { key: `${params.building}/${params.floor}` });
    } else {
      ctx.api
        .allPoints({ building: params.building, floor: params.floor })
        .then((points) => {
          if (disposed) return;
          table = new PointsTable(points, { canWrite: can(ctx.session.permissions, 'points:write'), scope: ctx.session.scope, api: ctx.api, rooms: floor.rooms });
          table.setLive(linkLive);
          tableSlot.replaceChildren(table.element);
          applyRoom();
          drawTexts();
          // Subscribe only once the rows exist, so the snapshot lands on them.
          stopWatching = ctx.live.watchFloor(floor.key, {
            onSnapshot: (states) => table?.apply(states),
            onUpdate: (states) => table?.apply(states),
            onError: (message) => {
              statusText = () => t('view.loadFailed', { message });
              drawTexts();
            },
          });
        })
        .catch((err: Error) => {
          if (disposed) return;
          statusText = () => t('view.loadFailed', { message: err.message });
          drawTexts();
        });
    }
    drawTexts();

    return {
      update(next) {
        if (next.building !== params.building || next.floor !== params.floor) return false;
        room = next.room ?? null;
        applyRoom();
        drawTexts();
        return true;
      },
      relabel() {
        drawTexts();
        table?.relabel();
      },
      setLinkState(state) {
        linkLive = state === 'live';
        table?.setLive(linkLive);
      },
      unmount() {
        disposed = true;
        stopWatching();
        table?.destroy();
      },
    };
  },
};

/** Route `/`: nothing selected yet. */
export const homeView: ViewModule = {
  id: 'home',
  mount(container) {
    const heading = h('h1', { class: 'view-title' });
    const hint = h('p', { class: 'view-status' });
    const draw = () => {
      setText(heading, t('floor.heading'));
      setText(hint, t('floor.pick'));
    };
    container.replaceChildren(h('header', { class: 'view-head' }, heading), hint);
    draw();
    return { relabel: draw, unmount() {} };
  },
};
