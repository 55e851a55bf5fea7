// Alarms across several hubs (docs/scale.md): the messages between hubs, over the Socket.IO Redis
// adapter's server-side events (the same channel the live picture uses, hub/edge/cluster-live.ts).
// - `wf:alarms:part`: a hub announces changes of the alarms it owns (edge buildings it holds the
//   lease of) with its owned counts; re-announced every sync so a stopped hub's counts age out.
// - `wf:alarms:list`: a hub asks the others for their owned alarms (a subscribe, GET /api/alarms).
// - `wf:alarms:act`: an operator action on an alarm another hub owns. Every hub receives it, only
//   the owner runs it (the others answer null): one journal entry and one audit entry, on the
//   owner, with the user who acted. The adapter's request timeout bounds the wait.
// Ownership and hand-over (with Redis): an edge building's alarms are owned by its lease owner, the
// alarms of every building without an edge agent by the holder of one more lease (`~local`), so each
// alarm is journaled and acted on by one hub. The owner writes each journaled alarm's state to a
// Redis hash per building (`wf:alarms:<group>:<building>`); a hub taking a building over adopts those
// states before it takes the building's data, so it continues them without journaling them again.
import type { Redis } from 'ioredis';
import type { Namespace } from 'socket.io';
import type { AlarmSummary, AlarmView } from '../../contracts/alarms.js';
import { DomainError } from '../errors.js';
import type { ActionOutcome, AlarmClusterLink, AlarmPart, AlarmScope, AlarmServing, ForwardedAction } from '../alarms/cluster-port.js';
import type { AlarmFilter } from '../alarms/view.js';
import type { LiveServer } from '../live/live.js';
import type { HubLogger } from '../ports.js';
import type { AlarmState } from '../alarms/machine.js';
import { buildingOfPoint } from './cluster-live.js';
import { BuildingLeases } from './lease.js';

const PART = 'wf:alarms:part';
const LIST = 'wf:alarms:list';
const ACT = 'wf:alarms:act';

export interface ClusterAlarmsOptions {
  io: LiveServer;
  hubId: string;
  /** Scope of a point id (ClusterLive.scope: edge building owned here, owned elsewhere, or everywhere). */
  scope(pointId: string): AlarmScope;
  log: Pick<HubLogger, 'warn'>;
  /** How often owned counts are re-announced (ms); default 2000. */
  syncMs?: number;
  /** Longest wait for the other hubs when Redis does not answer (ms); default 3000 (the adapter's own timeout is 2000). */
  requestTimeoutMs?: number;
  /**
   * Ownership and state hand-over through Redis (docs/scale.md). Without it the scope is the points'
   * (`scope` above) and the alarms of buildings without an edge agent stay on every hub ('local').
   */
  handover?: { redis: Redis; redisUrl: string; group: string; edgeBuildings: readonly string[]; leaseMs: number };
}

/** The hand-over key of the alarms of every building without an edge agent. */
export const LOCAL_KEY = '~local';

interface PartMessage { hub: string; changed: AlarmView[]; summary: AlarmSummary }

const ACTION_TYPES = new Set(['ack', 'ack-area', 'comment', 'shelve', 'unshelve', 'out-of-service', 'return-to-service']);

/** A forwarded action as received from Redis (pure): the shape checked, never trusted blindly. */
export function isForwardedAction(a: unknown): a is ForwardedAction {
  if (!a || typeof a !== 'object') return false;
  const o = a as Record<string, unknown>;
  if (typeof o.type !== 'string' || !ACTION_TYPES.has(o.type) || typeof o.user !== 'string' || o.user === '') return false;
  return o.type === 'ack-area' ? typeof o.area === 'string' : typeof o.id === 'string';
}

/** Where the action applies, for error messages. */
const targetOf = (a: ForwardedAction) => (a.type === 'ack-area' ? `area ${a.area}` : `alarm ${a.id}`);

