// One camera in full: status, the live tile, snapshot and clip buttons, the stored snapshots and
// clips (shown and played in place), and the PTZ controls for roles with `cameras:ptz`. Used by
// the cameras page and by openCameraPanel (the 3D wall's camera markers).
import type { SessionInfo } from '../../../contracts/api.js';
import { can } from '../../../contracts/auth.js';
import { h, setText } from '../dom.js';
import { formatDateTime, getLocale, localized, t } from '../i18n.js';
import { CameraApi } from './camera-api.js';
import type { CameraInfo, CaptureFile, PtzPosition } from './camera-types.js';
import { createCameraTile, type CameraTile } from './camera-wall.js';
import { Labels } from './labels.js';
import { createPtzControls, type PtzControls } from './ptz-controls.js';
import { cameraStatusText, tileLabels } from './status-text.js';
import './video.css';

export interface CameraDetailOptions {
  session: SessionInfo;
  api?: CameraApi;
  /** Current PTZ position (e.g. from the camera's pan/tilt/zoom points). */
  readPosition?(): Promise<PtzPosition | undefined>;
  /** `a/l01/lobby-101` in words (from the site tree); default the path itself. */
  placeName?(location: string): string;
  /** How many stored snapshots / clips to list. */
  listLimit?: number;
}

export interface CameraDetail {
  el: HTMLElement;
  tile: CameraTile;
  ptz?: PtzControls;
  relabel(): void;
  refresh(camera: CameraInfo): void;
  destroy(): void;
}

