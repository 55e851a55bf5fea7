import { describe, expect, it } from 'vitest';
import { ffmpegMissing, redact, remuxArgs, withCredentials } from './ffmpeg.js';

describe('remuxArgs', () => {
  it('copies the stream into short fragmented MP4 over the chosen RTSP transport', () => {
    const a = remuxArgs({ url: 'rtsp://x/cam', transport: 'tcp', transcode: false });
    expect(a.input.slice(0, 2)).toEqual(['-rtsp_transport', 'tcp']);
    expect(a.output.join(' ')).toContain('-c:v copy');
    expect(a.output.join(' ')).toContain('-movflags frag_keyframe+empty_moov+default_base_moof');
    expect(a.output.join(' ')).toContain('-frag_duration 100000');
    expect(a.output).not.toContain('libx264');
  });
  it('transcodes to H.264 only when asked, with regular keyframes', () => {
    const a = remuxArgs({ url: 'rtsp://x/cam', transport: 'udp', transcode: true });
    expect(a.input.slice(0, 2)).toEqual(['-rtsp_transport', 'udp']);
    expect(a.output).toContain('libx264');
    expect(a.output).not.toContain('copy');
  });
  it('says clearly when ffmpeg is missing', () => {
    expect(ffmpegMissing('/nonexistent/ffmpeg')).toMatch(/ffmpeg not found at \/nonexistent\/ffmpeg/);
    expect(ffmpegMissing('/usr/bin/ffmpeg')).toBeUndefined();
  });
});

describe('RTSP credentials', () => {
  const c = { username: 'op@site', password: 'p@ss:w/rd' };
  it('go into the URL percent-encoded (ffmpeg answers Basic and Digest with them)', () => {
    expect(withCredentials('rtsp://10.0.0.5:554/Streaming/101', c)).toBe('rtsp://op%40site:p%40ss%3Aw%2Frd@10.0.0.5:554/Streaming/101');
    expect(withCredentials('rtsp://10.0.0.5/s', undefined)).toBe('rtsp://10.0.0.5/s');
  });
  it.each([
    ['rtsp://op%40site:p%40ss%3Aw%2Frd@10.0.0.5/s: Server returned 401', 'rtsp://***@10.0.0.5/s: Server returned 401'],
    ['auth failed for p@ss:w/rd', 'auth failed for ***'],
    ['http://a:b@cam/snap.jpg and rtsps://x@y/z', 'http://***@cam/snap.jpg and rtsps://***@y/z'],
    ['nothing secret here', 'nothing secret here'],
  ])('are redacted from %s', (text, want) => {
    expect(redact(text, c)).toBe(want);
  });
});
