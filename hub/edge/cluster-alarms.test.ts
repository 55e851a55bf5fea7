// Alarms across two hubs behind nginx (Redis, Mosquitto, two edge agents; the setup of
// cluster-live.test.ts with the alarms module): an alarm of a building hub A owns reaches a client
// on hub B once, in its list and its summary; acknowledging it through hub B runs on A, whose
// journal holds the ack by the user who acted; an alarm of a building without an edge agent (every
// hub reads it, the holder of the `~local` lease owns its alarms) reaches each client once.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { AlarmsSubscribeAck, AlarmSummary, AlarmView, JournalRow } from '../../contracts/alarms.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/live.js';
import type { LiveServer } from '../live/live.js';
import type { TestModbusServer } from '../../drivers/modbus/test-server.js';
import type { Nginx } from '../../test/support/nginx.js';
import { createAlarmsModule } from '../alarms/index.js';
import { mergeSummaries } from '../alarms/push.js';
import type { Hub } from '../server.js';
import type { BuildingLeases } from './lease.js';
import { Redis } from 'ioredis';
import { freePort } from '../history/influxdProcess.js';
import type { AlarmServing } from '../alarms/cluster-port.js';
import { ClusterAlarms, isForwardedAction } from './cluster-alarms.js';
import { startBackbone, startTwoHubCluster, stopEstate, until, type EstateParts } from './test-cluster.js';
import { UNIT_OF, pointIds } from './test-site.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const EDGES = ['b', 'c'];
const BUILDINGS = ['a', ...EDGES];
const PW = 'cluster-alarms-pw';
const HIGH = 200;

/** A console-like alarm client: the subscribe answers and every update it was sent. */
interface AlarmWatcher {
  socket: Client;
  answers: Array<{ alarms: AlarmView[]; summary: AlarmSummary }>;
  updates: Array<{ changed: AlarmView[]; summary: AlarmSummary }>;
}

