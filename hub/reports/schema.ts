// config/reports.yaml: energy/water targets per building (and floor), report schedules and
// recipients, and the thresholds behind the anomaly notes and meeting-room utilisation.
// Validated by the config loader (hub/config/sections.ts), so `npm run check-config` checks it.
import { z } from 'zod';
import type { SiteTree } from '../../contracts/api.js';
import type { ConfigIssue } from '../../contracts/driver.js';
import type { PointInfo } from '../../contracts/point.js';
import { sectionKey } from '../config/section-key.js';

const amount = z.number().positive().finite();
/** Either an annual or a monthly target (not both: one number to be judged by). */
const utilityTarget = z.union([z.strictObject({ annual: amount }), z.strictObject({ monthly: amount })]);

const target = z.strictObject({
  /** `building` or `building/floor`. */
  area: z.string().regex(/^[a-z0-9-]+(\/[a-z0-9-]+)?$/, 'must be "building" or "building/floor"'),
  electricity: utilityTarget.optional(),
  water: utilityTarget.optional(),
});

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h, local time)');

const schedule = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes'),
  kind: z.enum(['daily', 'weekly', 'monthly']),
  lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
  /** Local time the report is made (it covers the previous day / ISO week / month). */
  at: hhmm.default('07:30'),
  /** Usernames; their channels come from dispatch.yaml people (email gets the PDF attached). */
  recipients: z.array(z.string().min(1)).min(1, 'a schedule needs at least one recipient'),
  enabled: z.boolean().default(true),
});

export const reportsFileSchema = z.strictObject({
  targets: z.array(target).default([]),
  schedules: z.array(schedule).default([]),
  /** Outdoor air temperature point for degree-day normalisation (absent: comparisons are not weather-normalised). */
  outdoorTemperature: z.string().optional(),
  degreeDays: z.strictObject({ heatingBaseC: z.number().default(18), coolingBaseC: z.number().default(26) }).default({ heatingBaseC: 18, coolingBaseC: 26 }),
  meetingRooms: z.strictObject({
    /** CO2 at or above this (15-min mean) counts as occupied. */
    co2OccupiedPpm: z.number().positive().default(650),
    /** Supply air above this (15-min mean, m³/h) counts as conditioned. */
    airflowConditionedM3h: z.number().nonnegative().default(150),
  }).default({ co2OccupiedPpm: 650, airflowConditionedM3h: 150 }),
  anomalies: z.strictObject({
    /** Local night window (start inclusive, end exclusive; may wrap midnight). */
    nightFrom: hhmm.default('22:00'),
    nightTo: hhmm.default('06:00'),
    /** Flag when above the baseline median by more than this percentage… */
    abovePct: z.number().positive().default(25),
    /** …and by at least this much (meter unit), so tiny meters do not flag noise. */
    minAbove: z.number().nonnegative().default(1),
    /** Previous nights / weekend days forming the baseline. */
    baselineDays: z.number().int().min(3).max(60).default(14),
    /** Running-hour norms (hours per day) for run-status points; default: ±baseline. */
    runningHours: z.array(z.strictObject({ point: z.string(), maxPerDay: z.number().positive().max(24) })).default([]),
    /** Same alarm activating this many times in 7 days is a repeat fault. */
    repeatAlarmCount: z.number().int().min(2).default(3),
  }).default({ nightFrom: '22:00', nightTo: '06:00', abovePct: 25, minAbove: 1, baselineDays: 14, runningHours: [], repeatAlarmCount: 3 }),
  /** Reports kept in the archive (oldest deleted first). */
  keep: z.number().int().positive().default(400),
});

export type ReportsFile = z.infer<typeof reportsFileSchema>;
export type ReportSchedule = ReportsFile['schedules'][number];
export type UtilityTarget = z.infer<typeof utilityTarget>;
export const REPORTS_FILE = 'reports.yaml';
export const REPORTS_SECTION = sectionKey<ReportsFile>(REPORTS_FILE);

/** Cross-checks: target areas exist, points exist and are the right kind, recipients are users. */
export function checkReports(file: ReportsFile, points: ReadonlyMap<string, PointInfo>, site: SiteTree, users: ReadonlySet<string> | null): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const areas = new Set<string>();
  for (const b of site.buildings) {
    areas.add(b.id);
    for (const f of b.floors) areas.add(`${b.id}/${f.id}`);
  }
  const seenArea = new Set<string>();
  file.targets.forEach((t, i) => {
    if (!areas.has(t.area)) out.push({ path: ['targets', i, 'area'], message: `unknown building/floor "${t.area}"` });
    if (seenArea.has(t.area)) out.push({ path: ['targets', i, 'area'], message: `"${t.area}" has a target already` });
    seenArea.add(t.area);
    if (!t.electricity && !t.water) out.push({ path: ['targets', i], message: 'give an electricity or water target (or both)' });
  });
  const ids = new Set<string>();
  file.schedules.forEach((s, i) => {
    if (ids.has(s.id)) out.push({ path: ['schedules', i, 'id'], message: `duplicate schedule id "${s.id}"` });
    ids.add(s.id);
    if (users) s.recipients.forEach((u, j) => {
      if (!users.has(u)) out.push({ path: ['schedules', i, 'recipients', j], message: `unknown user "${u}"` });
    });
  });
  if (file.outdoorTemperature !== undefined) {
    const p = points.get(file.outdoorTemperature);
    if (!p) out.push({ path: ['outdoorTemperature'], message: `unknown point "${file.outdoorTemperature}"` });
    else if (p.kind !== 'analog') out.push({ path: ['outdoorTemperature'], message: `${p.id} is ${p.kind}; needs an analog temperature` });
  }
  file.anomalies.runningHours.forEach((r, i) => {
    const p = points.get(r.point);
    if (!p) out.push({ path: ['anomalies', 'runningHours', i, 'point'], message: `unknown point "${r.point}"` });
    else if (p.kind !== 'binary') out.push({ path: ['anomalies', 'runningHours', i, 'point'], message: `${p.id} is ${p.kind}; running hours need a binary run status` });
  });
  return out;
}
