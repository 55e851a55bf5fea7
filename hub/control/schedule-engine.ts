// Drives zone setpoints, occupancy modes and AHU fans from the schedules, through the priority
// array at the schedule level (14–16) — so an operator's override (level 8) always wins and the
// schedule's value takes over again when the override ends. The clock is injected (tests, bench).
import { localParts } from '../../contracts/timezone.js';
import type { HubLogger, PointStoreLike } from '../module.js';
import type { HolidayCalendar } from './calendar.js';
import type { PriorityService } from './priority-service.js';
import { evaluateAt, learnRate, optimalStartLeadMin, type Evaluation } from './schedule.js';
import type { Mode, Schedule, ScheduleDoc, Zone, ZoneGroup } from './schedule-schema.js';

/** VAV occupancy-mode states: 0 schedule (local), 1 occupied, 2 unoccupied. */
export const OCCUPANCY_STATE: Record<Mode, number> = { occupied: 1, standby: 1, unoccupied: 2 };

export interface ZoneDecision {
  schedule: string;
  group: string;
  zone: string;
  mode: Mode;
  reason: Evaluation['reason'];
  setpoint: number;
  leadMin: number;
  ratePerHour: number;
}

export interface ScheduleEngineOptions {
  groups: readonly ZoneGroup[];
  calendar: HolidayCalendar;
  timezone: string;
  now: () => number;
  store: PointStoreLike;
  priority: Pick<PriorityService, 'command'>;
  level: number;
  log: HubLogger;
}

export class ScheduleEngine {
  private doc: ScheduleDoc = { schedules: [] };
  private readonly groups: Map<string, ZoneGroup>;
  /** pointId → last value this engine commanded (commands only go out on change). */
  private readonly commanded = new Map<string, number | boolean>();
  private readonly rates = new Map<string, { rate: number; last?: { ts: number; temp: number } }>();
  private readonly failing = new Set<string>();
  decisions: ZoneDecision[] = [];

  constructor(private o: ScheduleEngineOptions) {
    this.groups = new Map(o.groups.map((g) => [g.id, g]));
  }

  /** A live config reload: new zone groups, calendar or level; every value is asserted again at the next tick. */
  reconfigure(c: Pick<ScheduleEngineOptions, 'groups' | 'calendar' | 'level'>): void {
    this.o = { ...this.o, ...c };
    this.groups.clear();
    for (const g of c.groups) this.groups.set(g.id, g);
    this.commanded.clear();
  }

  setDoc(doc: ScheduleDoc): void {
    this.doc = doc;
    this.commanded.clear(); // a new schedule re-asserts every value once
  }

  /** Evaluates every zone (pure part); `apply` then sends the changed values. */
  evaluate(now = this.o.now()): { decisions: ZoneDecision[]; fans: Map<string, boolean> } {
    const p = localParts(now, this.o.timezone);
    const date = { year: p.year, month: p.month, day: p.day };
    const minute = p.hour * 60 + p.minute;
    const decisions: ZoneDecision[] = [];
    const fans = new Map<string, boolean>();
    for (const s of this.doc.schedules) {
      for (const gid of s.groups) {
        const g = this.groups.get(gid);
        if (!g) continue;
        let anyFan = false;
        for (const z of g.zones) {
          const d = this.decide(s, g, z, date, minute, now);
          decisions.push(d);
          anyFan ||= s.modes[d.mode].fan;
        }
        for (const f of g.fans) fans.set(f, (fans.get(f) ?? false) || anyFan);
      }
    }
    return { decisions, fans };
  }

  async tick(): Promise<ZoneDecision[]> {
    const now = this.o.now();
    const { decisions, fans } = this.evaluate(now);
    this.decisions = decisions;
    const wanted: Array<[string, number | boolean, string]> = [];
    for (const d of decisions) {
      const g = this.groups.get(d.group)!;
      const z = g.zones.find((x) => x.id === d.zone)!;
      wanted.push([z.setpoint, d.setpoint, `${d.schedule}: ${d.mode} (${d.reason})`]);
      if (z.occupancyMode) wanted.push([z.occupancyMode, OCCUPANCY_STATE[d.mode], `${d.schedule}: ${d.mode}`]);
    }
    for (const [f, on] of fans) wanted.push([f, on, 'schedule fan command']);
    await Promise.all(wanted.filter(([id, v]) => this.commanded.get(id) !== v).map(([id, v, note]) => this.send(id, v, note)));
    return decisions;
  }

  private async send(pointId: string, value: number | boolean, note: string): Promise<void> {
    try {
      await this.o.priority.command({ actor: { user: 'system:schedule', role: 'system:schedule' }, pointId, value, level: this.o.level, note });
      this.commanded.set(pointId, value);
      if (this.failing.delete(pointId)) this.o.log.info({ pointId }, 'schedule command recovered');
    } catch (err) {
      // Retried next tick (commanded stays unset); logged once per point until it recovers.
      if (!this.failing.has(pointId)) this.o.log.warn({ pointId, err: err instanceof Error ? err.message : String(err) }, 'schedule command failed; retrying each tick');
      this.failing.add(pointId);
    }
  }

  private decide(s: Schedule, g: ZoneGroup, z: Zone, date: { year: number; month: number; day: number }, minute: number, now: number): ZoneDecision {
    const key = `${g.id}/${z.id}`;
    const temp = z.temperature ? this.o.store.get(z.temperature) : undefined;
    const tempValue = temp && temp.quality === 'good' && typeof temp.value === 'number' ? temp.value : null;
    let r = this.rates.get(key);
    if (!r) this.rates.set(key, (r = { rate: s.optimalStart.defaultRatePerHour }));
    const occupiedSp = s.modes.occupied.setpoint;
    const leadMin = s.optimalStart.enabled ? optimalStartLeadMin(tempValue, occupiedSp, r.rate, s.optimalStart.maxLeadMin) : 0;
    const ev = evaluateAt(s, this.o.calendar, date, minute, leadMin);
    // Learn only while the zone is being conditioned towards the occupied setpoint.
    if (tempValue !== null && ev.mode === 'occupied') {
      if (!r.last) r.last = { ts: now, temp: tempValue };
      else if (now - r.last.ts >= 10 * 60_000) {
        r.rate = learnRate(r.rate, r.last, { ts: now, temp: tempValue }, occupiedSp);
        r.last = { ts: now, temp: tempValue };
      }
    } else if (r.last) delete r.last;
    const sp = Math.min(z.limits.max, Math.max(z.limits.min, s.modes[ev.mode].setpoint));
    return { schedule: s.id, group: g.id, zone: z.id, mode: ev.mode, reason: ev.reason, setpoint: sp, leadMin, ratePerHour: r.rate };
  }
}
