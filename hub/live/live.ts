// Socket.IO live push: authenticated handshake, floor/point rooms, coalesced `points:update`.
// Cost model at 100k samples/s: per changed state two map lookups (is anyone in its floor room /
// point room?) and a map set; per window one encode + write per room via io.to(room).emit —
// no per-socket or per-sample emits. A window's emits are sent in slices (see SLICE_DELIVERIES), a turn
// of the event loop between slices, so one flush never holds the loop for tens of ms.
import type { Server, Socket } from 'socket.io';
import type { SiteTree } from '../../contracts/api.js';
import type { ConnectionStatus } from '../../contracts/driver.js';
import { floorKeyOf, type PointState } from '../../contracts/point.js';
import {
  roomOfFloor, roomOfPoint,
  type ClientToServerEvents, type ServerToClientEvents, type SiteChanged, type SocketData, type SubscribeAck, type Subscription,
} from '../../contracts/live.js';
import type { Session } from '../auth/sessions.js';
import type { HubLogger, IngestEvent, PointStoreLike } from '../module.js';
import { RoomCoalescer } from './coalescer.js';
import { errorText, guarded } from './guard.js';

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, {}, SocketData>;

export interface LiveOptions {
  io: LiveServer;
  store: PointStoreLike;
  pointIds: string[];
  site: SiteTree;
  windowMs: number;
  /** Resolves the handshake's token (auth.token or the session cookie) to a session. */
  authenticate(token: string | undefined, cookieHeader: string | undefined): Session | undefined;
  statuses(): ConnectionStatus[];
  log: HubLogger;
  /** How often sockets of expired sessions are dropped (ms); default 30 000. */
  sessionCheckMs?: number;
}

/**
 * Several hubs behind one address (hub/edge/cluster-live.ts): which hub pushes what. Without it the
 * hub pushes every change to its own sockets only (the single-hub path, unchanged).
 */
export interface LiveCluster {
  /**
   * Who pushes a changed state: 'local' (every hub ingests this point, e.g. a building without an edge
   * agent: each hub tells its own sockets), 'cluster' (this hub alone ingests it, as the building's
   * lease owner: it tells every hub's sockets through the Redis adapter), 'none' (another hub owns it).
   */
  scope(pointId: string): 'local' | 'cluster' | 'none';
  /** Whether a socket on any hub is in the room. */
  hasRoom(room: string): boolean;
  /** Sockets here joined `rooms`: tells the other hubs, and returns their states of `ids` (points they own). */
  subscribed(rooms: string[], ids: string[]): Promise<PointState[]>;
  /** This hub's connection statuses with those of connections other hubs serve. */
  statuses(local: ConnectionStatus[]): ConnectionStatus[];
}

const MISSING_SUBSCRIPTION = 'the subscription {floors?: string[], points?: string[]} is missing before the acknowledgement';

/**
 * Work per turn of the event loop when a window is flushed, in states × sockets reached (the JSON
 * encode is per state, the frame writes are per socket). At 100k samples/s to 10 floors of 10 clients
 * one flush was ~7,500 states × 10 sockets per floor, 70 ms in one task (docs/performance.md); a slice
 * of 5,000 deliveries is a few ms. A room batch larger than MAX_STATES_PER_EMIT is sent as several
 * messages, so even one huge room is split.
 */
const SLICE_DELIVERIES = 5000;
const MAX_STATES_PER_EMIT = 1000;

/** Most rooms one subscribe call may join: a wall display may watch many points, not unbounded. */
const MAX_ROOMS_PER_CALL = 5000;

export function floorKeysOf(site: SiteTree): string[] {
  return site.buildings.flatMap((b) => b.floors.map((f) => `${site.id}/${b.id}/${f.id}`));
}

/** Checks a subscribe/unsubscribe payload; returns rooms to join or the reason it is refused. */
export function roomsFor(sub: unknown, floorKeys: ReadonlySet<string>, pointIds: ReadonlySet<string>): { rooms: string[]; floors: string[]; points: string[] } | { error: string } {
  if (typeof sub !== 'object' || sub === null || Array.isArray(sub)) return { error: 'subscription must be an object {floors?: string[], points?: string[]}' };
  const extra = Object.keys(sub).filter((k) => k !== 'floors' && k !== 'points');
  if (extra.length) return { error: `unknown key(s) in subscription: ${extra.join(', ')}` };
  const { floors = [], points = [] } = sub as Subscription;
  if (!Array.isArray(floors) || !floors.every((f) => typeof f === 'string')) return { error: 'floors must be an array of floor keys (site/building/floor)' };
  if (!Array.isArray(points) || !points.every((p) => typeof p === 'string')) return { error: 'points must be an array of point ids' };
  if (floors.length + points.length > MAX_ROOMS_PER_CALL) return { error: `too many rooms in one call (max ${MAX_ROOMS_PER_CALL})` };
  const badFloors = floors.filter((f) => !floorKeys.has(f));
  if (badFloors.length) return { error: `unknown floor(s): ${badFloors.slice(0, 10).join(', ')}` };
  const badPoints = points.filter((p) => !pointIds.has(p));
  if (badPoints.length) return { error: `unknown point(s): ${badPoints.slice(0, 10).join(', ')}` };
  return { rooms: [...floors.map(roomOfFloor), ...points.map(roomOfPoint)], floors, points };
}

