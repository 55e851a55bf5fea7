// Live push of alarm changes over Socket.IO: consoles send `alarms:subscribe` and get the
// current list in the ack (so a reconnecting console is whole again), then batched
// `alarms:update` events, at most one per window, never one per sample.
import type { Server as IoServer, Socket } from 'socket.io';
import type { AlarmEscalation, AlarmsSubscribeAck, AlarmView } from '../../contracts/alarms.js';
import { ALARMS_ROOM, ALARMS_SUPERVISOR_ROOM } from '../../contracts/live.js';
import type { AlarmEngine } from './engine.js';
import type { HubLogger } from '../module.js';
import { guarded } from '../live/guard.js';

export const DEFAULT_PUSH_WINDOW_MS = 50;
const ESCALATION_ROLES = new Set(['supervisor', 'admin']);

export class AlarmPush {
  private timer: NodeJS.Timeout | undefined;
  private readonly onConnection = (socket: Socket) => this.attach(socket);

  constructor(
    private readonly io: IoServer,
    private readonly engine: AlarmEngine,
    private readonly windowMs = DEFAULT_PUSH_WINDOW_MS,
    /** Where a failing handler is reported (see hub/live/guard.ts). */
    private readonly log: Pick<HubLogger, 'warn'> = { warn: (o, m) => console.warn(m, o) },
  ) {}

  start(): void {
    this.io.on('connection', this.onConnection);
    // Sockets connected before the module started get the handlers too.
    for (const socket of this.io.sockets.sockets.values()) this.attach(socket);
    this.timer = setInterval(() => this.flush(), this.windowMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.io.off('connection', this.onConnection);
  }

  /** Emits everything changed since the last flush as one batch. */
  flush(): void {
    const ids = this.engine.drainChanged();
    if (ids.length === 0) return;
    const now = this.engine.now();
    const changed = ids.map((id) => this.engine.view(id, now)).filter((v): v is AlarmView => v !== undefined);
    this.io.to(ALARMS_ROOM).emit('alarms:update', { changed, summary: this.engine.summary() });
  }

  escalate(alarm: AlarmView, unackedForMs: number): void {
    const e: AlarmEscalation = { alarm, unackedForMs };
    this.io.to(ALARMS_SUPERVISOR_ROOM).emit('alarms:escalation', e);
  }

  private attach(socket: Socket): void {
    if ((socket as Socket & { __alarms?: true }).__alarms) return;
    (socket as Socket & { __alarms?: true }).__alarms = true;
    // Supervisors and admins get escalations wherever they are in the console, subscribed or not.
    const role = (socket.data as { role?: string } | undefined)?.role;
    if (role && ESCALATION_ROLES.has(role)) void socket.join(ALARMS_SUPERVISOR_ROOM);
    socket.on('alarms:subscribe', guarded(this.log, 'alarms:subscribe', (ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (r: AlarmsSubscribeAck) => void) : () => {};
      const data = socket.data as { user?: string; role?: string } | undefined;
      if (!data?.user) return reply({ ok: false, error: 'not signed in' });
      void socket.join(ALARMS_ROOM);
      if (data.role && ESCALATION_ROLES.has(data.role)) void socket.join(ALARMS_SUPERVISOR_ROOM);
      reply({ ok: true, alarms: this.engine.list(), summary: this.engine.summary() });
    }));
    socket.on('alarms:unsubscribe', guarded(this.log, 'alarms:unsubscribe', (ack: unknown) => {
      void socket.leave(ALARMS_ROOM);
      if (typeof ack === 'function') (ack as (r: { ok: boolean }) => void)({ ok: true });
    }));
  }
}
