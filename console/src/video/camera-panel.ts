// openCameraPanel(cameraId, ctx): one camera in an overlay above whatever view is showing (the 3D
// wall calls it when a camera marker is clicked). Esc, the close button or a click on the
// backdrop closes it and stops its video.
import type { SessionInfo, SiteTree } from '../../../contracts/api.js';
import type { ApiClient } from '../api.js';
import { h, setText } from '../dom.js';
import { onLocaleChange, t } from '../i18n.js';
import { hrefOf } from '../router.js';
import { CameraApi } from './camera-api.js';
import { createCameraDetail, type CameraDetail } from './camera-detail.js';
import { placeName } from './place-name.js';
import { positionReader } from './ptz-position.js';

export interface CameraPanelContext {
  session: SessionInfo;
  /** For the PTZ position readout (the camera's points); optional. */
  api?: Pick<ApiClient, 'allPoints'>;
  site?: SiteTree;
}

export interface CameraPanel {
  readonly el: HTMLElement;
  /** Resolves once the camera is shown (or its error is). */
  readonly ready: Promise<void>;
  close(): void;
}

let open: CameraPanel | undefined;

/** Opens the camera's panel (replacing one already open). */
export function openCameraPanel(cameraId: string, ctx: CameraPanelContext, host: HTMLElement = document.body): CameraPanel {
  open?.close();
  const cameras = new CameraApi(() => ctx.session.token);
  const body = h('div', { class: 'camera-panel-body' }, h('p', { class: 'view-status' }, t('cam.loading')));
  const closeButton = h('button', { type: 'button', class: 'btn camera-panel-close' }, t('cam.panel.close'));
  const pageLink = h('a', { class: 'btn ghost', href: hrefOf('cameras', cameraId) }, t('cam.panel.open'));
  const dialog = h('div', { class: 'camera-panel', role: 'dialog', 'aria-modal': 'true', 'data-camera': cameraId },
    h('div', { class: 'camera-panel-bar' }, pageLink, closeButton), body);
  const el = h('div', { class: 'camera-panel-backdrop' }, dialog);
  let detail: CameraDetail | undefined;
  let closed = false;

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') panel.close();
  };
  const stopRelabel = onLocaleChange(() => {
    setText(closeButton, t('cam.panel.close'));
    setText(pageLink, t('cam.panel.open'));
    detail?.relabel();
  });
  const panel: CameraPanel = {
    el,
    ready: cameras.get(cameraId).then(
      (camera) => {
        if (closed) return;
        const readPosition = ctx.api && ctx.site ? positionReader(ctx.api, ctx.site.id, camera) : undefined;
        const site = ctx.site;
        detail = createCameraDetail(camera, { session: ctx.session, api: cameras, readPosition, placeName: site ? (l) => placeName(site, l) : undefined });
        body.replaceChildren(detail.el);
      },
      (err: Error) => {
        if (!closed) body.replaceChildren(h('p', { class: 'view-status' }, t('view.loadFailed', { message: err.message })));
      },
    ),
    close() {
      if (closed) return;
      closed = true;
      detail?.destroy();
      stopRelabel();
      document.removeEventListener('keydown', onKey);
      el.remove();
      if (open === panel) open = undefined;
    },
  };
  closeButton.addEventListener('click', () => panel.close());
  pageLink.addEventListener('click', () => panel.close());
  el.addEventListener('click', (e) => {
    if (e.target === el) panel.close();
  });
  document.addEventListener('keydown', onKey);
  host.append(el);
  open = panel;
  return panel;
}