export class Live {
  private readonly coalescer = new RoomCoalescer();
  /** Cluster mode: states this hub alone ingests, emitted to every hub's sockets. */
  private readonly clusterCoalescer = new RoomCoalescer();
  private cluster: LiveCluster | undefined;
  private readonly roomsOfPoint = new Map<string, { floor: string; point: string }>();
  private readonly floorRooms = new Map<string, string>();
  private readonly pointsOfFloor = new Map<string, string[]>();
  private readonly floorKeys: Set<string>;
  private readonly pointIdSet: Set<string>;
  private timer: NodeJS.Timeout | undefined;
  /** Room batches drained but not sent yet (oldest first), and the turn that sends the next slice. */
  private readonly outbox: Array<{ room: string; batch: PointState[]; local: boolean }> = [];
  private sending: NodeJS.Immediate | undefined;
  /** A window ended while the previous one was still being sent. */
  private flushPending = false;
  private readonly sessionTimer: NodeJS.Timeout;
  private closed = false;
  /** Counters for health and benchmarks: room batches emitted and the states they carried. */
  readonly stats = { emits: 0, states: 0 };

  constructor(private readonly opts: LiveOptions) {
    this.floorKeys = new Set(floorKeysOf(opts.site));
    this.pointIdSet = new Set(opts.pointIds);
    for (const id of opts.pointIds) {
      const floor = floorKeyOf(id);
      this.roomsOfPoint.set(id, { floor: this.floorRoom(floor), point: roomOfPoint(id) });
      const list = this.pointsOfFloor.get(floor) ?? [];
      list.push(id);
      this.pointsOfFloor.set(floor, list);
    }
    opts.io.use((socket, next) => {
      let session: Session | undefined;
      try {
        const token = typeof socket.handshake.auth?.token === 'string' ? socket.handshake.auth.token : undefined;
        const cookie = socket.handshake.headers.cookie;
        session = opts.authenticate(token, typeof cookie === 'string' ? cookie : undefined);
      } catch (err) {
        // Hostile handshakes (bad cookies, odd auth payloads) are refused, never an uncaught exception.
        opts.log.warn({ error: errorText(err), address: socket.handshake.address }, 'socket handshake refused');
        return next(new Error('authentication failed: the handshake could not be read'));
      }
      if (!session) return next(new Error('authentication required: sign in and pass auth.token or the wf_session cookie'));
      if (!session.permissions.includes('points:read')) return next(new Error(`role ${session.role} lacks the permission points:read`));
      socket.data.user = session.username;
      socket.data.role = session.role;
      socket.data.token = session.token;
      next();
    });
    opts.io.on('connection', (socket) => this.onConnection(socket));
    // A socket lives no longer than its session: expired sessions are swept here, logouts via endSession().
    this.sessionTimer = setInterval(() => this.dropEndedSessions(), opts.sessionCheckMs ?? 30_000);
    this.sessionTimer.unref();
  }

  /** Disconnects every socket opened with this session token (logout). */
  endSession(token: string): number {
    let n = 0;
    for (const socket of this.opts.io.of('/').sockets.values()) {
      if (socket.data.token === token) {
        socket.disconnect(true);
        n++;
      }
    }
    return n;
  }

  /** Disconnects sockets whose session has expired or was revoked. */
  dropEndedSessions(): number {
    let n = 0;
    for (const socket of this.opts.io.of('/').sockets.values()) {
      if (!this.opts.authenticate(socket.data.token, undefined)) {
        socket.disconnect(true);
        n++;
      }
    }
    return n;
  }

  /** Several hubs: from now on pushes follow `cluster` (see LiveCluster). */
  setCluster(cluster: LiveCluster | undefined): void {
    this.cluster = cluster;
  }

