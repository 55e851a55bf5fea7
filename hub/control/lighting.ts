// Lighting control: after-hours sweep with a warning flash, re-enable on demand, occupancy-based
// off, manual control — all through the priority array — and lamp-fault detection from circuit currents.
import type { LocalizedText } from '../../contracts/point.js';
import { localParts, zonedToUtc } from '../../contracts/timezone.js';
import { InvalidError, NotFoundError } from '../errors.js';
import type { AuditLogLike, HubLogger, PointStoreLike } from '../module.js';
import { dayInfo, isoDate, type HolidayCalendar } from './calendar.js';
import { initialLampState, stepLampFault, type LampFaultState } from './lamp-fault.js';
import type { LightingFile, LightingZone } from './lighting-schema.js';
import { MANUAL_LEVEL, REENABLE_LEVEL, SWEEP_LEVEL } from './priority.js';
import type { Actor, CommandOutcome, PriorityService } from './priority-service.js';
import { minutesOf } from './schedule.js';

export type { LampFaultEvent } from '../../contracts/control.js';
import type { LampFaultEvent } from '../../contracts/control.js';

/**
 * What the lamp-fault detector can say about a zone right now: its verdict, and why that verdict is
 * not current (an input that is not `good`), or null when both inputs are live.
 */
export interface LampStatus {
  zone: string;
  circuit: string;
  fault: boolean;
  /** e.g. "circuit hq/…/office-201 is comm_fail"; null when circuit and current both read good. */
  notCurrent: string | null;
  ts: number;
  /** The fault message (only while faulted). */
  message?: LocalizedText;
}

export interface SweepReport {
  date: string;
  zones: string[];
  skipped: Array<{ zone: string; reason: string }>;
}

export interface LightingOptions {
  file: LightingFile;
  calendar: HolidayCalendar;
  timezone: string;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  store: PointStoreLike;
  priority: Pick<PriorityService, 'command' | 'release' | 'effective'>;
  audit: AuditLogLike;
  log: HubLogger;
}

const SWEEP_ACTOR: Actor = { user: 'system:lighting', role: 'system:lighting' };

export class LightingController {
  private readonly zones: Map<string, LightingZone>;
  private readonly lamp = new Map<string, LampFaultState>();
  private readonly faultSince = new Map<string, number>();
  private readonly vacantSince = new Map<string, number>();
  private readonly listeners = new Set<(e: LampFaultEvent) => void>();
  private readonly statusListeners = new Set<(s: LampStatus) => void>();
  /** Zone → why its inputs are not current (null: live), as last reported to status listeners. */
  private readonly notCurrent = new Map<string, string | null>();
  private lastSweepDate: string | null = null;
  private sweeping: Promise<SweepReport> | null = null;

  constructor(private o: LightingOptions) {
    this.zones = new Map(o.file.zones.map((z) => [z.id, z]));
  }

  /**
   * A live config reload (lighting.yaml or the calendar changed): zones added, removed or changed
   * take effect at the next tick; the fault state of zones whose definition did not change is kept.
   */
  reconfigure(file: LightingFile, calendar: HolidayCalendar): void {
    const before = this.zones;
    const next = new Map(file.zones.map((z) => [z.id, z]));
    for (const [id, z] of before) {
      if (JSON.stringify(next.get(id)) === JSON.stringify(z)) continue;
      this.lamp.delete(id);
      this.faultSince.delete(id);
      this.vacantSince.delete(id);
      this.notCurrent.delete(id);
    }
    this.zones.clear();
    for (const [id, z] of next) this.zones.set(id, z);
    this.o = { ...this.o, file, calendar };
  }