export function createCameraDetail(initial: CameraInfo, o: CameraDetailOptions): CameraDetail {
  let camera = initial;
  const api = o.api ?? new CameraApi(() => o.session.token);
  const labels = new Labels();
  const limit = o.listLimit ?? 8;
  const objectUrls = new Set<string>();

  const title = h('h2', { class: 'camera-title' });
  const status = h('span', { class: 'camera-status' });
  const note = h('p', { class: 'camera-note' });
  const tile = createCameraTile(camera, { token: o.session.token, locale: getLocale(), labels: tileLabels() });

  // Preview: the snapshot just taken, or a stored snapshot / clip picked from the lists.
  const preview = h('div', { class: 'camera-preview', hidden: true });
  const previewCaption = h('p', { class: 'camera-preview-caption' });
  const showImage = (src: string, caption: string) => {
    preview.replaceChildren(h('img', { src, alt: caption, class: 'camera-preview-img' }), previewCaption);
    setText(previewCaption, caption);
    preview.hidden = false;
  };
  const showClip = (src: string, caption: string) => {
    preview.replaceChildren(h('video', { src, controls: true, autoplay: true, muted: true, class: 'camera-preview-video' }), previewCaption);
    setText(previewCaption, caption);
    preview.hidden = false;
  };

  const message = h('p', { class: 'camera-message', role: 'status' });
  const busyButton = (cls: string, key: 'cam.snapshot' | 'cam.clip', busyKey: 'cam.snapshot.busy' | 'cam.clip.busy', work: () => Promise<void>) => {
    const b = h('button', { type: 'button', class: `btn ${cls}` });
    let busy = false;
    labels.bind(b, () => t(busy ? busyKey : key));
    b.addEventListener('click', async () => {
      if (busy) return;
      busy = true;
      b.disabled = true;
      labels.apply();
      setText(message, '');
      try {
        await work();
      } catch (err) {
        setText(message, t('cam.failed', { message: (err as Error).message }));
      } finally {
        busy = false;
        b.disabled = false;
        labels.apply();
      }
    });
    return b;
  };
  const snapshotButton = busyButton('camera-snapshot', 'cam.snapshot', 'cam.snapshot.busy', async () => {
    const { blob, file } = await api.snapshot(camera.id);
    const url = URL.createObjectURL(blob);
    objectUrls.add(url);
    showImage(url, file ?? formatDateTime(Date.now()));
    void loadFiles();
  });
  const clipButton = busyButton('camera-clip', 'cam.clip', 'cam.clip.busy', async () => {
    const clip = await api.clip(camera.id);
    const files = await loadFiles();
    const stored = files?.clips.find((f) => f.file === clip.file);
    if (stored) showClip(stored.url, stored.file);
  });

  const snapshotList = h('ul', { class: 'capture-list', 'data-kind': 'snapshots' });
  const clipList = h('ul', { class: 'capture-list', 'data-kind': 'clips' });
  const captureItem = (f: CaptureFile) => {
    const when = f.at !== undefined ? formatDateTime(f.at) : f.file;
    const label = f.reason && f.reason !== 'manual' ? `${when} · ${f.reason}` : when;
    const b = h('button', { type: 'button', class: 'capture', 'data-file': f.file, title: f.file },
      f.kind === 'snapshots' ? h('img', { src: f.url, alt: '', loading: 'lazy' }) : h('span', { class: 'capture-play' }, '▶'),
      h('span', {}, label));
    b.addEventListener('click', () => (f.kind === 'snapshots' ? showImage(f.url, f.file) : showClip(f.url, f.file)));
    return h('li', {}, b);
  };
  const drawList = (ul: HTMLElement, files: CaptureFile[]) => {
    if (!files.length) {
      ul.replaceChildren(h('li', { class: 'muted' }, t('cam.files.none')));
      return;
    }
    const more = files.length - limit;
    const items = files.slice(0, limit).map(captureItem);
    if (more > 0) items.push(h('li', { class: 'muted' }, t('cam.files.more', { n: more })));
    ul.replaceChildren(...items);
  };
  let lastFiles: { snapshots: CaptureFile[]; clips: CaptureFile[] } | undefined;
  const loadFiles = async () => {
    try {
      const [snapshots, clips] = await Promise.all([api.files(camera.id, 'snapshots'), api.files(camera.id, 'clips')]);
      lastFiles = { snapshots, clips };
      drawList(snapshotList, snapshots);
      drawList(clipList, clips);
      return lastFiles;
    } catch (err) {
      setText(message, t('cam.failed', { message: (err as Error).message }));
      return undefined;
    }
  };

  const mayPtz = can(o.session.permissions, 'cameras:ptz');
  const canSetPresets = o.session.permissions.includes('cameras:presets');
  let ptz: PtzControls | undefined;
  const ptzSlot = h('div', { class: 'camera-ptz-slot' });
  const ptzNone = h('p', { class: 'muted camera-no-ptz' });
  const drawPtz = () => {
    if (!mayPtz) return; // viewers and energy officers: no controls at all
    if (camera.ptz && !ptz) {
      ptz = createPtzControls(camera, { api, canSetPresets, readPosition: o.readPosition });
      ptzSlot.replaceChildren(ptz.el);
    } else if (ptz) {
      ptz.refresh(camera);
    } else {
      ptzSlot.replaceChildren(ptzNone);
    }
  };

  const draw = () => {
    setText(title, localized(camera.name));
    const s = cameraStatusText(camera);
    setText(status, s.text);
    status.className = `camera-status cam-${camera.state}`;
    status.dataset.state = camera.state;
    const place = camera.location ? (o.placeName?.(camera.location) ?? camera.location) : '';
    setText(note, [place, s.note].filter(Boolean).join(' · '));
    note.title = camera.detail ?? '';
    setText(ptzNone, t('cam.ptz.none'));
  };

  const el = h('article', { class: 'camera-detail', 'data-camera': camera.id },
    h('header', { class: 'camera-head' }, title, status),
    note,
    h('div', { class: 'camera-body' },
      h('div', { class: 'camera-main' }, tile.el, h('div', { class: 'camera-actions', hidden: !o.session.permissions.includes('cameras:record') }, snapshotButton, clipButton), message, preview),
      h('div', { class: 'camera-side' },
        ptzSlot,
        labels.bind(h('h3'), () => t('cam.snapshots')), snapshotList,
        labels.bind(h('h3'), () => t('cam.clips')), clipList)));
  draw();
  drawPtz();
  void loadFiles();

  return {
    el,
    tile,
    get ptz() {
      return ptz;
    },
    relabel() {
      labels.apply();
      tile.relabel(tileLabels(), getLocale());
      ptz?.relabel();
      draw();
      if (lastFiles) {
        drawList(snapshotList, lastFiles.snapshots);
        drawList(clipList, lastFiles.clips);
      }
    },
    refresh(next) {
      camera = next;
      draw();
      drawPtz();
    },
    destroy() {
      tile.destroy();
      ptz?.destroy();
      for (const url of objectUrls) URL.revokeObjectURL(url);
    },
  };
}
