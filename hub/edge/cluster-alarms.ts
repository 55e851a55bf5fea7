// Alarms across several hubs (docs/scale.md): the messages between hubs, over the Socket.IO Redis
// adapter's server-side events (the same channel the live picture uses, hub/edge/cluster-live.ts).
// - `wf:alarms:part`: a hub announces changes of the alarms it owns (edge buildings it holds the
//   lease of) with its owned counts; re-announced every sync so a stopped hub's counts age out.
// - `wf:alarms:list`: a hub asks the others for their owned alarms (a subscribe, GET /api/alarms).
// - `wf:alarms:act`: an operator action on an alarm another hub owns. Every hub receives it, only
//   the owner runs it (the others answer null): one journal entry and one audit entry, on the
//   owner, with the user who acted. The adapter's request timeout bounds the wait.
import type { Namespace } from 'socket.io';
import type { AlarmSummary, AlarmView } from '../../contracts/alarms.js';
import { DomainError } from '../errors.js';
import type { ActionOutcome, AlarmClusterLink, AlarmPart, AlarmScope, AlarmServing, ForwardedAction } from '../alarms/cluster-port.js';
import type { AlarmFilter } from '../alarms/view.js';
import type { LiveServer } from '../live/live.js';
import type { HubLogger } from '../ports.js';

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
}

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

  constructor(private readonly o: ClusterAlarmsOptions) {
    this.nsp = o.io.of('/') as unknown as Namespace;
  }

  scope(pointId: string): AlarmScope {
    return this.o.scope(pointId);
  }

  start(): void {
    this.nsp.on(PART, this.onPart);
    this.nsp.on(LIST, this.onList);
    this.nsp.on(ACT, this.onAct);
    this.timer = setInterval(() => this.announce(), this.o.syncMs ?? 2000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.nsp.off(PART, this.onPart);
    this.nsp.off(LIST, this.onList);
    this.nsp.off(ACT, this.onAct);
    this.serving = undefined;
  }

  serve(h: AlarmServing): () => void {
    this.serving = h;
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
