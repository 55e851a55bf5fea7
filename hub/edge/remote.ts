// How edge-served points appear in the hub like local ones. For every protocol the hub builds one
// driver (hub/driver-groups.ts); with edge.yaml, that driver is a composite: a local driver for the
// connections of buildings without an edge agent, and a remote driver for the rest, fed by the
// Sparkplug host (hub/edge/host.ts). Writes to an edge point go through the same command pipeline
// (validate → priority array → driver) and end as a DCMD; the priority array stays in the hub.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BoundPoint, Driver, DriverContext, DriverFactory } from '../../contracts/driver.js';
import { ESTATE_FILE, type EstateFile } from '../../drivers/mqtt/estate.js';
import type { LoadedConfig } from '../config/types.js';
import { createDriversWith } from '../driver-groups.js';
import { sectionKey, sectionOf } from '../config/section-key.js';
import type { HubLogger } from '../ports.js';
import { EdgeHost } from './host.js';
import type { BuildingLeases } from './lease.js';
import { hostname } from 'node:os';

export const ESTATE_SECTION = sectionKey<EstateFile>(ESTATE_FILE);

/** The driver of one protocol's edge points: samples and statuses come from the host, writes go to it. */
export function remoteDriver(protocol: string, host: EdgeHost): Driver {
  let ctx: DriverContext | null = null;
  return {
    protocol,
    async start(c) {
      ctx = c;
      host.attach(protocol, {
        samples: (batch) => ctx?.publish(batch),
        status: (s) => ctx?.status(s),
      });
    },
    write: (pointId, value) => host.command(pointId, value),
    async stop() {
      ctx = null;
      await host.detach(protocol);
    },
  };
}

/**
 * One Driver for a protocol whose points are split between a local driver and a remote one.
 * `remoteCheck` is the same protocol's driver built for the edge points but never started: it knows
 * their wire types, so a write the edge would refuse (1.5 on a uint16) is refused at the hub, before
 * it enters the priority array.
 */
export function compositeDriver(protocol: string, local: Driver | undefined, remote: Driver, isRemote: (pointId: string) => boolean, remoteCheck?: Driver): Driver {
  return {
    protocol,
    async start(ctx) {
      await local?.start(ctx);
      await remote.start(ctx);
    },
    // Edge points take plain writes (the DCMD carries no level); local ones get the hub's level.
    write: (id, v, o) => (isRemote(id) || !local ? remote.write(id, v) : o ? local.write(id, v, o) : local.write(id, v)),
    checkWrite: (id, v) => (isRemote(id) ? (remoteCheck?.checkWrite?.(id, v) ?? null) : (local?.checkWrite?.(id, v) ?? null)),
    nativePriority: (id) => (isRemote(id) ? false : (local?.nativePriority?.(id) ?? false)),
    async stop() {
      await Promise.allSettled([local?.stop(), remote.stop()]);
    },
  };
}

/** Which building each connection serves (from its devices' locations). */
export function buildingOfConnections(config: Pick<LoadedConfig, 'devices'>): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of config.devices) out.set(d.connection, d.location.building);
  return out;
}

export interface HubDriversOptions {
  log?: HubLogger;
  /** Override edge.yaml's data partition (several hubs): the buildings this hub takes data from. */
  buildings?: readonly string[];
  clientId?: string;
  /** This hub's id in building leases; default host name + pid. */
  hubId?: string;
  /** At most this many edge buildings per hub (spreads buildings over hubs; default all). */
  maxOwned?: number;
  /** Called with the lease keeper once it exists (tests and the bench simulate a crash with abandon()). */
  onLeases?: (leases: BuildingLeases) => void;
}

/** Building ownership through Redis leases, as the host's `ownership` hook. */
export function leaseOwnership(o: { redisUrl: string; group: string; hubId: string; buildings: string[]; ttlMs: number; maxOwned?: number; log: HubLogger; onLeases?: (l: BuildingLeases) => void }) {
  let leases: BuildingLeases | null = null;
  return {
    async start(onChange: (owned: readonly string[]) => void) {
      const { BuildingLeases } = await import('./lease.js'); // ioredis: only for several hubs
      leases = new BuildingLeases({ ...o, onChange: (owned) => (o.log.info({ owned, hub: o.hubId }, 'building leases changed'), onChange(owned)), onError: (err) => o.log.warn({ err: err.message }, 'building lease: redis error') });
      o.onLeases?.(leases);
      await leases.start();
    },
    async stop() {
      await leases?.stop();
      leases = null;
    },
  };
}

