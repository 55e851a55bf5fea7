// Which holes between segments are indexed as gaps (pure rule, table test).
import { describe, expect, it } from 'vitest';
import { classifyExit, holeIsGap } from './recorder.js';

describe('holeIsGap', () => {
  it.each([
    [0, false, false],
    [900, false, false], // jitter between segments of one ffmpeg
    [1500, false, false],
    [1501, false, true],
    [900, true, true], // ffmpeg stopped at a segment boundary and came back quickly: still a hole
    [1, true, true],
    [0, true, false], // back-to-back: nothing missing
    [-300, true, false], // overlap after re-anchoring the clock
  ])('hole %i ms after restart=%s → %s', (hole, restarted, gap) => {
    expect(holeIsGap(hole, restarted)).toBe(gap);
  });
});

describe('classifyExit', () => {
  it.each([
    ["[segment @ 0x55] Failed to open segment 'cam-20261204-042201.mp4'", 'write_failed'],
    ['av_interleaved_write_frame(): No space left on device', 'write_failed'],
    ['rtsp://127.0.0.1:8554/cam: Connection refused', 'camera_offline'],
    ['', 'camera_offline'],
  ])('%j → %s', (stderr, reason) => {
    expect(classifyExit(stderr)).toBe(reason);
  });
});
