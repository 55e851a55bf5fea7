import { describe, expect, it } from 'vitest';
import { isAuthFailure } from './backoff.js';
import { checkPtz } from './camera.js';
import { PtzRangeError, UnknownPresetError } from './registry.js';

describe('camera failures', () => {
  it.each([
    ['ONVIF SOAP Fault: Sender not authorized (bad_digest)', true],
    ['Digest authentication failed 401', true],
    ['connect ECONNREFUSED 127.0.0.1:80', false],
    ['Network timeout', false],
  ])('auth failure? %s', (msg, want) => expect(isAuthFailure(new Error(msg))).toBe(want));
});

describe('checkPtz', () => {
  const limits = { pan: [-1, 1], tilt: [-0.5, 0.5], zoom: [0, 1] } as const;
  const L = { pan: [...limits.pan], tilt: [...limits.tilt], zoom: [...limits.zoom] } as never;
  it('refuses positions outside the camera range with the range', () => {
    expect(() => checkPtz({ type: 'absolute', tilt: 0.7 }, L, [])).toThrow("tilt 0.7 is outside the camera's range -0.5..0.5");
    const err = (() => {
      try {
        checkPtz({ type: 'absolute', zoom: 2 }, L, []);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(PtzRangeError);
    expect((err as PtzRangeError).range).toEqual([0, 1]);
    expect(() => checkPtz({ type: 'absolute', pan: Number.NaN }, L, [])).toThrow(PtzRangeError);
    expect(() => checkPtz({ type: 'absolute', pan: 1, tilt: -0.5, zoom: 0 }, L, [])).not.toThrow();
  });
  it('refuses velocities outside -1..1 and unknown presets', () => {
    expect(() => checkPtz({ type: 'move', pan: 1.5 }, L, [])).toThrow('pan velocity 1.5 is outside -1..1');
    expect(() => checkPtz({ type: 'preset', preset: 'x' }, L, [{ token: 'home', name: 'Home' }])).toThrow(UnknownPresetError);
    expect(() => checkPtz({ type: 'preset', action: 'set', preset: 'x' }, L, [{ token: 'home', name: 'Home' }])).not.toThrow();
  });
});
