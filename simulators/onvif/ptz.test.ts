import { describe, expect, it } from 'vitest';
import { PtzHead, PTZ_SPEED } from './ptz.js';

describe('simulated PTZ head', () => {
  it('moves over time with ContinuousMove, clamps at the limits, holds on Stop', () => {
    let now = 0;
    const head = new PtzHead(undefined, () => now);
    head.continuousMove({ pan: 1, tilt: -0.5, zoom: 0 });
    now = 1000;
    expect(head.position()).toEqual({ pan: PTZ_SPEED, tilt: -0.5 * PTZ_SPEED, zoom: 0 });
    expect(head.moving()).toBe(true);
    now = 10_000;
    expect(head.position().pan).toBe(1); // clamped
    head.stop();
    now = 20_000;
    expect(head.position()).toEqual({ pan: 1, tilt: -1, zoom: 0 });
    expect(head.moving()).toBe(false);
  });

  it('a timed move stops by itself', () => {
    let now = 0;
    const head = new PtzHead(undefined, () => now);
    head.continuousMove({ pan: 0, tilt: 0, zoom: 1 }, 500);
    now = 5000;
    expect(head.position().zoom).toBeCloseTo(0.5 * PTZ_SPEED);
    expect(head.moving()).toBe(false);
  });

  it('absolute moves are range-checked by the caller', () => {
    const head = new PtzHead();
    expect(head.outOfRange({ pan: 1.5 })).toBe('pan 1.5 outside -1..1');
    expect(head.outOfRange({ zoom: -0.1 })).toBe('zoom -0.1 outside 0..1');
    expect(head.outOfRange({ pan: 0.2, tilt: -1, zoom: 1 })).toBeUndefined();
    head.absoluteMove({ pan: 0.2 });
    expect(head.position()).toEqual({ pan: 0.2, tilt: 0, zoom: 0 });
  });
});
