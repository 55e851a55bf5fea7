import { describe, expect, it } from 'vitest';
import { ffmpegMissing, remuxArgs } from './ffmpeg.js';

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
