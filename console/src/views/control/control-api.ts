// REST client of the hub's control (/api/control) and public-address (/api/broadcast) APIs.
// Separate from ApiClient because the control views need the error's `details.problems`
// (which period a refused schedule names), and the shared client only keeps the message.
import type { BroadcastJob, CommandOutcome, JobStatus, LampFaultEvent, Slot as SharedSlot } from '../../../../contracts/control.js';
export type { BroadcastJob, CommandOutcome, JobStatus };
import type { PointsPage, PointView } from '../../../../contracts/api.js';
import type { LocalizedText, PointValue } from '../../../../contracts/point.js';
import { ApiRequestError, hubJson } from '../../api.js';

// ---- shapes the hub answers with (mirrors of hub/control and hub/broadcast; the console imports no hub code) ----

export type Mode = 'occupied' | 'standby' | 'unoccupied';
export type PeriodMode = 'occupied' | 'standby';
export const WEEK_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekDay = (typeof WEEK_DAYS)[number];

export interface Period {
  start: string;
  end: string;
  mode: PeriodMode;
}

export interface Schedule {
  id: string;
  name: LocalizedText;
  groups: string[];
  modes: Record<Mode, { setpoint: number; fan: boolean }>;
  week: Record<WeekDay, Period[]>;
  holiday: Period[];
  makeUpAs: 'mon' | 'tue' | 'wed' | 'thu' | 'fri';
  exceptions: Array<{ date: string; periods: Period[]; note?: string }>;
  optimalStart: { enabled: boolean; maxLeadMin: number; defaultRatePerHour: number };
}

export interface ScheduleDoc {
  schedules: Schedule[];
}

export interface ZoneGroup {
  id: string;
  name: LocalizedText;
  zones: Array<{ id: string; setpoint: string; temperature?: string; limits: { min: number; max: number }; loadKw: number }>;
  fans: string[];
}

export interface SchedulesResponse {
  version: number;
  doc: ScheduleDoc;
  user: string;
  savedAt: number;
  groups: ZoneGroup[];
}

export interface ScheduleVersionInfo {
  version: number;
  user: string;
  savedAt: number;
  comment: string | null;
}

export interface CalendarDay {
  date: string;
  weekday: string;
  type: 'holiday' | 'makeup-workday' | 'workday' | 'weekend';
  name?: string;
}

export interface PreviewSegment {
  from: string;
  to: string;
  mode: Mode;
  setpoint: number;
  fan: boolean;
}

export interface PreviewZone {
  schedule: string;
  group: string;
  zone: string;
  setpointPoint: string;
  day: CalendarDay;
  source: 'exception' | 'holiday' | 'makeup' | 'week';
  note: string | null;
  segments: PreviewSegment[];
}

/** A live slot, as GET /overrides lists it: the shared slot plus its point. */
export interface Slot extends SharedSlot {
  pointId: string;
}

export interface PriorityView {
  pointId: string;
  effective: { value: PointValue; level: number | null };
  relinquishDefault: PointValue;
  levels: Array<{ level: number; name: string | null; value: PointValue; empty: boolean; user: string | null; setAt: number | null; expiresAt: number | null; note: string | null }>;
}


export interface LightingZone {
  id: string;
  floor: string;
  kind: string;
  circuit: string;
  current?: string;
  dim?: string;
  occupancy?: string;
  on: boolean | null;
  currentA: number | null;
  fault: boolean;
  effectiveLevel: number | null;
}

export type LampFault = LampFaultEvent;

export interface Comparison {
  value: number | null;
  previous: number | null;
  changePct: number | null;
}

export interface EnergySummary {
  historyAvailable: boolean;
  electricity: { meters: string[]; todaySoFar: Comparison; vsLastWeek: Comparison };
  water: { meters: string[]; todaySoFar: Comparison; vsLastWeek: Comparison };
  runtimeHoursToday: Record<string, number>;
  scheduleSavingsToday: Array<{ schedule: string; date: string; zones: number; baselineHours: number; scheduledHours: number; avoidedHours: number; baselineKwh: number; scheduledKwh: number; savedKwh: number }>;
}

export interface NightFlow {
  meters: string[];
  latest: Array<{ meter: string; date: string; ts: number; result: { verdict: 'leak-suspected' | 'ok' | 'insufficient-data'; samples: number; minFlow: number | null; meanFlow: number | null; minimumLossM3: number | null; gaps?: Array<{ from: number; to: number }>; missingMin?: number } }>;
}

export interface PaZone {
  id: string;
  name: LocalizedText;
  kind: 'floor' | 'area' | 'outdoor';
  floor: string | null;
}

export interface PaMessage {
  id: string;
  name: LocalizedText;
  kind: 'chime' | 'tts';
  text?: { 'zh-CN'?: string; en?: string };
  emergency: boolean;
}


export interface BroadcastRequest {
  zones: string[];
  message?: string;
  tts?: Array<{ text: string; lang: 'zh-CN' | 'en' }>;
  chime?: boolean;
  emergency?: boolean;
  at?: number;
}

export interface Problem {
  path: Array<string | number>;
  message: string;
}

