import { describe, expect, it } from 'vitest';
import type { BroadcastJob } from './control-api.js';
import { TTS_MAX_CHARS, buildRequest, sentJobState } from './broadcast-view.js';

const NOW = Date.UTC(2026, 2, 10, 2);

describe('the broadcast request of the form', () => {
  it('sends a chime to the chosen zones now', () => {
    expect(buildRequest(['l03'], { kind: 'chime' }, false, null, NOW)).toEqual({ zones: ['l03'], chime: true });
  });
  it('sends a stored message as an emergency at a later time', () => {
    expect(buildRequest(['l01', 'l02'], { kind: 'message', id: 'evacuate' }, true, NOW + 60_000, NOW)).toEqual({ zones: ['l01', 'l02'], message: 'evacuate', emergency: true, at: NOW + 60_000 });
  });
  it('plays a time already past now instead', () => {
    expect(buildRequest(['l01'], { kind: 'chime' }, false, NOW - 1, NOW)).toEqual({ zones: ['l01'], chime: true });
  });
  it('speaks trimmed text in the chosen language, chime first when asked', () => {
    expect(buildRequest(['lobby'], { kind: 'tts', text: '  请注意  ', lang: 'zh-CN', chime: true }, false, null, NOW)).toEqual({ zones: ['lobby'], tts: [{ text: '请注意', lang: 'zh-CN' }], chime: true });
    expect(buildRequest(['lobby'], { kind: 'tts', text: 'Hello', lang: 'en', chime: false }, false, null, NOW)).toEqual({ zones: ['lobby'], tts: [{ text: 'Hello', lang: 'en' }] });
  });
  it.each([
    [[], { kind: 'chime' as const }, null, 'ctl.pa.needZone'],
    [['l01'], { kind: 'message' as const, id: '' }, null, 'ctl.pa.needMessage'],
    [['l01'], { kind: 'tts' as const, text: '   ', lang: 'en' as const, chime: false }, null, 'ctl.pa.needText'],
    [['l01'], { kind: 'tts' as const, text: '字'.repeat(TTS_MAX_CHARS + 1), lang: 'zh-CN' as const, chime: false }, null, 'ctl.pa.tooLong'],
    [['l01'], { kind: 'chime' as const }, NaN, 'ctl.pa.badTime'],
  ])('refuses %j %j at %s with %s', (zones, content, at, error) => {
    expect(buildRequest(zones, content, false, at, NOW)).toEqual({ error });
  });
  it('counts characters, not UTF-16 units, against the limit', () => {
    const text = '😀'.repeat(TTS_MAX_CHARS);
    expect('error' in buildRequest(['l01'], { kind: 'tts', text, lang: 'en', chime: false }, false, null, NOW)).toBe(false);
  });
});

describe('the status line of a sent job', () => {
  const job = (id: string, status: BroadcastJob['status']) => ({ id, status } as BroadcastJob);
  it.each([
    ['follows the job list once the job is done', [job('j1', 'done')], 'done'],
    ['still playing while the list says so', [job('j1', 'playing')], 'playing'],
    ['what the hub answered while the list has not caught up', [job('j2', 'done')], 'playing'],
  ] as const)('%s', (_n, jobs, want) => {
    expect(sentJobState('j1', 'playing', jobs)).toBe(want);
  });
});