describe('several hubs behind nginx: alarms', () => {
  let modbus: TestModbusServer;
  let nginx: Nginx;
  const hubs: Hub[] = [];
  const leases: BuildingLeases[] = [];
  const parts: EstateParts = { hubs, agents: [] };
  const watchers: AlarmWatcher[] = [];

  const setTemp = (b: string, v: number) => modbus.unit(UNIT_OF(BUILDINGS.indexOf(b))).holding.set(1, v);
  const owners = () => leases.map((l) => l.ownedBuildings());
  const hubOf = (w: AlarmWatcher) => hubs.findIndex((h) => h.io.of('/').sockets.has(w.socket.id ?? ''));
  const ruleOf = (b: string) => `temp-high-${b}`;
  /** A limit rule's high alarm is `<rule>.h`. */
  const alarmOf = (b: string) => `${ruleOf(b)}.h`;
  /** How many updates carried this alarm in this state. */
  const pushed = (w: AlarmWatcher, id: string, state: string) => w.updates.filter((u) => u.changed.some((v) => v.id === id && v.state === state)).length;
  const lastSummary = (w: AlarmWatcher) => w.updates.at(-1)?.summary ?? w.answers.at(-1)?.summary;

  async function login(base: string, username: string): Promise<string> {
    const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PW }) });
    expect(r.status).toBe(200);
    return ((await r.json()) as { token: string }).token;
  }
  const get = async <T>(base: string, path: string, token: string): Promise<T> => {
    const r = await fetch(`${base}/api${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status, path).toBe(200);
    return (await r.json()) as T;
  };

  async function subscribe(w: AlarmWatcher): Promise<void> {
    const n = w.answers.length;
    w.socket.emit('alarms:subscribe', (ack: AlarmsSubscribeAck) => {
      if (ack.ok) w.answers.push({ alarms: ack.alarms, summary: ack.summary });
    });
    await until('alarm subscribe answered', () => w.answers.length > n);
  }

  async function watch(token: string): Promise<AlarmWatcher> {
    const socket: Client = connectClient(nginx.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie: `wf_session=${token}` } });
    const w: AlarmWatcher = { socket, answers: [], updates: [] };
    socket.on('alarms:update', (u) => w.updates.push(u));
    watchers.push(w);
    await until('socket connected', () => socket.connected);
    await subscribe(w);
    return w;
  }

  /** A signed-in alarm client on hub `i` (nginx hashes the session cookie: sign in until one lands there). */
  async function clientOn(i: number): Promise<AlarmWatcher> {
    for (let tries = 0; tries < 40; tries++) {
      const w = await watch(await login(nginx.url, 'viewer1'));
      if (hubOf(w) === i) return w;
      w.socket.close();
    }
    throw new Error(`no client landed on hub ${i}`);
  }

  beforeAll(async () => {
    const { dir } = await startBackbone(parts, 'wf-cluster-alarms-', EDGES, (m) => {
      modbus = m;
      for (const b of BUILDINGS) setTemp(b, 30);
    });
    writeFileSync(join(dir, 'alarms.yaml'), YAML.stringify({
      rules: BUILDINGS.map((b) => ({
        id: ruleOf(b), type: 'limit', point: pointIds(b).temp, priority: 'high', limits: { high: { value: HIGH } },
        message: { en: `Too hot in ${b} ({value})`, 'zh-CN': `${b} 过热（{value}）` },
      })),
    }));
    nginx = await startTwoHubCluster(parts, leases, { users: [['viewer', 'viewer1'], ['operator', 'op1']], password: PW, modules: () => [createAlarmsModule()], edges: EDGES });
  }, 60_000);

  afterAll(() => stopEstate({ ...parts, sockets: watchers.map((w) => w.socket) }));

  it('an alarm hub A owns reaches a client on hub B once (list, updates, summary); acked through B, it is journaled on A by that user', async () => {
    const own0 = owners()[0][0];
    const id = alarmOf(own0);
    const w1 = await clientOn(1);
    expect(w1.answers[0].alarms.some((v) => v.id === id)).toBe(false);
    // Other tests may leave alarms waiting for an ack: counts are relative to what this client saw first.
    const base = w1.answers[0].summary.unacked.high;

    setTemp(own0, HIGH + 50);
    await until('hub 0 raised the alarm', () => hubs[0].store.get(pointIds(own0).temp)?.value === HIGH + 50);
    await until('the client on hub 1 got the activation', () => pushed(w1, id, 'unacknowledged') > 0);
    // Hub 1 never read the building: its own copy of the rule stays normal and is not shown.
    expect(hubs[1].store.get(pointIds(own0).temp)?.value).not.toBe(HIGH + 50);
    await until('summary counts it once', () => lastSummary(w1)?.unacked.high === base + 1, 5000);

    // A console (re)subscribing on hub 1 gets it from its owner, once, and the merged count.
    await subscribe(w1);
    const answer = w1.answers.at(-1)!;
    expect(answer.alarms.filter((v) => v.id === id).map((v) => v.state)).toEqual(['unacknowledged']);
    expect(answer.summary.unacked.high).toBe(base + 1);
    // The REST list and summary of hub 1 too.
    const viewer = await login(hubs[1].url, 'viewer1');
    expect((await get<AlarmView[]>(hubs[1].url, '/alarms', viewer)).filter((v) => v.id === id)).toHaveLength(1);
    expect((await get<AlarmSummary>(hubs[1].url, '/alarms/summary', viewer)).unacked.high).toBe(base + 1);
    expect((await get<AlarmView>(hubs[1].url, `/alarms/${id}`, viewer)).state).toBe('unacknowledged');

    // A cookie request from a foreign origin is refused by hub 1 itself: nothing is forwarded.
    const op = await login(hubs[1].url, 'op1');
    const forged = await fetch(`${hubs[1].url}/api/alarms/${id}/ack`, { method: 'POST', headers: { cookie: `wf_session=${op}`, 'content-type': 'application/json', origin: 'http://evil.example' }, body: '{}' });
    expect(forged.status).toBe(403);
    // A viewer may not acknowledge, on the hub that received the request.
    const denied = await fetch(`${hubs[1].url}/api/alarms/${id}/ack`, { method: 'POST', headers: { authorization: `Bearer ${viewer}`, 'content-type': 'application/json' }, body: '{}' });
    expect(denied.status).toBe(403);

    const r = await fetch(`${hubs[1].url}/api/alarms/${id}/ack`, { method: 'POST', headers: { authorization: `Bearer ${op}`, 'content-type': 'application/json' }, body: JSON.stringify({ comment: 'seen from hub 1' }) });
    expect(r.status).toBe(200);
    expect(((await r.json()) as AlarmView).ackedBy).toBe('op1');
    // Acknowledging again: the owner's refusal comes back as the same conflict.
    const again = await fetch(`${hubs[1].url}/api/alarms/${id}/ack`, { method: 'POST', headers: { authorization: `Bearer ${op}`, 'content-type': 'application/json' }, body: '{}' });
    expect(again.status).toBe(409);

    const tokens = await Promise.all(hubs.map((h) => login(h.url, 'op1')));
    const acks = (i: number) => get<JournalRow[]>(hubs[i].url, `/alarms/journal?alarm=${id}&kind=ack`, tokens[i]);
    const onA = await acks(0);
    expect(onA.map((j) => [j.user, j.comment])).toEqual([['op1', 'seen from hub 1']]);
    expect(await acks(1)).toEqual([]);
    const audit = hubs[0].audit.query({ action: 'alarm.ack' }).filter((e) => e.target === id);
    expect(audit.map((e) => e.user)).toEqual(['op1']);

    await until('the client on hub 1 got the ack', () => pushed(w1, id, 'acknowledged') > 0);
    await until('summary: back to what it was', () => lastSummary(w1)?.unacked.high === base, 5000);
    const active = lastSummary(w1)!.active;
    setTemp(own0, 30);
    await until('cleared', () => pushed(w1, id, 'normal') > 0);
    await until('summary: one fewer active', () => lastSummary(w1)?.active === active - 1, 5000);
    // Once each: a later change has arrived by now, so any copy of these would have too.
    expect(pushed(w1, id, 'unacknowledged')).toBe(1);
    expect(pushed(w1, id, 'acknowledged')).toBe(1);
  });

  it('an alarm of a building without an edge agent reaches each hub\'s client once, from the hub that owns it (the local lease)', async () => {
    const [w0, w1] = [await clientOn(0), await clientOn(1)];
    const base = [w0, w1].map((w) => w.answers[0].summary.unacked.high);
    const id = alarmOf('a');
    setTemp('a', HIGH + 10);
    await until('both clients got the activation', () => [w0, w1].every((w) => pushed(w, id, 'unacknowledged') > 0));
    // The building hub 1 owns: the other test uses hub 0's.
    const marker = owners()[1][0];
    // A later alarm (owned by hub 1) reaching both: any second copy of the first would have too.
    setTemp(marker, HIGH + 1);
    await until('both got the later alarm', () => [w0, w1].every((w) => pushed(w, alarmOf(marker), 'unacknowledged') > 0));
    for (const w of [w0, w1]) {
      expect(pushed(w, id, 'unacknowledged')).toBe(1);
      expect(pushed(w, alarmOf(marker), 'unacknowledged')).toBe(1);
    }
    await until('summaries count each alarm once', () => [w0, w1].every((w, i) => lastSummary(w)?.unacked.high === base[i] + 2), 5000);
    setTemp('a', 30);
    setTemp(marker, 30);
  });
});

describe('mergeSummaries', () => {
  const s = (over: Partial<AlarmSummary>): AlarmSummary => ({ unacked: { critical: 0, high: 0, medium: 0, low: 0 }, active: 0, shelved: 0, suppressed: 0, outOfService: 0, flood: false, floodGroups: [], recentCount: 0, ...over });
  it.each([
    { name: 'nothing', parts: [], unackedHigh: 0, active: 0, flood: false },
    { name: 'counts add up', parts: [s({ unacked: { critical: 1, high: 2, medium: 0, low: 0 }, active: 3 }), s({ unacked: { critical: 0, high: 1, medium: 0, low: 0 }, active: 1 })], unackedHigh: 3, active: 4, flood: false },
    { name: 'a flood over the sum of two hubs', parts: [s({ recentCount: 6 }), s({ recentCount: 6 })], unackedHigh: 0, active: 0, flood: true },
    { name: 'one hub flooding', parts: [s({ recentCount: 11, flood: true }), s({})], unackedHigh: 0, active: 0, flood: true },
  ])('$name', ({ parts, unackedHigh, active, flood }) => {
    const m = mergeSummaries(parts);
    expect([m.unacked.high, m.active, m.flood]).toEqual([unackedHigh, active, flood]);
  });
});

describe('ClusterAlarms.forward: who answers', () => {
  /** A namespace stand-in whose server-side requests answer as `answer` says (or never). */
  const link = (answer?: (ack: (err: Error | null, responses: unknown[]) => void) => void) => {
    const nsp = { on() {}, off() {}, serverSideEmit: (...args: unknown[]) => answer?.(args.at(-1) as (err: Error | null, r: unknown[]) => void) };
    const io = { of: () => nsp } as unknown as LiveServer;
    return new ClusterAlarms({ io, hubId: 'me', scope: () => 'none', log: { warn() {} }, requestTimeoutMs: 50 });
  };
  const ack = { type: 'ack', id: 'x.h', user: 'op1' } as const;
  it.each([
    { name: 'the owner answers', answer: (cb: (e: Error | null, r: unknown[]) => void) => cb(null, [null, { ok: true, result: [] }]), code: undefined },
    { name: 'every hub answers, none owns it', answer: (cb: (e: Error | null, r: unknown[]) => void) => cb(null, [null]), code: 'no_owner' },
    { name: 'the owner does not answer in time', answer: (cb: (e: Error | null, r: unknown[]) => void) => cb(new Error('timeout reached'), [null]), code: 'owner_unreachable' },
    { name: 'redis never answers', answer: undefined, code: 'owner_unreachable' },
  ])('$name', async ({ answer, code }) => {
    const r = link(answer).forward(ack);
    if (code === undefined) await expect(r).resolves.toEqual({ ok: true, result: [] });
    else await expect(r).rejects.toMatchObject({ kind: 'unavailable', code });
  });
  it.each([
    [{ type: 'ack', id: 'a.h', user: 'op1' }, true],
    [{ type: 'ack-area', area: 'b/l01', user: 'op1' }, true],
    [{ type: 'ack', id: 'a.h', user: '' }, false],
    [{ type: 'ack-area', id: 'a.h', user: 'op1' }, false],
    [{ type: 'delete', id: 'a.h', user: 'op1' }, false],
    [null, false],
  ])('isForwardedAction(%j) = %s', (a, ok) => expect(isForwardedAction(a)).toBe(ok));
});

describe('ClusterAlarms without Redis', () => {
  it('keeps the alarms of buildings without an edge agent on every hub (never nobody\'s), and edge buildings\' with their lease owner', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`; // nothing listens there
    const nsp = { on() {}, off() {}, serverSideEmit() {} };
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    redis.on('error', () => {});
    const c = new ClusterAlarms({ io: { of: () => nsp } as unknown as LiveServer, hubId: 'me', scope: () => 'none', log: { warn() {} }, handover: { redis, redisUrl: url, group: 'hq', edgeBuildings: ['b'], leaseMs: 300 } });
    const serving = { summary: () => mergeSummaries([]), adopt() {}, reevaluate() {}, states: () => [], part: () => ({ views: [], summary: mergeSummaries([]) }), act: () => null, remoteChanged() {} } satisfies AlarmServing;
    c.serve(serving);
    await until('local alarms fall back to every hub', () => c.scope('hq/a/l01/r101/ahu-a/temp') === 'local', 5000);
    expect(c.scope('hq/b/l01/r101/ahu-b/temp')).toBe('none');
    await c.stop();
    redis.disconnect();
  });
});
