import { describe, expect, it } from 'vitest';
import { HashQueue, HashQueueFull } from './hash-queue.js';
import { addressKey, LoginThrottle, waitMs, type ThrottleRule } from './login-throttle.js';

const rule: ThrottleRule = { free: 3, baseDelayMs: 1000, maxDelayMs: 8000, forgetMs: 60_000 };

describe('waitMs', () => {
  it.each([
    ['no failures', undefined, 0, 0],
    ['under the free allowance', { count: 2, last: 0 }, 0, 0],
    ['first failure past it: base delay', { count: 3, last: 0 }, 0, 1000],
    ['… partly waited', { count: 3, last: 0 }, 400, 600],
    ['doubles', { count: 4, last: 0 }, 0, 2000],
    ['doubles again', { count: 5, last: 0 }, 0, 4000],
    ['capped', { count: 30, last: 0 }, 0, 8000],
    ['forgotten after forgetMs', { count: 30, last: 0 }, 60_000, 0],
  ])('%s', (_n, f, now, expected) => expect(waitMs(rule, f, now)).toBe(expected));
});

describe('addressKey', () => {
  it.each([
    ['127.0.0.2', '127.0.0.2'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('%s → %s', (a, k) => expect(addressKey(a)).toBe(k));
});

describe('LoginThrottle', () => {
  const rules = { address: { free: 5, baseDelayMs: 1000, maxDelayMs: 60_000, forgetMs: 600_000 }, pair: { free: 2, baseDelayMs: 2000, maxDelayMs: 60_000, forgetMs: 600_000 }, maxEntries: 1000 };

  it('bad passwords for the guard from one address do not lock the guard out elsewhere', () => {
    const t = new LoginThrottle(rules);
    for (let i = 0; i < 2; i++) t.fail('10.0.0.66', 'guard', 0);
    expect(t.check('10.0.0.66', 'guard', 0)).toEqual({ ok: false, retryAfterMs: 2000, scope: 'user' });
    expect(t.check('10.0.0.7', 'guard', 0)).toEqual({ ok: true });
    // the attacker's address may still try other names (until its own allowance runs out)
    expect(t.check('10.0.0.66', 'viewer', 0)).toEqual({ ok: true });
  });

  it('spraying many usernames from one address is limited by the address, with growing delays', () => {
    const t = new LoginThrottle(rules);
    for (let i = 0; i < 5; i++) t.fail('10.0.0.66', `user-${i}`, 0);
    expect(t.check('10.0.0.66', 'user-99', 0)).toEqual({ ok: false, retryAfterMs: 1000, scope: 'address' });
    t.fail('10.0.0.66', 'user-5', 1000);
    expect(t.check('10.0.0.66', 'user-99', 1000)).toEqual({ ok: false, retryAfterMs: 2000, scope: 'address' });
    expect(t.check('10.0.0.66', 'user-99', 3000)).toEqual({ ok: true });
    expect(t.check('10.0.0.7', 'user-99', 1000)).toEqual({ ok: true });
  });

  it('a correct password clears the pair, not the address', () => {
    const t = new LoginThrottle(rules);
    for (let i = 0; i < 2; i++) t.fail('10.0.0.5', 'op', 0);
    t.succeed('10.0.0.5', 'op');
    expect(t.check('10.0.0.5', 'op', 0)).toEqual({ ok: true });
  });

  it('stays bounded under a spray from many addresses', () => {
    const t = new LoginThrottle({ ...rules, maxEntries: 100 });
    for (let i = 0; i < 1000; i++) t.fail(`10.0.${i >> 8}.${i & 255}`, `u${i}`, i);
    expect(t.size).toBeLessThanOrEqual(100);
  });
});

describe('HashQueue', () => {
  it('runs at most `concurrency` at once, refuses a client past its share and a full queue', async () => {
    const q = new HashQueue(1, 2, 2);
    let running = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const task = () => new Promise<number>((resolve) => {
      running++;
      peak = Math.max(peak, running);
      gates.push(() => {
        running--;
        resolve(1);
      });
    });
    const a1 = q.run('a', task);
    const a2 = q.run('a', task);
    await expect(q.run('a', task)).rejects.toEqual(new HashQueueFull('client'));
    const b1 = q.run('b', task);
    await expect(q.run('c', task)).rejects.toEqual(new HashQueueFull('queue'));
    expect(q.stats).toEqual({ running: 1, waiting: 2 });
    while (gates.length || q.stats.running) {
      await new Promise((r) => setTimeout(r, 1));
      gates.shift()?.();
    }
    expect(await Promise.all([a1, a2, b1])).toEqual([1, 1, 1]);
    expect(peak).toBe(1);
    expect(q.stats).toEqual({ running: 0, waiting: 0 });
  });
});
