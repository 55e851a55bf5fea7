import { describe, expect, it } from 'vitest';
import { connectDue, reconnectDelay, type ReconnectPolicy } from './backoff.js';

const plain: ReconnectPolicy = { initialMs: 500, maxMs: 30_000 };
const polled: ReconnectPolicy = { initialMs: 500, maxMs: 30_000, probeCapMs: 1000 };

describe('reconnectDelay', () => {
  it.each([
    ['first retry, no jitter (random 0.5)', 0, plain, 0.5, 500],
    ['doubles', 3, plain, 0.5, 4000],
    ['capped by maxMs', 10, plain, 0.5, 30_000],
    ['jitter −20 %', 2, plain, 0, 1600],
    ['jitter +20 % (just under)', 2, plain, 0.999_999, 2400],
    ['jitter never exceeds maxMs', 20, plain, 0.999_999, 30_000],
    ['probe cap: the 30 s backoff becomes the 1 s poll interval', 10, polled, 0.5, 1000],
    ['probe cap with +20 % jitter still ≤ poll interval', 10, polled, 0.999_999, 1000],
    ['below the probe cap the backoff applies', 0, polled, 0.5, 500],
    ['huge attempt numbers do not overflow', 1e9, plain, 0.5, 30_000],
    ['negative / NaN attempts count as the first', Number.NaN, plain, 0.5, 500],
  ] as Array<[string, number, ReconnectPolicy, number, number]>)('%s', (_n, attempt, policy, random, want) => {
    expect(reconnectDelay(attempt, policy, random)).toBe(want);
  });

  it('with a probe cap, a device back after any outage is probed within one poll interval', () => {
    for (let attempt = 0; attempt < 40; attempt++) for (const r of [0, 0.3, 0.999]) expect(reconnectDelay(attempt, polled, r)).toBeLessThanOrEqual(1000);
  });
});

describe('connectDue', () => {
  it.each([
    ['exactly due', 10_000, 10_000, 1000, true],
    ['the next cycle starts 5 ms early: still this one', 9_995, 10_000, 1000, true],
    ['half an interval early: the next cycle is nearer', 9_400, 10_000, 1000, false],
    ['late', 10_500, 10_000, 1000, true],
  ] as Array<[string, number, number, number, boolean]>)('%s', (_n, now, due, poll, want) => {
    expect(connectDue(now, due, poll)).toBe(want);
  });
});
