import { describe, expect, it } from 'vitest';
import { videoUrl } from './camera-wall.js';

describe('videoUrl', () => {
  it('puts the session token in the query (browsers cannot set WebSocket headers), encoded', () => {
    const cam = { id: 'cam-lobby', name: { en: 'Lobby', 'zh-CN': '大堂' }, videoPath: '/video/cam-lobby' };
    expect(videoUrl(cam, { token: 'a+b/c=', origin: 'wss://hub.example' })).toBe('wss://hub.example/video/cam-lobby?token=a%2Bb%2Fc%3D');
  });
});
