// Alarm ownership and hand-over across two hubs (Redis, Mosquitto, one edge agent, real Modbus):
// every alarm is journaled by one hub, the owner of its building (an edge building's lease owner; for
// buildings without an edge agent, the holder of the `~local` lease). An action on another hub is run
// by the owner and reaches every hub's clients. When the owner dies, the other hub continues its
// alarms (acknowledged stays acknowledged, comments and shelving kept) without journaling the
// activations again.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { AlarmsSubscribeAck, AlarmSummary, AlarmView, JournalRow } from '../../contracts/alarms.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/live.js';
import { TestModbusServer } from '../../drivers/modbus/test-server.js';
import { driverFor } from '../../drivers/registry.js';
import { EdgeAgent } from '../../edge/agent.js';
import { createEdgeDrivers } from '../../edge/drivers.js';
import { loadBuilding } from '../../edge/site.js';
import { startMosquitto, type Mosquitto } from '../../test/support/mosquitto.js';
import { startRedis, type RedisServer } from '../../test/support/redis.js';
import { createAlarmsModule, type AlarmsModule } from '../alarms/index.js';
import { hashPassword } from '../auth/password.js';
import { loadConfig } from '../config/load.js';
import { silentLogger } from '../log.js';
import type { HubModule } from '../module.js';
import { createHub, type Hub } from '../server.js';
import type { ClusterAlarms } from './cluster-alarms.js';
import type { BuildingLeases } from './lease.js';
import { createHubDriversWith } from './remote.js';
import { UNIT_OF, pointIds, writeTestSite } from './test-site.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const until = async (what: string, pred: () => boolean | Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
const silent = { info() {}, warn() {}, error() {}, debug() {} };
const EDGE = 'b';
const BUILDINGS = ['a', EDGE];
const PW = 'handover-pw';
const HIGH = 200;
const alarmOf = (b: string) => `temp-high-${b}.h`;

interface Watcher { socket: Client; updates: Array<{ changed: AlarmView[]; summary: AlarmSummary }> }

