import { describe, expect, it } from 'vitest';
import { Limiter } from './limiter.js';

const S = 1000;

describe('notification limiter', () => {
  it('a flood of 500 in one minute reaches a recipient as at most 5 messages, nothing dropped', () => {
    const l = new Limiter<number>({ burst: 3, windowMs: 60 * S, dedupMs: 300 * S });
    let messages = 0;
    let delivered = 0;
    for (let i = 0; i < 500; i++) {
      const now = i * 120; // 500 over 60 s
      const r = l.offer('email:maint', `alarm-${i}`, i, now);
      if (r.action === 'send') messages++, delivered++;
      for (const d of l.due(now)) messages++, delivered += d.items.length;
    }
    for (let t = 60 * S; t <= 300 * S; t += S) for (const d of l.due(t)) messages++, delivered += d.items.length;
    expect(delivered).toBe(500);
    expect(messages).toBeLessThanOrEqual(5);
    expect(l.pending()).toBe(0);
  });

  it.each([
    // [offers as [t, dedupKey], expected actions]
    [[[0, 'a'], [1, 'a']], ['send', 'duplicate']],
    [[[0, 'a'], [301 * S, 'a']], ['send', 'send']],
    [[[0, 'a'], [1, 'b'], [2, 'c'], [3, 'd']], ['send', 'send', 'send', 'queued']],
    [[[0, 'a'], [1, 'b'], [2, 'c'], [61 * S, 'd']], ['send', 'send', 'send', 'send']],
  ] as Array<[Array<[number, string]>, string[]]>)('offers %j → %j', (offers, want) => {
    const l = new Limiter<string>({ burst: 3, windowMs: 60 * S, dedupMs: 300 * S });
    expect(offers.map(([t, k]) => l.offer('r', k, k, t).action)).toEqual(want);
  });

  it('digest mode ends after a quiet window; held messages wait for the hold', () => {
    const l = new Limiter<string>({ burst: 1, windowMs: 10 * S, dedupMs: 0 });
    expect(l.offer('r', 'a', 'a', 0).action).toBe('send');
    expect(l.offer('r', 'b', 'b', 1).action).toBe('queued');
    expect(l.due(10 * S)).toEqual([]);
    expect(l.due(10 * S + 1)).toEqual([{ key: 'r', items: ['b'] }]);
    expect(l.due(20 * S + 1)).toEqual([]); // empty window: flood over
    expect(l.offer('r', 'c', 'c', 40 * S).action).toBe('send');
    expect(l.offer('q', 'x', 'x', 0, 5 * S)).toEqual({ action: 'queued', flushAt: 5 * S });
    expect(l.offer('q', 'y', 'y', 1).action).toBe('send');
    expect(l.due(5 * S)).toEqual([{ key: 'q', items: ['x'] }]);
  });
});
