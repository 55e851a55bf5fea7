// The Socket.IO link to the hub. It keeps one floor subscription and re-subscribes after every
// (re)connect, handing the fresh snapshot to the view, so a reconnect never leaves old values up.
import { io, type Socket } from 'socket.io-client';
import type { ConnectionStatus } from '../../contracts/driver.js';
import type { AlarmEscalation, AlarmsUpdate, AlarmSummary, AlarmView } from '../../contracts/alarms.js';
import type { ClientToServerEvents, ServerToClientEvents, SiteChanged, SubscribeAck } from '../../contracts/live.js';
import type { PointState } from '../../contracts/point.js';
import type { ConsoleNotification } from '../../contracts/workorders.js';
import type { RunStatus } from '../../contracts/patrols.js';

export type LinkState = 'connecting' | 'live' | 'reconnecting' | 'refused';

export interface LiveHandlers {
  onLinkState(state: LinkState, detail?: string): void;
  onDrivers(statuses: ConnectionStatus[]): void;
  /** The hub reloaded its config and the site changed (points added/removed, alarm rules): refetch what is shown. */
  onSiteChanged?(e: SiteChanged): void;
}

export interface FloorWatch {
  /** Full state of the floor, after subscribing and after every reconnect. */
  onSnapshot(states: PointState[]): void;
  /** Coalesced changes. */
  onUpdate(states: PointState[]): void;
  onError(message: string): void;
}

/** A watcher of the alarm list (the alarm view, the top-bar banner): all share the one socket. */
export interface AlarmWatch {
  /** The whole list, after watching starts and after every reconnect. */
  onSnapshot(alarms: AlarmView[], summary: AlarmSummary): void;
  /** Batched changes (alarms back to normal included, with state `normal`). */
  onUpdate(update: AlarmsUpdate): void;
  onError(message: string): void;
  /** Supervisors and admins only: an alarm left unacknowledged too long. */
  onEscalation?(escalation: AlarmEscalation): void;
}

/** The top-bar bell: the user's in-console notifications (hub/notify, `notify:message`). */
export interface NotifyWatch {
  /** The link is up (first connect, reconnect, or already up when watching starts): reload the inbox. */
  onConnect(): void;
  onMessage(n: ConsoleNotification): void;
}

/** The patrol status page and wall: today's runs, then each change as the hub pushes it. */
export interface PatrolWatch {
  /** Every run, after watching starts and after every reconnect. */
  onSnapshot(runs: RunStatus[]): void;
  /** The runs that changed (a scan, a stop gone overdue, a run closed). */
  onUpdate(runs: RunStatus[]): void;
  onError(message: string): void;
}

