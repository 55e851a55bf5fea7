// The `schedule` condition of alarm rules ("a door open after hours"): whether a zone group is
// occupied right now according to the schedule that drives it, with the holiday calendar and
// make-up working days (调休) — the same evaluation the schedule engine uses for HVAC.
import type { ConditionEvaluator } from '../alarms/conditions.js';
import type { ScheduleCondition } from '../alarms/schema.js';
import { localParts } from '../../contracts/timezone.js';
import type { HolidayCalendar } from './calendar.js';
import { evaluateAt } from './schedule.js';
import type { ScheduleDoc } from './schedule-schema.js';

export interface OccupancySource {
  doc: ScheduleDoc;
  calendar: HolidayCalendar;
  timezone: string;
}

/**
 * True while the schedule driving `group` is inside one of its periods (occupied or standby) at
 * `now`. Optimal start is HVAC pre-conditioning, not people: it does not count. A group that no
 * schedule drives is never occupied.
 */
export function groupOccupied(src: OccupancySource, group: string, now: number): boolean {
  const schedule = src.doc.schedules.find((s) => s.groups.includes(group));
  if (!schedule) return false;
  const p = localParts(now, src.timezone);
  return evaluateAt(schedule, src.calendar, { year: p.year, month: p.month, day: p.day }, p.hour * 60 + p.minute, 0).reason === 'period';
}

/** The evaluator control registers for `{ type: schedule, group, when }`; `current` gives the schedules in force. */
export function scheduleConditionEvaluator(current: () => OccupancySource, knownGroups: () => ReadonlySet<string>): ConditionEvaluator {
  return (c: ScheduleCondition, ctx) => {
    // Config load refuses unknown groups; a rule compiled elsewhere (tests, tools) still fails loudly.
    if (!knownGroups().has(c.group)) throw new Error(`unknown zone group "${c.group}" in a schedule condition`);
    const occupied = groupOccupied(current(), c.group, ctx.now);
    return c.when === 'occupied' ? occupied : !occupied;
  };
}
