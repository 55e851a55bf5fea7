// Test support for the estate tests (hubs, edge agents, Mosquitto, Redis, nginx; not a test file
// itself): the parts they all bring up on the test site of test-site.ts, and one teardown.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestModbusServer } from '../../drivers/modbus/test-server.js';
import { driverFor } from '../../drivers/registry.js';
import { EdgeAgent } from '../../edge/agent.js';
import { createEdgeDrivers } from '../../edge/drivers.js';
import { loadBuilding } from '../../edge/site.js';
import { startMosquitto, type Mosquitto } from '../../test/support/mosquitto.js';
import { startNginx, type Nginx } from '../../test/support/nginx.js';
import { startRedis, type RedisServer } from '../../test/support/redis.js';
import { hashPassword } from '../auth/password.js';
import { loadConfig } from '../config/load.js';
import { silentLogger } from '../log.js';
import type { HubModule } from '../module.js';
import { createHub, type Hub } from '../server.js';
import type { BuildingLeases } from './lease.js';
import { createHubDriversWith } from './remote.js';
import { pointIds, writeTestSite } from './test-site.js';

export const silent = { info() {}, warn() {}, error() {}, debug() {} };

/** Waits until `pred` holds (10 s by default), else throws naming `what`. */
export const until = async (what: string, pred: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

/** Everything an estate test may have started; `stopEstate` stops what is there, in reverse order. */
export interface EstateParts {
  dir?: string;
  modbus?: TestModbusServer;
  broker?: Mosquitto;
  redis?: RedisServer;
  nginx?: Nginx;
  hubs: Hub[];
  agents: EdgeAgent[];
  /** Client sockets to close first. */
  sockets?: Array<{ close(): unknown }>;
}

export async function stopEstate(p: EstateParts): Promise<void> {
  for (const s of p.sockets ?? []) s.close();
  await p.nginx?.stop();
  for (const a of p.agents) await a.stop();
  for (const h of p.hubs) await h.stop();
  await p.broker?.stop();
  await p.redis?.stop();
  await p.modbus?.close();
  if (p.dir) rmSync(p.dir, { recursive: true, force: true });
}

/**
 * A temp folder with the test site (building `a` in the hub, `edges` on edge agents, leases of
 * 900 ms in Redis), its Modbus server (`before` sets the registers, before any hub polls) and
 * Mosquitto and Redis. Written into `p` as it goes, so `stopEstate(p)` also cleans up a failed start.
 */
export async function startBackbone(p: EstateParts, tmpPrefix: string, edges: string[], before: (modbus: TestModbusServer) => void): Promise<Required<Pick<EstateParts, 'dir' | 'modbus' | 'broker' | 'redis'>>> {
  const dir = (p.dir = mkdtempSync(join(tmpdir(), tmpPrefix)));
  const modbus = (p.modbus = await TestModbusServer.start());
  before(modbus);
  const [broker, redis] = await Promise.all([startMosquitto(), startRedis()]);
  Object.assign(p, { broker, redis });
  writeTestSite(dir, { modbusPort: modbus.port, brokerUrl: broker.url, edgeBuildings: edges, redisUrl: redis.url, leaseMs: 900 });
  return { dir, modbus, broker, redis };
}

/** An edge agent (plain MQTT, no credentials) for each of `buildings`, started, added to `agents`. */
export async function startEdgeAgents(dir: string, brokerUrl: string, buildings: string[], agents: EdgeAgent[]): Promise<void> {
  for (const b of buildings) {
    const slice = loadBuilding(dir, b);
    const a = new EdgeAgent({ group: 'hq', building: b, broker: { url: brokerUrl, keepaliveS: 2 }, points: slice.points, drivers: createEdgeDrivers(slice), dataDir: join(dir, `edge-${b}`), log: silent });
    await a.start();
    agents.push(a);
  }
}

export interface ClusterOptions {
  /** Users of both hubs, [role, username], all with `password`. */
  users: Array<[role: string, username: string]>;
  password: string;
  /** Fresh modules for each hub. */
  modules: () => HubModule[];
  edges: string[];
}

/**
 * Two hubs on the backbone of `startBackbone` (hub 0 takes one edge building, hub 1 the other:
 * each ingests something the other's clients need), the edge agents, then nginx in front with
 * cookie-sticky sessions. Returns once each hub reads its own edge building as good.
 */
export async function startTwoHubCluster(p: EstateParts, leases: BuildingLeases[], o: ClusterOptions): Promise<Nginx> {
  const { dir, broker } = p;
  if (!dir || !broker) throw new Error('startTwoHubCluster: start the backbone first (startBackbone)');
  const owners = () => leases.map((l) => l.ownedBuildings());
  const passwordHash = await hashPassword(o.password, { N: 1024, r: 8, p: 1 });
  for (const i of [0, 1]) {
    const config = loadConfig(dir);
    config.hub.dataDir = join(dir, `data-hub${i}`);
    config.users = o.users.map(([role, username]) => ({ ...config.users.find((u) => u.role === role)!, username, passwordHash }));
    const drivers = createHubDriversWith(config, driverFor, { hubId: `hub${i}`, maxOwned: i === 0 ? 1 : undefined, onLeases: (l) => (leases[i] = l) });
    p.hubs.push(await createHub(config, { drivers, modules: o.modules(), log: silentLogger(), listen: { port: 0 } }));
    if (i === 0) await until('hub 0 owns a building', () => owners()[0]?.length === 1);
  }
  await until('each hub owns one building', () => owners()[1]?.length === 1);
  await startEdgeAgents(dir, broker.url, o.edges, p.agents);
  const nginx = (p.nginx = await startNginx({ hubs: p.hubs.map((h) => ({ host: '127.0.0.1', port: h.port })), sticky: 'cookie' }));
  for (const [i, b] of owners().map((o, k) => [k, o[0]] as const)) {
    await until(`${b} good at hub ${i}`, () => p.hubs[i].store.get(pointIds(b).temp)?.quality === 'good');
  }
  return nginx;
}
