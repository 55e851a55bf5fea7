// ShardedStore routing and `history.shards` validation, without InfluxDB (shardedInflux.test.ts runs 2 influxd).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../contracts/point.js';
import { ConfigError, formatProblem } from '../config/errors.js';
import { loadConfig } from '../config/load.js';
import type { CounterDelta } from './energy.js';
import type { TrendRequest } from './query.js';
import { historySettingsSchema, shardName, shardSiteProblems, type ShardSettings } from './settings.js';
import { buildingOf, ShardedStore, type Shard } from './shardedStore.js';
import type { HistoryStatus, HistoryStore, TrendSeries } from './store.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-shards-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Records what it is given; answers trends with one bucket whose value names the shard. */
class FakeStore implements HistoryStore {
  readonly backend = 'influxdb' as const;
  readonly written: Sample[] = [];
  readonly trendCalls: string[][] = [];
  readonly deltaCalls: string[] = [];
  ok = true;
  flushed = 0;
  stopped = 0;
  started = 0;
  constructor(readonly description: string, private readonly value: number) {}
  async start() {
    this.started++;
  }
  write(samples: Sample[]) {
    this.written.push(...samples);
  }
  async trend(req: TrendRequest): Promise<TrendSeries[]> {
    this.trendCalls.push(req.points);
    return req.points.map((pointId) => ({ pointId, points: [[req.from, this.value]] }));
  }
  async counterDeltas(pointId: string, from: number): Promise<CounterDelta[]> {
    this.deltaCalls.push(pointId);
    return [{ ts: from, delta: this.value }];
  }
  status(): HistoryStatus {
    return { ok: this.ok, backend: 'influxdb', connected: this.ok, spooledBytes: this.ok ? 0 : 100, deadLetters: 1, lastWriteTs: this.value, written: this.written.length, lastError: this.ok ? null : 'ECONNREFUSED' };
  }
  async flush() {
    this.flushed++;
  }
  async stop() {
    this.stopped++;
  }
}

const sample = (pointId: string, value = 1): Sample => ({ pointId, value, quality: 'good', readTs: 1000 });
const A1 = 'hq/a/l01/r1/eq/t';
const A2 = 'hq/a/l02/r2/eq/t';
const B1 = 'hq/b/l01/r1/eq/t';
const C1 = 'hq/c/l01/r1/eq/t';

function threeShards() {
  const s1 = new FakeStore('one', 1);
  const s2 = new FakeStore('two', 2);
  const rest = new FakeStore('rest', 3);
  const shards: Shard[] = [
    { name: 's1', buildings: ['a'], store: s1 },
    { name: 's2', buildings: ['b'], store: s2 },
    { name: 'rest', buildings: '*', store: rest },
  ];
  return { s1, s2, rest, store: new ShardedStore(shards) };
}

describe('buildingOf', () => {
  it.each([
    ['hq/a/l01/r/e/p', 'a'],
    ['hq/tower-b/l01/r/e/p', 'tower-b'],
    ['hq/a', 'a'],
    ['hq', ''],
    ['', ''],
  ])('%s → %s', (id, building) => expect(buildingOf(id)).toBe(building));
});

describe('ShardedStore routing', () => {
  it('sends each sample to the shard of its building, unknown buildings to the catch-all', () => {
    const { s1, s2, rest, store } = threeShards();
    store.write([sample(A1), sample(B1), sample(A2), sample(C1)]);
    store.write([sample(B1, 2)]);
    expect(s1.written.map((s) => s.pointId)).toEqual([A1, A2]);
    expect(s2.written.map((s) => [s.pointId, s.value])).toEqual([[B1, 1], [B1, 2]]);
    expect(rest.written.map((s) => s.pointId)).toEqual([C1]);
  });

  it('without a catch-all, counts and warns (once per building) about samples no shard holds', () => {
    const s1 = new FakeStore('one', 1);
    const warnings: string[] = [];
    const log = { info() {}, debug() {}, error() {}, warn: (_o: object, m?: string) => warnings.push(m ?? '') };
    const store = new ShardedStore([{ name: 's1', buildings: ['a'], store: s1 }], log);
    store.write([sample(C1), sample(A1), sample(C1)]);
    expect(s1.written.map((s) => s.pointId)).toEqual([A1]);
    expect(store.status().unrouted).toBe(2);
    expect(warnings).toEqual(['history: no shard holds building "c"; its samples are not stored']);
  });

  it('answers a trend over several shards in request order, each shard asked once for its points', async () => {
    const { s1, s2, rest, store } = threeShards();
    const req: TrendRequest = { points: [B1, A1, C1, A2], from: 0, to: 10, stepMs: 1, agg: 'mean', offsetMs: 0 };
    const series = await store.trend(req);
    expect(series.map((s) => [s.pointId, s.points[0][1]])).toEqual([[B1, 2], [A1, 1], [C1, 3], [A2, 1]]);
    expect(s1.trendCalls).toEqual([[A1, A2]]);
    expect(s2.trendCalls).toEqual([[B1]]);
    expect(rest.trendCalls).toEqual([[C1]]);
  });

  it('routes counterDeltas to the shard of the point', async () => {
    const { s1, s2, store } = threeShards();
    expect(await store.counterDeltas(B1, 5, 10, 1)).toEqual([{ ts: 5, delta: 2 }]);
    expect(s2.deltaCalls).toEqual([B1]);
    expect(s1.deltaCalls).toEqual([]);
  });

  it('is ok only when every shard is, and names the shards that are not', () => {
    const { s2, store } = threeShards();
    expect(store.status()).toMatchObject({ ok: true, connected: true, down: [], spooledBytes: 0, deadLetters: 3, lastWriteTs: 3, lastError: null });
    s2.ok = false;
    const st = store.status();
    expect(st).toMatchObject({ ok: false, connected: false, down: ['s2'], spooledBytes: 100, lastError: 's2: ECONNREFUSED' });
    expect((st.shards as Array<{ name: string; ok: boolean; buildings: unknown }>).map((s) => [s.name, s.ok, s.buildings])).toEqual([
      ['s1', true, ['a']],
      ['s2', false, ['b']],
      ['rest', true, '*'],
    ]);
  });

  it('starts, flushes and stops every shard', async () => {
    const { s1, s2, rest, store } = threeShards();
    await store.start();
    await store.flush();
    await store.stop();
    for (const s of [s1, s2, rest]) expect([s.started, s.flushed, s.stopped]).toEqual([1, 1, 1]);
  });

  it('refuses a building in two shards or two catch-alls', () => {
    const f = new FakeStore('x', 0);
    expect(() => new ShardedStore([{ name: 'x', buildings: ['a'], store: f }, { name: 'y', buildings: ['a'], store: f }])).toThrow('building "a" is in shards "x" and "y"');
    expect(() => new ShardedStore([{ name: 'x', buildings: '*', store: f }, { name: 'y', buildings: '*', store: f }])).toThrow('both catch-alls');
  });
});

