// The kiosk tour with alarms in charge: while an alarm waits for acknowledgement the wall shows
// its floor (the most urgent one: highest priority, then newest) and holds there; when nothing
// waits it resumes touring. Pure, so the rule is table-tested without WebGL.
import { ALARM_PRIORITIES, type AlarmView } from '../../../contracts/alarms.js';
import { nextTourStop } from './wall-options.js';

const WAITING: ReadonlySet<string> = new Set(['unacknowledged', 'rtn_unacknowledged', 'latched']);

/** The alarm the wall must show: waiting for acknowledgement, highest priority, then newest. */
export function mostUrgent(alarms: Iterable<AlarmView>): AlarmView | null {
  let best: AlarmView | null = null;
  for (const a of alarms) {
    if (!WAITING.has(a.state)) continue;
    const rank = ALARM_PRIORITIES.indexOf(a.priority);
    const bestRank = best ? ALARM_PRIORITIES.indexOf(best.priority) : Infinity;
    if (rank < bestRank || (rank === bestRank && (a.activeSince ?? a.lastChange) > (best!.activeSince ?? best!.lastChange))) best = a;
  }
  return best;
}

/** Waiting alarms, most urgent first (the wall's strip). */
export function urgentAlarms(alarms: Iterable<AlarmView>, n: number): AlarmView[] {
  return [...alarms]
    .filter((a) => WAITING.has(a.state))
    .sort((a, b) => ALARM_PRIORITIES.indexOf(a.priority) - ALARM_PRIORITIES.indexOf(b.priority) || (b.activeSince ?? b.lastChange) - (a.activeSince ?? a.lastChange))
    .slice(0, n);
}

/** `a/b1/pump-b101` → `b1` (an alarm's area: building/floor/room). */
export function floorOfArea(area: string | undefined): string | null {
  return area?.split('/')[1] || null;
}

export interface TourStep {
  /** The floor to show (null: all floors). */
  floor: string | null;
  /** The alarm held on screen, if any. */
  holding: string | null;
}

/**
 * Where the tour goes. `tick` is the tour's timer; alarm changes call it with tick=false, so a new
 * alarm on another floor is shown at once, not at the next tick.
 */
export function tourStep(current: string | null, floorsTopDown: readonly string[], alarms: Iterable<AlarmView>, tick: boolean): TourStep {
  const urgent = mostUrgent(alarms);
  const floor = floorOfArea(urgent?.area);
  if (urgent && floor && floorsTopDown.includes(floor)) return { floor, holding: urgent.id };
  return { floor: tick ? nextTourStop(current, floorsTopDown) : current, holding: null };
}
