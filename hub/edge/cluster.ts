// Several hubs behind one address, wired in one place (createHub calls startCluster): when edge.yaml
// names Redis (`hub.redisUrl`), Socket.IO rooms span the hubs (Redis adapter), the live picture is
// pushed once by the hub that ingests each sample (hub/edge/cluster-live.ts), and sessions are shared
// (hub/auth/session-redis.ts). Without Redis it does nothing: the single-hub path is unchanged.
import { hostname } from 'node:os';
import type { Driver } from '../../contracts/driver.js';
import type { SessionStore } from '../auth/sessions.js';
import type { LoadedConfig } from '../config/types.js';
import { sectionOf } from '../config/section-key.js';
import type { Live, LiveServer } from '../live/live.js';
import type { HubLogger, PointStoreLike } from '../ports.js';
import type { ConnectionStatus } from '../../contracts/driver.js';
import type { ClusterAlarms } from './cluster-alarms.js';
import { ClusterLive } from './cluster-live.js';
import { buildingOfConnections, edgeHostOf, ESTATE_SECTION } from './remote.js';

export interface ClusterDeps {
  config: LoadedConfig;
  io: LiveServer;
  live: Live;
  store: PointStoreLike;
  sessions: SessionStore;
  drivers: readonly Driver[];
  statuses(): ConnectionStatus[];
  log: HubLogger;
}

export interface Cluster {
  live: ClusterLive;
  /** Alarms across hubs (hub/edge/cluster-alarms.ts): the alarms module's link. */
  alarms: ClusterAlarms;
  /** This hub's statuses changed: other hubs learn it. */
  statusesChanged(): void;
  /** Before the Socket.IO server closes. */
  stop(): Promise<void>;
  /** After it closed (its adapter unsubscribes on close). */
  disconnect(): void;
}

/** Starts the several-hubs wiring if edge.yaml names Redis; undefined otherwise. */
export async function startCluster(d: ClusterDeps): Promise<Cluster | undefined> {
  const estate = sectionOf(d.config.sections, ESTATE_SECTION);
  const redisUrl = estate?.hub.redisUrl;
  if (!estate || !redisUrl) return undefined;
  // Loaded only for several hubs: a single hub never pays for ioredis and the adapter at start-up.
  const [{ createAdapter }, { Redis }, { RedisSessions }, { ClusterAlarms }] = await Promise.all([
    import('@socket.io/redis-adapter'), import('ioredis'), import('../auth/session-redis.js'), import('./cluster-alarms.js'),
  ]);
  const group = estate.group ?? d.config.site.id;
  const pub = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  const sub = pub.duplicate();
  pub.on('error', (err) => d.log.warn({ err: err.message }, 'socket.io redis adapter: redis error'));
  sub.on('error', () => {});
  // Requests to other hubs (rooms, snapshots) give up after 2 s: a dead hub must not stall a subscribe.
  d.io.adapter(createAdapter(pub, sub, { key: `wf:io:${group}`, requestsTimeout: 2000 }));

  const host = edgeHostOf(d.drivers);
  const edgeBuildings = Object.keys(estate.buildings);
  const hubId = `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const cl = new ClusterLive({
    io: d.io,
    store: d.store,
    hubId,
    // Without a Sparkplug host in this process (hand-built drivers), this hub owns no edge building.
    edgeBuildings,
    owned: () => host?.buildings() ?? [],
    buildingOfConnection: buildingOfConnections(d.config),
    localStatuses: d.statuses,
    pushStatuses: () => d.live.pushStatuses(d.statuses()),
    log: d.log,
  });
  d.live.setCluster(cl);
  // Alarms follow the points' rule: the building's lease owner evaluates, journals and pushes its
  // alarms; those of buildings without an edge agent follow one more lease. Their states are handed
  // over through Redis: a hub taking a building adopts them before it takes the building's data.
  const alarms = new ClusterAlarms({ io: d.io, hubId, scope: (id) => cl.scope(id), log: d.log, handover: { redis: pub, redisUrl, group, edgeBuildings, leaseMs: estate.hub.leaseMs } });
  const offOwned = host?.onBuildings((owned) => (alarms.edgeOwned(owned), cl.setOwned(owned)));
  const offGate = host?.setTakeGate((buildings) => alarms.takeOver(buildings, false));
  const offBirth = host?.onBirth((ids) => alarms.reborn(ids));
  cl.start();
  alarms.start();

  const sessions = new RedisSessions({ redisUrl, group, store: d.sessions, log: d.log, onRemoteEnd: () => d.live.dropEndedSessions() });
  try {
    await sessions.start();
  } catch (err) {
    d.log.warn({ err: (err as Error).message }, 'sessions: redis unreachable at start; sessions stay on this hub');
  }
  return {
    live: cl,
    alarms,
    statusesChanged: () => cl.announceStatuses(),
    async stop() {
      offOwned?.();
      offGate?.();
      offBirth?.();
      await alarms.stop();
      cl.stop();
      d.live.setCluster(undefined);
      await sessions.stop();
    },
    disconnect() {
      pub.disconnect();
      sub.disconnect();
    },
  };
}
