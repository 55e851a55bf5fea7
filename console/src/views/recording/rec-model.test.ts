import { describe, expect, it } from 'vitest';
import { camerasForEvent, clock, dateTime, mediaAt, needsResync, parseHash, parseLocal, percentOf, timeAt, toggleCamera, wallAt, windowAround } from './rec-model.js';

const T = Date.UTC(2026, 11, 2, 18, 10); // 02:10 Shanghai
const pieces = [{ media: 0, wall: T, duration: 4 }, { media: 4, wall: T + 30_000, duration: 4 }];

describe('window and positions', () => {
  it.each([
    [T, 600_000, T + 3600_000, { from: T - 300_000, to: T + 300_000 }],
    [T, 600_000, T + 100_000, { from: T - 500_000, to: T + 100_000 }],
  ])('windowAround(%s, %s, now %s)', (c, span, now, w) => expect(windowAround(c, span, now)).toEqual(w));
  const w = { from: T, to: T + 100_000 };
  it.each([[T, 0], [T + 25_000, 25], [T + 200_000, 100], [T - 1, 0]])('percentOf(%s)', (ts, pct) => expect(percentOf(ts, w)).toBe(pct));
  it.each([[0, T], [50, T + 50_000], [200, T + 100_000], [-5, T]])('timeAt(x=%s of 100)', (x, ts) => expect(timeAt(x, 100, w)).toBe(ts));
});

describe('playback map', () => {
  it.each([[0, T], [2.5, T + 2500], [5, T + 31_000], [9, T + 35_000]])('wallAt(%s)', (m, wall) => expect(wallAt(pieces, m)).toBe(wall));
  it.each([[T + 1000, 1], [T + 10_000, undefined], [T + 33_000, 7], [T + 40_000, undefined]])('mediaAt(%s)', (wall, m) => expect(mediaAt(pieces, wall)).toBe(m));
  it('no pieces, no time', () => expect(wallAt([], 1)).toBeUndefined());
  it.each([[1, 1.2, false], [1, 1.5, true], [1, undefined, false]])('resync %s vs %s → %s', (f, target, yes) => expect(needsResync(f, target)).toBe(yes));
});

describe('camera selection', () => {
  it.each([
    [['a'], 'b', ['a', 'b']],
    [['a', 'b'], 'a', ['b']],
    [['a', 'b', 'c', 'd'], 'e', ['b', 'c', 'd', 'e']],
  ])('toggle %j + %s', (sel, id, out) => expect(toggleCamera(sel, id)).toEqual(out));
  it.each([
    [['x', 'y'], ['a'], ['x', 'y']],
    [[], ['a'], ['a']],
    [['1', '2', '3', '4', '5'], [], ['1', '2', '3', '4']],
  ])('event cameras %j (current %j)', (cams, cur, out) => expect(camerasForEvent({ cameras: cams }, cur)).toEqual(out));
});

describe('hash and times', () => {
  it.each([
    ['cams=a,b&t=123', { cams: ['a', 'b'], t: 123 }],
    ['', { cams: [], t: undefined }],
    ['cams=a,b,c,d,e&t=x', { cams: ['a', 'b', 'c', 'd'], t: undefined }],
  ])('parseHash(%s)', (q, out) => expect(parseHash(q)).toEqual(out));
  it('formats and parses in the site zone', () => {
    expect(clock(T, 'Asia/Shanghai')).toBe('02:10:00');
    expect(dateTime(T, 'Asia/Shanghai')).toBe('2026-12-03 02:10');
    expect(parseLocal('2026-12-03T02:10', 'Asia/Shanghai')).toBe(T);
    expect(parseLocal('2026-12-03T02:10:30', 'UTC')).toBe(Date.UTC(2026, 11, 3, 2, 10, 30));
    expect(parseLocal('yesterday', 'UTC')).toBeUndefined();
  });
});
