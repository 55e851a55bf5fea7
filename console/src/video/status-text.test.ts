import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../i18n.js';
import { cameraStatusText, tileLabels } from './status-text.js';

afterEach(() => setLocale('en'));

describe('cameraStatusText', () => {
  it.each([
    [{ state: 'online', stream: { state: 'idle', viewers: 0 } }, { text: 'Online', note: '', fault: false }],
    [{ state: 'online', stream: { state: 'live', viewers: 2 } }, { text: 'Online', note: 'Live · viewers: 2', fault: false }],
    [{ state: 'auth_failed', detail: 'ter:NotAuthorized', stream: { state: 'idle', viewers: 0 } }, { text: 'Authentication failed', note: 'ter:NotAuthorized', fault: true }],
    [{ state: 'offline', detail: 'connect ECONNREFUSED', stream: { state: 'reconnecting', viewers: 1, detail: 'ffmpeg exited' } },
      { text: 'Unreachable', note: 'connect ECONNREFUSED · Reconnecting (ffmpeg exited)', fault: true }],
    [{ state: 'online', stream: { state: 'live', viewers: 1, transcoding: true, detail: 'transcoding hevc → H.264' } },
      { text: 'Online', note: 'Live · viewers: 1 · Transcoding: transcoding hevc → H.264', fault: false }],
    [{ state: 'connecting', stream: { state: 'idle', viewers: 0 } }, { text: 'Connecting', note: '', fault: false }],
  ] as const)('%j', (camera, want) => {
    expect(cameraStatusText(camera as never)).toEqual(want);
  });

  it('speaks Chinese after a language switch', () => {
    setLocale('zh-CN');
    expect(cameraStatusText({ state: 'offline', stream: { state: 'idle', viewers: 0 } }).text).toBe('不可达');
    expect(tileLabels().reconnecting).toBe('重新连接中…');
  });
});
