// The alarm view's link to the hub: REST actions, and its own Socket.IO subscription to the
// alarm list (re-subscribed after every reconnect, so the list is whole again).
import { io, type Socket } from 'socket.io-client';
import type { AlarmsSubscribeAck, AlarmsUpdate, AlarmView } from '../../../../contracts/alarms.js';
import type { ApiError } from '../../../../contracts/api.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../../contracts/live.js';

export interface AlarmFeed {
  onSnapshot(ack: Extract<AlarmsSubscribeAck, { ok: true }>): void;
  onUpdate(update: AlarmsUpdate): void;
  onLink(up: boolean, detail?: string): void;
}

export class AlarmClient {
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;

  constructor(private readonly token: string, private readonly baseUrl = '') {}

  subscribe(feed: AlarmFeed): void {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = this.baseUrl
      ? io(this.baseUrl, { auth: { token: this.token }, withCredentials: true })
      : io({ auth: { token: this.token }, withCredentials: true });
    this.socket = socket;
    socket.on('connect', () => {
      socket.emit('alarms:subscribe', (ack) => {
        if (ack.ok) {
          feed.onSnapshot(ack);
          feed.onLink(true);
        } else feed.onLink(false, ack.error);
      });
    });
    socket.on('disconnect', (reason) => feed.onLink(false, reason));
    socket.on('alarms:update', (u) => feed.onUpdate(u));
  }

  close(): void {
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = undefined;
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/api${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
    const data = (await res.json().catch(() => undefined)) as T | ApiError | undefined;
    if (!res.ok) {
      const message = data && typeof data === 'object' && 'error' in data ? data.error.message : `HTTP ${res.status}`;
      throw new Error(message);
    }
    return data as T;
  }

  ack(id: string, comment?: string): Promise<AlarmView> {
    return this.post(`/alarms/${encodeURIComponent(id)}/ack`, comment ? { comment } : {});
  }
  ackArea(area: string, comment?: string): Promise<{ acknowledged: string[] }> {
    return this.post('/alarms/ack', comment ? { area, comment } : { area });
  }
  shelve(id: string, durationMin: number, reason: string): Promise<AlarmView> {
    return this.post(`/alarms/${encodeURIComponent(id)}/shelve`, { durationMin, reason });
  }
  unshelve(id: string): Promise<AlarmView> {
    return this.post(`/alarms/${encodeURIComponent(id)}/unshelve`, {});
  }
  outOfService(id: string, reason: string): Promise<AlarmView> {
    return this.post(`/alarms/${encodeURIComponent(id)}/out-of-service`, { reason });
  }
  returnToService(id: string): Promise<AlarmView> {
    return this.post(`/alarms/${encodeURIComponent(id)}/return-to-service`, {});
  }
  comment(id: string, text: string): Promise<AlarmView> {
    return this.post(`/alarms/${encodeURIComponent(id)}/comments`, { text });
  }
}
