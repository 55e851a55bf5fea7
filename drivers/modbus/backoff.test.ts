import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  const o = { initialMs: 500, maxMs: 30_000 };
  it('doubles from initialMs up to maxMs (no jitter at random 0.5)', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50].map((a) => backoffDelay(a, o, 0.5))).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
  it('jitters by ±20 % but never above maxMs', () => {
    expect(backoffDelay(2, o, 0)).toBe(1600);
    expect(backoffDelay(2, o, 0.999999)).toBe(2400);
    expect(backoffDelay(10, o, 0.999999)).toBe(30000);
    expect(backoffDelay(10, o, 0)).toBe(24000);
  });
});
