// One OPC UA server connection: connect → session → namespace resolution →
// subscription (+ polling groups), and on any loss tear everything down and
// rebuild from scratch with backoff. Rebuilding (rather than node-opcua's
// built-in transfer) guarantees exactly one subscription per connection, so
// repeated reconnects never double the monitored items on the server.
import type { OPCUAClient, ClientSession, ClientSubscription, DataValue } from 'node-opcua-client';
import type { BoundPoint, ConnectionConfig, ConnectionState, DriverContext, WriteResult } from '../../contracts/driver.js';
import { DriverWriteError } from '../../contracts/driver.js';
import type { PointValue, Sample } from '../../contracts/point.js';
import { parseNodeIdText, resolveNodeId, type ParsedNodeId } from './nodeid.js';
import { clientPkiDir, isAuthError } from './pki.js';
import { connectClient, makeClient, openSession, UntrustedError } from './client.js';
import { MAX_KEEP_ALIVE_COUNT, type OpcuaConnectionOptions, type OpcuaSource } from './schema.js';
import { qualityOf, toPointValue } from './values.js';
import { reconnectDelay } from '../backoff.js';
import { subscribePoints, type PointSlot } from './subscribe.js';
import { readInitialValues, startPolling } from './poll.js';
import { writeAndConfirm } from './write.js';
import { acknowledge, subscribeEvents, type ConditionTracker } from './events.js';
import { withArea } from './conditions.js';
import type { ExternalCondition } from '../../contracts/alarms.js';


/** Everything that lives for one session; thrown away on loss. */
interface Live {
  client: OPCUAClient;
  session: ClientSession;
  subscription?: ClientSubscription;
  stopPolling?: () => void;
  refreshTimer?: NodeJS.Timeout;
}

export class OpcuaConnection {
  private readonly opts: OpcuaConnectionOptions;
  private readonly slots: PointSlot[];
  private readonly byPointId = new Map<string, PointSlot>();
  private ctx: DriverContext | null = null;
  private stopped = false;
  private live: Live | null = null;
  /** Bumped on every teardown so late events of an old client are ignored. */
  private generation = 0;
  private state: ConnectionState = 'connecting';
  private stateDetail: string | undefined;
  private lostResolve: ((reason: string) => void) | null = null;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private pending: Sample[] = [];
  private flushScheduled = false;
  /** comm_fail already published for the current outage (once per outage, not per retry). */
  private commFailed = false;
  private failureLogged = false;
  /** A&C conditions seen on this connection; kept across reconnects (ConditionRefresh updates them). */
  private readonly conditions: ConditionTracker = { last: new Map() };

  constructor(
    private readonly conn: ConnectionConfig<OpcuaConnectionOptions>,
    points: BoundPoint<OpcuaSource>[],
  ) {
    this.opts = conn.options;
    this.slots = points.map((p) => {
      const parsed = parseNodeIdText(p.source.nodeId);
      const slot: PointSlot = { point: p, parsed: 'error' in parsed ? null : (parsed as ParsedNodeId), nodeId: null, last: null, lastPublishedAt: 0 };
      this.byPointId.set(p.info.id, slot);
      return slot;
    });
  }

  get id(): string {
    return this.conn.id;
  }

  hasPoint(pointId: string): boolean {
    return this.byPointId.has(pointId);
  }

  async start(ctx: DriverContext): Promise<void> {
    this.ctx = ctx;
    this.setState('connecting');
    this.loop = this.run();
  }

