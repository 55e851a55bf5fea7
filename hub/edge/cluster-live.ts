// The live picture across several hubs (docs/scale.md): which hub pushes which state, and how a hub
// learns what the others' sockets watch and what their drivers report. Rule: the hub that ingests a
// sample pushes it, once. An edge building's samples are ingested by its lease owner only, which
// emits them to the room on every hub through the Socket.IO Redis adapter; a building without an
// edge agent runs on every hub, so each hub pushes its own copy to its own sockets only.
import type { Namespace } from 'socket.io';
import type { ConnectionStatus } from '../../contracts/driver.js';
import type { PointState } from '../../contracts/point.js';
import type { LiveCluster, LiveServer } from '../live/live.js';
import type { HubLogger, PointStoreLike } from '../ports.js';

const SUB = 'wf:live:sub';
const STATUSES = 'wf:live:statuses';

export interface ClusterLiveOptions {
  io: LiveServer;
  store: PointStoreLike;
  hubId: string;
  /** Buildings served by edge agents (their samples are ingested by one hub at a time). */
  edgeBuildings: readonly string[];
  /** The edge buildings this hub owns now. */
  owned(): readonly string[];
  /** Connection id → building. */
  buildingOfConnection: ReadonlyMap<string, string>;
  localStatuses(): ConnectionStatus[];
  /** Push merged statuses to this hub's sockets (another hub's changed). */
  pushStatuses(): void;
  log: Pick<HubLogger, 'warn'>;
  /** How often rooms and statuses are re-synchronised (ms); default 2000. */
  syncMs?: number;
}

interface StatusReport {
  hub: string;
  owned: string[];
  statuses: ConnectionStatus[];
}

/** The building of a point id `site/building/…` (pure). */
export const buildingOfPoint = (id: string): string => {
  const a = id.indexOf('/');
  const b = id.indexOf('/', a + 1);
  return a < 0 ? '' : id.slice(a + 1, b < 0 ? undefined : b);
};

/**
 * Merges this hub's statuses with other hubs' (pure): a connection of an edge building another hub
 * owns takes that hub's entry; everything else is this hub's own.
 */
export function mergeStatuses(local: readonly ConnectionStatus[], mine: ReadonlySet<string>, edge: ReadonlySet<string>, buildingOf: ReadonlyMap<string, string>, remote: readonly StatusReport[]): ConnectionStatus[] {
  const fromOwner = new Map<string, ConnectionStatus>();
  for (const r of remote) {
    const owned = new Set(r.owned);
    for (const s of r.statuses) if (owned.has(buildingOf.get(s.connection) ?? '')) fromOwner.set(s.connection, s);
  }
  const out = local.map((s) => {
    const b = buildingOf.get(s.connection) ?? '';
    if (!edge.has(b) || mine.has(b)) return s;
    return fromOwner.get(s.connection) ?? s;
  });
  // Connections this hub never heard of (it never owned their building) come from their owner.
  const here = new Set(local.map((s) => s.connection));
  for (const [conn, s] of fromOwner) if (!here.has(conn) && !mine.has(buildingOf.get(conn) ?? '')) out.push(s);
  return out;
}

export class ClusterLive implements LiveCluster {
  private readonly edge: Set<string>;
  private readonly buildingOf = new Map<string, string>();
  private mine = new Set<string>();
  /** Rooms with a socket on some hub (refreshed from the adapter, plus joins announced since). */
  private rooms = new Set<string>();
  private readonly remote = new Map<string, { at: number; report: StatusReport; text: string }>();
  private timer: NodeJS.Timeout | undefined;
  private readonly nsp: Namespace;
  private readonly onSub = (rooms: unknown, ids: unknown, ack: unknown) => this.answerSub(rooms, ids, ack);
  private readonly onStatuses = (r: unknown) => this.takeStatuses(r);

  constructor(private readonly o: ClusterLiveOptions) {
    this.edge = new Set(o.edgeBuildings);
    this.nsp = o.io.of('/') as unknown as Namespace;
    this.mine = new Set(o.owned());
  }

  start(): void {
    this.nsp.on(SUB, this.onSub);
    this.nsp.on(STATUSES, this.onStatuses);
    this.timer = setInterval(() => void this.sync(), this.o.syncMs ?? 2000);
    this.timer.unref();
    void this.sync();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.nsp.off(SUB, this.onSub);
    this.nsp.off(STATUSES, this.onStatuses);
  }

  /** The owned set changed (lease hand-over): other hubs' merged statuses follow at once. */
  setOwned(owned: readonly string[]): void {
    this.mine = new Set(owned);
    this.announceStatuses();
    this.o.pushStatuses();
  }

  scope(pointId: string): 'local' | 'cluster' | 'none' {
    // Once per point, not one substring per changed state (the hot path at 100k samples/s).
    let b = this.buildingOf.get(pointId);
    if (b === undefined) this.buildingOf.set(pointId, (b = buildingOfPoint(pointId)));
    if (!this.edge.has(b)) return 'local';
    return this.mine.has(b) ? 'cluster' : 'none';
  }