export class ClusterAlarms implements AlarmClusterLink {
  private readonly nsp: Namespace;
  private serving: AlarmServing | undefined;
  private readonly remote = new Map<string, { at: number; summary: AlarmSummary; text: string }>();
  private timer: NodeJS.Timeout | undefined;
  private readonly onPart = (m: unknown) => this.takePart(m);
  private readonly onList = (filter: unknown, ack: unknown) => this.answerList(filter, ack);
  private readonly onAct = (a: unknown, ack: unknown) => this.answerAct(a, ack);
  /** Hand-over keys (edge buildings, LOCAL_KEY) whose alarms this hub owns, their states adopted. */
  private readonly adopted = new Set<string>();
  private readonly keyOfPoint = new Map<string, string>();
  private localLease: BuildingLeases | undefined;
  /** The local lease's Redis does not answer (see scope). */
  private localDegraded = false;

  constructor(private readonly o: ClusterAlarmsOptions) {
    this.nsp = o.io.of('/') as unknown as Namespace;
  }

  scope(pointId: string): AlarmScope {
    if (!this.o.handover) return this.o.scope(pointId);
    const k = this.keyOf(pointId);
    if (this.adopted.has(k)) return 'cluster';
    // Redis away: nobody can hold the local lease, so every hub evaluates, journals and shows its own
    // copy (duplicates rather than alarms nobody sees), as before the lease existed.
    return k === LOCAL_KEY && this.localDegraded ? 'local' : 'none';
  }

  /** The hand-over key of a point's alarms: its edge building, or LOCAL_KEY (cached: called per alarm change). */
  private keyOf(pointId: string): string {
    let k = this.keyOfPoint.get(pointId);
    if (k === undefined) {
      const b = buildingOfPoint(pointId);
      this.keyOfPoint.set(pointId, (k = this.o.handover?.edgeBuildings.includes(b) ? b : LOCAL_KEY));
    }
    return k;
  }

  private stateKey(key: string): string {
    return `wf:alarms:${this.o.handover!.group}:${key}`;
  }

  /**
   * This hub now owns these keys (an edge building's lease, before its data is taken; or the local
   * lease): adopts the states the previous owner handed on, then owns them. Never throws: without
   * Redis it continues from its own journal's states.
   */
  async takeOver(keys: readonly string[], evaluate: boolean): Promise<void> {
    const h = this.o.handover;
    const s = this.serving;
    const fresh = keys.filter((k) => !this.adopted.has(k));
    if (!h || !s || fresh.length === 0) return void fresh.forEach((k) => this.adopted.add(k));
    const states = new Map<string, AlarmState>();
    try {
      const read = Promise.all(fresh.map((k) => h.redis.hgetall(this.stateKey(k))));
      const hashes = await Promise.race([read, new Promise<never>((_, fail) => setTimeout(() => fail(new Error('redis did not answer in 3 s')), 3000).unref())]);
      for (const hash of hashes) for (const [id, json] of Object.entries(hash)) states.set(id, JSON.parse(json) as AlarmState);
    } catch (err) {
      this.o.log.warn({ err: (err as Error).message, keys: fresh }, 'alarms: handed-over states unreadable; continuing from this hub\'s journal');
    }
    if (this.serving !== s) return;
    for (const k of fresh) this.adopted.add(k);
    s.adopt((def) => fresh.includes(this.keyOf(def.pointId)), states, evaluate);
  }

  /** The edge buildings this hub holds the lease of now: the alarms of lost ones are no longer its. */
  edgeOwned(owned: readonly string[]): void {
    for (const k of [...this.adopted]) if (k !== LOCAL_KEY && !owned.includes(k)) this.adopted.delete(k);
  }

  /** An edge restated these points (birth): their alarms are checked against the values now. */
  reborn(pointIds: readonly string[]): void {
    this.serving?.reevaluate(pointIds);
  }

