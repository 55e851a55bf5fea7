// Live push of alarm changes over Socket.IO: consoles send `alarms:subscribe` and get the
// current list in the ack (so a reconnecting console is whole again), then batched
// `alarms:update` events, at most one per window, never one per sample.
//
// Several hubs (docs/scale.md): the rule of the live picture holds for alarms too. An alarm of an
// edge building is evaluated by the building's lease owner only ('cluster'); one of a building
// without an edge agent by every hub ('local'); this hub's copy of an alarm another hub owns is
// stale and never shown ('none'). Every hub pushes to its own sockets only (`io.local`): its
// 'local' alarms, its owned ones, and the owned ones other hubs announce (AlarmClusterLink). The
// summary a client sees is this hub's 'local' + owned part plus the other hubs' owned parts.
import type { Server as IoServer, Socket } from 'socket.io';
import type { AlarmEscalation, AlarmsSubscribeAck, AlarmSummary, AlarmView } from '../../contracts/alarms.js';
import { compareAlarms } from '../../contracts/alarms.js';
import { ALARMS_ROOM, ALARMS_SUPERVISOR_ROOM } from '../../contracts/live.js';
import { DomainError } from '../errors.js';
import type { AlarmEngine } from './engine.js';
import type { HubLogger } from '../module.js';
import { guarded } from '../live/guard.js';
import { FLOOD_THRESHOLD } from './flood.js';
import type { AlarmDef } from './rules.js';
import { matchesFilter, type AlarmFilter } from './view.js';
import type { ActionOutcome, AlarmClusterLink, AlarmPart, ForwardedAction } from './cluster-port.js';

export type { ActionOutcome, AlarmClusterLink, AlarmPart, AlarmScope, AlarmServing, ForwardedAction } from './cluster-port.js';

export const DEFAULT_PUSH_WINDOW_MS = 50;
const ESCALATION_ROLES = new Set(['supervisor', 'admin']);

/** Adds alarm summaries (pure): counts add up, flood is judged on the sum of recent activations. */
export function mergeSummaries(parts: readonly AlarmSummary[]): AlarmSummary {
  const out: AlarmSummary = { unacked: { critical: 0, high: 0, medium: 0, low: 0 }, active: 0, shelved: 0, suppressed: 0, outOfService: 0, flood: false, floodGroups: [], recentCount: 0 };
  for (const p of parts) {
    for (const k of Object.keys(out.unacked) as Array<keyof AlarmSummary['unacked']>) out.unacked[k] += p.unacked[k] ?? 0;
    out.active += p.active;
    out.shelved += p.shelved;
    out.suppressed += p.suppressed;
    out.outOfService += p.outOfService;
    out.recentCount += p.recentCount;
    out.flood ||= p.flood;
    out.floodGroups.push(...p.floodGroups);
  }
  out.flood ||= out.recentCount > FLOOD_THRESHOLD;
  out.floodGroups.sort((a, b) => b.count - a.count || a.area.localeCompare(b.area));
  return out;
}

/** Runs a forwarded action on the engine, as the owner (pure glue; errors become outcomes). */
export function runAction(engine: AlarmEngine, a: ForwardedAction): ActionOutcome {
  try {
    switch (a.type) {
      case 'ack': return { ok: true, result: engine.ack(a.id, a.user, a.comment) };
      case 'ack-area': return { ok: true, result: engine.ackArea(a.area, a.user, a.comment) };
      case 'comment': return { ok: true, result: engine.comment(a.id, a.user, a.text) };
      case 'shelve': return { ok: true, result: engine.shelve(a.id, a.user, a.durationMs, a.reason) };
      case 'unshelve': return { ok: true, result: engine.unshelve(a.id, a.user, a.comment) };
      case 'out-of-service': return { ok: true, result: engine.outOfService(a.id, a.user, a.reason) };
      case 'return-to-service': return { ok: true, result: engine.returnToService(a.id, a.user, a.comment) };
    }
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, kind: err.kind, code: err.code, message: err.message };
    return { ok: false, kind: 'upstream', code: 'alarm_action_failed', message: `the owning hub could not run the action: ${(err as Error).message}` };
  }
}

