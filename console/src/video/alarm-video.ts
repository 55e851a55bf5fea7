// AlarmVideoPanel: the video of one alarm for the alarm list's detail area — the snapshot and
// clip the hub recorded for it (alarm action `camera-snapshot`) and the live view of the camera
// nearest the alarm (same room, else same floor, else same building).
//
// Alarms carry no attachment field: the hub names an alarm's captures `…-alarm-<id>.jpg|mp4`
// (hub/video/module.ts handleCameraAction), so they are found in the cameras' capture lists by
// that name and the alarm's time (captures.ts). A clip is written ~5 s after the alarm, so while
// the alarm is young the panel looks again until both captures are there.
import type { AlarmView } from '../../../contracts/alarms.js';
import type { SessionInfo } from '../../../contracts/api.js';
import { can } from '../../../contracts/auth.js';
import { h, setText } from '../dom.js';
import { formatDateTime, getLocale, localized, t } from '../i18n.js';
import { CameraApi } from './camera-api.js';
import type { CameraInfo, CaptureFile } from './camera-types.js';
import { createCameraTile, type CameraTile } from './camera-wall.js';
import { captureForAlarm } from './captures.js';
import { nearestCamera, type Nearness } from './nearest.js';
import { tileLabels } from './status-text.js';
import './video.css';

export interface AlarmVideoContext {
  session: SessionInfo;
  api?: CameraApi;
  /** Keep looking for captures this long after the alarm raised (ms). */
  lookForMs?: number;
  retryMs?: number;
}

interface Found { snapshot?: CaptureFile; clip?: CaptureFile }

type AlarmRef = Pick<AlarmView, 'id' | 'area' | 'activeSince' | 'lastChange'>;

export class AlarmVideoPanel {
  readonly el: HTMLElement;
  /** Settles after the first load (tests wait on it). */
  ready: Promise<void>;
  private readonly api: CameraApi;
  private readonly heading = h('h3');
  private readonly captures = h('div', { class: 'alarm-video-grid alarm-video-captures' });
  private readonly live = h('div', { class: 'alarm-video-grid alarm-video-live' });
  private readonly note = h('p', { class: 'alarm-video-note' });
  private tile?: { tile: CameraTile; camera: CameraInfo; nearness: Nearness; caption: HTMLElement };
  private found: Found = {};
  private cameras: CameraInfo[] = [];
  private retry?: ReturnType<typeof setTimeout>;
  private generation = 0;

  constructor(private alarm: AlarmRef, private readonly ctx: AlarmVideoContext) {
    this.api = ctx.api ?? new CameraApi(() => ctx.session.token);
    this.el = h('section', { class: 'alarm-video', 'data-alarm-id': alarm.id }, this.heading, this.captures, this.note, this.live);
    setText(this.heading, t('cam.alarm.heading'));
    this.note.hidden = true;
    this.ready = this.load();
  }

  /** Another alarm (or the same one re-raised): show its video. Same alarm, same activation: nothing. */
  update(alarm: AlarmRef): void {
    const same = alarm.id === this.alarm.id && alarm.activeSince === this.alarm.activeSince;
    this.alarm = alarm;
    if (same) return;
    this.el.dataset.alarmId = alarm.id;
    this.ready = this.load();
  }

  relabel(): void {
    this.drawCaptures();
    if (this.tile) {
      this.tile.tile.relabel(tileLabels(), getLocale());
      this.drawTileCaption();
    }
  }

  destroy(): void {
    this.generation++;
    clearTimeout(this.retry);
    this.tile?.tile.destroy();
    this.tile = undefined;
  }

  private async load(): Promise<void> {
    const gen = ++this.generation;
    clearTimeout(this.retry);
    this.found = {};
    if (!can(this.ctx.session.permissions, 'cameras:view')) {
      this.live.replaceChildren();
      this.drawCaptures();
      return;
    }
    try {
      this.cameras = await this.api.list();
    } catch (err) {
      if (gen !== this.generation) return;
      this.drawCaptures(t('cam.failed', { message: (err as Error).message }));
      return;
    }
    if (gen !== this.generation) return;
    this.showLive();
    await this.findCaptures(gen);
  }