  hasRoom(room: string): boolean {
    return this.rooms.has(room) || this.nsp.adapter.rooms.has(room);
  }

  subscribed(rooms: string[], ids: string[]): Promise<PointState[]> {
    return new Promise((resolve, reject) => {
      this.nsp.serverSideEmit(SUB, rooms, ids, (err: Error | null, responses: unknown[]) => {
        const states = (responses ?? []).flatMap((r) => (Array.isArray(r) ? (r as PointState[]) : []));
        // A hub that died since the count does not answer: its buildings come from their next owner.
        if (err && states.length === 0 && ids.length > 0) return reject(err);
        resolve(states);
      });
    });
  }

  /**
   * Current states of points for a REST read: those of buildings another hub owns are asked of their
   * owner (this hub's copy stopped when it lost or never had the building). If no owner answers (a
   * lease hand-over, Redis away) this hub's copy is returned: its quality and readTs tell its age.
   */
  async current(ids: readonly string[]): Promise<Map<string, PointState>> {
    const out = new Map<string, PointState>();
    const elsewhere: string[] = [];
    for (const id of ids) {
      if (this.scope(id) === 'none') elsewhere.push(id);
      else {
        const s = this.o.store.get(id);
        if (s) out.set(id, s);
      }
    }
    if (elsewhere.length === 0) return out;
    let remote: PointState[] = [];
    try {
      remote = await this.subscribed([], elsewhere);
    } catch (err) {
      this.o.log.warn({ err: (err as Error).message }, 'points: the owning hubs did not answer; answering with this hub\'s copies');
    }
    for (const s of remote) out.set(s.id, s);
    for (const id of elsewhere) {
      const s = out.has(id) ? undefined : this.o.store.get(id);
      if (s) out.set(id, s);
    }
    return out;
  }

  statuses(local: ConnectionStatus[]): ConnectionStatus[] {
    const now = Date.now();
    const fresh: StatusReport[] = [];
    for (const [hub, r] of this.remote) {
      if (now - r.at > 3 * (this.o.syncMs ?? 2000)) this.remote.delete(hub);
      else fresh.push(r.report);
    }
    return mergeStatuses(local, this.mine, this.edge, this.o.buildingOfConnection, fresh);
  }

  /** This hub's statuses changed: other hubs are told (they merge them for their sockets). */
  announceStatuses(): void {
    const owned = [...this.mine];
    const statuses = this.o.localStatuses().filter((s) => this.mine.has(this.o.buildingOfConnection.get(s.connection) ?? ''));
    try {
      this.nsp.serverSideEmit(STATUSES, { hub: this.o.hubId, owned, statuses } satisfies StatusReport);
    } catch {
      // Not started or the adapter is gone: the next sync retries.
    }
  }

  /** Another hub's socket joined rooms: remember them, and answer with the states of `ids` this hub owns. */
  private answerSub(rooms: unknown, ids: unknown, ack: unknown): void {
    if (Array.isArray(rooms)) for (const r of rooms) if (typeof r === 'string') this.rooms.add(r);
    if (typeof ack !== 'function') return;
    const out: PointState[] = [];
    if (Array.isArray(ids)) {
      for (const id of ids) {
        if (typeof id !== 'string' || this.scope(id) !== 'cluster') continue;
        const s = this.o.store.get(id);
        if (s) out.push(s);
      }
    }
    (ack as (states: PointState[]) => void)(out);
  }

  private takeStatuses(r: unknown): void {
    const report = r as StatusReport;
    if (!report || typeof report.hub !== 'string' || report.hub === this.o.hubId || !Array.isArray(report.owned) || !Array.isArray(report.statuses)) return;
    const text = JSON.stringify([report.owned, report.statuses.map((s) => [s.connection, s.state, s.detail])]);
    const prev = this.remote.get(report.hub);
    this.remote.set(report.hub, { at: Date.now(), report, text });
    if (prev?.text !== text) this.o.pushStatuses();
  }

  /** Re-reads every hub's rooms (drops rooms whose sockets left) and re-announces statuses. */
  private async sync(): Promise<void> {
    this.announceStatuses();
    const joinedBefore = new Set(this.rooms);
    try {
      const all = await (this.nsp.adapter as unknown as { allRooms(): Promise<Set<string>> }).allRooms();
      // Joins announced while the request ran are kept; rooms nobody is in any more are dropped.
      const next = new Set<string>(all as Set<string>);
      for (const r of this.rooms) if (!joinedBefore.has(r)) next.add(r);
      this.rooms = next;
    } catch (err) {
      this.o.log.warn({ err: (err as Error).message }, 'live: could not read the rooms of other hubs');
    }
  }
}
