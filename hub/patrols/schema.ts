// Schema of config/patrols.yaml: checkpoints (where, with an optional inspection checklist),
// shifts, tours (ordered checkpoints with windows and a maximum gap, run times per shift and day
// type of the site calendar, who walks them) and alarm priorities. Secrets are never here (they
// live in <dataDir>/patrols). Pure validation; cross-checks in checkPatrols.
import { z } from 'zod';
import type { ConfigIssue } from '../../contracts/driver.js';
import { TRADES } from '../../contracts/workorders.js';
import { CHECKPOINT_ID_RE } from './token.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (00:00..23:59)');
const id = z.string().regex(CHECKPOINT_ID_RE, 'must be lower-case letters, digits, - or _ (≤ 64)');
const area = z.string().regex(/^[a-z0-9-]+(\/[a-z0-9-]+){0,2}$/, 'must be building[/floor[/room]] or site/<place>');
const localized = z.strictObject({ en: z.string().min(1).max(100), 'zh-CN': z.string().min(1).max(100) });
const priority = z.enum(['critical', 'high', 'medium', 'low']);
export const DAY_TYPES = ['workday', 'weekend', 'holiday', 'makeup-workday'] as const;

const checkpoint = z.strictObject({
  id,
  name: localized,
  area,
  position: z.strictObject({ x: z.number().finite(), y: z.number().finite() }).optional(),
  /** Cleaning inspection items (pass/fail); a failed item needs a photo and can open a work order. */
  checklist: z.array(z.strictObject({ id, label: localized })).max(30).default([]),
});

const stop = z.strictObject({
  checkpoint: id,
  /** Planned minutes after the run starts. */
  atMin: z.number().min(0).max(1440),
  /** ± minutes around the planned time that count as on time. */
  windowMin: z.number().positive('must be more than 0').max(240),
});

const tour = z.strictObject({
  id,
  name: localized,
  kind: z.enum(['guard', 'cleaning']).default('guard'),
  area,
  checkpoints: z.array(stop).min(1, 'at least one checkpoint').max(200),
  /** Longest time between two consecutive scans (minutes). */
  maxGapMin: z.number().positive().max(1440),
  /** Runs: a start time in a shift, on the calendar's day types (holidays and 调休 make-up days included). */
  runs: z.array(z.strictObject({ shift: id, at: hhmm, days: z.array(z.enum(DAY_TYPES)).min(1).default([...DAY_TYPES]) })).min(1),
  assign: z.union([z.strictObject({ user: z.string().min(1).max(64) }), z.strictObject({ roster: z.enum(TRADES) })]),
  /** Failed inspection items open a work order for this trade (dispatch). */
  workOrderTrade: z.enum(TRADES).optional(),
  disabled: z.boolean().optional(),
});

export const patrolsFileSchema = z.strictObject({
  shifts: z.array(z.strictObject({ id, name: localized, from: hhmm, to: hhmm })).default([]),
  checkpoints: z.array(checkpoint).default([]),
  tours: z.array(tour).default([]),
  alarms: z.strictObject({ missed: priority.default('high'), late: priority.default('medium'), order: priority.default('low') }).default({ missed: 'high', late: 'medium', order: 'low' }),
  /** A scan sent later than this after the phone saw it is refused as stale (offline queue limit). */
  maxOfflineHours: z.number().positive().max(168).default(24),
});
export type PatrolsFile = z.infer<typeof patrolsFileSchema>;
export type Tour = PatrolsFile['tours'][number];
export type Checkpoint = PatrolsFile['checkpoints'][number];

const minutesOf = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));

/** Does the local time `at` fall in the shift [from, to) (wrapping midnight)? */
export function inShift(shift: { from: string; to: string }, at: string): boolean {
  const f = minutesOf(shift.from), t = minutesOf(shift.to), m = minutesOf(at);
  return f <= t ? m >= f && m < t : m >= f || m < t;
}

/** Cross-checks (no I/O): unique ids, known checkpoints and shifts, order of planned times, users. */
export function checkPatrols(file: PatrolsFile, users: ReadonlySet<string> | null): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const dup = (list: Array<{ id: string }>, key: string) => {
    const seen = new Set<string>();
    list.forEach((x, i) => {
      if (seen.has(x.id)) out.push({ path: [key, i, 'id'], message: `duplicate id "${x.id}"` });
      seen.add(x.id);
    });
  };
  dup(file.shifts, 'shifts');
  dup(file.checkpoints, 'checkpoints');
  dup(file.tours, 'tours');
  const cps = new Set(file.checkpoints.map((c) => c.id));
  const shifts = new Map(file.shifts.map((s) => [s.id, s]));
  file.tours.forEach((t, ti) => {
    t.checkpoints.forEach((s, si) => {
      if (!cps.has(s.checkpoint)) out.push({ path: ['tours', ti, 'checkpoints', si, 'checkpoint'], message: `unknown checkpoint "${s.checkpoint}"` });
      const prev = t.checkpoints[si - 1];
      if (prev && s.atMin < prev.atMin) out.push({ path: ['tours', ti, 'checkpoints', si, 'atMin'], message: `planned before the previous checkpoint (${prev.atMin} min)` });
    });
    t.runs.forEach((r, ri) => {
      const sh = shifts.get(r.shift);
      if (!sh) out.push({ path: ['tours', ti, 'runs', ri, 'shift'], message: `unknown shift "${r.shift}" (known: ${[...shifts.keys()].join(', ') || 'none'})` });
      else if (!inShift(sh, r.at)) out.push({ path: ['tours', ti, 'runs', ri, 'at'], message: `${r.at} is outside shift "${r.shift}" (${sh.from}–${sh.to})` });
    });
    if ('user' in t.assign && users && !users.has(t.assign.user)) out.push({ path: ['tours', ti, 'assign', 'user'], message: `unknown user "${t.assign.user}"` });
  });
  return out;
}
