// Socket.IO event maps shared by the hub (hub/live) and the console.
import type { ConnectionStatus } from './driver.js';
import type { PointState } from './point.js';
import type { AlarmEscalation, AlarmsSubscribeAck, AlarmsUpdate } from './alarms.js';
import type { ConsoleNotification } from './workorders.js';
import type { PatrolClientEvents, PatrolServerEvents } from './patrols.js';

/** What a client watches. Floors are `site/building/floor` keys; points are point ids. */
export interface Subscription {
  floors?: string[];
  points?: string[];
}

export type SubscribeAck =
  | { ok: true; snapshot: PointState[] }
  | { ok: false; error: string };

export interface ServerToClientEvents extends PatrolServerEvents {
  /** Coalesced batch: the latest state of each point that changed within the window. */
  'points:update': (batch: PointState[]) => void;
  /** Driver connection statuses, sent on connect and on every change. */
  'drivers:status': (statuses: ConnectionStatus[]) => void;
  /** Alarm changes, batched within a short window, to sockets that sent `alarms:subscribe`. */
  'alarms:update': (update: AlarmsUpdate) => void;
  /** A critical/high alarm left unacknowledged too long; only to supervisor and admin sockets. */
  'alarms:escalation': (e: AlarmEscalation) => void;
  /** The config was reloaded and the site changed (points, devices, rules): refetch the point list and re-subscribe. */
  'site:changed': (e: SiteChanged) => void;
  /** In-console notification (the bell), to the sockets of the user it is for (hub/notify). */
  'notify:message': (n: ConsoleNotification) => void;
}

/** What a live reload changed, for consoles to refresh without a page reload (hub/reload). */
export interface SiteChanged {
  /** Monotonic per hub process. */
  version: number;
  at: number;
  pointsAdded: string[];
  pointsRemoved: string[];
  pointsChanged: string[];
  alarmRulesChanged: boolean;
}

export interface ClientToServerEvents extends PatrolClientEvents {
  /** Join rooms; the ack carries a snapshot of everything joined. */
  subscribe: (sub: Subscription, ack: (res: SubscribeAck) => void) => void;
  unsubscribe: (sub: Subscription, ack: (res: { ok: boolean }) => void) => void;
  /** Join the alarm list; the ack carries the current list (also after a reconnect). */
  'alarms:subscribe': (ack: (res: AlarmsSubscribeAck) => void) => void;
  'alarms:unsubscribe': (ack: (res: { ok: boolean }) => void) => void;
}

/** Per-socket data the hub keeps after authenticating the handshake. */
export interface SocketData {
  user: string;
  role: string;
  /** The session the socket was opened with (server side only): the socket ends with it. */
  token?: string;
}

/** Room names: one per floor and one per point. */
export const roomOfFloor = (floorKey: string) => `floor:${floorKey}`;
export const roomOfPoint = (pointId: string) => `point:${pointId}`;
/** Everyone watching the alarm list; every connected supervisor/admin (escalations). */
export const ALARMS_ROOM = 'alarms';
export const ALARMS_SUPERVISOR_ROOM = 'alarms:supervisors';