/**
 * The hub's drivers: as createDriversWith, except that connections of buildings listed in edge.yaml run
 * on edge agents and reach the hub through one Sparkplug host. Without edge.yaml: exactly createDriversWith.
 */
/** The Sparkplug host behind a hub's edge drivers (hub/edge/cluster.ts reads which buildings it owns). */
const hostOfDriver = new WeakMap<Driver, EdgeHost>();

export function edgeHostOf(drivers: readonly Driver[]): EdgeHost | undefined {
  for (const d of drivers) {
    const h = hostOfDriver.get(d);
    if (h) return h;
  }
  return undefined;
}

export function createHubDriversWith(config: LoadedConfig, lookup: (protocol: string) => DriverFactory | undefined, opts: HubDriversOptions = {}): Driver[] {
  const estate = sectionOf(config.sections, ESTATE_SECTION);
  if (!estate || Object.keys(estate.buildings).length === 0) return createDriversWith(config, lookup);
  const host = createEdgeHost(config, estate, opts);
  const buildingOf = buildingOfConnections(config);
  const edgeConn = (c: string) => Object.hasOwn(estate.buildings, buildingOf.get(c) ?? '');
  const part = (edge: boolean) => ({
    connections: config.connections.filter((c) => edgeConn(c.id) === edge),
    devices: config.devices.filter((d) => edgeConn(d.connection) === edge),
    points: config.points.filter((p) => edgeConn(p.connection) === edge),
  });
  const local = createDriversWith(part(false), lookup);
  // Built (no I/O until start) and never started: only their checkWrite is used.
  const checkers = createDriversWith(part(true), lookup);
  const remoteProtocols = new Set(config.points.filter((p) => edgeConn(p.connection)).map((p) => p.info.protocol));
  const out: Driver[] = local.filter((d) => !remoteProtocols.has(d.protocol));
  for (const protocol of remoteProtocols) {
    const d = compositeDriver(protocol, local.find((l) => l.protocol === protocol), remoteDriver(protocol, host), (id) => host.has(id), checkers.find((c) => c.protocol === protocol));
    hostOfDriver.set(d, host);
    out.push(d);
  }
  return out;
}

export function createEdgeHost(config: LoadedConfig, estate: EstateFile, opts: HubDriversOptions = {}): EdgeHost {
  const buildingOf = buildingOfConnections(config);
  const points: Array<{ point: BoundPoint; building: string }> = [];
  for (const p of config.points) {
    const b = buildingOf.get(p.connection);
    if (b !== undefined && Object.hasOwn(estate.buildings, b)) points.push({ point: p, building: b });
  }
  const file = (f: string | undefined) => (f ? readFileSync(resolve(config.dir, f)) : undefined);
  const group = estate.group ?? config.site.id;
  const edgeBuildings = Object.keys(estate.buildings);
  const redisUrl = estate.hub.redisUrl;
  const hubId = opts.hubId ?? `${hostname()}-${process.pid}`;
  const noop = () => {};
  const log: HubLogger = opts.log ?? ({ info: noop, warn: noop, error: noop, debug: noop, child: () => log } as unknown as HubLogger);
  return new EdgeHost({
    group,
    broker: {
      url: estate.broker.url,
      username: estate.hub.username,
      password: file(estate.hub.passwordFile)?.toString('utf8').trim() ?? process.env.WATCHFLOOR_HUB_MQTT_PASSWORD,
      ca: file(estate.broker.caFile),
      keepaliveS: estate.broker.keepaliveS,
    },
    points,
    // With leases a hub starts owning nothing and takes buildings as it wins their leases.
    buildings: opts.buildings ?? (redisUrl ? [] : undefined),
    ownership: redisUrl ? leaseOwnership({ redisUrl, group, hubId, buildings: edgeBuildings, ttlMs: estate.hub.leaseMs, maxOwned: opts.maxOwned, log, onLeases: opts.onLeases }) : undefined,
    shareGroup: estate.hub.shareGroup,
    hostId: estate.hub.hostId,
    commandTimeoutMs: estate.commandTimeoutMs,
    log: log.child({ part: 'edge-host' }),
    clientId: opts.clientId,
  });
}
