// The wall's own link to the hub: every floor of one building plus the alarm list, on one
// Socket.IO connection (the shell's LiveLink watches one floor at a time). After every
// reconnect it re-subscribes and hands over complete snapshots, so nothing old survives a drop.
import { io, type Socket } from 'socket.io-client';
import type { AlarmsUpdate, AlarmSummary, AlarmView } from '../../../contracts/alarms.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../contracts/live.js';
import type { PointState } from '../../../contracts/point.js';

export interface WallFeedHandlers {
  /** Complete state of the watched floors (after subscribing and after every reconnect). */
  onPointsSnapshot(states: PointState[]): void;
  onPoints(states: PointState[]): void;
  onAlarmsSnapshot(alarms: AlarmView[], summary: AlarmSummary): void;
  onAlarms(update: AlarmsUpdate): void;
  /** up: data flows; down: `since` is when data was last known current. */
  onLink(up: boolean, since: number, detail?: string): void;
}

export class WallFeed {
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private lastLive = Date.now();
  private up = false;
  private readonly tick: ReturnType<typeof setInterval>;

  constructor(token: string, private readonly floorKeys: string[], private readonly handlers: WallFeedHandlers, url = '') {
    const options = { auth: { token }, withCredentials: true, reconnectionDelayMax: 5000 };
    this.socket = url ? io(url, options) : io(options);
    this.socket.on('connect', () => this.resubscribe());
    this.socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') this.socket.connect();
      this.down(reason);
    });
    this.socket.on('connect_error', (err) => {
      this.down(err.message);
      // A refused handshake is not retried by socket.io itself: a wall keeps trying, slowly.
      if (!this.socket.active) setTimeout(() => { if (!this.socket.connected) this.socket.connect(); }, 5000);
    });
    this.socket.on('points:update', (batch) => {
      this.lastLive = Date.now();
      handlers.onPoints(batch);
    });
    this.socket.on('alarms:update', (update) => handlers.onAlarms(update));
    // While up, data is current as of now; remember it so a drop can say "data as of".
    this.tick = setInterval(() => { if (this.up) this.lastLive = Date.now(); }, 1000);
  }

  private down(detail: string): void {
    if (!this.up) return;
    this.up = false;
    this.handlers.onLink(false, this.lastLive, detail);
  }

  private resubscribe(): void {
    let pending = 2;
    let alarmsAnswered = false;
    const done = () => {
      if (--pending === 0) {
        this.up = true;
        this.lastLive = Date.now();
        this.handlers.onLink(true, this.lastLive);
      }
    };
    this.socket.emit('subscribe', { floors: this.floorKeys }, (ack) => {
      if (ack.ok) {
        this.handlers.onPointsSnapshot(ack.snapshot);
        done();
      } else this.handlers.onLink(false, this.lastLive, ack.error);
    });
    const alarmsDone = () => {
      if (alarmsAnswered) return;
      alarmsAnswered = true;
      done();
    };
    this.socket.emit('alarms:subscribe', (ack) => {
      if (ack.ok) this.handlers.onAlarmsSnapshot(ack.alarms, ack.summary);
      alarmsDone();
    });
    // A hub without the alarms module never answers: the wall still shows points.
    setTimeout(alarmsDone, 3000);
  }

  close(): void {
    clearInterval(this.tick);
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }
}
