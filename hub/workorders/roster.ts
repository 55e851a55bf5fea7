// Who is on call (值班表): the roster line of the trade that covers the area most specifically,
// the day's list by the site calendar (working day, weekend, public holiday, 调休 make-up working
// day), and the night list outside day hours. Pure: time and calendar are passed in.
import { localParts } from '../../contracts/timezone.js';
import { dayInfo, type HolidayCalendar } from '../control/calendar.js';
import type { Trade } from '../../contracts/workorders.js';
import type { DispatchFile, RosterEntry } from './schema.js';

export interface OnCall {
  /** Ordered: [0] on call now, then the fallbacks (the "next person"). */
  people: string[];
  supervisor: string;
  manager: string;
  /** Why this list: `workday`, `weekend`, `holiday`, `makeup-workday`, plus `/night`. */
  basis: string;
}

/** Does `prefix` (building[/floor[/room]]) cover `area`? */
export function covers(prefix: string, area: string): boolean {
  return area === prefix || area.startsWith(`${prefix}/`);
}

/** The roster line for a trade and area: the one whose area prefix is longest; lines without areas match last. */
export function rosterLine(entries: readonly RosterEntry[], trade: Trade, area: string): RosterEntry | undefined {
  let best: RosterEntry | undefined;
  let bestLen = -1;
  for (const e of entries) {
    if (e.trade !== trade) continue;
    const len = e.areas ? Math.max(-1, ...e.areas.filter((a) => covers(a, area)).map((a) => a.length)) : 0;
    if (len > bestLen) {
      best = e;
      bestLen = len;
    }
  }
  return best;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

export function onCall(file: Pick<DispatchFile, 'roster'>, cal: HolidayCalendar, timezone: string, trade: Trade, area: string, at: number): OnCall | undefined {
  const line = rosterLine(file.roster.entries, trade, area);
  if (!line) return undefined;
  const p = localParts(at, timezone);
  const day = dayInfo(cal, { year: p.year, month: p.month, day: p.day });
  const minute = p.hour * 60 + p.minute;
  const from = minutesOf(file.roster.dayFrom);
  const to = minutesOf(file.roster.dayTo);
  const isDay = from <= to ? minute >= from && minute < to : minute >= from || minute < to;
  let people: string[];
  if (day.type === 'holiday') people = line.holiday ?? line.weekend ?? line.workday;
  else if (day.type === 'weekend') people = line.weekend ?? line.workday;
  else people = line.workday; // workday and 调休 make-up working day
  let basis: string = day.type;
  if (!isDay && line.night) {
    people = line.night;
    basis += '/night';
  }
  return { people: [...people], supervisor: line.supervisor, manager: line.manager, basis };
}

/**
 * The person an escalation level reaches: 0 the on-call person, 1 the next on the list,
 * 2 the supervisor, 3 the manager.
 */
export function escalationTarget(oc: OnCall, level: number): string {
  if (level <= 0) return oc.people[0];
  if (level === 1) return oc.people[1] ?? oc.supervisor;
  if (level === 2) return oc.supervisor;
  return oc.manager;
}

export const MAX_ESCALATION = 3;
