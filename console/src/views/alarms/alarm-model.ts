// The console's alarm list: merges the subscribe snapshot and batched updates, keeps only what
// is not normal, sorts as the hub does (priority, then what waits for the operator, then newest)
// and filters by area and priority. Pure, no DOM: tested in node.
import type { AlarmPriority, AlarmStateName, AlarmSummary, AlarmView } from '../../../../contracts/alarms.js';

// One order for the hub and every console (contracts/alarms.ts).
import { compareAlarms } from '../../../../contracts/alarms.js';
export { compareAlarms };

export interface AlarmListFilter {
  /** building[/floor[/room]] prefix; '' = everywhere. */
  area: string;
  priorities: AlarmPriority[];
  /** Show shelved, suppressed and out-of-service alarms too. */
  showHidden: boolean;
}

const HIDDEN: AlarmStateName[] = ['shelved', 'suppressed', 'out_of_service'];

export function needsAck(state: AlarmStateName): boolean {
  return state === 'unacknowledged' || state === 'rtn_unacknowledged' || state === 'latched';
}

export function inArea(alarmArea: string, area: string): boolean {
  return area === '' || alarmArea === area || alarmArea.startsWith(`${area}/`);
}

export class AlarmList {
  private readonly byId = new Map<string, AlarmView>();
  summary: AlarmSummary | null = null;
  /** When the hub's view was taken (hub clock ≈ browser clock): ages count on from it. */
  private receivedAt = new Map<string, number>();

  /** The full list from `alarms:subscribe` (also after a reconnect): replaces everything. */
  reset(alarms: AlarmView[], summary: AlarmSummary, now: number): void {
    this.byId.clear();
    this.receivedAt.clear();
    for (const a of alarms) this.put(a, now);
    this.summary = summary;
  }

  /** A batched update: alarms back to normal leave the list. */
  apply(changed: AlarmView[], summary: AlarmSummary, now: number): void {
    for (const a of changed) this.put(a, now);
    this.summary = summary;
  }

  private put(a: AlarmView, now: number): void {
    if (a.state === 'normal') {
      this.byId.delete(a.id);
      this.receivedAt.delete(a.id);
    } else {
      this.byId.set(a.id, a);
      this.receivedAt.set(a.id, now);
    }
  }

  get(id: string): AlarmView | undefined {
    return this.byId.get(id);
  }

  /** Age now, from the hub's age at reception plus the time since. */
  ageMs(a: AlarmView, now: number): number {
    return a.ageMs + Math.max(0, now - (this.receivedAt.get(a.id) ?? now));
  }

  visible(f: AlarmListFilter): AlarmView[] {
    const out: AlarmView[] = [];
    for (const a of this.byId.values()) {
      if (!inArea(a.area, f.area)) continue;
      if (f.priorities.length > 0 && !f.priorities.includes(a.priority)) continue;
      if (!f.showHidden && HIDDEN.includes(a.state)) continue;
      out.push(a);
    }
    return out.sort(compareAlarms);
  }

  /** Visible alarms waiting for acknowledgement in the area (what "acknowledge all" would take). */
  pendingAck(f: AlarmListFilter): number {
    return this.visible({ ...f, showHidden: false }).filter((a) => needsAck(a.state)).length;
  }

  get size(): number {
    return this.byId.size;
  }
}

export interface AreaGroup {
  area: string;
  alarms: AlarmView[];
  /** How many an "acknowledge all in this area" would take. */
  pendingAck: number;
}

/**
 * Sorted alarms grouped by area: groups ordered by their most urgent alarm (the input order),
 * each group keeping that order. Used while flooding, when one area produces most alarms.
 */
export function groupByArea(sorted: readonly AlarmView[]): AreaGroup[] {
  const groups = new Map<string, AreaGroup>();
  for (const a of sorted) {
    let g = groups.get(a.area);
    if (!g) groups.set(a.area, (g = { area: a.area, alarms: [], pendingAck: 0 }));
    g.alarms.push(a);
    if (needsAck(a.state)) g.pendingAck++;
  }
  return [...groups.values()];
}