  /** Bus listener: queue changed states for the rooms someone is watching. */
  readonly onIngest = (event: IngestEvent): void => {
    if (this.closed || event.changed.length === 0) return;
    if (this.cluster) return this.onIngestCluster(event, this.cluster);
    const rooms = this.opts.io.of('/').adapter.rooms;
    let queued = false;
    for (const state of event.changed) {
      const r = this.roomsOfPoint.get(state.id);
      if (!r) continue;
      if (rooms.has(r.floor)) { this.coalescer.add(r.floor, state); queued = true; }
      if (rooms.has(r.point)) { this.coalescer.add(r.point, state); queued = true; }
    }
    if (queued && !this.timer) this.timer = setTimeout(this.flush, this.opts.windowMs);
  };

  /**
   * The same, across hubs: a state every hub ingests goes to this hub's sockets only (each hub sends
   * its own copy to its own clients: none twice); a state only this hub ingests goes to the room on
   * every hub. States of buildings another hub owns are that hub's to push.
   */
  private onIngestCluster(event: IngestEvent, cluster: LiveCluster): void {
    const rooms = this.opts.io.of('/').adapter.rooms;
    let queued = false;
    for (const state of event.changed) {
      const r = this.roomsOfPoint.get(state.id);
      if (!r) continue;
      const scope = cluster.scope(state.id);
      if (scope === 'local') {
        if (rooms.has(r.floor)) { this.coalescer.add(r.floor, state); queued = true; }
        if (rooms.has(r.point)) { this.coalescer.add(r.point, state); queued = true; }
      } else if (scope === 'cluster') {
        if (cluster.hasRoom(r.floor)) { this.clusterCoalescer.add(r.floor, state); queued = true; }
        if (cluster.hasRoom(r.point)) { this.clusterCoalescer.add(r.point, state); queued = true; }
      }
    }
    if (queued && !this.timer) this.timer = setTimeout(this.flush, this.opts.windowMs);
  }

  /**
   * Queues one `points:update` per room with everything coalesced since the last flush, and sends. While
   * the previous window is still being sent, states keep coalescing (latest wins) and are drained once it
   * is out: a hub that cannot keep up sends fewer, fresher states instead of growing a queue.
   */
  readonly flush = (): void => {
    this.timer = undefined;
    if (this.sending || this.outbox.length > 0) {
      this.flushPending = true;
      return;
    }
    this.drainAndSend();
  };

  private readonly drainAndSend = (): void => {
    this.sending = undefined;
    if (this.closed) return;
    // With the Redis adapter, io.to() reaches every hub: local-only batches must say so.
    for (const [room, batch] of this.coalescer.drain()) this.queue(room, batch, this.cluster !== undefined);
    if (!this.clusterCoalescer.isEmpty) for (const [room, batch] of this.clusterCoalescer.drain()) this.queue(room, batch, false);
    this.sendSlice();
  };

  private queue(room: string, batch: PointState[], local: boolean): void {
    if (batch.length <= MAX_STATES_PER_EMIT) return void this.outbox.push({ room, batch, local });
    for (let i = 0; i < batch.length; i += MAX_STATES_PER_EMIT) this.outbox.push({ room, batch: batch.slice(i, i + MAX_STATES_PER_EMIT), local });
  }

  /**
   * Sends queued batches until a slice's worth of deliveries went out, then yields a turn of the event
   * loop (ingest, alarms and timers run in between). Batches of one room keep their order: the outbox
   * is FIFO and a later flush only appends.
   */
  private readonly sendSlice = (): void => {
    this.sending = undefined;
    if (this.closed) return;
    const rooms = this.opts.io.of('/').adapter.rooms;
    let work = 0;
    while (this.outbox.length > 0) {
      if (work >= SLICE_DELIVERIES) {
        this.sending = setImmediate(this.sendSlice);
        return;
      }
      const { room, batch, local } = this.outbox.shift()!;
      (local ? this.opts.io.local : this.opts.io).to(room).emit('points:update', batch);
      this.stats.emits++;
      this.stats.states += batch.length;
      work += batch.length * Math.max(1, rooms.get(room)?.size ?? 1);
    }
    if (this.flushPending) {
      this.flushPending = false;
      this.sending = setImmediate(this.drainAndSend);
    }
  };

  /** Points added by a live reload: they get rooms and can be subscribed to; O(given). */
  addPoints(ids: readonly string[]): void {
    for (const id of ids) {
      if (this.pointIdSet.has(id)) continue;
      const floor = floorKeyOf(id);
      this.pointIdSet.add(id);
      this.roomsOfPoint.set(id, { floor: this.floorRoom(floor), point: roomOfPoint(id) });
      const list = this.pointsOfFloor.get(floor);
      if (list) list.push(id);
      else this.pointsOfFloor.set(floor, [id]);
    }
  }