  saveStates(rows: ReadonlyArray<{ alarmId: string; pointId: string; snapshot: AlarmState }>): void {
    const h = this.o.handover;
    if (!h || rows.length === 0) return;
    const byKey = new Map<string, Record<string, string>>();
    for (const r of rows) {
      const k = this.keyOf(r.pointId);
      if (!this.adopted.has(k)) continue;
      const hash = byKey.get(k) ?? {};
      byKey.set(k, hash);
      hash[r.alarmId] = JSON.stringify(r.snapshot); // the last row of an alarm wins
    }
    if (byKey.size === 0) return;
    const p = h.redis.pipeline();
    for (const [k, hash] of byKey) p.hset(this.stateKey(k), hash);
    p.exec().catch((err: Error) => this.o.log.warn({ err: err.message }, 'alarms: states not handed on to redis'));
  }

  private startLocalLease(): void {
    const h = this.o.handover;
    if (!h || this.localLease) return;
    const lease = (this.localLease = new BuildingLeases({
      redisUrl: h.redisUrl, group: h.group, hubId: this.o.hubId, buildings: [LOCAL_KEY], ttlMs: h.leaseMs,
      onChange: (owned) => {
        if (!owned.includes(LOCAL_KEY)) return void this.adopted.delete(LOCAL_KEY);
        if (this.localDegraded) return this.keepOwnLocal();
        void this.takeOver([LOCAL_KEY], true).then(() => {
          // Lost again while adopting: not ours.
          if (!lease.ownedBuildings().includes(LOCAL_KEY)) this.adopted.delete(LOCAL_KEY);
        });
      },
      onRound: (ok) => {
        if (ok === !this.localDegraded) return;
        this.localDegraded = !ok;
        this.o.log.warn({}, ok ? 'alarms: redis back: one hub owns the local alarms again' : 'alarms: redis unreachable: every hub journals the local alarms itself until it is back');
      },
      onError: (err) => this.o.log.warn({ err: err.message }, 'alarms: local lease: redis error'),
    }));
    lease.start().catch((err: Error) => {
      // No lease keeper runs (it is not retried): this hub keeps its own copies of the local alarms.
      this.localDegraded = true;
      this.o.log.warn({ err: err.message }, 'alarms: local lease did not start; this hub journals the local alarms itself');
    });
  }

  /**
   * The local lease won right after a Redis outage: this hub journaled its own copies meanwhile, newer
   * than what Redis holds, so it keeps them and hands them on instead of adopting.
   */
  private keepOwnLocal(): void {
    this.adopted.add(LOCAL_KEY);
    const s = this.serving;
    if (s) this.saveStates(s.states((def) => this.keyOf(def.pointId) === LOCAL_KEY));
  }

  /** The local lease, for tests that simulate a crash (abandon). */
  localLeaseKeeper(): BuildingLeases | undefined {
    return this.localLease;
  }

