// Words for a camera's state: the driver state (online / auth failed / unreachable…), the stream
// state, and the transcoding note when the camera's codec forces the hub to re-encode.
import { t, type MessageKey } from '../i18n.js';
import type { PlayerState } from './player.js';
import type { CameraInfo } from './camera-types.js';

export interface CameraStatusText {
  /** Driver state in words. */
  text: string;
  /** Why it is not online, the stream state, or the transcoding note ('' when nothing to add). */
  note: string;
  /** Not normal: shown in the fault colour. */
  fault: boolean;
}

export function cameraStatusText(c: Pick<CameraInfo, 'state' | 'detail' | 'stream'>): CameraStatusText {
  const text = t(`cam.state.${c.state}` as MessageKey);
  const notes: string[] = [];
  if (c.state !== 'online' && c.detail) notes.push(c.detail);
  const s = c.stream;
  if (s.state === 'live') notes.push(t('cam.stream.live', { n: s.viewers }));
  else if (s.state !== 'idle') notes.push(t(`cam.stream.${s.state}` as MessageKey) + (s.detail && !s.transcoding ? ` (${s.detail})` : ''));
  if (s.transcoding) notes.push(t('cam.transcoding', { detail: s.detail ?? s.codec ?? '' }));
  return { text, note: notes.join(' · '), fault: c.state !== 'online' && c.state !== 'connecting' };
}

/** The live tile's state badges in the current language (playing shows none). */
export function tileLabels(): Record<PlayerState, string> {
  return {
    connecting: t('cam.tile.connecting'),
    playing: '',
    reconnecting: t('cam.tile.reconnecting'),
    failed: t('cam.tile.failed'),
    stopped: t('cam.tile.stopped'),
  };
}
