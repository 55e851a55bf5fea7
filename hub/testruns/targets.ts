// Where a fault lands: a point or connection of the hub's config → the simulator target the
// control channel understands, plus whether that connection may be driven at all. Pure.
import type { ConnectionConfig } from '../../contracts/driver.js';
import type { FaultKind, FaultRequest } from '../../contracts/testruns.js';
import type { LoadedConfig } from '../config/types.js';
import { ForbiddenError, InvalidError, NotFoundError } from '../errors.js';

/** The control channel's target shape (simulators/control/faults.ts), kept here as the wire format. */
export type SimTarget =
  | { sim: 'modbus'; gateway: string; unit?: number; field?: string }
  | { sim: 'opcua'; path?: string }
  | { sim: 'onvif'; camera: string }
  | { sim: 'history' };

export interface ResolvedFault {
  target: SimTarget;
  /** The connection driven ('' for the history database). */
  connection: string;
  /** Points whose alarms raised meanwhile are tagged as test. */
  pointIds: string[];
  /** Human-readable, for the audit and the fault list. */
  label: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

/** The host a connection points at, from its protocol's options (modbus host, OPC UA endpoint URL, camera host). */
export function connectionHost(c: ConnectionConfig): string | undefined {
  const o = (c.options ?? {}) as { host?: unknown; endpointUrl?: unknown; url?: unknown };
  if (typeof o.host === 'string') return o.host;
  for (const u of [o.endpointUrl, o.url]) {
    if (typeof u !== 'string') continue;
    const m = /^[a-z.]+:\/\/(\[[^\]]+\]|[^:/]+)/i.exec(u);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Why a connection may not be driven, or null. It may when the simulators serve it and the hub
 * reaches it on loopback (so it really is the simulator), or when testruns.yaml allows it by name.
 */
export function connectionRefusal(c: ConnectionConfig, simulated: ReadonlySet<string>, allowed: readonly string[]): string | null {
  if (allowed.includes(c.id)) return null;
  if (!simulated.has(c.id)) return `connection ${c.id} is not simulated (the simulators do not serve it); list it in testruns.yaml allowConnections to drive it anyway`;
  const host = connectionHost(c);
  if (host === undefined || !LOOPBACK.test(host)) return `connection ${c.id} points at ${host ?? 'an unknown host'}, not at the simulators on loopback; list it in testruns.yaml allowConnections to drive it anyway`;
  return null;
}

const VALUE_KINDS: readonly FaultKind[] = ['step', 'ramp', 'stuck', 'noise', 'leak', 'forced-door'];

/** A fault request against the config: which simulator target, which connection, which points. Throws domain errors. */
export function resolveFault(req: FaultRequest, config: Pick<LoadedConfig, 'points' | 'devices' | 'connections'>): ResolvedFault {
  if (req.kind === 'history-down') return { target: { sim: 'history' }, connection: '', pointIds: [], label: 'history database' };
  const connOf = (id: string) => {
    const c = config.connections.find((x) => x.id === id);
    if (!c) throw new NotFoundError('unknown_connection', `no connection ${id}`);
    return c;
  };
  if (req.kind === 'dead-camera' || (req.camera !== undefined && req.point === undefined)) {
    const cam = req.camera ?? req.connection;
    if (!cam) throw new InvalidError('bad_request', `${req.kind} needs camera (an onvif connection id)`);
    const c = connOf(cam);
    if (c.protocol !== 'onvif') throw new InvalidError('bad_request', `${cam} is a ${c.protocol} connection, not a camera`);
    return { target: { sim: 'onvif', camera: cam }, connection: cam, pointIds: pointsOn(config, cam), label: `camera ${cam}` };
  }
  if (VALUE_KINDS.includes(req.kind)) {
    if (!req.point) throw new InvalidError('bad_request', `${req.kind} needs point (a point id)`);
    const bp = config.points.find((p) => p.info.id === req.point);
    if (!bp) throw new NotFoundError('unknown_point', `no point ${req.point}`);
    const c = connOf(bp.connection);
    const field = bp.info.id.split('/').pop()!;
    if (c.protocol === 'modbus') {
      // Equipment ids repeat across rooms (every archive has a door-1): match the room too.
      const [, building, floor, room] = bp.info.id.split('/');
      const dev = config.devices.find((d) => d.id === bp.device && d.connection === bp.connection && d.location.building === building && d.location.floor === floor && d.location.room === room);
      const unit = (dev?.options as { unitId?: number } | undefined)?.unitId;
      if (unit === undefined) throw new InvalidError('bad_request', `device ${bp.device} has no unitId`);
      return { target: { sim: 'modbus', gateway: c.id, unit, field }, connection: c.id, pointIds: taintedBy(config, bp.info.id), label: bp.info.id };
    }
    if (c.protocol === 'opcua') {
      const nodeId = String((bp.source as { nodeId?: unknown }).nodeId ?? '');
      const m = /;s=(.+)$/.exec(nodeId);
      if (!m) throw new InvalidError('bad_request', `point ${bp.info.id} has no string node id (${nodeId}); faults need one`);
      return { target: { sim: 'opcua', path: m[1] }, connection: c.id, pointIds: taintedBy(config, bp.info.id), label: bp.info.id };
    }
    throw new InvalidError('unsupported_protocol', `${req.kind} on a ${c.protocol} point is not supported (modbus and opcua points are)`);
  }
  // offline / comm-flap: a whole connection (by name, or the point's).
  const connId = req.connection ?? config.points.find((p) => p.info.id === req.point)?.connection;
  if (!connId) throw new InvalidError('bad_request', `${req.kind} needs connection (or point)`);
  const c = connOf(connId);
  const target: SimTarget | null =
    c.protocol === 'modbus' ? { sim: 'modbus', gateway: c.id } : c.protocol === 'opcua' ? { sim: 'opcua' } : c.protocol === 'onvif' ? { sim: 'onvif', camera: c.id } : null;
  if (!target) throw new InvalidError('unsupported_protocol', `${req.kind} on a ${c.protocol} connection is not supported`);
  return { target, connection: c.id, pointIds: pointsOn(config, c.id), label: `connection ${c.id}` };
}

/**
 * The points whose alarms a fault on `pointId` may raise: every point of the same equipment (a
 * lamp current forced to 0 shows on the circuit) and the derived points computed from those
 * (the lamp-fault signal of that circuit). Their alarms are tagged as test.
 */
export function taintedBy(config: Pick<LoadedConfig, 'points'>, pointId: string): string[] {
  const equipment = `${pointId.split('/').slice(0, 5).join('/')}/`;
  const own = new Set(config.points.filter((p) => p.info.id.startsWith(equipment)).map((p) => p.info.id));
  own.add(pointId);
  const derived = config.points.filter((p) => p.info.protocol === 'derived' && own.has(String((p.source as { of?: unknown } | undefined)?.of ?? ''))).map((p) => p.info.id);
  return [...own, ...derived];
}

function pointsOn(config: Pick<LoadedConfig, 'points'>, connection: string): string[] {
  return config.points.filter((p) => p.connection === connection).map((p) => p.info.id);
}

/** Refuses (403) a fault on a connection that may not be driven. */
export function assertDrivable(r: ResolvedFault, config: Pick<LoadedConfig, 'connections'>, simulated: ReadonlySet<string>, allowed: readonly string[]): void {
  if (r.connection === '') return;
  const c = config.connections.find((x) => x.id === r.connection)!;
  const why = connectionRefusal(c, simulated, allowed);
  if (why) throw new ForbiddenError('not_simulated', why);
}