  onLampFault(listener: (e: LampFaultEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every fault or clear, and every change of whether the inputs are current (derived lamp-fault points). */
  onLampStatus(listener: (s: LampStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** The status of every zone that has a current point. */
  lampStatuses(): LampStatus[] {
    const now = this.o.now();
    return [...this.zones.values()].filter((z) => z.current).map((z) => this.status(z, this.inputProblem(z), now));
  }

  zoneList(): Array<LightingZone & { on: boolean | null; currentA: number | null; fault: boolean; effectiveLevel: number | null }> {
    return [...this.zones.values()].map((z) => ({
      ...z,
      on: this.bool(z.circuit),
      currentA: z.current ? this.num(z.current) : null,
      fault: this.lamp.get(z.id)?.fault ?? false,
      effectiveLevel: this.o.priority.effective(z.circuit).level,
    }));
  }

  faults(): LampFaultEvent[] {
    return [...this.zones.values()].filter((z) => this.lamp.get(z.id)?.fault).map((z) => this.event(z, true, this.o.now()));
  }

  /** Called every second or so: lamp faults, occupancy, and the sweep when its time comes. */
  tick(): void {
    const now = this.o.now();
    for (const z of this.zones.values()) {
      if (z.current) this.checkLamp(z, now);
      if (z.occupancy) this.checkOccupancy(z, now);
    }
    const sweep = this.o.file.sweep;
    if (!sweep.enabled || this.sweeping) return;
    const p = localParts(now, this.o.timezone);
    const date = { year: p.year, month: p.month, day: p.day };
    const today = isoDate(date);
    const minute = p.hour * 60 + p.minute;
    const at = minutesOf(sweep.at);
    if (this.lastSweepDate === today || minute < at || minute >= at + 120) return;
    const type = dayInfo(this.o.calendar, date).type;
    this.lastSweepDate = today;
    if (sweep.days === 'working-days' && type !== 'workday' && type !== 'makeup-workday') return;
    void this.sweep().catch((err) => this.o.log.error({ err }, 'after-hours sweep failed'));
  }

  /** The after-hours sweep: warning flash, grace period, then off until the next morning. */
  sweep(): Promise<SweepReport> {
    if (this.sweeping) return this.sweeping;
    this.sweeping = this.runSweep().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private async runSweep(): Promise<SweepReport> {
    const s = this.o.file.sweep;
    const now = this.o.now();
    const p = localParts(now, this.o.timezone);
    const report: SweepReport = { date: isoDate({ year: p.year, month: p.month, day: p.day }), zones: [], skipped: [] };
    const targets: LightingZone[] = [];
    for (const z of this.zones.values()) {
      if (!s.kinds.includes(z.kind)) continue;
      if (this.bool(z.circuit) !== true) report.skipped.push({ zone: z.id, reason: 'already off' });
      else if ((this.o.priority.effective(z.circuit).level ?? 99) < SWEEP_LEVEL) report.skipped.push({ zone: z.id, reason: 'held on by a higher priority (override or re-enable)' });
      else targets.push(z);
    }
    const cmd = (z: LightingZone, value: boolean, note: string, expiresInMin?: number) =>
      this.o.priority.command({ actor: SWEEP_ACTOR, pointId: z.circuit, value, level: SWEEP_LEVEL, note, expiresInMin }).catch((err) => {
        this.o.log.warn({ zone: z.id, err: err instanceof Error ? err.message : String(err) }, 'sweep command failed');
        return null;
      });
    await Promise.all(targets.map((z) => cmd(z, false, 'after-hours sweep: warning flash')));
    await this.o.sleep(s.flashMs);
    await Promise.all(targets.map((z) => cmd(z, true, 'after-hours sweep: warning flash')));
    await this.o.sleep(s.graceMin * 60_000);
    const hold = Math.max(1, Math.round((this.nextLocal(s.holdUntil) - this.o.now()) / 60_000));
    const results = await Promise.all(targets.map((z) => cmd(z, false, 'after-hours sweep', hold)));
    targets.forEach((z, i) => (results[i] ? report.zones.push(z.id) : report.skipped.push({ zone: z.id, reason: 'command failed' })));
    this.o.audit.record({ user: SWEEP_ACTOR.user, action: 'lighting.sweep', target: report.date, details: { off: report.zones, skipped: report.skipped } });
    this.o.log.info({ off: report.zones.length, skipped: report.skipped.length }, 'after-hours lighting sweep done');
    return report;
  }

  /** On demand after the sweep: the zone is lit for `reenableMin`, then the sweep's off applies again. */
  reenable(actor: Actor, zoneId: string): Promise<CommandOutcome> {
    const z = this.zone(zoneId);
    return this.o.priority.command({ actor: { user: actor.user, role: 'system:lighting' }, pointId: z.circuit, value: true, level: REENABLE_LEVEL, expiresInMin: this.o.file.sweep.reenableMin, note: `re-enabled by ${actor.user}` });
  }

  /** Manual on/off (and dim) at the operator level, with an expiry. */
  async set(actor: Actor, zoneId: string, body: { on?: unknown; dim?: unknown; expiresInMin?: unknown }): Promise<CommandOutcome[]> {
    const z = this.zone(zoneId);
    if (body.on === undefined && body.dim === undefined) throw new InvalidError('invalid_body', 'give "on" (true/false) and/or "dim" (0..100)');
    if (body.on !== undefined && typeof body.on !== 'boolean') throw new InvalidError('invalid_body', `"on" must be true or false, got ${JSON.stringify(body.on)}`);
    if (body.dim !== undefined && !z.dim) throw new InvalidError('not_dimmable', `lighting zone ${z.id} has no dimmer`);
    const expiresInMin = body.expiresInMin === undefined ? 120 : (body.expiresInMin as number);
    const out: CommandOutcome[] = [];
    if (body.dim !== undefined) out.push(await this.o.priority.command({ actor, pointId: z.dim!, value: body.dim as number, level: MANUAL_LEVEL, expiresInMin }));
    if (body.on !== undefined) out.push(await this.o.priority.command({ actor, pointId: z.circuit, value: body.on, level: MANUAL_LEVEL, expiresInMin }));
    return out;
  }

  private checkLamp(z: LightingZone, now: number): void {
    const prev = this.lamp.get(z.id) ?? initialLampState();
    const problem = this.inputProblem(z);
    // Non-good inputs read as unknown (null): the detector neither raises nor clears on dead data.
    const { state, changed } = stepLampFault(prev, problem ? null : this.bool(z.circuit), problem ? null : this.num(z.current!), now, this.o.file.fault);
    this.lamp.set(z.id, state);
    const problemChanged = (this.notCurrent.get(z.id) ?? null) !== problem || !this.notCurrent.has(z.id);
    this.notCurrent.set(z.id, problem);
    if (changed && state.fault) this.faultSince.set(z.id, state.darkSince ?? now);
    if (changed || problemChanged) this.emitStatus(this.status(z, problem, now));
    if (!changed) return;
    const e = this.event(z, state.fault, now);
    if (!state.fault) this.faultSince.delete(z.id);
    this.o.audit.record({ user: 'system:lighting', action: state.fault ? 'lighting.lamp-fault' : 'lighting.lamp-fault-cleared', target: z.circuit, details: { zone: z.id } });
    this.o.log[state.fault ? 'warn' : 'info']({ zone: z.id, circuit: z.circuit }, state.fault ? 'lamp fault: circuit on but no current' : 'lamp fault cleared');
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.o.log.warn({ err }, 'lamp-fault listener failed');
      }
    }
  }

  /** Which input of the zone's lamp-fault check is not current, or null. */
  private inputProblem(z: LightingZone): string | null {
    const problems: string[] = [];
    for (const [role, id, type] of [['circuit', z.circuit, 'boolean'], ['current', z.current!, 'number']] as const) {
      const s = this.o.store.get(id);
      if (!s) problems.push(`${role} ${id} has no reading yet`);
      else if (s.quality !== 'good') problems.push(`${role} ${id} is ${s.quality}`);
      else if (typeof s.value !== type) problems.push(`${role} ${id} has no value`);
    }
    return problems.length ? problems.join('; ') : null;
  }

  private status(z: LightingZone, notCurrent: string | null, now: number): LampStatus {
    const fault = this.lamp.get(z.id)?.fault ?? false;
    const s: LampStatus = { zone: z.id, circuit: z.circuit, fault, notCurrent, ts: now };
    if (fault) s.message = this.event(z, true, now).message;
    return s;
  }

  private emitStatus(s: LampStatus): void {
    for (const l of this.statusListeners) {
      try {
        l(s);
      } catch (err) {
        this.o.log.warn({ err }, 'lamp-status listener failed');
      }
    }
  }

  private checkOccupancy(z: LightingZone, now: number): void {
    const occupied = this.bool(z.occupancy!);
    if (occupied === null) return;
    if (occupied) {
      if (this.vacantSince.get(z.id) === -1) {
        void this.o.priority.command({ actor: SWEEP_ACTOR, pointId: z.circuit, value: true, level: SWEEP_LEVEL, note: 'occupancy: back' }).catch(() => undefined);
      }
      this.vacantSince.delete(z.id);
      return;
    }
    const since = this.vacantSince.get(z.id);
    if (since === undefined) this.vacantSince.set(z.id, now);
    else if (since !== -1 && now - since >= this.o.file.occupancy.vacantMin * 60_000 && this.bool(z.circuit) === true) {
      this.vacantSince.set(z.id, -1); // -1: switched off for vacancy
      void this.o.priority.command({ actor: SWEEP_ACTOR, pointId: z.circuit, value: false, level: SWEEP_LEVEL, note: 'occupancy: vacant' }).catch(() => undefined);
    }
  }

  private event(z: LightingZone, fault: boolean, now: number): LampFaultEvent {
    return {
      zone: z.id, circuit: z.circuit, pointId: `${z.circuit}-lamp-fault`, fault, since: this.faultSince.get(z.id) ?? now, ts: now,
      message: fault
        ? { en: `Lighting ${z.id}: circuit on but no current — call the maintainer`, 'zh-CN': `照明 ${z.id}：回路已开但无电流——请联系维修人员` }
        : { en: `Lighting ${z.id}: current back to normal`, 'zh-CN': `照明 ${z.id}：电流恢复正常` },
    };
  }

  private nextLocal(hhmm: string): number {
    const now = this.o.now();
    const p = localParts(now, this.o.timezone);
    const today = zonedToUtc(this.o.timezone, p.year, p.month, p.day, 0) + minutesOf(hhmm) * 60_000;
    return today > now ? today : zonedToUtc(this.o.timezone, p.year, p.month, p.day + 1, 0) + minutesOf(hhmm) * 60_000;
  }

  private zone(id: string): LightingZone {
    const z = this.zones.get(id);
    if (!z) throw new NotFoundError('unknown_zone', `no lighting zone "${id}" (known: ${[...this.zones.keys()].slice(0, 20).join(', ')})`);
    return z;
  }

  private bool(id: string): boolean | null {
    const s = this.o.store.get(id);
    return s && s.quality === 'good' && typeof s.value === 'boolean' ? s.value : null;
  }

  private num(id: string): number | null {
    const s = this.o.store.get(id);
    return s && s.quality === 'good' && typeof s.value === 'number' ? s.value : null;
  }
}
