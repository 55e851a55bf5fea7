// Two hubs behind nginx with Redis (leases, Socket.IO adapter, sessions), one Mosquitto, two edge
// agents, and Socket.IO clients through the proxy: every client sees every building's changes once,
// whichever hub ingests them; a session made on one hub works on the other and a sign-out ends it on
// both; a client of a hub that dies is served by the other within 5 s, still signed in.
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../contracts/driver.js';
import type { ClientToServerEvents, ServerToClientEvents, SubscribeAck } from '../../contracts/live.js';
import type { PointState } from '../../contracts/point.js';
import type { TestModbusServer } from '../../drivers/modbus/test-server.js';
import type { Nginx } from '../../test/support/nginx.js';
import type { Hub } from '../server.js';
import type { BuildingLeases } from './lease.js';
import { startBackbone, startTwoHubCluster, stopEstate, until, type EstateParts } from './test-cluster.js';
import { UNIT_OF, pointIds } from './test-site.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const EDGES = ['b', 'c'];
const BUILDINGS = ['a', ...EDGES];
const FLOORS = BUILDINGS.map((b) => `hq/${b}/l01`);
const PW = 'cluster-test-pw';
const USER = 'viewer1';

/** A client through the proxy: every temperature it was sent, and the last driver statuses. */
interface Watcher {
  socket: Client;
  seen: PointState[];
  statuses: ConnectionStatus[];
  connects: number;
}

/**
 * The estate, started before and stopped after the tests of the describe that calls it: each describe
 * has its own (the failover test kills a hub; shuffled tests must not depend on it).
 */
function useEstate() {
  let modbus: TestModbusServer;
  let nginx: Nginx;
  const hubs: Hub[] = [];
  const leases: BuildingLeases[] = [];
  const parts: EstateParts = { hubs, agents: [] };
  const watchers: Watcher[] = [];
  const stopped = new Set<number>();
  let next = 100;

  const setTemp = (b: string) => {
    const v = next++;
    modbus.unit(UNIT_OF(BUILDINGS.indexOf(b))).holding.set(1, v);
    return v;
  };
  const owners = () => leases.map((l) => l.ownedBuildings());
  const hubOf = (w: Watcher) => hubs.findIndex((h, i) => !stopped.has(i) && h.io.of('/').sockets.has(w.socket.id ?? ''));
  const times = (w: Watcher, b: string, v: number) => w.seen.filter((s) => s.id === pointIds(b).temp && s.value === v).length;

  async function login(base: string): Promise<string> {
    const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: USER, password: PW }) });
    expect(r.status).toBe(200);
    return ((await r.json()) as { token: string }).token;
  }
  const me = (base: string, token: string) => fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

  /** A console-like client through nginx: the session cookie (which nginx hashes), re-subscribing on every connect. */
  async function watch(token: string): Promise<Watcher> {
    const socket: Client = connectClient(nginx.url, {
      transports: ['websocket'], forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 300,
      extraHeaders: { cookie: `wf_session=${token}` },
    });
    const w: Watcher = { socket, seen: [], statuses: [], connects: 0 };
    socket.on('points:update', (batch) => w.seen.push(...batch));
    socket.on('drivers:status', (s) => (w.statuses = s));
    // As console/src/live.ts: a server-side disconnect (hub stopping) is followed by a reconnect.
    socket.on('disconnect', (reason) => void (reason === 'io server disconnect' && socket.connect()));
    socket.on('connect', () => {
      socket.emit('subscribe', { floors: FLOORS }, (ack: SubscribeAck) => {
        if (ack.ok) {
          w.seen.push(...ack.snapshot);
          w.connects++;
        }
      });
    });
    watchers.push(w);
    await until('client subscribed', () => w.connects === 1);
    return w;
  }

  beforeAll(async () => {
    ({ modbus } = await startBackbone(parts, 'wf-cluster-', EDGES, (m) => {
      for (const b of BUILDINGS) m.unit(UNIT_OF(BUILDINGS.indexOf(b))).holding.set(1, 30);
    }));
    nginx = await startTwoHubCluster(parts, leases, { users: [['viewer', USER]], password: PW, modules: () => [], edges: EDGES });
  }, 60_000);

  afterAll(() => stopEstate({ ...parts, sockets: watchers.map((w) => w.socket) }));

  /** One signed-in client through nginx on each hub (nginx hashes the session cookie: sign in until both are covered). */
  async function clientOnEachHub(): Promise<[Watcher, Watcher]> {
    const on: Array<Watcher | undefined> = [undefined, undefined];
    for (let tries = 0; tries < 40 && !(on[0] && on[1]); tries++) {
      const w = await watch(await login(nginx.url));
      const i = hubOf(w);
      if (i >= 0 && !on[i]) on[i] = w;
      else w.socket.close();
    }
    expect(on[0] && on[1], 'a client landed on each hub').toBeTruthy();
    return [on[0]!, on[1]!];
  }

  return { hubs, leases, stopped, owners, setTemp, hubOf, times, login, me, clientOnEachHub };
}