  private showLive(): void {
    const near = nearestCamera(this.cameras, this.alarm.area);
    if (this.tile && near?.camera.id === this.tile.camera.id) {
      this.tile.nearness = near.nearness;
      this.drawTileCaption();
      return;
    }
    this.tile?.tile.destroy();
    this.tile = undefined;
    if (!near) {
      this.live.replaceChildren();
      return;
    }
    const tile = createCameraTile(near.camera, { token: this.ctx.session.token, locale: getLocale(), labels: tileLabels() });
    const caption = h('figcaption', { class: 'alarm-video-caption' });
    this.tile = { tile, camera: near.camera, nearness: near.nearness, caption };
    this.live.replaceChildren(h('figure', { class: 'alarm-video-live-view', 'data-camera': near.camera.id }, tile.el, caption));
    this.drawTileCaption();
  }

  /** The nearest camera first (usually the one the rule names), then the others. */
  private async findCaptures(gen: number): Promise<void> {
    const nearId = this.tile?.camera.id;
    const order = [...this.cameras].sort((a, b) => Number(b.id === nearId) - Number(a.id === nearId));
    const since = this.alarm.activeSince;
    for (const camera of order) {
      try {
        const [snaps, clips] = await Promise.all([this.api.files(camera.id, 'snapshots'), this.api.files(camera.id, 'clips')]);
        if (gen !== this.generation) return;
        const found = { snapshot: captureForAlarm(snaps, this.alarm.id, since), clip: captureForAlarm(clips, this.alarm.id, since) };
        if (found.snapshot || found.clip) {
          this.found = found;
          break;
        }
      } catch {
        /* a camera's list failing must not hide another camera's captures */
      }
    }
    if (gen !== this.generation) return;
    this.drawCaptures();
    const age = Date.now() - (since ?? this.alarm.lastChange);
    if ((!this.found.snapshot || !this.found.clip) && age < (this.ctx.lookForMs ?? 60_000)) {
      this.retry = setTimeout(() => void this.findCaptures(gen), this.ctx.retryMs ?? 4_000);
    }
  }

  private drawTileCaption(): void {
    if (!this.tile) return;
    const { camera, nearness, caption } = this.tile;
    setText(caption, `${t('cam.alarm.live', { name: localized(camera.name) })} · ${t(`cam.alarm.near.${nearness}`)}`);
  }

  private drawCaptures(error?: string): void {
    setText(this.heading, t('cam.alarm.heading'));
    const { snapshot, clip } = this.found;
    const figure = (f: CaptureFile, media: HTMLElement, label: string) =>
      h('figure', { class: `alarm-capture alarm-capture-${f.kind}`, 'data-file': f.file }, media,
        h('figcaption', { class: 'alarm-video-caption' }, `${label}${f.at !== undefined ? ` · ${formatDateTime(f.at)}` : ''}`));
    this.captures.replaceChildren(
      ...(snapshot ? [figure(snapshot, h('img', { src: snapshot.url, alt: t('cam.alarm.snapshot') }), t('cam.alarm.snapshot'))] : []),
      ...(clip ? [figure(clip, h('video', { src: clip.url, controls: true, muted: true, preload: 'metadata', class: 'alarm-clip' }), t('cam.alarm.clip'))] : []),
    );
    const notes = [error, !snapshot && !clip ? t('cam.alarm.noCapture') : '', this.cameras.length && !this.tile ? t('cam.alarm.noCamera') : ''].filter(Boolean);
    setText(this.note, notes.join(' '));
    this.note.hidden = notes.length === 0;
  }
}

/** Convenience: `detail.append(createAlarmVideoPanel(alarm, ctx).el)`; call destroy() on leaving. */
export function createAlarmVideoPanel(alarm: AlarmRef, ctx: AlarmVideoContext): AlarmVideoPanel {
  return new AlarmVideoPanel(alarm, ctx);
}
