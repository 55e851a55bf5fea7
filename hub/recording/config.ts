// config/recording.yaml: the store (retention days, whole-store disk quota, segment length) and
// per camera the mode (continuous / event with pre- and post-roll / schedule on the site calendar),
// the rooms it sees beyond its own, and its privacy masks. Validated at load (hub/config/sections.ts).
import { z } from 'zod';
import type { ConfigIssue, ConnectionConfig } from '../../contracts/driver.js';
import type { PointInfo } from '../../contracts/point.js';
import { localParts } from '../../contracts/timezone.js';
import { isCameraProtocol } from '../../contracts/cameras.js';
import { dayInfo, type HolidayCalendar, WEEKDAYS } from '../control/calendar.js';
import { sectionKey } from '../config/section-key.js';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DAY_SELECTORS = ['workday', 'weekend', 'holiday', ...WEEKDAYS] as const;
const place = z.string().regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+){0,2}$/, 'building[/floor[/room]]');

const windowSchema = z.strictObject({
  /** workday (incl. 调休 make-up days) / weekend / holiday, or weekdays; default every day. */
  days: z.array(z.enum(DAY_SELECTORS)).min(1).optional(),
  from: z.string().regex(HHMM, 'HH:MM'),
  to: z.string().regex(HHMM, 'HH:MM'),
});
export type ScheduleWindow = z.infer<typeof windowSchema>;

/** A rectangle in fractions of the picture (0…1), blurred on export. */
const maskSchema = z.strictObject({ x: z.number().min(0).max(1), y: z.number().min(0).max(1), w: z.number().gt(0).max(1), h: z.number().gt(0).max(1) });
export type PrivacyMask = z.infer<typeof maskSchema>;

const cameraSchema = z.strictObject({
  mode: z.enum(['continuous', 'event', 'schedule', 'off']).default('continuous'),
  preRollSeconds: z.number().min(0).max(600).default(10),
  postRollSeconds: z.number().min(0).max(3600).default(30),
  /** Binary points whose rising edge records (mode event); alarms in the rooms the camera sees do too. */
  triggers: z.array(z.string().min(1)).default([]),
  schedule: z.array(windowSchema).default([]),
  /** Rooms this camera sees besides its own device's room (timeline → video). */
  sees: z.array(place).default([]),
  masks: z.array(maskSchema).default([]),
  /** Roles that see this camera's live view (and snapshots) only with the masks drawn, burnt in by the hub (hub/video/masked.ts). */
  maskLiveForRoles: z.array(z.string()).default([]),
});
export type CameraRecordingConfig = z.infer<typeof cameraSchema>;

export const recordingFileSchema = z.strictObject({
  store: z.strictObject({
    /** Relative to the data dir unless absolute. */
    dir: z.string().min(1).default('recordings'),
    retentionDays: z.number().positive().max(3650).default(30),
    quotaGb: z.number().positive().default(50),
    segmentSeconds: z.number().min(1).max(60).default(4),
  }).default({ dir: 'recordings', retentionDays: 30, quotaGb: 50, segmentSeconds: 4 }),
  defaults: z.strictObject({ mode: z.enum(['continuous', 'event', 'schedule', 'off']).default('continuous') }).default({ mode: 'continuous' }),
  cameras: z.record(z.string(), cameraSchema).default({}),
});
export type RecordingFile = z.infer<typeof recordingFileSchema>;
export const RECORDING_SECTION = sectionKey<RecordingFile>('recording.yaml');

export const DEFAULT_RECORDING: RecordingFile = recordingFileSchema.parse({});

export function cameraConfig(file: RecordingFile, camera: string): CameraRecordingConfig {
  return file.cameras[camera] ?? cameraSchema.parse({ mode: file.defaults.mode });
}

/** Cross-checks: cameras must exist, triggers must be binary points, schedules need windows. */
export function checkRecording(file: RecordingFile, points: Map<string, PointInfo>, connections: readonly ConnectionConfig[]): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const cams = new Set(connections.filter((c) => isCameraProtocol(c.protocol)).map((c) => c.id));
  for (const [id, c] of Object.entries(file.cameras)) {
    if (!cams.has(id)) out.push({ path: ['cameras', id], message: `unknown camera "${id}" (known: ${[...cams].sort().join(', ') || 'none'})` });
    c.triggers.forEach((t, i) => {
      const p = points.get(t);
      if (!p) out.push({ path: ['cameras', id, 'triggers', i], message: `unknown point "${t}"` });
      else if (p.kind !== 'binary') out.push({ path: ['cameras', id, 'triggers', i], message: `trigger "${t}" is ${p.kind}, not binary` });
    });
    if (c.maskLiveForRoles.length && c.masks.length === 0) out.push({ path: ['cameras', id, 'maskLiveForRoles'], message: 'maskLiveForRoles without masks: there is nothing to draw on the live view' });
    if (c.mode === 'schedule' && c.schedule.length === 0) out.push({ path: ['cameras', id, 'schedule'], message: 'mode schedule needs at least one window' });
    c.schedule.forEach((w, i) => {
      if (w.from === w.to) out.push({ path: ['cameras', id, 'schedule', i], message: 'from and to are equal (an empty window)' });
    });
  }
  return out;
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether a schedule records at `ts` (site time zone, site calendar). A window with from > to runs
 * over midnight and belongs to the day it starts on.
 */
export function scheduledAt(windows: readonly ScheduleWindow[], ts: number, tz: string, cal: HolidayCalendar): boolean {
  const lp = localParts(ts, tz);
  const now = lp.hour * 60 + lp.minute;
  const today = dayInfo(cal, { year: lp.year, month: lp.month, day: lp.day });
  const y = localParts(ts - 86_400_000, tz);
  const yesterday = dayInfo(cal, { year: y.year, month: y.month, day: y.day });
  const matches = (days: ScheduleWindow['days'], d: ReturnType<typeof dayInfo>) => {
    if (!days) return true;
    const type = d.type === 'makeup-workday' ? 'workday' : d.type;
    return days.includes(type as never) || days.includes(d.weekday);
  };
  return windows.some((w) => {
    const a = minutes(w.from);
    const b = minutes(w.to);
    if (a < b) return matches(w.days, today) && now >= a && now < b;
    return (matches(w.days, today) && now >= a) || (matches(w.days, yesterday) && now < b);
  });
}
