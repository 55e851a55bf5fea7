// Standby streams: the cameras an alarm will put in front of a guard are kept streaming with no
// viewer, so the guard's viewer joins a live stream and gets the init segment + the current GOP at
// once (stream.ts fast start) instead of waiting ~2.5 s for RTSP setup, probing and the camera's
// next keyframe. A standby stream is a `-c copy` remux (≈1–3 % of a core, docs/cameras.md), so it is
// bounded by hub.yaml `video.standbyMax` and never used for a camera that needs transcoding.
import { z } from 'zod';
import { ALARM_PRIORITIES, type AlarmPriority } from '../../contracts/alarms.js';
import type { AlarmsFile, AlarmRule } from '../alarms/schema.js';

/** The `video:` section of hub.yaml (read at start). */
export const videoSettingsSchema = z.strictObject({
  /** At most this many cameras are kept streaming with no viewer (alarm-linked cameras first by priority); 0 = none. */
  standbyMax: z.number().int().min(0).max(32).default(4),
});
export type VideoSettings = z.infer<typeof videoSettingsSchema>;

export const DEFAULT_STANDBY_MAX = 4;

const rank = (p: AlarmPriority) => ALARM_PRIORITIES.indexOf(p);

/** The most urgent priority a rule can raise (a limit rule's levels may each have their own). */
function rulePriority(rule: AlarmRule, fallback: AlarmPriority): AlarmPriority {
  const candidates: AlarmPriority[] = [rule.priority ?? fallback];
  if (rule.type === 'limit') for (const level of Object.values(rule.limits)) if (level?.priority) candidates.push(level.priority);
  return candidates.reduce((a, b) => (rank(b) < rank(a) ? b : a));
}

/**
 * Camera refs (camera or device ids) named by enabled rules' camera actions, most urgent rule
 * first (file order within a priority), without duplicates. `camera: nearest` is left out: which
 * camera it means is only known for a raised alarm (it is warmed then, see module.ts).
 */
export function alarmCameraRefs(file: AlarmsFile | undefined): string[] {
  if (!file) return [];
  const fallback = file.defaults.priority;
  const linked = file.rules
    .map((rule, order) => ({ rule, order, priority: rank(rulePriority(rule, fallback)) }))
    .filter(({ rule }) => !rule.disabled && rule.actions?.some((a) => a.type === 'camera-snapshot' && a.camera !== 'nearest'))
    .sort((a, b) => a.priority - b.priority || a.order - b.order);
  const refs: string[] = [];
  for (const { rule } of linked) {
    for (const a of rule.actions ?? []) if (a.type === 'camera-snapshot' && a.camera !== 'nearest' && !refs.includes(a.camera)) refs.push(a.camera);
  }
  return refs;
}

/** The standby set: resolved camera ids in order, cut at `max`; what did not fit is returned to be logged. */
export function pickStandby(refs: readonly string[], resolve: (ref: string) => string | undefined, max: number): { ids: string[]; unknown: string[]; overCap: string[] } {
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const ref of refs) {
    const id = resolve(ref);
    if (!id) unknown.push(ref);
    else if (!ids.includes(id)) ids.push(id);
  }
  return { ids: ids.slice(0, max), unknown, overCap: ids.slice(max) };
}