export class AlarmPush {
  private timer: NodeJS.Timeout | undefined;
  private readonly onConnection = (socket: Socket) => this.attach(socket);
  private unserve: (() => void) | undefined;

  constructor(
    private readonly io: IoServer,
    private readonly engine: AlarmEngine,
    private readonly windowMs = DEFAULT_PUSH_WINDOW_MS,
    /** Where a failing handler is reported (see hub/live/guard.ts). */
    private readonly log: Pick<HubLogger, 'warn'> = { warn: (o, m) => console.warn(m, o) },
    private readonly cluster?: AlarmClusterLink,
  ) {}

  start(): void {
    this.io.on('connection', this.onConnection);
    // Sockets connected before the module started get the handlers too.
    for (const socket of this.io.sockets.sockets.values()) this.attach(socket);
    this.timer = setInterval(() => this.flush(), this.windowMs);
    this.timer.unref();
    const c = this.cluster;
    if (c) {
      this.unserve = c.serve({
        part: (filter) => ({ views: this.engine.list(filter).filter((v) => c.scope(v.pointId) === 'cluster'), summary: this.ownedSummary() }),
        summary: () => this.ownedSummary(),
        act: (a) => (this.owns(a) ? runAction(this.engine, a) : null),
        remoteChanged: (changed, summaryChanged) => {
          if (changed.length > 0 || summaryChanged) this.io.local.to(ALARMS_ROOM).emit('alarms:update', { changed, summary: this.summary() });
        },
        adopt: (include, states, evaluate) => {
          this.engine.adopt(include, states, evaluate);
          // Consoles see the continued states at once, on every hub (they are owned here now).
          this.flush();
        },
        reevaluate: (ids) => this.engine.reevaluate(ids),
        states: (include) => this.engine.states().flatMap((snapshot) => {
          const def = this.engine.def(snapshot.id);
          return def && include(def) ? [{ alarmId: def.id, pointId: def.pointId, snapshot }] : [];
        }),
      });
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.io.off('connection', this.onConnection);
    this.unserve?.();
    this.unserve = undefined;
  }

  /** Whether an alarm (by id) is another hub's: its actions go there (AlarmPush.forward). */
  elsewhere(id: string): boolean {
    const def = this.engine.def(id);
    return !!this.cluster && !!def && this.cluster.scope(def.pointId) === 'none';
  }

  /** Whether an area (`building[/floor[/room]]`) is another hub's. */
  areaElsewhere(area: string): boolean {
    return !!this.cluster && this.cluster.scope(`_/${area}`) === 'none';
  }

  /** Runs an action on the owning hub; its refusal comes back as the same domain error. */
  async forward(a: ForwardedAction): Promise<AlarmView | string[]> {
    if (!this.cluster) throw new DomainError('unavailable', 'no_cluster', 'this hub runs alone: there is no other hub to run the action');
    const r = await this.cluster.forward(a);
    if (!r.ok) throw new DomainError(r.kind, r.code, r.message);
    return r.result;
  }

  /** The alarm list a client of this hub sees: its own, plus the ones other hubs own. */
  async list(filter: AlarmFilter = {}): Promise<AlarmView[]> {
    const mine = this.visible(this.engine.list(filter));
    if (!this.cluster) return mine;
    const remote = (await this.askOthers(filter)).flatMap((p) => p.views.filter((v) => matchesFilter(v, filter)));
    return [...mine, ...remote].sort(compareAlarms);
  }

  /** The summary a client of this hub sees (merged over the hubs that own each alarm). */
  summary(): AlarmSummary {
    if (!this.cluster) return this.engine.summary();
    return mergeSummaries([this.engine.summary(this.shown), ...this.cluster.remoteSummaries()]);
  }

  /** Emits everything changed since the last flush as one batch. */
  flush(): void {
    const ids = this.engine.drainChanged();
    if (ids.length === 0) return;
    const now = this.engine.now();
    const changed = ids.map((id) => this.engine.view(id, now)).filter((v): v is AlarmView => v !== undefined);
    const c = this.cluster;
    if (!c) {
      this.io.to(ALARMS_ROOM).emit('alarms:update', { changed, summary: this.engine.summary() });
      return;
    }
    const owned = changed.filter((v) => c.scope(v.pointId) === 'cluster');
    if (owned.length > 0) c.publish(owned, this.ownedSummary());
    const shown = this.visible(changed);
    if (shown.length > 0) this.io.local.to(ALARMS_ROOM).emit('alarms:update', { changed: shown, summary: this.summary() });
  }

  escalate(alarm: AlarmView, unackedForMs: number): void {
    const e: AlarmEscalation = { alarm, unackedForMs };
    const scope = this.cluster?.scope(alarm.pointId);
    // An owned alarm escalates once, to every hub's supervisors; a 'local' one on each hub to its own.
    if (scope === undefined || scope === 'cluster') this.io.to(ALARMS_SUPERVISOR_ROOM).emit('alarms:escalation', e);
    else if (scope === 'local') this.io.local.to(ALARMS_SUPERVISOR_ROOM).emit('alarms:escalation', e);
  }

  /** Other hubs' owned alarms; none when no hub answers in time (a dead hub's buildings move to a live one). */
  private async askOthers(filter?: AlarmFilter): Promise<AlarmPart[]> {
    try {
      return await this.cluster!.ask(filter);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'alarms: the other hubs did not answer; showing this hub\'s alarms only');
      return [];
    }
  }