  start(): void {
    this.nsp.on(PART, this.onPart);
    this.nsp.on(LIST, this.onList);
    this.nsp.on(ACT, this.onAct);
    this.timer = setInterval(() => this.announce(), this.o.syncMs ?? 2000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    await this.localLease?.stop();
    this.localLease = undefined;
    this.adopted.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.nsp.off(PART, this.onPart);
    this.nsp.off(LIST, this.onList);
    this.nsp.off(ACT, this.onAct);
    this.serving = undefined;
  }

  serve(h: AlarmServing): () => void {
    this.serving = h;
    // Buildings taken before the alarms served (none normally: drivers start after modules) are adopted now.
    const held = [...this.adopted].filter((k) => k !== LOCAL_KEY);
    held.forEach((k) => this.adopted.delete(k));
    if (held.length) void this.takeOver(held, false);
    this.startLocalLease();
    this.announce();
    return () => {
      if (this.serving === h) this.serving = undefined;
    };
  }

  publish(changed: AlarmView[], summary: AlarmSummary): void {
    this.emit({ hub: this.o.hubId, changed, summary });
  }

  remoteSummaries(): AlarmSummary[] {
    const now = Date.now();
    const out: AlarmSummary[] = [];
    for (const [hub, r] of this.remote) {
      if (now - r.at > 3 * (this.o.syncMs ?? 2000)) this.remote.delete(hub);
      else out.push(r.summary);
    }
    return out;
  }

  ask(filter?: AlarmFilter): Promise<AlarmPart[]> {
    return new Promise((resolve, reject) => {
      this.request(LIST, filter ?? {}, (err, responses) => {
        const parts = (responses ?? []).filter((r): r is AlarmPart => !!r && typeof r === 'object' && Array.isArray((r as AlarmPart).views) && typeof (r as AlarmPart).hub === 'string');
        // A hub that died does not answer: its buildings' alarms come from their next owner.
        if (err && parts.length === 0) return reject(err);
        for (const p of parts) this.remember(p.hub, p.summary);
        resolve(parts);
      });
    });
  }

  forward(a: ForwardedAction): Promise<ActionOutcome> {
    return new Promise((resolve, reject) => {
      this.request(ACT, a, (err, responses) => {
        const answer = (responses ?? []).find((r): r is ActionOutcome => !!r && typeof r === 'object' && typeof (r as ActionOutcome).ok === 'boolean');
        if (answer) return resolve(answer);
        if (err) return reject(new DomainError('unavailable', 'owner_unreachable', `the hub that owns ${targetOf(a)} did not answer in time; try again`));
        reject(new DomainError('unavailable', 'no_owner', `no hub owns ${targetOf(a)} right now (its building lease is being handed over); try again`));
      });
    });
  }

  /**
   * A server-side request to every other hub. The adapter answers after its own timeout, but not at
   * all when Redis itself fails (it swallows the error): a guard timer answers then, once.
   */
  private request(event: string, arg: unknown, done: (err: Error | null, responses: unknown[]) => void): void {
    let settled = false;
    const settle = (err: Error | null, responses: unknown[]) => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      done(err, responses ?? []);
    };
    const guard = setTimeout(() => settle(new Error('redis did not answer'), []), this.o.requestTimeoutMs ?? 3000);
    try {
      this.nsp.serverSideEmit(event, arg, settle);
    } catch (err) {
      settle(err as Error, []);
    }
  }

  private emit(m: PartMessage): void {
    try {
      this.nsp.serverSideEmit(PART, m);
    } catch {
      // The adapter is gone (stopping): the next announce retries.
    }
  }

  private announce(): void {
    const s = this.serving;
    if (s) this.emit({ hub: this.o.hubId, changed: [], summary: s.summary() });
  }

  /** Stores another hub's owned counts; true when they differ from what it said before. */
  private remember(hub: string, summary: AlarmSummary): boolean {
    const text = JSON.stringify(summary);
    const prev = this.remote.get(hub);
    this.remote.set(hub, { at: Date.now(), summary, text });
    return prev?.text !== text;
  }

  private takePart(m: unknown): void {
    const p = m as PartMessage;
    if (!p || typeof p.hub !== 'string' || p.hub === this.o.hubId || !p.summary || !Array.isArray(p.changed)) return;
    const summaryChanged = this.remember(p.hub, p.summary);
    this.serving?.remoteChanged(p.changed, summaryChanged);
  }

  private answerList(filter: unknown, ack: unknown): void {
    if (typeof ack !== 'function') return;
    const s = this.serving;
    const f = filter && typeof filter === 'object' ? (filter as AlarmFilter) : {};
    (ack as (p: AlarmPart | null) => void)(s ? { hub: this.o.hubId, ...s.part(f) } : null);
  }

  private answerAct(a: unknown, ack: unknown): void {
    if (typeof ack !== 'function') return;
    const reply = ack as (r: ActionOutcome | null) => void;
    if (!this.serving || !isForwardedAction(a)) return reply(null);
    reply(this.serving.act(a));
  }
}
