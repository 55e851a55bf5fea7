// Recording, playback, the event timeline, incidents and evidence export: REST payloads shared by
// the hub (hub/recording) and the console (console/src/views/recording).

export const RECORDING_MODES = ['continuous', 'event', 'schedule', 'off'] as const;
export type RecordingMode = (typeof RECORDING_MODES)[number];

/** One finished fMP4 segment on disk, times in epoch ms. */
export interface SegmentInfo {
  camera: string;
  file: string;
  start: number;
  end: number;
  bytes: number;
}

export type GapReason = 'camera_offline' | 'hub_down' | 'disk_full' | 'write_failed' | 'not_scheduled' | 'recorder_stopped';

export interface GapInfo {
  camera: string;
  from: number;
  to: number;
  reason: GapReason;
}

/** GET /api/recordings/:camera/coverage: what is recorded in [from, to]. */
export interface CoverageView {
  camera: string;
  from: number;
  to: number;
  /** Merged recorded spans (adjacent segments joined). */
  spans: Array<{ from: number; to: number }>;
  gaps: GapInfo[];
}

export type RecorderState = 'recording' | 'waiting' | 'idle' | 'disk_full' | 'failed' | 'off';

export interface RecorderStatus {
  camera: string;
  mode: RecordingMode;
  state: RecorderState;
  detail?: string;
  since: number;
  segments: number;
  lastSegmentEnd?: number;
}

/** GET /api/recordings: every recorder and the store. */
export interface RecordingsOverview {
  cameras: RecorderStatus[];
  store: { bytes: number; quotaBytes: number; retentionDays: number; evidenceBytes: number };
}

/** Playback clip (GET …/clip.mp4) map: which wall-clock range each piece of media time shows. */
export interface PlaybackPiece {
  /** Seconds into the media. */
  media: number;
  /** Epoch ms at that media time. */
  wall: number;
  /** Seconds long. */
  duration: number;
}

export const TIMELINE_KINDS = ['alarm', 'door', 'command', 'broadcast', 'workorder', 'patrol', 'recording', 'incident'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineEvent {
  /** Stable within its source: `alarm:<seq>`, `audit:<ts>:<n>`, `door:<id>`. */
  id: string;
  ts: number;
  kind: TimelineKind;
  /** `building/floor/room` when the event happened somewhere. */
  place?: string;
  /** One line, already in words (the console adds no meaning). */
  title: string;
  user?: string;
  target?: string;
  /** Cameras that see `place` (rooms → cameras in config): one click to their video at `ts`. */
  cameras: string[];
  details?: Record<string, unknown>;
}

export interface TimelineQuery {
  from: number;
  to: number;
  kinds?: TimelineKind[];
  /** building[/floor[/room]]: that area and everything inside it. */
  place?: string;
  camera?: string;
  limit?: number;
}

export const INCIDENT_STATUSES = ['open', 'investigating', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export type IncidentItem =
  | { type: 'event'; event: TimelineEvent }
  | { type: 'video'; camera: string; from: number; to: number }
  | { type: 'note'; text: string; user: string; ts: number }
  | { type: 'snapshot'; camera: string; ts: number; file?: string };

export interface Incident {
  id: string;
  title: string;
  status: IncidentStatus;
  owner: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  items: IncidentItem[];
  /** Who did what to this incident, oldest first. */
  history: Array<{ ts: number; user: string; action: string; detail?: string }>;
}

/** Evidence export manifest (manifest.json beside the files); `npm run evidence:verify -- DIR` checks it. */
export interface EvidenceManifest {
  format: 'watchfloor-evidence/1';
  id: string;
  exportedBy: string;
  exportedAt: string;
  reason: string;
  incident?: string;
  site?: string;
  clips: Array<{ camera: string; from: string; to: string; masked: boolean; file: string }>;
  files: Array<{ path: string; bytes: number; sha256: string }>;
}

export interface ExportRequest {
  reason: string;
  clips?: Array<{ camera: string; from: number; to: number }>;
  incident?: string;
}

export interface ExportResult {
  id: string;
  dir: string;
  manifest: EvidenceManifest;
  ms: number;
}
