// Work orders (维修工单) and notifications: REST payloads and live events shared by the hub
// (hub/workorders, hub/notify) and the console (console/src/views/workorders).
import type { LocalizedText } from './point.js';

export const TRADES = ['electrical', 'hvac', 'plumbing', 'security', 'cleaning', 'it'] as const;
export type Trade = (typeof TRADES)[number];

export const WO_PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type WoPriority = (typeof WO_PRIORITIES)[number];

export const WO_STATES = ['new', 'assigned', 'accepted', 'en_route', 'on_site', 'done', 'verified', 'closed', 'cancelled'] as const;
export type WoState = (typeof WO_STATES)[number];

export const WO_SOURCES = ['alarm', 'derived', 'patrol', 'manual'] as const;
export type WoSource = (typeof WO_SOURCES)[number];

/** Steps a client may ask for (the hub also records `create` and `escalate`). */
export const WO_ACTIONS = ['assign', 'accept', 'depart', 'arrive', 'finish', 'verify', 'close', 'reassign', 'cancel', 'reject'] as const;
export type WoAction = (typeof WO_ACTIONS)[number];

export interface PartUsed {
  name: string;
  qty: number;
  /** The replaced part was found damaged (配件损坏). */
  damaged?: boolean;
}

export interface TimelineEntry {
  seq: number;
  ts: number;
  /** `create`, `escalate`, `rate`, `photo`, `note` or one of WO_ACTIONS. */
  kind: string;
  user: string;
  from: WoState | null;
  to: WoState;
  /** Who the order is assigned to after this entry. */
  assignee?: string | null;
  note?: string;
}

export interface WorkOrder {
  id: number;
  /** Bumped by every change: a client sends the version it saw, a stale one is refused (409). */
  version: number;
  state: WoState;
  source: WoSource;
  title: string;
  description: string;
  trade: Trade;
  /** `building[/floor[/room]]`. */
  area: string;
  /** Equipment or point the fault is on (repeat faults are counted per device). */
  device?: string;
  priority: WoPriority;
  requester: string;
  assignee: string | null;
  /** Escalation level: 0 on-call, 1 next person, 2 supervisor, 3 manager. */
  escalation: number;
  alarmId?: string;
  patrolId?: string;
  createdAt: number;
  /** Deadlines of the current SLA phase (ms). */
  respondBy: number;
  fixBy: number;
  /** When the SLA timer next escalates this order (null: not open). */
  escalateAt: number | null;
  /** When the alarm that opened it activated (one order per activation). */
  alarmActiveSince?: number;
  acceptedAt?: number;
  doneAt?: number;
  closedAt?: number;
  workDone?: string;
  parts: PartUsed[];
  photos: string[];
  rating?: { score: number; comment?: string; by: string; at: number };
}

export interface WorkOrderDetail extends WorkOrder {
  timeline: TimelineEntry[];
}

export interface CreateWorkOrderBody {
  title: string;
  description?: string;
  trade: Trade;
  area: string;
  device?: string;
  priority?: WoPriority;
}

export interface StepBody {
  action: WoAction;
  /** The version the client saw. */
  version: number;
  note?: string;
  /** reassign / assign */
  assignee?: string;
  /** finish */
  workDone?: string;
  parts?: PartUsed[];
}

export interface StatsRow {
  key: string;
  orders: number;
  closed: number;
  /** Mean time to acknowledge (accept), minutes; null without data. */
  mttaMin: number | null;
  /** Mean time to repair (done), minutes. */
  mttrMin: number | null;
  /** Share (0..100) of finished orders that met both deadlines. */
  slaPercent: number | null;
  partsUsed: number;
  partsDamaged: number;
  /** Damaged parts / parts used × 100. */
  damageRate: number | null;
  satisfaction: number | null;
}

export interface WorkOrderStats {
  by: 'trade' | 'area' | 'month' | 'person';
  rows: StatsRow[];
  /** Devices with more than one order in the range, most first. */
  repeatFaults: Array<{ device: string; count: number }>;
}

/** In-console notification (the bell). */
export interface ConsoleNotification {
  id: number;
  ts: number;
  priority: WoPriority;
  title: LocalizedText;
  body: LocalizedText;
  /** Console route, e.g. `#/workorders/12`. */
  link: string;
}

/** Web Push: the console asks for the hub's VAPID public key and sends its subscription. */
export interface PushSubscriptionBody {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}
