// `/cameras/wall?layout=16&cycle=30[&area=out/x2 | &by=alarm]`: the camera wall for the control-room
// display. Fills the screen, needs no pointer, large labels; every tile reconnects by itself. With
// more cameras than tiles it turns the page every `cycle` seconds (and picks up added cameras as it
// does). `area` shows that area's cameras; `by=alarm` the cameras nearest the top alarm first,
// following it as alarms change (re-read with the camera list).
import type { AlarmView } from '../../../../contracts/alarms.js';
import { hubJson } from '../../api.js';
import { h, setText } from '../../dom.js';
import { getLocale, t } from '../../i18n.js';
import { CameraApi } from '../../video/camera-api.js';
import type { CameraInfo } from '../../video/camera-types.js';
import { createCameraTile, type CameraTile } from '../../video/camera-wall.js';
import { tileLabels } from '../../video/status-text.js';
import { columnsOf, pageCount, parseWallOptions, wallPage } from '../../video/wall-pages.js';
import { parseWallSource, selectWallCameras } from '../../video/wall-select.js';
import type { MountedView, ViewContext, ViewModule } from '../view.js';
import './cameras.css';

/** The query part of the hash (`#/cameras/wall?layout=9` → `layout=9`). */
function hashQuery(): string {
  const i = location.hash.indexOf('?');
  return i < 0 ? '' : location.hash.slice(i + 1);
}

export const cameraWallView: ViewModule = {
  id: 'camera-wall',
  mount(container: HTMLElement, _params, ctx: ViewContext): MountedView {
    const opts = parseWallOptions(hashQuery());
    const source = parseWallSource(hashQuery());
    const api = new CameraApi(() => ctx.session.token);
    const grid = h('div', { class: 'camwall-grid', 'data-layout': opts.layout });
    // A phone held upright: two columns of taller tiles rather than four slivers.
    const cols = window.innerWidth < 600 ? Math.min(2, columnsOf(opts.layout)) : columnsOf(opts.layout);
    grid.style.gridTemplateColumns = `repeat(${cols}, minmax(0, 1fr))`;
    grid.style.gridTemplateRows = `repeat(${Math.ceil(opts.layout / cols)}, minmax(0, 1fr))`;
    const pageLabel = h('div', { class: 'camwall-page', 'aria-live': 'polite' });
    const hint = h('div', { class: 'camwall-hint' });
    const status = h('div', { class: 'camwall-status' });
    const focus = h('div', { class: 'camwall-focus', 'aria-live': 'polite' });
    const root = h('section', { class: 'camwall', 'data-layout': opts.layout, 'data-source': source.kind }, grid, status, pageLabel, hint, focus);
    container.replaceChildren(root);
    // A display, not a workstation: the shell's chrome under the wall is hidden and out of reach.
    const shell = container.closest('.shell');
    shell?.classList.add('fullscreen');

    let cameras: CameraInfo[] = [];
    let followed: AlarmView | undefined;
    let page = opts.page;
    let tiles: CameraTile[] = [];
    let shownIds = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    let alive = true;

    const drawLabels = () => {
      const pages = pageCount(cameras.length, opts.layout);
      setText(pageLabel, pages > 1 ? t('cam.wall.page', { n: (page % pages) + 1, total: pages }) : '');
      pageLabel.hidden = pages <= 1;
      setText(hint, t('cam.wall.exit'));
      setText(status, cameras.length ? '' : t('cam.empty'));
      const place = source.kind === 'area' ? source.area : followed?.area;
      setText(focus, source.kind === 'area' ? t('cam.wall.area', { area: place ?? '' }) : source.kind === 'alarm' ? (followed ? t('cam.wall.alarm', { area: followed.area, message: followed.message[getLocale()] }) : t('cam.wall.noAlarm')) : '');
      focus.hidden = source.kind === 'all';
    };

    const drawPage = () => {
      const visible = wallPage(cameras, opts.layout, page);
      const ids = visible.map((c) => c.id).join(',');
      if (ids !== shownIds) {
        // Only a different set of cameras re-creates the tiles: a refresh must not blink the video.
        tiles.forEach((tile) => tile.destroy());
        tiles = visible.map((c) => createCameraTile(c, { token: ctx.session.token, locale: getLocale(), labels: tileLabels(), large: true }));
        const empty = Array.from({ length: Math.max(0, opts.layout - tiles.length) }, () => h('div', { class: 'camwall-empty' }));
        grid.replaceChildren(...tiles.map((tile) => tile.el), ...empty);
        shownIds = ids;
      }
      drawLabels();
    };

    const tick = async (first: boolean) => {
      try {
        const [fresh, alarms] = await Promise.all([
          api.list(),
          source.kind === 'alarm' ? hubJson<AlarmView[]>({ baseUrl: '', token: () => ctx.session.token }, 'GET', '/api/alarms').catch(() => [] as AlarmView[]) : Promise.resolve([] as AlarmView[]),
        ]);
        if (!alive) return;
        const sel = selectWallCameras(fresh, source, alarms);
        const newAlarm = sel.alarm?.id !== followed?.id;
        followed = sel.alarm;
        cameras = sel.cameras;
        if (!first && opts.cycleS > 0 && pageCount(cameras.length, opts.layout) > 1) page++;
        // A new top alarm shows its nearest cameras, on the first page, at once.
        if (newAlarm && !first) page = 0;
        drawPage();
      } catch (err) {
        if (alive) setText(status, t('view.loadFailed', { message: (err as Error).message }));
      }
      // Without cycling, still re-read the list now and then (cameras added or removed).
      if (alive) timer = setTimeout(() => void tick(false), (opts.cycleS || 60) * 1000);
    };
    void tick(true);

    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') location.hash = '#/cameras';
    };
    document.addEventListener('keydown', onKey);
    document.documentElement.classList.add('camwall-active');

    return {
      // A new layout or cycle comes in the query: mount afresh.
      update: () => false,
      relabel() {
        tiles.forEach((tile) => tile.relabel(tileLabels(), getLocale()));
        drawLabels();
      },
      unmount() {
        alive = false;
        clearTimeout(timer);
        tiles.forEach((tile) => tile.destroy());
        document.removeEventListener('keydown', onKey);
        document.documentElement.classList.remove('camwall-active');
        shell?.classList.remove('fullscreen');
      },
    };
  },
};
