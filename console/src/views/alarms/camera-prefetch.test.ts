import { afterEach, describe, expect, it, vi } from 'vitest';
import { PrefetchedCameraApi } from './camera-prefetch.js';

afterEach(() => vi.unstubAllGlobals());

function stubFetch(answers: Array<() => Response>) {
  const calls: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    calls.push(url);
    const next = answers.shift();
    if (!next) throw new Error('unexpected request');
    return next();
  });
  return calls;
}

const ok = (ids: string[]) => () => new Response(JSON.stringify({ items: ids.map((id) => ({ id })) }), { status: 200, headers: { 'content-type': 'application/json' } });
const fail = () => new Response(JSON.stringify({ error: 'down' }), { status: 503, headers: { 'content-type': 'application/json' } });

describe('PrefetchedCameraApi', () => {
  it('answers a selection from the prefetched list while it is fresh, then asks again', async () => {
    let now = 1000;
    const calls = stubFetch([ok(['cam-a']), ok(['cam-b'])]);
    const api = new PrefetchedCameraApi(() => 't', 15_000, () => now);
    api.prefetch();
    now += 10_000;
    expect((await api.list()).map((c) => c.id)).toEqual(['cam-a']);
    expect(calls).toHaveLength(1);
    now += 6_000;
    expect((await api.list()).map((c) => c.id)).toEqual(['cam-b']);
    expect(calls).toHaveLength(2);
  });

  it('does not keep a failed request', async () => {
    const calls = stubFetch([fail, ok(['cam-a'])]);
    const api = new PrefetchedCameraApi(() => 't', 15_000, () => 0);
    api.prefetch();
    await expect(api.list()).rejects.toThrow();
    expect((await api.list()).map((c) => c.id)).toEqual(['cam-a']);
    expect(calls).toHaveLength(2);
  });
});