type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class LiveLink {
  private readonly socket: HubSocket;
  private watched: { floorKey: string; watch: FloorWatch } | null = null;
  private everConnected = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly alarmWatches = new Set<AlarmWatch>();
  private readonly notifyWatches = new Set<NotifyWatch>();
  private readonly patrolWatches = new Set<PatrolWatch>();

  private closed = false;

  /** `connect: false`: the handshake waits for connect() (the app starts it after the first frame). */
  constructor(token: string, private readonly handlers: LiveHandlers, url?: string, opts: { connect?: boolean } = {}) {
    const options = { auth: { token }, withCredentials: true, autoConnect: opts.connect ?? true };
    this.socket = url ? io(url, options) : io(options);
    handlers.onLinkState('connecting');
    this.socket.on('connect', () => {
      this.everConnected = true;
      handlers.onLinkState('live');
      this.subscribeCurrent();
      if (this.alarmWatches.size > 0) this.subscribeAlarms([...this.alarmWatches]);
      if (this.patrolWatches.size > 0) this.subscribePatrols([...this.patrolWatches]);
      for (const w of this.notifyWatches) w.onConnect();
    });
    this.socket.on('disconnect', (reason) => {
      // A server-side disconnect is not retried by socket.io-client; ask for it explicitly.
      if (reason === 'io server disconnect') this.socket.connect();
      handlers.onLinkState('reconnecting', reason);
    });
    this.socket.on('connect_error', (err) => {
      // `active` is false when the hub refused the handshake (bad or expired session): socket.io
      // will not retry by itself. Report it (the app re-checks the session) and retry slowly.
      if (this.socket.active) {
        handlers.onLinkState(this.everConnected ? 'reconnecting' : 'connecting', err.message);
      } else {
        handlers.onLinkState('refused', err.message);
        this.retryTimer = setTimeout(() => this.socket.connect(), 3000);
      }
    });
    this.socket.on('drivers:status', (statuses) => handlers.onDrivers(statuses));
    this.socket.on('points:update', (batch) => {
      const current = this.watched;
      if (!current) return;
      // The hub only sends rooms we joined, but a late batch of the previous floor may still arrive.
      const prefix = `${current.floorKey}/`;
      const mine = batch.filter((s) => s.id.startsWith(prefix));
      if (mine.length) current.watch.onUpdate(mine);
    });
    this.socket.on('alarms:update', (update) => {
      for (const w of this.alarmWatches) w.onUpdate(update);
    });
    this.socket.on('patrols:update', (runs) => {
      for (const w of this.patrolWatches) w.onUpdate(runs);
    });
    this.socket.on('notify:message', (n) => {
      for (const w of this.notifyWatches) w.onMessage(n);
    });
    this.socket.on('alarms:escalation', (e) => {
      for (const w of this.alarmWatches) w.onEscalation?.(e);
    });
    // A live config reload: a fresh floor snapshot (new points, removed ones gone) and, when rules
    // changed, a fresh alarm list (removed rules' alarms gone) — no page reload.
    this.socket.on('site:changed', (e) => {
      handlers.onSiteChanged?.(e);
      this.subscribeCurrent();
      if (e.alarmRulesChanged && this.alarmWatches.size > 0) this.subscribeAlarms([...this.alarmWatches]);
    });
  }

  /**
   * Watch the alarm list over the shared socket. The hub's room join is idempotent, so each new
   * watcher subscribes again to get its own snapshot. Returns a function that stops watching.
   */
  watchAlarms(watch: AlarmWatch): () => void {
    this.alarmWatches.add(watch);
    if (this.socket.connected) this.subscribeAlarms([watch]);
    return () => {
      if (!this.alarmWatches.delete(watch)) return;
      if (this.alarmWatches.size === 0 && this.socket.connected) this.socket.emit('alarms:unsubscribe', () => {});
    };
  }

  /** Watch patrol runs over the shared socket (needs patrols:read). Returns a function that stops watching. */
  watchPatrols(watch: PatrolWatch): () => void {
    this.patrolWatches.add(watch);
    if (this.socket.connected) this.subscribePatrols([watch]);
    return () => {
      if (!this.patrolWatches.delete(watch)) return;
      if (this.patrolWatches.size === 0 && this.socket.connected) this.socket.emit('patrols:unsubscribe', () => {});
    };
  }

  private subscribePatrols(watches: PatrolWatch[]): void {
    this.socket.emit('patrols:subscribe', (ack) => {
      for (const w of watches) {
        if (!this.patrolWatches.has(w)) continue;
        if (ack.ok) w.onSnapshot(ack.runs);
        else w.onError(ack.error);
      }
    });
  }

  /** Watch the user's notifications (the hub sends them to the user's own sockets). */
  watchNotifications(watch: NotifyWatch): () => void {
    this.notifyWatches.add(watch);
    if (this.socket.connected) watch.onConnect();
    return () => void this.notifyWatches.delete(watch);
  }

  private subscribeAlarms(watches: AlarmWatch[]): void {
    this.socket.emit('alarms:subscribe', (ack) => {
      for (const w of watches) {
        if (!this.alarmWatches.has(w)) continue; // stopped meanwhile
        if (ack.ok) w.onSnapshot(ack.alarms, ack.summary);
        else w.onError(ack.error);
      }
    });
  }

  /** Watch one floor (leaving the previous one). Returns a function that stops watching. */
  watchFloor(floorKey: string, watch: FloorWatch): () => void {
    const previous = this.watched;
    if (previous && previous.floorKey !== floorKey && this.socket.connected) {
      this.socket.emit('unsubscribe', { floors: [previous.floorKey] }, () => {});
    }
    const entry = { floorKey, watch };
    this.watched = entry;
    if (this.socket.connected) this.subscribeCurrent();
    return () => {
      if (this.watched !== entry) return;
      this.watched = null;
      if (this.socket.connected) this.socket.emit('unsubscribe', { floors: [floorKey] }, () => {});
    };
  }

  private subscribeCurrent(): void {
    const entry = this.watched;
    if (!entry) return;
    this.socket.emit('subscribe', { floors: [entry.floorKey] }, (ack: SubscribeAck) => {
      if (this.watched !== entry) return; // the user moved on meanwhile
      if (ack.ok) entry.watch.onSnapshot(ack.snapshot);
      else entry.watch.onError(ack.error);
    });
  }

  /** Starts the handshake of a link made with `connect: false` (no-op when under way or closed). */
  connect(): void {
    if (!this.closed && !this.socket.active) this.socket.connect();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.watched = null;
    this.alarmWatches.clear();
    this.notifyWatches.clear();
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }
}