describe('history.shards settings', () => {
  const U1 = 'http://10.0.0.1:8086';
  const U2 = 'http://10.0.0.2:8086';
  const issues = (input: unknown) => {
    const r = historySettingsSchema.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts buildings split over shards with a catch-all, and leaves the single-URL settings alone', () => {
    const s = historySettingsSchema.parse({ shards: [{ buildings: ['a', 'b'], url: U1 }, { name: 'rest', buildings: '*', url: U2, database: 'other' }] });
    expect(s.shards!.map(shardName)).toEqual(['a_b', 'rest']);
    expect(historySettingsSchema.parse({ url: U1 }).shards).toBeUndefined();
  });

  it.each<[string, unknown, string[]]>([
    ['a building in two shards', { shards: [{ buildings: ['a'], url: U1 }, { buildings: ['b', 'a'], url: U2 }] }, ['shards.1.buildings.1: building "a" is already in shards[0]; a building goes to exactly one shard']],
    ['two catch-alls', { shards: [{ name: 'x', buildings: '*', url: U1 }, { name: 'y', buildings: '*', url: U2 }] }, ['shards.1.buildings: only one shard may be the catch-all "*" (shards[0] already is)']],
    ['the same name twice', { shards: [{ name: 'x', buildings: ['a'], url: U1 }, { name: 'x', buildings: ['b'], url: U2 }] }, ['shards.1.name: shard name "x" is also the name of shards[0]; give each shard its own name']],
    ['url next to shards', { url: U1, shards: [{ buildings: '*', url: U2 }] }, ['url: url and shards exclude each other: with shards, each shard has its own url']],
    ['embedded with shards', { backend: 'embedded', shards: [{ buildings: '*', url: U2 }] }, ['backend: backend "embedded" cannot be sharded: use "auto" or "influxdb" with shards']],
    ['no buildings', { shards: [{ buildings: [], url: U1 }] }, ['shards.0.buildings: name at least one building, or use "*"']],
    ['an empty list', { shards: [] }, ['shards: list at least one shard, or leave shards out']],
  ])('refuses %s', (_what, input, expected) => expect(issues(input)).toEqual(expected));

  it.each<[string, ShardSettings[], string[]]>([
    ['all covered', [{ buildings: ['a'], url: U1 }, { buildings: ['b'], url: U2 }], []],
    ['a catch-all covers the rest', [{ buildings: ['a'], url: U1 }, { buildings: '*', url: U2 }], []],
    ['an unknown building', [{ buildings: ['a', 'zz'], url: U1 }, { buildings: '*', url: U2 }], ['shards.0.buildings.1: unknown building "zz" (not in site.yaml)']],
    ['a building in no shard', [{ buildings: ['a'], url: U1 }], ['shards: building "b" in no shard; add it to one, or add a catch-all shard (buildings: "*")']],
  ])('against site buildings [a, b]: %s', (_what, shards, expected) => {
    expect(shardSiteProblems(shards, ['a', 'b']).map((p) => `${p.path.join('.')}: ${p.message}`)).toEqual(expected);
  });

  it('reports bad shards as file: path: reason through the config loader', () => {
    const dir = path.join(tmp, 'cfg');
    fs.cpSync(path.join(REPO, 'config'), dir, { recursive: true });
    const hubYaml = path.join(dir, 'hub.yaml');
    fs.appendFileSync(hubYaml, '\nhistory:\n  shards:\n    - { buildings: [a], url: "http://10.0.0.1:8086" }\n    - { buildings: [zz, a], url: "http://10.0.0.2:8086" }\n');
    let err: unknown;
    try {
      loadConfig(dir, { rootDir: tmp });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const lines = (err as ConfigError).problems.map((p) => formatProblem({ ...p, file: path.relative(dir, p.file) }));
    expect(lines).toEqual(['hub.yaml: history.shards[1].buildings[1]: building "a" is already in shards[0]; a building goes to exactly one shard']);

    // Within-file problems fixed, the cross-check against site.yaml speaks.
    fs.writeFileSync(hubYaml, fs.readFileSync(hubYaml, 'utf8').replace('[zz, a]', '[zz]'));
    try {
      loadConfig(dir, { rootDir: tmp });
      err = null;
    } catch (e) {
      err = e;
    }
    expect((err as ConfigError).problems.map((p) => formatProblem({ ...p, file: path.relative(dir, p.file) }))).toEqual(['hub.yaml: history.shards[1].buildings[0]: unknown building "zz" (not in site.yaml)']);
  });
});