  /** Creates our own certificate if the data folder has none; connects nowhere (Driver.prepare). */
  async prepare(dataDir: string): Promise<void> {
    const client = makeClient(this.opts, clientPkiDir(dataDir));
    try {
      // node-opcua guards the file with a lock: a connect meanwhile waits for it instead of making another.
      await (client as unknown as { initializeCM(): Promise<void> }).initializeCM();
    } finally {
      await client.disconnect().catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.lostResolve?.('stopped');
    this.wake?.();
    // Tear down first so a connect or request in flight fails now instead of at its timeout.
    await this.teardown();
    await this.loop?.catch(() => undefined);
    await this.teardown();
    this.pending = [];
    this.setState('stopped', undefined, true);
  }

  async write(pointId: string, value: PointValue): Promise<WriteResult> {
    const slot = this.byPointId.get(pointId);
    if (!slot) throw new DriverWriteError('unknown_point', `no OPC UA point ${pointId} on connection ${this.id}`);
    if (!slot.point.info.writable) throw new DriverWriteError('not_writable', `${pointId} is not writable (config writable: false)`);
    const live = this.live;
    if (!live || this.state !== 'online' || !slot.nodeId) {
      throw new DriverWriteError('offline', `connection ${this.id} (${this.opts.endpointUrl}) is ${this.state}${this.stateDetail ? `: ${this.stateDetail}` : ''}`);
    }
    return writeAndConfirm(live.session, slot, value, this.opts.requestTimeoutMs);
  }

  /** Acknowledges a condition at the server with the EventId of its last event. */
  async acknowledgeCondition(id: string, comment: string, user: string): Promise<void> {
    const entry = this.conditions.last.get(id);
    if (!entry) throw new DriverWriteError('unknown_point', `no OPC UA condition ${id} on connection ${this.id}`);
    const live = this.live;
    if (!live || this.state !== 'online') throw new DriverWriteError('offline', `connection ${this.id} (${this.opts.endpointUrl}) is ${this.state}`);
    // OPC UA has no acknowledging user beyond the session's: the Watchfloor user goes in the comment.
    const text = comment ? `${user}: ${comment}` : user;
    // Unacknowledged branches (earlier occurrences) first, then the trunk if it still needs it.
    for (const eventId of [...entry.branches.values()]) await acknowledge(live.session, entry.conditionId, eventId, text);
    if (!entry.trunk.acked) await acknowledge(live.session, entry.conditionId, entry.eventId, text);
  }

  hasCondition(id: string): boolean {
    return this.conditions.last.has(id);
  }

  // ---------------------------------------------------------------- loop

  private async run(): Promise<void> {
    let attempt = 0;
    const backoff = { initialMs: this.opts.backoff?.initialMs ?? 1000, maxMs: this.opts.backoff?.maxMs ?? 30_000 };
    while (!this.stopped) {
      let lost: Promise<string>;
      try {
        ({ lost } = await this.connectOnce());
      } catch (err) {
        await this.teardown();
        if (this.stopped) return;
        this.onFailure(err);
        await this.sleep(reconnectDelay(attempt++, backoff));
        continue;
      }
      attempt = 0;
      const reason = await lost;
      await this.teardown();
      if (this.stopped) return;
      this.onFailure(new Error(reason));
      await this.sleep(backoff.initialMs);
    }
  }

  private async connectOnce(): Promise<{ lost: Promise<string> }> {
    const gen = ++this.generation;
    const o = this.opts;
    const pkiDir = clientPkiDir(this.ctx!.dataDir);
    const client = makeClient(o, pkiDir);
    let lostResolve!: (reason: string) => void;
    const lost = new Promise<string>((r) => (lostResolve = r));
    const onLost = (reason: string) => {
      if (gen === this.generation) lostResolve(reason);
    };
    this.lostResolve = lostResolve;
    this.live = { client, session: null as unknown as ClientSession };
    client.on('connection_lost', () => onLost('connection lost'));
    client.on('close', () => onLost('connection closed'));

    await connectClient(client, o, pkiDir);
    const session = await openSession(client, o);
    this.live.session = session;
    session.on('session_closed', () => onLost('session closed by server'));
    session.on('keepalive_failure', () => onLost('session keep-alive failed'));

    const namespaceArray = await session.readNamespaceArray();
    const unresolved: Sample[] = [];
    const now = Date.now();
    for (const slot of this.slots) {
      slot.nodeId = null;
      if (!slot.parsed) continue;
      try {
        slot.nodeId = resolveNodeId(slot.parsed, namespaceArray);
      } catch (err) {
        unresolved.push({ pointId: slot.point.info.id, value: null, quality: 'bad', detail: (err as Error).message, readTs: now });
      }
    }

    const subscribed = this.slots.filter((s) => s.nodeId && (s.point.source.mode ?? 'subscribe') === 'subscribe');
    const polled = this.slots.filter((s) => s.nodeId && s.point.source.mode === 'poll');
    if (subscribed.length || o.events) {
      const publishingInterval = o.publishingIntervalMs;
      const subscription = await session.createSubscription2({
        requestedPublishingInterval: publishingInterval,
        requestedMaxKeepAliveCount: MAX_KEEP_ALIVE_COUNT,
        requestedLifetimeCount: MAX_KEEP_ALIVE_COUNT * 6,
        maxNotificationsPerPublish: 0,
        publishingEnabled: true,
        priority: 10,
      });
      this.live.subscription = subscription;
      subscription.on('terminated', () => onLost('subscription terminated'));
      const notified = new Set<PointSlot>();
      const failures = await subscribePoints(subscription, subscribed, publishingInterval, (slot, dv) => {
        notified.add(slot);
        if (gen === this.generation) this.onDataValue(slot, dv);
      });
      unresolved.push(...failures);
      const refused = new Set(failures.map((f) => f.pointId));
      const monitored = subscribed.filter((s) => !refused.has(s.point.info.id));
      void readInitialValues(session, monitored, o.requestTimeoutMs, notified, (slot, dv) => {
        if (gen === this.generation) this.onDataValue(slot, dv);
      }).catch(() => undefined);
      if (o.events) {
        const parsed = parseNodeIdText(o.events.notifier);
        if ('error' in parsed) throw new Error(`events.notifier: ${parsed.error}`);
        await subscribeEvents(session, subscription, resolveNodeId(parsed, namespaceArray), o.events.queueSize, this.id, namespaceArray, this.conditions, (c) => {
          if (gen === this.generation) this.publishConditions([withArea(c, o.events!)]);
        });
      }
      // Keep-alive refresh: a healthy subscription with an unchanged value
      // re-publishes it once per keep-alive period so the hub does not mark it stale.
      const keepAliveMs = publishingInterval * MAX_KEEP_ALIVE_COUNT;
      this.live.refreshTimer = setInterval(() => gen === this.generation && this.refresh(subscribed, keepAliveMs), keepAliveMs / 2);
      this.live.refreshTimer.unref?.();
    }
    if (polled.length) {
      this.live.stopPolling = startPolling(session, polled, o.requestTimeoutMs, (slot, dv) => {
        if (gen === this.generation) this.onDataValue(slot, dv);
      }, (err) => onLost(`read failed: ${err.message}`));
    }
    if (unresolved.length) this.publish(unresolved);
    this.commFailed = false;
    if (this.failureLogged) this.ctx!.log.info({ connection: this.id, endpointUrl: o.endpointUrl }, 'OPC UA connection recovered');
    this.failureLogged = false;
    this.setState('online');
    return { lost };
  }

  private async teardown(): Promise<void> {
    this.generation++;
    const live = this.live;
    this.live = null;
    if (!live) return;
    if (live.refreshTimer) clearInterval(live.refreshTimer);
    live.stopPolling?.();
    // Best effort: deleting the subscription/session frees the server's items now
    // rather than at session timeout. Bounded so a dead server cannot hang us.
    const bounded = (p: Promise<unknown>) => Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref?.())]);
    if (live.session) await bounded(live.session.close(true));
    await bounded(live.client.disconnect());
  }

  // ------------------------------------------------------------- samples

  private onDataValue(slot: PointSlot, dv: DataValue): void {
    const { quality, detail } = qualityOf(dv.statusCode);
    const value = quality === 'bad' ? null : toPointValue(dv.value?.value, slot.point.info.kind);
    const sourceTs = dv.sourceTimestamp?.getTime() ?? dv.serverTimestamp?.getTime();
    const sample: Sample = { pointId: slot.point.info.id, value, quality, readTs: Date.now() };
    if (detail) sample.detail = detail;
    if (sourceTs) sample.sourceTs = sourceTs;
    slot.last = sample;
    slot.lastPublishedAt = sample.readTs;
    this.enqueue(sample);
  }

  private refresh(slots: PointSlot[], keepAliveMs: number): void {
    const now = Date.now();
    const batch: Sample[] = [];
    for (const slot of slots) {
      if (!slot.last || now - slot.lastPublishedAt < keepAliveMs) continue;
      slot.lastPublishedAt = now;
      batch.push({ ...slot.last, readTs: now });
    }
    if (batch.length) this.publish(batch);
  }

  /** Collects samples of one publish response and hands them to the hub in one batch. */
  private enqueue(sample: Sample): void {
    this.pending.push(sample);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const batch = this.pending;
      this.pending = [];
      if (batch.length) this.publish(batch);
    });
  }

  private publish(batch: Sample[]): void {
    if (this.stopped || !this.ctx) return;
    this.ctx.publish(batch);
  }

  private publishConditions(conds: ExternalCondition[]): void {
    if (this.stopped || !this.ctx?.publishConditions) return;
    this.ctx.publishConditions(conds);
  }

  private onFailure(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    const state: ConnectionState = isAuthError(err) ? 'auth_failed' : 'offline';
    const detail = err instanceof UntrustedError ? message : `${this.opts.endpointUrl}: ${message}`;
    if (!this.failureLogged) {
      this.ctx!.log.error({ connection: this.id, endpointUrl: this.opts.endpointUrl, err: message }, 'OPC UA connection failed');
      this.failureLogged = true;
    }
    this.setState(state, detail);
    if (!this.commFailed) {
      this.commFailed = true;
      const now = Date.now();
      this.publish(this.slots.map((s) => ({ pointId: s.point.info.id, value: null, quality: 'comm_fail', detail, readTs: now })));
      for (const s of this.slots) s.last = null;
    }
  }

  private setState(state: ConnectionState, detail?: string, force = false): void {
    if (this.stopped && !force) return;
    if (state === this.state && detail === this.stateDetail && state !== 'connecting') return;
    this.state = state;
    this.stateDetail = detail;
    this.ctx?.status({ connection: this.id, protocol: 'opcua', state, detail, since: Date.now() });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }
}
