// The decision view's meter-hour cache, over the real embedded history store (SQLite): answers equal
// the store's own, closed hours are not asked again, late data is picked up once an entry expires.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sample } from '../../contracts/point.js';
import { SqliteStore } from '../history/sqliteStore.js';
import { CounterDeltaCache, keepUntil, planFetch } from './delta-cache.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 2, 0, 0, 0);
const quiet = { info() {}, error() {}, warn() {} };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('planFetch / keepUntil', () => {
  const entry = { bucketMs: H, from: T0, to: T0 + 10 * H, deltas: [{ ts: T0, delta: 1 }], at: T0 + 12 * H };
  it.each([
    ['no entry', undefined, T0, T0 + 20 * H, T0 + 12 * H, T0],
    ['fresh entry, same start', entry, T0, T0 + 20 * H, T0 + 12 * H + 1, T0 + 10 * H],
    ['expired entry', entry, T0, T0 + 20 * H, T0 + 13 * H, T0],
    ['other start', entry, T0 + H, T0 + 20 * H, T0 + 12 * H + 1, T0 + H],
    ['request ends before the kept part', entry, T0, T0 + 5 * H, T0 + 12 * H + 1, T0],
  ] as const)('%s', (_name, e, from, to, at, fetchFrom) => {
    expect(planFetch(e, from, to, H, at, H).fetchFrom).toBe(fetchFrom);
  });
  it.each([
    [T0 + 10 * H + 5, T0 + 30 * H, 2 * H, T0 + 10 * H], // the request's end bounds it
    [T0 + 30 * H, T0 + 10 * H + 5, 2 * H, T0 + 8 * H], // hours not yet settled are not kept
  ])('keepUntil(to=%i, now=%i)', (to, now, settle, want) => {
    expect(keepUntil(to, H, now, settle)).toBe(want);
  });
});

describe('CounterDeltaCache over the SQLite history store', () => {
  it('answers what the store answers, asks only for the hours since the kept ones, and picks up late data after expiry', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-delta-cache-'));
    dirs.push(dir);
    const store = new SqliteStore({ path: path.join(dir, 'h.db'), flushMs: 50, batchSize: 5000, retentionMs: 1e12, log: quiet });
    await store.start();
    try {
      // A meter read every minute for two days, rising 1 per minute, with a reset on day 2.
      const samples: Sample[] = [];
      let v = 1000;
      for (let t = T0; t < T0 + 48 * H; t += 60_000) {
        v = t === T0 + 30 * H ? 5 : v + 1;
        samples.push({ pointId: 'm', value: v, quality: 'good', readTs: t });
      }
      store.write(samples);
      await store.flush();
      let now = T0 + 40 * H + 17 * 60_000;
      const cache = new CounterDeltaCache({ now: () => now, settleMs: 2 * H, maxAgeMs: H });

      const first = await cache.counterDeltas(store, 'm', T0, now, H);
      expect(first).toEqual(await store.counterDeltas('m', T0, now, H));
      expect(cache.fetchedHours).toBeCloseTo(40 + 17 / 60, 6);

      now += 10 * 60_000; // a refresh 10 minutes later: only the hours since the kept ones (38 h) are asked
      cache.fetchedHours = 0;
      const second = await cache.counterDeltas(store, 'm', T0, now, H);
      expect(second).toEqual(await store.counterDeltas('m', T0, now, H));
      expect(cache.fetchedHours).toBeCloseTo(2 + 27 / 60, 6);

      // A late reading in a kept hour: not seen while the entry lives, seen once it expired.
      store.write([{ pointId: 'm', value: 2000, quality: 'good', readTs: T0 + 5 * H + 30_000 }]);
      await store.flush();
      const direct = await store.counterDeltas('m', T0, now, H);
      expect(direct).not.toEqual(second);
      expect(await cache.counterDeltas(store, 'm', T0, now, H)).toEqual(second);
      now += H;
      expect(await cache.counterDeltas(store, 'm', T0, now, H)).toEqual(await store.counterDeltas('m', T0, now, H));

      // clear() (history backfilled behind the hub's back) asks for everything again.
      cache.clear();
      cache.fetchedHours = 0;
      await cache.counterDeltas(store, 'm', T0, now, H);
      expect(cache.fetchedHours).toBeGreaterThan(40);

      // A start inside an hour is never combined from kept hours.
      cache.fetchedHours = 0;
      expect(await cache.counterDeltas(store, 'm', T0 + 90_000, now, H)).toEqual(await store.counterDeltas('m', T0 + 90_000, now, H));
      expect(cache.fetchedHours).toBe(0);
    } finally {
      await store.stop();
    }
  });
});
