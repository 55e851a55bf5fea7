// Guard tours and cleaning inspections (巡更 / 保洁巡检): the REST payloads and the live event the
// hub (hub/patrols), the console (views/patrols), the simulator and issue #20's reports share.
// Imports nothing.

export type TourKind = 'guard' | 'cleaning';
/** A checkpoint of one run: `pending` until its window closes; `early` = scanned before the window opened. */
export const CHECKPOINT_STATUSES = ['pending', 'on_time', 'early', 'late', 'missed'] as const;
export type CheckpointStatus = (typeof CHECKPOINT_STATUSES)[number];
export type PatrolAlarmKind = 'missed' | 'late' | 'order';

/** The text of a printed code: `WFP1.<checkpoint>.<key version>.<HMAC-SHA256, base64url, 128 bits>`. */
export const TOKEN_PREFIX = 'WFP1';

export interface Localized { en: string; 'zh-CN': string }

export interface CheckpointInfo {
  id: string;
  name: Localized;
  /** `building/floor[/room]`, or `site/<place>` outdoors. */
  area: string;
  /** Metres on the floor plan (or site map outdoors). */
  position?: { x: number; y: number };
  checklist: Array<{ id: string; label: Localized }>;
}

export interface TourInfo {
  id: string;
  name: Localized;
  kind: TourKind;
  area: string;
  checkpoints: Array<{ checkpoint: string; atMin: number; windowMin: number }>;
  maxGapMin: number;
  /** Who walks it: a named user, or the first on-call person of a roster trade (hub/workorders/roster.ts). */
  assign: { user: string } | { roster: string };
}

/** One checkpoint of one run as the hub judges it (server time). */
export interface RunCheckpoint {
  checkpoint: string;
  index: number;
  /** Window [opens, closes] (ms); due = the planned time. */
  due: number;
  opens: number;
  closes: number;
  status: CheckpointStatus;
  scannedAt?: number;
  by?: string;
  /** Scanned while an earlier checkpoint of the run was already scanned after it. */
  outOfOrder?: boolean;
  /** More than maxGapMin after the previous scan. */
  gapExceeded?: boolean;
  /** Inspection: items failed, rating 1..5. */
  failed?: string[];
  rating?: number;
}

export interface RunStatus {
  runId: string;
  tour: string;
  kind: TourKind;
  shift: string;
  /** Local date of the run's start (YYYY-MM-DD) and its calendar day type. */
  date: string;
  dayType: string;
  start: number;
  end: number;
  assignee: string | null;
  state: 'upcoming' | 'in_progress' | 'done';
  checkpoints: RunCheckpoint[];
  /** The last accepted scan of the run. */
  last?: { checkpoint: string; at: number; by: string; area: string; position?: { x: number; y: number } };
  /** Checkpoints whose window closed without a scan, and ones whose window is open now. */
  overdue: string[];
  counts: Record<CheckpointStatus, number>;
}

/** POST /api/patrols/scans body. */
export interface ScanRequest {
  /** Client-made id (UUID): the same id twice is a replay and is refused. */
  scanId: string;
  /** The decoded QR text; or, with `manual`, absent. */
  token?: string;
  /** Manual entry: the checkpoint id typed by the guard and a supervisor's one-time override code. */
  manual?: { checkpoint: string; overrideCode: string };
  /** When the phone saw the code (ms, the phone's clock): recorded, never trusted for validity. */
  clientTs?: number;
  /** True when the phone queued the scan offline and sends it later. */
  offline?: boolean;
  /** Inspection answers: item id → pass. */
  answers?: Record<string, boolean>;
  rating?: number;
  /** A photo when an item failed: data URL (JPEG), ≤ 180 kB (the JSON body limit is 256 kB). */
  photo?: string;
  note?: string;
}

export interface ScanResult {
  id: number;
  scanId: string;
  checkpoint: string;
  name: Localized;
  runId: string | null;
  tour: string | null;
  status: CheckpointStatus | 'unscheduled';
  serverTs: number;
  clientTs?: number;
  offline: boolean;
  /** Status the phone's clock would have given (offline scans): shown, not counted. */
  claimedStatus?: CheckpointStatus;
  manualBy?: string;
  outOfOrder: boolean;
  workOrder?: number;
}

export interface ScanRecord extends ScanResult {
  user: string;
  failed: string[];
  rating?: number;
  hasPhoto: boolean;
}

/** GET /api/patrols/compliance?by=tour|person|shift|area|month&from&to (CSV with format=csv). */
export const COMPLIANCE_BY = ['tour', 'person', 'shift', 'area', 'month'] as const;
export type ComplianceBy = (typeof COMPLIANCE_BY)[number];

export interface ComplianceRow {
  key: string;
  runs: number;
  /** Checkpoints planned in finished runs. */
  planned: number;
  onTime: number;
  early: number;
  late: number;
  missed: number;
  outOfOrder: number;
  manual: number;
  offline: number;
  /** onTime / planned, 0..1 (null without planned checkpoints). */
  compliance: number | null;
  /** Inspections: mean rating and share of items passed. */
  meanRating: number | null;
  itemsPassed: number | null;
}

export interface ComplianceReport {
  by: ComplianceBy;
  from: number;
  to: number;
  rows: ComplianceRow[];
  total: ComplianceRow;
}

/** Socket.IO: the hub sends changed runs to sockets that joined with `patrols:subscribe`. */
export interface PatrolServerEvents {
  'patrols:update': (runs: RunStatus[]) => void;
}
export type PatrolsSubscribeAck = { ok: true; runs: RunStatus[] } | { ok: false; error: string };
export interface PatrolClientEvents {
  /** Join the patrol status stream; the ack carries every run of today (also after a reconnect). Needs patrols:read. */
  'patrols:subscribe': (ack: (r: PatrolsSubscribeAck) => void) => void;
  'patrols:unsubscribe': (ack: (r: { ok: boolean }) => void) => void;
}