/** An API refusal that also carries the hub's list of problems (schedule validation). */
export class ControlApiError extends ApiRequestError {
  constructor(status: number, code: string, message: string, readonly problems: Problem[]) {
    super(status, code, message);
    this.name = 'ControlApiError';
  }
}

function problemsOf(details: unknown): Problem[] {
  const list = (details as { problems?: unknown } | null)?.problems;
  if (!Array.isArray(list)) return [];
  return list.filter((p): p is Problem => Array.isArray((p as Problem)?.path) && typeof (p as Problem).message === 'string');
}

/** Point ids are URL-safe paths: slashes stay, each segment is encoded. */
export const pointPath = (id: string) => id.split('/').map(encodeURIComponent).join('/');

export class ControlClient {
  constructor(
    private readonly token: () => string | null,
    /** Called on a 401 (the session ended on the server). */
    private readonly onUnauthorized: () => void = () => {},
    /** '' in the browser (same origin); an absolute origin elsewhere (tests). */
    private readonly baseUrl = '',
  ) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    try {
      return await hubJson<T>({ baseUrl: this.baseUrl, token: this.token, onUnauthorized: this.onUnauthorized }, method, path, body);
    } catch (err) {
      // Same failure, plus the problems a refused schedule or command names (shown beside the period).
      if (err instanceof ApiRequestError && !(err instanceof ControlApiError)) throw new ControlApiError(err.status, err.code, err.message, problemsOf(err.details));
      throw err;
    }
  }

  /** Every writable point (for the priority-array inspector's picker), following pages. */
  async writablePoints(): Promise<PointView[]> {
    const items: PointView[] = [];
    for (;;) {
      const page = await this.request<PointsPage>('GET', `/api/points?writable=true&offset=${items.length}&limit=1000`);
      items.push(...page.items);
      if (page.items.length === 0 || items.length >= page.total) return items;
    }
  }

  // priority array
  priority = (pointId: string) => this.request<PriorityView>('GET', `/api/control/points/${pointPath(pointId)}/priority`);
  command = (pointId: string, body: { value: PointValue; level?: number; expiresInMin?: number | null; note?: string; confirm?: true; reason?: string }) =>
    this.request<CommandOutcome>('POST', `/api/control/points/${pointPath(pointId)}/command`, body);
  /** `confirmation`: a lock override's release is a security command too (confirm + reason). */
  release = (pointId: string, level: number, confirmation?: { confirm: true; reason: string }) =>
    this.request<CommandOutcome>('POST', `/api/control/points/${pointPath(pointId)}/release`, { level, ...confirmation });
  overrides = () => this.request<{ items: Slot[] }>('GET', '/api/control/overrides');

  // schedules
  schedules = () => this.request<SchedulesResponse>('GET', '/api/control/schedules');
  versions = () => this.request<{ items: ScheduleVersionInfo[] }>('GET', '/api/control/schedules/versions');
  saveSchedules = (doc: ScheduleDoc, expectedVersion: number, comment?: string) =>
    this.request<{ version: number; user: string; savedAt: number }>('PUT', '/api/control/schedules', { doc, expectedVersion, ...(comment ? { comment } : {}) });
  preview = (date: string, doc?: ScheduleDoc) => this.request<{ date: string; zones: PreviewZone[] }>('POST', '/api/control/schedules/preview', { date, ...(doc ? { doc } : {}) });
  calendar = (year: number) => this.request<{ year: number; days: CalendarDay[] }>('GET', `/api/control/calendar?year=${year}`);

  // lighting
  lightingZones = () => this.request<{ items: LightingZone[] }>('GET', '/api/control/lighting/zones');
  lightingFaults = () => this.request<{ items: LampFault[] }>('GET', '/api/control/lighting/faults');
  setLighting = (zone: string, body: { on?: boolean; dim?: number; expiresInMin?: number }) =>
    this.request<{ results: CommandOutcome[] }>('POST', `/api/control/lighting/zones/${encodeURIComponent(zone)}/set`, body);
  reenable = (zone: string) => this.request<CommandOutcome>('POST', `/api/control/lighting/zones/${encodeURIComponent(zone)}/reenable`, {});
  sweep = () => this.request<{ date: string; zones: string[]; skipped: Array<{ zone: string; reason: string }> }>('POST', '/api/control/lighting/sweep', {});

  // energy and water
  energySummary = () => this.request<EnergySummary>('GET', '/api/control/energy/summary');
  nightFlow = () => this.request<NightFlow>('GET', '/api/control/water/night-flow');

  // public address
  paZones = () => this.request<{ items: PaZone[] }>('GET', '/api/broadcast/zones');
  paMessages = () => this.request<{ items: PaMessage[] }>('GET', '/api/broadcast/messages');
  paJobs = () => this.request<{ items: BroadcastJob[] }>('GET', '/api/broadcast/jobs');
  broadcast = (req: BroadcastRequest) => this.request<BroadcastJob>('POST', '/api/broadcast', req);
  cancelJob = (id: string) => this.request<BroadcastJob>('POST', `/api/broadcast/jobs/${encodeURIComponent(id)}/cancel`, {});
}