  private readonly shown = (def: AlarmDef) => this.cluster?.scope(def.pointId) !== 'none';
  private ownedSummary(): AlarmSummary {
    return this.engine.summary((def) => this.cluster?.scope(def.pointId) === 'cluster');
  }
  private visible(views: AlarmView[]): AlarmView[] {
    const c = this.cluster;
    return c ? views.filter((v) => c.scope(v.pointId) !== 'none') : views;
  }
  private owns(a: ForwardedAction): boolean {
    const c = this.cluster!;
    if (a.type === 'ack-area') return c.scope(`_/${a.area}`) === 'cluster';
    const def = this.engine.def(a.id);
    return !!def && c.scope(def.pointId) === 'cluster';
  }

  private attach(socket: Socket): void {
    if ((socket as Socket & { __alarms?: true }).__alarms) return;
    (socket as Socket & { __alarms?: true }).__alarms = true;
    // Supervisors and admins get escalations wherever they are in the console, subscribed or not.
    const role = (socket.data as { role?: string } | undefined)?.role;
    if (role && ESCALATION_ROLES.has(role)) void socket.join(ALARMS_SUPERVISOR_ROOM);
    socket.on('alarms:subscribe', guarded(this.log, 'alarms:subscribe', async (ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (r: AlarmsSubscribeAck) => void) : () => {};
      const data = socket.data as { user?: string; role?: string } | undefined;
      if (!data?.user) return reply({ ok: false, error: 'not signed in' });
      void socket.join(ALARMS_ROOM);
      if (data.role && ESCALATION_ROLES.has(data.role)) void socket.join(ALARMS_SUPERVISOR_ROOM);
      if (!this.cluster) return reply({ ok: true, alarms: this.engine.list(), summary: this.engine.summary() });
      // Joined first: a change announced while the owners answer reaches this socket as an update.
      const parts = await this.askOthers();
      const alarms = [...this.visible(this.engine.list()), ...parts.flatMap((p) => p.views)].sort(compareAlarms);
      reply({ ok: true, alarms, summary: mergeSummaries([this.engine.summary(this.shown), ...parts.map((p) => p.summary)]) });
    }));
    socket.on('alarms:unsubscribe', guarded(this.log, 'alarms:unsubscribe', (ack: unknown) => {
      void socket.leave(ALARMS_ROOM);
      if (typeof ack === 'function') (ack as (r: { ok: boolean }) => void)({ ok: true });
    }));
  }
}