describe('several hubs: alarm ownership, forwarded actions and hand-over on a hub\'s death', () => {
  let dir: string;
  let modbus: TestModbusServer;
  let broker: Mosquitto;
  let redis: RedisServer;
  let rc: Redis;
  let agent: EdgeAgent;
  const hubs: Hub[] = [];
  const leases: BuildingLeases[] = [];
  const mods: AlarmsModule[] = [];
  const links: Array<ClusterAlarms | undefined> = [];
  const watchers: Watcher[] = [];
  const dead = new Set<number>();

  const setTemp = (b: string, v: number) => modbus.unit(UNIT_OF(BUILDINGS.indexOf(b))).holding.set(1, v);
  const rows = (i: number, id: string, kind?: JournalRow['kind']) => mods[i].journal!.query({ alarm: id, ...(kind ? { kind: [kind] } : {}) });
  const pushed = (w: Watcher, id: string, pred: (v: AlarmView) => boolean) => w.updates.filter((u) => u.changed.some((v) => v.id === id && pred(v))).length;
  const token = async (i: number, username: string) => {
    const r = await fetch(`${hubs[i].url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PW }) });
    return ((await r.json()) as { token: string }).token;
  };
  const post = async (i: number, path: string, body: object) => {
    const r = await fetch(`${hubs[i].url}/api${path}`, { method: 'POST', headers: { authorization: `Bearer ${await token(i, 'op1')}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as AlarmView };
  };
  const view = async (i: number, id: string) => {
    const r = await fetch(`${hubs[i].url}/api/alarms/${id}`, { headers: { authorization: `Bearer ${await token(i, 'op1')}` } });
    return (await r.json()) as AlarmView;
  };
  async function watch(i: number): Promise<Watcher> {
    const socket: Client = connectClient(hubs[i].url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { token: await token(i, 'op1') } });
    const w: Watcher = { socket, updates: [] };
    socket.on('alarms:update', (u) => w.updates.push(u));
    let answered = false;
    socket.emit('alarms:subscribe', (ack: AlarmsSubscribeAck) => (answered = ack.ok));
    await until('alarm subscribe answered', () => answered);
    watchers.push(w);
    return w;
  }
  const localOwner = () => rc.get('wf:lease:hq:~local');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wf-alarm-handover-'));
    modbus = await TestModbusServer.start();
    for (const b of BUILDINGS) setTemp(b, 30);
    [broker, redis] = await Promise.all([startMosquitto(), startRedis()]);
    rc = new Redis(redis.url);
    writeTestSite(dir, { modbusPort: modbus.port, brokerUrl: broker.url, edgeBuildings: [EDGE], redisUrl: redis.url, leaseMs: 2000 });
    writeFileSync(join(dir, 'alarms.yaml'), YAML.stringify({
      rules: BUILDINGS.map((b) => ({ id: `temp-high-${b}`, type: 'limit', point: pointIds(b).temp, priority: 'high', limits: { high: { value: HIGH } }, message: { en: `Hot ${b}`, 'zh-CN': `${b} 过热` } })),
    }));
    const passwordHash = await hashPassword(PW, { N: 1024, r: 8, p: 1 });
    for (const i of [0, 1]) {
      const config = loadConfig(dir);
      config.hub.dataDir = join(dir, `data-hub${i}`);
      config.users = [{ ...config.users.find((u) => u.role === 'supervisor')!, username: 'op1', passwordHash }];
      const drivers = createHubDriversWith(config, driverFor, { hubId: `hub${i}`, onLeases: (l) => (leases[i] = l) });
      const capture: HubModule = { name: 'capture', async start(h) { links[i] = h.alarmCluster as ClusterAlarms | undefined; } };
      mods.push(createAlarmsModule());
      hubs.push(await createHub(config, { drivers, modules: [mods[i], capture], log: silentLogger(), listen: { port: 0 } }));
      // Hub 0 owns everything first (the edge building and the buildings without an edge agent).
      if (i === 0) await until('hub 0 owns b and the local alarms', async () => leases[0]?.ownedBuildings().includes(EDGE) && (await localOwner()) !== null);
    }
    const slice = loadBuilding(dir, EDGE);
    agent = new EdgeAgent({ group: 'hq', building: EDGE, broker: { url: broker.url, keepaliveS: 2 }, points: slice.points, drivers: createEdgeDrivers(slice), dataDir: join(dir, 'edge-b'), log: silent });
    await agent.start();
    await until('b good at hub 0', () => hubs[0].store.get(pointIds(EDGE).temp)?.quality === 'good');
  }, 60_000);

  afterAll(async () => {
    for (const w of watchers) w.socket.close();
    await agent?.stop();
    for (const [i, h] of hubs.entries()) if (!dead.has(i)) await h.stop();
    rc?.disconnect();
    await broker?.stop();
    await redis?.stop();
    await modbus?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('acts on every alarm through its owner, and the survivor continues them without journaling them again', async () => {
    const [w0, w1] = [await watch(0), await watch(1)];
    const [edgeId, localId] = [alarmOf(EDGE), alarmOf('a')];
    setTemp(EDGE, HIGH + 20);
    setTemp('a', HIGH + 30);
    await until('both alarms raised on hub 0', () => rows(0, edgeId, 'activate').length === 1 && rows(0, localId, 'activate').length === 1);
    // Hub 1 reads building a itself: once it has the value, it has evaluated the rule (not journaled: not its own).
    await until('hub 1 read the hot value of a', () => hubs[1].store.get(pointIds('a').temp)?.value === HIGH + 30);
    expect(rows(1, localId)).toEqual([]);
    for (const w of [w0, w1]) await until('each client got both activations', () => pushed(w, edgeId, (v) => v.state === 'unacknowledged') > 0 && pushed(w, localId, (v) => v.state === 'unacknowledged') > 0);

    // Actions through hub 1, which owns neither alarm: run and journaled by hub 0, by the user who acted.
    expect((await post(1, `/alarms/${localId}/ack`, { comment: 'local seen on hub 1' })).status).toBe(200);
    expect((await post(1, `/alarms/${localId}/ack`, {})).status).toBe(409);
    expect((await post(1, `/alarms/${edgeId}/ack`, {})).status).toBe(200);
    expect((await post(1, `/alarms/${edgeId}/comments`, { text: 'technician called' })).status).toBe(201);
    expect((await post(1, `/alarms/${localId}/shelve`, { durationMin: 30, reason: 'maintenance' })).status).toBe(200);
    expect(rows(0, localId, 'ack').map((r) => [r.user, r.comment])).toEqual([['op1', 'local seen on hub 1']]);
    expect(rows(0, edgeId, 'comment').map((r) => r.comment)).toEqual(['technician called']);
    expect(rows(1, localId)).toEqual([]);
    expect(rows(1, edgeId)).toEqual([]);
    // Every client, on either hub, sees the new states; both hubs answer them.
    for (const w of [w0, w1]) {
      await until('clients got the ack of the edge alarm', () => pushed(w, edgeId, (v) => v.state === 'acknowledged' && v.ackedBy === 'op1') > 0);
      await until('clients got the local alarm shelved', () => pushed(w, localId, (v) => v.state === 'shelved') > 0);
    }
    for (const i of [0, 1]) {
      expect((await view(i, localId)).state).toBe('shelved');
      expect((await view(i, edgeId)).state).toBe('acknowledged');
    }
    // The owner handed the states on.
    await until('states in redis', async () => (JSON.parse((await rc.hget('wf:alarms:hq:~local', localId)) ?? '{}') as { shelved?: unknown }).shelved != null);

    // Hub 0 dies: no lease is released; hub 1 takes both over.
    const activations = [edgeId, localId].map((id) => rows(0, id, 'activate').length);
    leases[0].abandon();
    links[0]?.localLeaseKeeper()?.abandon();
    dead.add(0);
    await hubs[0].stop();
    await until('hub 1 owns b', () => leases[1].ownedBuildings().includes(EDGE), 8000);
    await until('hub 1 owns the local alarms', async () => (await localOwner()) !== null && links[1]?.scope(pointIds('a').temp) === 'cluster', 8000);
    await until('b good at hub 1', () => hubs[1].store.get(pointIds(EDGE).temp)?.quality === 'good');
    // A later change of b has been evaluated by hub 1: the rebirth was long before it.
    setTemp(EDGE, HIGH + 21);
    await until('hub 1 read the later value', () => hubs[1].store.get(pointIds(EDGE).temp)?.value === HIGH + 21);
    expect(activations).toEqual([1, 1]);
    expect(rows(1, edgeId)).toEqual([]);
    expect(rows(1, localId)).toEqual([]);
    const [edgeNow, localNow] = [await view(1, edgeId), await view(1, localId)];
    expect([edgeNow.state, edgeNow.ackedBy]).toEqual(['acknowledged', 'op1']);
    expect(localNow.state).toBe('shelved');

    // The survivor continues: the return to normal is journaled there, once.
    setTemp(EDGE, 30);
    await until('cleared on hub 1', () => rows(1, edgeId, 'clear').length === 1);
    expect(rows(1, edgeId).map((r) => r.kind)).toEqual(['clear']);
    expect((await post(1, `/alarms/${localId}/unshelve`, {})).status).toBe(200);
    expect(rows(1, localId).map((r) => r.kind)).toEqual(['unshelve']);
    setTemp('a', 30);
  }, 60_000);
});