describe('several hubs behind nginx: one live picture and shared sessions', () => {
  const { hubs, owners, setTemp, times, login, me, clientOnEachHub } = useEstate();

  it('a REST point read on a hub that does not own the building answers the owner\'s current state', async () => {
    const [own0, own1] = owners().map((o) => o[0]);
    const tokens = await Promise.all(hubs.map((h) => login(h.url)));
    const read = async (i: number, path: string) => {
      const r = await fetch(`${hubs[i].url}/api${path}`, { headers: { authorization: `Bearer ${tokens[i]}` } });
      expect(r.status).toBe(200);
      return r.json() as Promise<{ state: PointState | null } & { items: Array<{ id: string; state: PointState | null }> }>;
    };
    for (const [owner, b] of [[0, own0], [1, own1]] as const) {
      const v = setTemp(b);
      await until(`hub ${owner} ingested ${v}`, () => hubs[owner].store.get(pointIds(b).temp)?.value === v);
      const other = 1 - owner;
      // The other hub never ingests this building: its own copy is not the current value…
      expect(hubs[other].store.get(pointIds(b).temp)?.value).not.toBe(v);
      // …but its answers are the owner's, the single point and the list.
      const one = await read(other, `/points/${pointIds(b).temp}`);
      expect([one.state?.value, one.state?.quality]).toEqual([v, 'good']);
      const page = await read(other, `/points?building=${b}&limit=50`);
      expect(page.items.find((p) => p.id === pointIds(b).temp)?.state?.value).toBe(v);
    }
  });

  it('a session made through one hub is accepted by the other, and a sign-out on either ends it on both', async () => {
    const token = await login(hubs[0].url);
    await until('session known on hub 1', () => hubs[1].auth.sessions.get(token) !== undefined, 3000);
    expect(await me(hubs[1].url, token)).toBe(200);
    // A console open on hub 0 with that session…
    const socket: Client = connectClient(hubs[0].url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { token } });
    let ended = false;
    socket.on('disconnect', () => (ended = true));
    await until('socket on hub 0 connected', () => socket.connected, 3000);
    // …is closed when the user signs out on hub 1.
    const r = await fetch(`${hubs[1].url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(204);
    await until('session ended on hub 0', () => hubs[0].auth.sessions.get(token) === undefined, 3000);
    expect(await me(hubs[0].url, token)).toBe(401);
    await until('its socket on hub 0 closed', () => ended, 3000);
    socket.close();
  });

  it('a client on each hub sees every building, each change once, whichever hub ingested it', async () => {
    const [w0, w1] = await clientOnEachHub();
    const [own0, own1] = owners().map((o) => o[0]);
    // The snapshot of a building the other hub owns comes from its owner (this hub never read it).
    for (const b of [own0, own1]) for (const w of [w0, w1]) expect(w.seen.some((s) => s.id === pointIds(b).temp && s.quality === 'good')).toBe(true);
    // Driver statuses: each client sees the edge connections online, as their owners report them.
    for (const w of [w0, w1]) await until('edge connections online', () => EDGES.every((b) => w.statuses.find((s) => s.connection === `gw-${b}`)?.state === 'online'), 5000);
    // `a` runs on both hubs (no edge agent): each hub tells only its own clients.
    const first = { a: setTemp('a'), [own0]: setTemp(own0), [own1]: setTemp(own1) };
    await until('both clients saw every change', () => [w0, w1].every((w) => BUILDINGS.every((b) => times(w, b, first[b]) > 0)));
    // A later change per building: once it has arrived, any copy of the first would have too.
    const second = Object.fromEntries(BUILDINGS.map((b) => [b, setTemp(b)]));
    await until('both clients saw the second changes', () => [w0, w1].every((w) => BUILDINGS.every((b) => times(w, b, second[b]) > 0)));
    for (const w of [w0, w1]) for (const b of BUILDINGS) expect({ b, n: times(w, b, first[b]) }).toEqual({ b, n: 1 });
  });

});

describe('several hubs behind nginx: a hub dies', () => {
  const { hubs, leases, stopped, owners, setTemp, hubOf, times, clientOnEachHub } = useEstate();

  it('when a hub dies, its client is back through nginx on the other within 5 s, signed in, and keeps getting updates', async () => {
    const [w0] = await clientOnEachHub();
    const lost = owners()[0][0];
    const connectsBefore = w0.connects;
    // A crash: the lease is not released, the hub's sockets drop.
    leases[0].abandon();
    const t0 = Date.now();
    stopped.add(0);
    await hubs[0].stop();
    await until('client re-subscribed on hub 1', () => w0.connects > connectsBefore && hubOf(w0) === 1, 5000);
    expect(Date.now() - t0).toBeLessThan(5000);
    await until(`hub 1 owns ${lost}`, () => owners()[1].includes(lost), 5000);
    await until(`${lost} good at hub 1`, () => hubs[1].store.get(pointIds(lost).temp)?.quality === 'good');
    const v = setTemp(lost);
    await until('the moved client got the change', () => times(w0, lost, v) > 0);
    const after = setTemp(lost);
    await until('and the next one', () => times(w0, lost, after) > 0);
    expect(times(w0, lost, v)).toBe(1);
  });
});
