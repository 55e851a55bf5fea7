import { describe, expect, it } from 'vitest';
import type { PointInfo, Sample } from '../contracts/point.js';
import { captureLogger } from './log.js';
import { PointStore } from './state.js';

const info = (id: string, intervalMs = 1000): PointInfo => ({
  id, name: { en: id, 'zh-CN': id }, kind: 'analog', writable: false, device: 'd', protocol: 'test', intervalMs,
});
const A = 'hq/a/l01/r1/d/a';
const B = 'hq/a/l01/r1/d/b';
const s = (pointId: string, value: Sample['value'], readTs: number, extra: Partial<Sample> = {}): Sample =>
  ({ pointId, value, quality: 'good', readTs, ...extra });

function store(now = { t: 0 }) {
  const log = captureLogger();
  return { st: new PointStore([info(A), info(B, 500)], log, () => now.t), log, now };
}

describe('PointStore.apply', () => {
  it('reports a first sample as a change, with changedTs = readTs', () => {
    const { st } = store();
    const out = st.apply([s(A, 1, 100)]);
    expect(out).toEqual([{ id: A, value: 1, quality: 'good', readTs: 100, changedTs: 100 }]);
    expect(st.get(A)).toEqual(out[0]);
  });

  it.each([
    ['same value, same quality', s(A, 1, 200), false, 100],
    ['new value', s(A, 2, 200), true, 200],
    ['quality change only', s(A, 1, 200, { quality: 'bad' }), true, 100],
    ['detail change only', s(A, 1, 200, { detail: 'why' }), true, 100],
  ] as const)('%s → changed=%s, changedTs=%s', (_name, next, changed, changedTs) => {
    const { st } = store();
    st.apply([s(A, 1, 100)]);
    const out = st.apply([next]);
    expect(out.length).toBe(changed ? 1 : 0);
    expect(st.get(A)!.readTs).toBe(200); // readTs always moves
    expect(st.get(A)!.changedTs).toBe(changedTs);
  });

  it('keeps the last known value when a device stops answering, with the failure quality', () => {
    const { st } = store();
    st.apply([s(A, 21.5, 100)]);
    const out = st.apply([s(A, null, 200, { quality: 'comm_fail', detail: 'timeout' })]);
    expect(out).toEqual([{ id: A, value: 21.5, quality: 'comm_fail', detail: 'timeout', readTs: 200, changedTs: 100 }]);
    // A good null is a real value (e.g. a string point cleared) and replaces it.
    st.apply([s(A, null, 300)]);
    expect(st.get(A)!.value).toBeNull();
  });

  it('treats NaN followed by NaN as no change', () => {
    const { st } = store();
    st.apply([s(A, NaN, 1)]);
    expect(st.apply([s(A, NaN, 2)])).toEqual([]);
  });

  it('returns one state per point for a batch, the latest', () => {
    const { st } = store();
    const out = st.apply([s(A, 1, 1), s(B, 5, 1), s(A, 2, 2), s(A, 2, 3)]);
    expect(out.map((x) => [x.id, x.value, x.readTs])).toEqual([[B, 5, 1], [A, 2, 3]]);
  });

  it('never mutates a state it handed out', () => {
    const { st } = store();
    const [first] = st.apply([s(A, 1, 1)]);
    st.apply([s(A, 1, 2)]);
    expect(first.readTs).toBe(1);
  });

  it('an unchanged sample moves only the time: readers see the latest readTs, holders keep theirs', () => {
    const { st } = store();
    st.apply([s(A, 1, 1)]);
    const held = st.get(A)!;
    expect(st.apply([s(A, 1, 5)])).toEqual([]);
    expect(st.apply([s(A, 1, 9)])).toEqual([]);
    expect(st.get(A)).toEqual({ id: A, value: 1, quality: 'good', readTs: 9, changedTs: 1 });
    expect(st.all()).toEqual([st.get(A)]);
    expect(held.readTs).toBe(1);
    expect(st.get(A)).toBe(st.get(A)); // copied once, not per read
  });

  it('a new sourceTs alone is kept, not reported as a change', () => {
    const { st } = store();
    st.apply([s(A, 1, 1, { sourceTs: 1 })]);
    expect(st.apply([s(A, 1, 2, { sourceTs: 2 })])).toEqual([]);
    expect(st.get(A)).toMatchObject({ readTs: 2, sourceTs: 2, changedTs: 1 });
  });

  it('stale keeps the latest readTs of an unchanged point', () => {
    const now = { t: 0 };
    const { st } = store(now);
    st.apply([s(A, 1, 1)]);
    st.apply([s(A, 1, 7)]);
    now.t = 10_000;
    const [stale] = st.markStale().filter((x) => x.id === A);
    expect(stale).toMatchObject({ value: 1, quality: 'stale', readTs: 7 });
  });

  it('finds every point whatever the batch order: same order, changed order, unknown ids, removed and re-added points', () => {
    const C = 'hq/a/l01/r1/d/c';
    const now = { t: 0 };
    const st = new PointStore([info(A), info(B), info(C)], captureLogger(), () => now.t);
    st.apply([s(A, 1, 1), s(B, 2, 1), s(C, 3, 1)]); // learns A → B → C
    st.apply([s(A, 1, 2), s(B, 20, 2), s(C, 3, 2)]);
    expect([st.get(A)!.value, st.get(B)!.value, st.get(C)!.value]).toEqual([1, 20, 3]);
    const out = st.apply([s(C, 30, 3), s('hq/x/unknown', 0, 3), s(B, 21, 3), s(A, 10, 3)]);
    expect(out.map((o) => [o.id, o.value])).toEqual([[C, 30], [B, 21], [A, 10]]);
    st.removePoints([B]);
    expect(st.apply([s(A, 11, 4), s(B, 22, 4), s(C, 31, 4)]).map((o) => o.id)).toEqual([A, C]); // B is unknown now
    expect(st.get(B)).toBeUndefined();
    expect(st.unknownCounts()).toEqual({ 'hq/x/unknown': 1, [B]: 1 });
    st.upsertInfos([info(B)]);
    st.apply([s(A, 12, 5), s(B, 23, 5), s(C, 32, 5)]);
    expect([st.get(A)!.value, st.get(B)!.value, st.get(C)!.value]).toEqual([12, 23, 32]);
  });

  it('drops samples for unknown ids, counts them, logs once per id', () => {
    const { st, log } = store();
    const out = st.apply([s('hq/x/x/x/x/x', 1, 1), s('hq/x/x/x/x/x', 2, 2), s('hq/y/y/y/y/y', 1, 1), s(A, 1, 1)]);
    expect(out.map((x) => x.id)).toEqual([A]);
    expect(st.get('hq/x/x/x/x/x')).toBeUndefined();
    expect(st.unknownCounts()).toEqual({ 'hq/x/x/x/x/x': 2, 'hq/y/y/y/y/y': 1 });
    expect(log.entries.filter((e) => e.level === 'warn').length).toBe(2);
  });
});

