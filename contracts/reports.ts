// Leaders' reports (issue 20): the decision view's one aggregated answer, the report archive and the
// print payload the PDF renderer shows. Every figure carries `href`, the console route of its source
// (the order, the alarm, the meter trend), so a leader can check it.
import type { LocalizedText } from './point.js';

export type ReportPeriodName = 'day' | 'week' | 'month';
export type ReportKind = 'daily' | 'weekly' | 'monthly';
export type ReportLang = 'zh-CN' | 'en';
export type Utility = 'electricity' | 'water';

export interface PeriodFigure {
  period: ReportPeriodName;
  from: number;
  /** End of the whole period (the projection is for this instant). */
  to: number;
  /** Consumption from the period start until now (or `to` for a closed period); null: no reading. */
  actual: number | null;
  /** The same local dates one year earlier, up to the same elapsed time. */
  lastYear: number | null;
  /** Target for the whole period (annual/monthly targets prorated by days); null: none configured. */
  target: number | null;
  /** Linear projection of `actual` to the period end. */
  projected: number | null;
  /** (projected − target) / target × 100. */
  vsTargetPct: number | null;
  /** (actual − lastYear) / lastYear × 100. */
  vsLastYearPct: number | null;
  /** Weather-normalised change vs last year (degree-days), when an outdoor temperature exists. */
  vsLastYearNormalisedPct?: number | null;
}

export interface EnergyRow {
  /** `building` or `building/floor`. */
  area: string;
  name: LocalizedText;
  utility: Utility;
  unit: string;
  meters: string[];
  periods: PeriodFigure[];
  /** Trend of the row's (first) meter. */
  href: string;
}

export interface Deviation {
  area: string;
  name: LocalizedText;
  utility: Utility;
  period: ReportPeriodName;
  /** Which comparison: against target (projected) or against last year. */
  against: 'target' | 'lastYear';
  pct: number;
  href: string;
}

export interface CriticalAlarmItem { id: string; pointId: string; message: LocalizedText; activeSince: number | null; acked: boolean; href: string }
export interface EmergencyItem { id: number; title: string; area: string; state: string; createdAt: number; href: string }
export interface NotCurrentItem { building: string; name: LocalizedText; points: number; stale: number; href: string; example?: string }

export interface MaintenanceFigures {
  open: number;
  overdue: number;
  overdueOrders: Array<{ id: number; title: string; href: string }>;
  /** Mean time from report to done over orders finished in the last 30 days (minutes). */
  mttrMin: number | null;
  /** Mean rating (1–5) over the last 30 days. */
  satisfaction: number | null;
  finished30d: number;
  href: string;
}

export type PatrolFigures =
  | { available: false; reason: string }
  | { available: true; compliancePercent: number | null; planned: number; done: number; missed: number; href: string };

/** EEMUA 191 grade of the average alarm rate per operator per 10 minutes. */
export type EemuaGrade = 'very-likely-acceptable' | 'manageable' | 'likely-over-demanding' | 'very-likely-unacceptable';

export interface AlarmHealth {
  from: number;
  to: number;
  per10MinAvg: number;
  per10MinMax: number;
  floodPercent: number;
  grade: EemuaGrade;
  standing: Array<{ alarmId: string; activeSince: number; href: string }>;
  chattering: Array<{ alarmId: string; maxIn60s: number; href: string }>;
  href: string;
}

export interface RoomUse {
  room: string;
  name: LocalizedText;
  /** Hours with CO2 at or above the occupancy threshold (15-min slots). */
  occupiedH: number;
  /** Hours with supply air above the conditioning threshold. */
  conditionedH: number;
  /** Conditioned while not occupied. */
  emptyConditionedH: number;
  href: string;
}

export type AnomalyKind = 'night-consumption' | 'weekend-consumption' | 'running-hours' | 'repeat-fault' | 'patrol-missed';
export interface Anomaly {
  kind: AnomalyKind;
  subject: string;
  /** One checkable line, in both languages. */
  reason: LocalizedText;
  href: string;
}

export interface DecisionSummary {
  generatedAt: number;
  timezone: string;
  /** How long the hub took to assemble this answer (ms). */
  tookMs: number;
  now: { criticalAlarms: CriticalAlarmItem[]; criticalCount: number; emergencies: EmergencyItem[]; notCurrent: NotCurrentItem[] };
  energy: EnergyRow[];
  deviations: Deviation[];
  maintenance: MaintenanceFigures | { available: false; reason: string };
  patrols: PatrolFigures;
  alarmHealth: AlarmHealth | { available: false; reason: string };
  rooms: RoomUse[];
  roomsWindow: { from: number; to: number };
  anomalies: Anomaly[];
  weather: { available: boolean; reason: string; pointId?: string };
}

/** A report in the archive (data dir). */
export interface ReportEntry {
  id: string;
  kind: ReportKind;
  lang: ReportLang;
  from: number;
  to: number;
  createdAt: number;
  /** Who asked for it: `schedule:<id>` or a username (send now). */
  by: string;
  bytes: number;
  renderMs: number;
  recipients: string[];
  /** GET this (authenticated) to download the PDF. */
  href: string;
}

/** What the print route shows: the summary for the report's period plus daily series for charts. */
export interface ReportPayload {
  kind: ReportKind;
  lang: ReportLang;
  from: number;
  to: number;
  siteName: LocalizedText;
  summary: DecisionSummary;
  /** Consumption per local day of the report period, per utility and building/floor row. */
  daily: Array<{ area: string; name: LocalizedText; utility: Utility; unit: string; days: Array<[number, number | null]> }>;
}

export interface SendNowBody { kind: ReportKind; lang?: ReportLang; recipients?: string[] }
