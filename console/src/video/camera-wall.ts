// Camera tiles and a wall of them, built on LowLatencyPlayer. Self-contained (no i18n import):
// the caller passes the labels in its locale. Register in the console as a view, e.g.
//   const wall = createCameraWall(cameras, { token: session.token, locale, labels }); container.append(wall.el);
// and call wall.destroy() when leaving the view (closes every WebSocket).
import { LowLatencyPlayer, type PlayerState } from './player.js';

export interface WallCamera {
  id: string;
  name: { en: string; 'zh-CN': string };
  /** WebSocket path from GET /api/cameras (`/video/<id>`). */
  videoPath: string;
  state?: string;
  ptz?: boolean;
}

export interface TileOptions {
  /** Session token (sent as ?token=, browsers cannot set WebSocket headers). */
  token: string;
  locale: 'en' | 'zh-CN';
  /** ws(s)://host; defaults to this page's host. */
  origin?: string;
  labels?: Partial<Record<PlayerState, string>>;
  /** Called when a tile is clicked (e.g. open the camera full size with PTZ controls). */
  onSelect?(camera: WallCamera): void;
  /** Big caption and state badge, readable across a control room (the wall display). */
  large?: boolean;
}

const DEFAULT_LABELS: Record<'en' | 'zh-CN', Record<PlayerState, string>> = {
  en: { connecting: 'Connecting…', playing: '', reconnecting: 'Reconnecting…', failed: 'Video unavailable', stopped: 'Stopped' },
  'zh-CN': { connecting: '连接中…', playing: '', reconnecting: '重新连接中…', failed: '视频不可用', stopped: '已停止' },
};

export function videoUrl(camera: WallCamera, o: Pick<TileOptions, 'token' | 'origin'>): string {
  const origin = o.origin ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
  return `${origin}${camera.videoPath}?token=${encodeURIComponent(o.token)}`;
}

export interface CameraTile {
  el: HTMLElement;
  player: LowLatencyPlayer;
  destroy(): void;
  /** New state labels (language switch). */
  relabel(labels: Partial<Record<PlayerState, string>>, locale?: 'en' | 'zh-CN'): void;
}

export function createCameraTile(camera: WallCamera, o: TileOptions): CameraTile {
  const el = document.createElement('figure');
  el.className = o.large ? 'camera-tile camera-tile-large' : 'camera-tile';
  el.dataset.camera = camera.id;
  el.style.cssText = `position:relative;margin:0;background:#000;aspect-ratio:16/9;overflow:hidden;cursor:${o.onSelect ? 'pointer' : 'default'}`;
  // The console's font stack (var(--font): it carries Noto Sans SC), not bare sans-serif: Chinese
  // names would draw as boxes on a box without system CJK fonts.
  const font = o.large ? '600 clamp(16px, 2.2vw, 34px) var(--font, sans-serif)' : '12px var(--font, sans-serif)';
  const video = document.createElement('video');
  video.style.cssText = 'width:100%;height:100%;object-fit:contain';
  const caption = document.createElement('figcaption');
  let locale = o.locale;
  caption.textContent = camera.name[locale];
  caption.className = 'camera-tile-name';
  caption.style.cssText = `position:absolute;left:0;bottom:0;padding:${o.large ? '4px 12px' : '2px 6px'};color:#fff;background:rgba(0,0,0,.6);font:${font}`;
  const badge = document.createElement('span');
  badge.className = 'camera-tile-state';
  badge.style.cssText = `position:absolute;right:4px;top:4px;max-width:calc(100% - 8px);padding:${o.large ? '4px 12px' : '1px 6px'};color:#fff;background:rgba(160,60,0,.85);font:${font};border-radius:3px`;
  const labels = { ...DEFAULT_LABELS[o.locale], ...o.labels };
  const show = (s: PlayerState, detail?: string) => {
    // A refusal or failure says why on the tile itself (e.g. "camera x already has 16 viewers…").
    badge.textContent = s === 'failed' && detail ? `${labels[s]} — ${detail}` : labels[s];
    badge.title = detail ?? '';
    badge.hidden = !labels[s];
    el.dataset.state = s;
  };
  show('connecting');
  el.append(video, caption, badge);
  if (o.onSelect) el.addEventListener('click', () => o.onSelect!(camera));
  const player = new LowLatencyPlayer(video, videoUrl(camera, o), { onState: show });
  player.start();
  return {
    el,
    player,
    destroy: () => player.stop(),
    relabel(next, nextLocale) {
      Object.assign(labels, next);
      if (nextLocale) locale = nextLocale;
      caption.textContent = camera.name[locale];
      show(player.state);
    },
  };
}

export interface CameraWall {
  el: HTMLElement;
  tiles: CameraTile[];
  destroy(): void;
}

/** A square-ish grid (4×4 for 16 cameras). */
export function createCameraWall(cameras: WallCamera[], o: TileOptions): CameraWall {
  const el = document.createElement('div');
  el.className = 'camera-wall';
  const cols = Math.max(1, Math.ceil(Math.sqrt(cameras.length)));
  el.style.cssText = `display:grid;grid-template-columns:repeat(${cols},1fr);gap:4px;background:#111`;
  const tiles = cameras.map((c) => createCameraTile(c, o));
  el.append(...tiles.map((t) => t.el));
  return { el, tiles, destroy: () => tiles.forEach((t) => t.destroy()) };
}
