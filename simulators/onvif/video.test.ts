import { describe, expect, it } from 'vitest';
import { BARCODE_BITS, videoSourceArgs } from './video.js';

describe('videoSourceArgs', () => {
  const base = { name: "Lobby 'east'", width: 320, height: 240, fps: 15, udpPort: 5000, midnightMs: 86_400_000 };
  it('burns name, ms clock and a time barcode into an H.264 baseline test picture sent as RTP', () => {
    const a = videoSourceArgs({ ...base, codec: 'H264' });
    const vf = a[a.indexOf('-vf') + 1];
    expect(vf).toContain("setpts='RTCTIME/1000'");
    expect(vf.match(/drawbox=.*?enable=/g)).toHaveLength(BARCODE_BITS);
    expect(vf).toContain('Lobby  east '); // quotes stripped from the label
    expect(vf).toContain('%{pts\\:hms\\:-86400}');
    expect(a).toContain('baseline');
    expect(a.slice(a.indexOf('-g'), a.indexOf('-g') + 2)).toEqual(['-g', '15']);
    expect(a.at(-1)).toBe('rtp://127.0.0.1:5000?pkt_size=1200&localaddr=127.0.0.1');
  });
  it('encodes H.265 when the camera is an H.265 one', () => {
    expect(videoSourceArgs({ ...base, codec: 'H265' })).toContain('libx265');
  });
});
