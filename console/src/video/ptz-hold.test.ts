import { describe, expect, it } from 'vitest';
import type { PtzCommand, PtzResult } from './camera-types.js';
import { directionOfKey, moveOf, outOfRangeOf, PtzHold } from './ptz-hold.js';

/** Manual timers and a send whose answers the test releases one by one. */
function rig() {
  const sent: PtzCommand[] = [];
  const answered: PtzCommand[] = [];
  const pending: Array<() => void> = [];
  const timers = new Map<number, () => void>();
  let next = 1;
  const hold = new PtzHold({
    send: (cmd) => {
      sent.push(cmd);
      return new Promise<PtzResult>((resolve) => pending.push(() => { answered.push(cmd); resolve({ ok: true }); }));
    },
    timeoutMs: 2000,
    refreshMs: 1200,
    timers: { set: (f) => { timers.set(next, f); return next++; }, clear: (h) => timers.delete(h as number) },
  });
  const answerAll = async () => {
    for (let i = 0; i < 10; i++) {
      await Promise.resolve();
      await new Promise((r) => setTimeout(r, 0));
      while (pending.length) pending.shift()!();
    }
  };
  const fireTimers = () => { const fs = [...timers.values()]; timers.clear(); fs.forEach((f) => f()); };
  return { hold, sent, answered, answerAll, fireTimers, timers };
}

describe('PtzHold', () => {
  it('press sends a move with the safety timeout, release sends stop after it (never before)', async () => {
    const r = rig();
    r.hold.press('left');
    r.hold.release();
    await Promise.resolve();
    // The stop is queued behind the unanswered move.
    expect(r.sent).toEqual([{ type: 'move', pan: -0.5, timeoutMs: 2000 }]);
    await r.answerAll();
    expect(r.answered).toEqual([{ type: 'move', pan: -0.5, timeoutMs: 2000 }, { type: 'stop' }]);
  });

  it('re-sends the move while held, and stops refreshing on release', async () => {
    const r = rig();
    r.hold.press('zoomIn');
    await r.answerAll();
    r.fireTimers();
    await r.answerAll();
    expect(r.sent.filter((c) => c.type === 'move')).toHaveLength(2);
    r.hold.release();
    expect(r.timers.size).toBe(0);
    await r.answerAll();
    expect(r.sent.at(-1)).toEqual({ type: 'stop' });
  });

  it('a release without a press sends nothing; pressing the held direction again sends nothing new', async () => {
    const r = rig();
    r.hold.release();
    r.hold.press('up');
    r.hold.press('up');
    await r.answerAll();
    expect(r.sent).toEqual([{ type: 'move', tilt: 0.5, timeoutMs: 2000 }]);
  });

  it('reports a refused command and keeps going', async () => {
    const errors: unknown[] = [];
    const hold = new PtzHold({ send: async (cmd) => { if (cmd.type === 'move') throw new Error('no'); return { ok: true }; }, onError: (_c, e) => errors.push(e) });
    hold.press('right');
    hold.release();
    await hold.idle();
    expect(errors).toHaveLength(1);
  });
});

describe('PTZ helpers', () => {
  it.each([
    ['ArrowUp', 'up'], ['ArrowDown', 'down'], ['ArrowLeft', 'left'], ['ArrowRight', 'right'],
    ['+', 'zoomIn'], ['PageDown', 'zoomOut'], ['a', undefined],
  ])('key %s → %s', (key, dir) => expect(directionOfKey(key)).toBe(dir));

  it('moveOf maps directions to signed velocities', () => {
    expect(moveOf('down', 0.3, 1000)).toEqual({ type: 'move', tilt: -0.3, timeoutMs: 1000 });
    expect(moveOf('zoomOut', 1, 1000)).toEqual({ type: 'move', zoom: -1, timeoutMs: 1000 });
  });

  it('outOfRangeOf reads the axis and range of a 400 out_of_range', () => {
    expect(outOfRangeOf({ code: 'out_of_range', details: { axis: 'pan', range: [-1, 1] } })).toEqual({ axis: 'pan', min: -1, max: 1 });
    expect(outOfRangeOf({ code: 'camera_unavailable' })).toBeUndefined();
    expect(outOfRangeOf({ code: 'out_of_range', details: {} })).toBeUndefined();
    expect(outOfRangeOf(null)).toBeUndefined();
  });
});
