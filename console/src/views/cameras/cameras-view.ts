// `/cameras/:id?`: the list of cameras with their status, and one camera in detail (live tile,
// snapshots and clips, PTZ for roles with `cameras:ptz`). Status is refreshed every few seconds.
import { h, setText } from '../../dom.js';
import { localized, t } from '../../i18n.js';
import { hrefOf, type RouteParams } from '../../router.js';
import { CameraApi } from '../../video/camera-api.js';
import { createCameraDetail, type CameraDetail } from '../../video/camera-detail.js';
import type { CameraInfo } from '../../video/camera-types.js';
import { Labels } from '../../video/labels.js';
import { placeName } from '../../video/place-name.js';
import { positionReader } from '../../video/ptz-position.js';
import { cameraStatusText } from '../../video/status-text.js';
import { WALL_LAYOUTS } from '../../video/wall-pages.js';
import type { MountedView, ViewContext, ViewModule } from '../view.js';
import './cameras.css';

const REFRESH_MS = 5000;

export const camerasView: ViewModule = {
  id: 'cameras',
  mount(container: HTMLElement, params: RouteParams, ctx: ViewContext): MountedView {
    const api = new CameraApi(() => ctx.session.token);
    const labels = new Labels();
    const title = h('h2', { class: 'view-title' });
    const back = labels.bind(h('a', { class: 'btn ghost cameras-back', href: hrefOf('cameras') }), () => t('cam.back'));
    const wallLinks = h('span', { class: 'cameras-wall-links' },
      ...WALL_LAYOUTS.map((n) => labels.bind(h('a', { class: 'btn ghost', href: `#/cameras/wall?layout=${n}` }), () => t('cam.wallOf', { n }))),
      labels.bind(h('a', { class: 'btn ghost', href: '#/cameras/wall?layout=16&by=alarm' }), () => t('cam.wall.byAlarm')));
    const status = h('p', { class: 'view-status' });
    const body = h('div', { class: 'cameras-body' });
    container.replaceChildren(h('section', { class: 'cameras-view' }, h('header', { class: 'view-head' }, title, back, wallLinks), status, body));

    let cameraId = params.id;
    let detail: CameraDetail | undefined;
    let list: CameraInfo[] | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let alive = true;
    let gen = 0;

    const drawList = () => {
      if (!list) return;
      if (!list.length) {
        body.replaceChildren();
        setText(status, t('cam.empty'));
        return;
      }
      setText(status, '');
      const head = h('tr', {}, ...(['cam.col.camera', 'cam.col.location', 'cam.col.status', 'cam.col.video'] as const).map((k) => h('th', { scope: 'col' }, t(k))));
      const rows = list.map((c) => {
        const s = cameraStatusText(c);
        return h('tr', { class: `camera-row${s.fault ? ' fault' : ''}`, 'data-camera': c.id, 'data-state': c.state },
          h('td', {}, h('a', { href: hrefOf('cameras', c.id), class: 'camera-link' }, localized(c.name)), h('div', { class: 'pid' }, c.id)),
          h('td', {}, placeName(ctx.site, c.location)),
          h('td', { class: `camera-state cam-${c.state}`, title: c.detail ?? '' }, s.text),
          h('td', { class: 'camera-video' }, [c.codec, c.width && c.height ? `${c.width}×${c.height}` : '', c.ptz ? t('cam.ptzCapable') : '', s.note].filter(Boolean).join(' · ')));
      });
      body.replaceChildren(h('table', { class: 'cameras' }, h('thead', {}, head), h('tbody', {}, ...rows)));
    };

    const drawTitle = () => {
      setText(title, t('cam.title'));
      back.hidden = !cameraId;
      wallLinks.hidden = !!cameraId;
    };

    const refresh = async (g: number) => {
      try {
        list = await api.list();
        if (g !== gen || !alive) return;
        if (!cameraId) drawList();
        else {
          const cam = list.find((c) => c.id === cameraId);
          if (!cam) {
            detail?.destroy();
            detail = undefined;
            body.replaceChildren();
            setText(status, t('cam.unknown', { id: cameraId }));
          } else if (!detail) {
            setText(status, '');
            detail = createCameraDetail(cam, {
              session: ctx.session,
              api,
              readPosition: positionReader(ctx.api, ctx.site.id, cam),
              placeName: (location) => placeName(ctx.site, location),
            });
            body.replaceChildren(detail.el);
          } else {
            detail.refresh(cam);
          }
        }
        drawTitle();
      } catch (err) {
        if (g === gen && alive) setText(status, t('view.loadFailed', { message: (err as Error).message }));
      }
      if (g === gen && alive) timer = setTimeout(() => void refresh(g), REFRESH_MS);
    };

    const show = (id: string | undefined) => {
      gen++;
      clearTimeout(timer);
      detail?.destroy();
      detail = undefined;
      cameraId = id;
      body.replaceChildren();
      setText(status, t('cam.loading'));
      drawTitle();
      void refresh(gen);
    };
    show(cameraId);

    return {
      update(p) {
        show(p.id);
        return true;
      },
      relabel() {
        labels.apply();
        drawTitle();
        if (cameraId) detail?.relabel();
        else drawList();
      },
      unmount() {
        alive = false;
        clearTimeout(timer);
        detail?.destroy();
      },
    };
  },
};