describe('PointStore.markStale', () => {
  it('turns a silent point stale after 3 intervals, keeping its value, once', () => {
    const { st, now } = store();
    st.apply([s(A, 7, 0), s(B, 1, 0)]);
    now.t = 2999;
    expect(st.markStale().map((x) => x.id)).toEqual([B]); // B: 500 ms interval → stale after 1500
    now.t = 3000;
    const out = st.markStale();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ id: A, value: 7, quality: 'stale', changedTs: 0 });
    expect(out[0].detail).toMatch(/no sample for 3 s/);
    expect(st.markStale()).toEqual([]); // already stale: no repeat
  });

  it('a fresh sample brings a stale point back as a change', () => {
    const { st, now } = store();
    st.apply([s(A, 7, 0)]);
    now.t = 5000;
    st.markStale();
    expect(st.apply([s(A, 7, 5000)])).toHaveLength(1);
    expect(st.get(A)).toMatchObject({ quality: 'good', changedTs: 0 });
  });

  it('leaves a comm_fail point alone: the driver reported the outage once, silence follows', () => {
    const { st, now } = store();
    st.apply([s(A, 7, 0), s(B, 1, 0)]);
    st.apply([s(A, null, 100, { quality: 'comm_fail', detail: 'connection lost' })]);
    now.t = 60_000;
    expect(st.markStale().map((x) => x.id)).toEqual([B]);
    expect(st.get(A)).toMatchObject({ quality: 'comm_fail', detail: 'connection lost' });
  });

  it('marks points that never had a sample stale with a null value', () => {
    const { st, now } = store();
    now.t = 3000;
    const out = st.markStale();
    expect(out.map((x) => [x.id, x.value, x.quality])).toEqual([[A, null, 'stale'], [B, null, 'stale']]);
    expect(out[0].detail).toMatch(/since start/);
  });
});