  /** Points removed by a live reload: no more updates or subscriptions for them. */
  removePoints(ids: readonly string[]): void {
    const byFloor = new Map<string, Set<string>>();
    for (const id of ids) {
      if (!this.pointIdSet.delete(id)) continue;
      this.roomsOfPoint.delete(id);
      const floor = floorKeyOf(id);
      const gone = byFloor.get(floor) ?? new Set<string>();
      gone.add(id);
      byFloor.set(floor, gone);
    }
    for (const [floor, gone] of byFloor) this.pointsOfFloor.set(floor, (this.pointsOfFloor.get(floor) ?? []).filter((id) => !gone.has(id)));
  }

  /** A reloaded site tree: floors that appeared can be subscribed to. */
  setFloors(site: SiteTree): void {
    this.floorKeys.clear();
    for (const k of floorKeysOf(site)) this.floorKeys.add(k);
  }

  /** Tells every console the site changed (it refetches its point list). */
  siteChanged(e: SiteChanged): void {
    if (!this.closed) this.opts.io.emit('site:changed', e);
  }

  pushStatuses(statuses: ConnectionStatus[]): void {
    if (this.closed) return;
    // Several hubs: each tells its own sockets the merged list (one message, not one per hub).
    if (this.cluster) this.opts.io.local.emit('drivers:status', this.cluster.statuses(statuses));
    else this.opts.io.emit('drivers:status', statuses);
  }

  /** One room-name string per floor, shared by its points (not one copy per point: 100k+ points). */
  private floorRoom(floor: string): string {
    let room = this.floorRooms.get(floor);
    if (room === undefined) this.floorRooms.set(floor, (room = roomOfFloor(floor)));
    return room;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.sessionTimer);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.sending) clearImmediate(this.sending);
    this.sending = undefined;
    this.outbox.length = 0;
  }

  private onConnection(socket: LiveSocket): void {
    socket.emit('drivers:status', this.cluster ? this.cluster.statuses(this.opts.statuses()) : this.opts.statuses());
    const log = this.opts.log;
    socket.on('subscribe', guarded(log, 'subscribe', async (sub: Subscription, ack: (res: SubscribeAck) => void) => {
      if (typeof ack !== 'function') {
        // subscribe(ack) without a subscription: answer, or the client waits forever.
        if (typeof sub === 'function') (sub as (res: SubscribeAck) => void)({ ok: false, error: MISSING_SUBSCRIPTION });
        return;
      }
      const r = roomsFor(sub, this.floorKeys, this.pointIdSet);
      if ('error' in r) return ack({ ok: false, error: r.error });
      await socket.join(r.rooms);
      ack({ ok: true, snapshot: this.cluster ? await this.clusterSnapshot(this.cluster, r.rooms, r.floors, r.points) : this.snapshot(r.floors, r.points) });
    }));
    socket.on('unsubscribe', guarded(log, 'unsubscribe', async (sub: Subscription, ack: (res: { ok: boolean; error?: string }) => void) => {
      if (typeof ack !== 'function' && typeof sub === 'function') return (sub as unknown as (res: { ok: false; error: string }) => void)({ ok: false, error: MISSING_SUBSCRIPTION });
      const r = roomsFor(sub, this.floorKeys, this.pointIdSet);
      if (!('error' in r)) for (const room of r.rooms) await socket.leave(room);
      if (typeof ack === 'function') ack({ ok: !('error' in r) });
    }));
  }

  private snapshot(floors: string[], points: string[], skip?: (id: string) => boolean) {
    const ids = new Set<string>(points);
    for (const f of floors) for (const id of this.pointsOfFloor.get(f) ?? []) ids.add(id);
    const out = [];
    for (const id of ids) {
      if (skip?.(id)) continue;
      const s = this.opts.store.get(id);
      if (s) out.push(s);
    }
    return out;
  }

  /** This hub's states of the points it ingests, and the owners' states of the others. */
  private async clusterSnapshot(cluster: LiveCluster, rooms: string[], floors: string[], points: string[]): Promise<PointState[]> {
    const elsewhere = (id: string) => cluster.scope(id) === 'none';
    const mine = this.snapshot(floors, points, elsewhere);
    const ids = new Set<string>(points.filter(elsewhere));
    for (const f of floors) for (const id of this.pointsOfFloor.get(f) ?? []) if (elsewhere(id)) ids.add(id);
    try {
      return [...mine, ...(await cluster.subscribed(rooms, [...ids]))];
    } catch (err) {
      this.opts.log.warn({ error: errorText(err) }, 'live: other hubs did not answer a snapshot');
      return [...mine, ...this.snapshot([], [...ids])];
    }
  }
}
