// Commands through the priority array: authorize the level, store the slot (SQLite), recompute the
// effective value and write it to the device only when it changes (or when the written level wins).
// Also the `priority` stage of the hub's command pipeline: a plain point write becomes a level-8
// manual override. Every value is validated (point model and driver wire type) before it is stored.
// Devices with their own priority array (BACnet; Driver.nativePriority) get the hub's levels passed
// through: the winning level is written into the device slot of the same number, and a released
// level is relinquished there (NULL), so the device never holds a slot the hub has let go of.
import type { WriteResult } from '../../contracts/driver.js';
import type { PointInfo, PointValue } from '../../contracts/point.js';
import { invalidWriteReason, type DeviceWrite, type PriorityStage } from '../commands.js';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, UnavailableError } from '../errors.js';
import type { AuditLogLike, HubLogger, PointStoreLike } from '../ports.js';
import type { PriorityRepo } from './db.js';
import {
  DEFAULT_LEVELS_BY_ROLE, MANUAL_LEVEL, describeArray, effectiveOf, expiredSlots, levelRefusal, releaseSlot, setSlot,
  type Effective, type LevelsByRole, type PriorityArray, type PriorityArrayView, type Slot,
} from './priority.js';

export interface Actor {
  user: string;
  /** A hub role, or an internal actor such as `system:schedule`. */
  role: string;
}

export interface CommandInput {
  actor: Actor;
  pointId: string;
  value: PointValue;
  level: number;
  /** Minutes until the slot releases itself; null/undefined = until released. */
  expiresInMin?: number | null;
  note?: string;
}

export type { CommandOutcome } from '../../contracts/control.js';
import type { CommandOutcome } from '../../contracts/control.js';

export interface PriorityServiceOptions {
  points: Map<string, PointInfo>;
  store: PointStoreLike;
  repo: PriorityRepo;
  audit: AuditLogLike;
  log: HubLogger;
  now: () => number;
  levelsByRole?: LevelsByRole;
  /** Expiry of a plain point write (level 8) when the caller gives none. */
  defaultManualExpiryMin: number;
  /** Configured relinquish defaults; otherwise the device value seen before the first command. */
  relinquishDefaults?: Record<string, PointValue>;
  roleOf: (user: string) => string | undefined;
  /** The command pipeline's driver + read-back stages (CommandService.device); tests may set it later. */
  device?: DeviceWrite;
  /**
   * The pipeline's validate stage (CommandService.check: point model, then the driver's wire type).
   * Default: the point model only. Runs before anything is stored, at every level.
   */
  check?: (point: PointInfo, value: PointValue) => string | null;
  /** Whether the point's device keeps its own priority array (CommandService.nativePriority); default: none does. */
  nativePriority?: (point: PointInfo) => boolean;
}

export type PriorityListener = (view: PriorityArrayView) => void;

/** BACnet's priority 6, which a device with a native priority array reserves for itself (135 clause 19.2.3). */
const MINIMUM_ON_OFF_LEVEL = 6;

/** The actor of re-asserted commands in the audit log. */
export const REASSERT_USER = 'system:reassert';

export interface ReassertOutcome {
  pointId: string;
  /** confirmed / not-confirmed / failed: a write was tried; the rest: nothing to write. */
  outcome: 'confirmed' | 'not-confirmed' | 'failed' | 'in-agreement' | 'not-good' | 'not-commanded';
  value: PointValue;
  deviceValue: PointValue;
  level: number | null;
  readBack?: PointValue;
  error?: string;
}

export class PriorityService {
  private readonly arrays: Map<string, PriorityArray>;
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly listeners = new Set<PriorityListener>();
  private readonly levelsByRole: LevelsByRole;
  private device: DeviceWrite | null;

  constructor(private readonly o: PriorityServiceOptions) {
    this.levelsByRole = { ...DEFAULT_LEVELS_BY_ROLE, ...(o.levelsByRole ?? {}) };
    this.device = o.device ?? null;
    this.arrays = o.repo.loadAll();
    for (const [id, value] of Object.entries(o.relinquishDefaults ?? {})) {
      const a = this.arrayOf(id);
      a.relinquishDefault = value;
      o.repo.saveDefault(id, value);
    }
  }

  /** The device writer, for a service built without one (tests). */
  setDeviceWriter(apply: DeviceWrite): void {
    this.device = apply;
  }

  /** The pipeline's `priority` stage: a plain write becomes a manual override at level 8 with the default expiry. */
  readonly stage: PriorityStage = async (cmd, device) => {
    this.device ??= device;
    const role = this.o.roleOf(cmd.user) ?? 'unknown';
    const out = await this.command({ actor: { user: cmd.user, role }, pointId: cmd.point.id, value: cmd.value, level: MANUAL_LEVEL, expiresInMin: this.o.defaultManualExpiryMin });
    const result: WriteResult = { confirmed: out.confirmed ?? false, readBack: out.readBack };
    if (out.detail) result.detail = out.detail;
    return result;
  };

  onChange(listener: PriorityListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  view(pointId: string): PriorityArrayView {
    this.pointOf(pointId);
    return describeArray(this.arrays.get(pointId) ?? { pointId, slots: [], relinquishDefault: null }, this.o.now());
  }

  /** Live slots at or above `maxLevel` (manual overrides by default), for the console's override list. */
  activeSlots(levels: (level: number) => boolean = (l) => l <= MANUAL_LEVEL): Array<Slot & { pointId: string }> {
    const now = this.o.now();
    const out: Array<Slot & { pointId: string }> = [];
    for (const a of this.arrays.values()) for (const s of a.slots) if (levels(s.level) && (s.expiresAt === null || s.expiresAt > now)) out.push({ ...s, pointId: a.pointId });
    return out.sort((x, y) => x.pointId.localeCompare(y.pointId) || x.level - y.level);
  }

  effective(pointId: string): Effective {
    return effectiveOf(this.arrays.get(pointId) ?? { pointId, slots: [], relinquishDefault: null }, this.o.now());
  }

  command(input: CommandInput): Promise<CommandOutcome> {
    const point = this.pointOf(input.pointId);
    const refusal = levelRefusal(this.levelsByRole, input.actor.role, input.level);
    const base = { user: input.actor.user, action: 'point.command', target: input.pointId };
    if (refusal) {
      this.o.audit.record({ ...base, details: { level: input.level, requested: input.value, outcome: 'refused', error: refusal } });
      throw new ForbiddenError('priority_forbidden', refusal);
    }
    if (!point.writable) throw new ConflictError('not_writable', `point ${point.id} is not writable`);
    // Validated before it is stored, whatever the level: a slot the device cannot hold would become
    // the effective value the moment the levels above it are released.
    const invalid = (this.o.check ?? invalidWriteReason)(point, input.value);
    if (invalid) {
      this.o.audit.record({ ...base, details: { level: input.level, requested: input.value, outcome: 'refused', error: invalid } });
      throw new InvalidError('invalid_value', invalid);
    }
    // A device with its own array (BACnet) keeps level 6 for its minimum on/off algorithm: no command may take it.
    if (input.level === MINIMUM_ON_OFF_LEVEL && this.native(point)) {
      const why = `level 6 (minimum on/off) belongs to the device's own priority array on ${point.id}; command at another level`;
      this.o.audit.record({ ...base, details: { level: input.level, requested: input.value, outcome: 'refused', error: why } });
      throw new InvalidError('invalid_level', why);
    }
    // Manual overrides always end: a level-8 command without an expiry gets the default one.
    const exp = input.level === MANUAL_LEVEL && !input.expiresInMin ? this.o.defaultManualExpiryMin : input.expiresInMin;
    if (exp !== undefined && exp !== null && !(typeof exp === 'number' && Number.isFinite(exp) && exp > 0 && exp <= 7 * 24 * 60)) {
      throw new InvalidError('invalid_expiry', `expiresInMin ${String(exp)} must be a number of minutes in (0, 10080]`);
    }
    return this.serial(point.id, async () => {
      const now = this.o.now();
      const arr = this.arrayOf(point.id);
      this.captureDefault(arr);
      const before = effectiveOf(arr, now);
      const previousSlot = arr.slots.find((s) => s.level === input.level);
      const slot: Slot = { level: input.level, value: input.value, user: input.actor.user, setAt: now, expiresAt: exp ? now + exp * 60_000 : null };
      if (input.note) slot.note = input.note;
      const next = setSlot(arr, slot);
      const after = effectiveOf(next, now);
      const wins = after.level === input.level;
      let written: Awaited<ReturnType<PriorityService['writeDevice']>> = null;
      const deviceValue = this.o.store.get(point.id)?.value ?? null;
      if (wins && (before.value !== after.value || before.level !== after.level || deviceValue !== after.value)) {
        try {
          written = await this.writeDevice(point, after.value, input.actor.user, input.level);
        } catch (err) {
          // Nothing half-applied: a command the device refused leaves the array as it was.
          this.o.audit.record({ ...base, details: { level: input.level, requested: input.value, outcome: 'failed', error: err instanceof Error ? err.message : String(err) } });
          throw err;
        }
      }
      this.arrays.set(point.id, next);
      this.o.repo.saveSlot(point.id, slot);
      const detail = wins ? undefined : `stored at level ${input.level}; level ${after.level ?? 'default'} (${after.slot?.user ?? 'relinquish default'}) takes precedence`;
      this.o.audit.record({
        ...base,
        details: {
          level: input.level, requested: input.value, expiresAt: slot.expiresAt, previous: previousSlot?.value ?? null,
          outcome: wins ? 'written' : 'stored', confirmed: written?.confirmed ?? null, readBack: written?.readBack ?? null, effectiveLevel: after.level,
          ...(written && this.native(point) ? { deviceLevel: input.level } : {}),
        },
      });
      this.emit(point.id);
      const out: CommandOutcome = {
        pointId: point.id, level: input.level, effective: { value: after.value, level: after.level },
        written: written !== null,
        confirmed: written ? written.confirmed : wins ? deviceValue === after.value : null,
        readBack: written?.readBack ?? deviceValue,
      };
      if (detail) out.detail = detail;
      return out;
    });
  }

  release(actor: Actor, pointId: string, level: number, reason = 'released'): Promise<CommandOutcome> {
    const point = this.pointOf(pointId);
    const refusal = reason === 'expired' ? null : levelRefusal(this.levelsByRole, actor.role, level);
    if (refusal) {
      this.o.audit.record({ user: actor.user, action: 'point.release', target: pointId, details: { level, outcome: 'refused', error: refusal } });
      throw new ForbiddenError('priority_forbidden', refusal);
    }
    return this.serial(pointId, async () => {
      const now = this.o.now();
      const arr = this.arrayOf(pointId);
      const had = arr.slots.find((s) => s.level === level);
      // An expired slot still counts as the winner it was until this release takes it out.
      const before = effectiveOf({ ...arr, slots: arr.slots.map((s) => (s.level === level ? { ...s, expiresAt: null } : s)) }, now);
      const next = releaseSlot(arr, level);
      const after = effectiveOf(next, now);
      this.arrays.set(pointId, next);
      this.o.repo.deleteSlot(pointId, level);
      let written: Awaited<ReturnType<PriorityService['writeDevice']>> = null;
      let relinquished: WriteResult | null = null;
      let error: string | undefined;
      const native = had !== undefined && this.native(point);
      const winnerChanged = had && (before.level !== after.level || before.value !== after.value);
      try {
        // A device with its own array: its slot of this level is released (NULL), winner or not, and
        // falls back by itself; the new winner is written to its own slot, which it may never have held.
        if (native) relinquished = await this.relinquishDevice(point, level, actor.user);
        // The fallback value goes to the device (confirmed by read-back) whenever the winner changed.
        if (winnerChanged && (!native || after.level !== null)) written = await this.writeDevice(point, after.value, actor.user, after.level);
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
        this.o.log.warn({ pointId, level, err: error }, native ? 'relinquish or fallback write after release failed' : 'fallback write after release failed');
      }
      written ??= relinquished;
      this.o.audit.record({
        user: actor.user, action: reason === 'expired' ? 'point.override-expired' : 'point.release', target: pointId,
        details: {
          level, released: had ? had.value : null, wasEmpty: !had, fallback: after.value, fallbackLevel: after.level, confirmed: written?.confirmed ?? null, error,
          ...(native ? { relinquished: relinquished?.confirmed ?? null, readBack: written?.readBack ?? null } : {}),
        },
      });
      this.emit(pointId);
      const out: CommandOutcome = {
        pointId, level, effective: { value: after.value, level: after.level }, written: written !== null,
        confirmed: written?.confirmed ?? null, readBack: written?.readBack ?? this.o.store.get(pointId)?.value ?? null,
      };
      if (error) out.detail = `fallback write failed: ${error}`;
      return out;
    });
  }

  /** Known points with at least one live slot: the points whose device value the hub answers for. */
  commandedPoints(): string[] {
    const now = this.o.now();
    return [...this.arrays.values()].filter((a) => this.o.points.has(a.pointId) && effectiveOf(a, now).level !== null).map((a) => a.pointId);
  }

  /**
   * Writes the effective value of a commanded point to the device again (it rebooted or the hub
   * restarted and the device lost the command), with read-back, audited as `point.reassert` by
   * `system:reassert`. Runs in the point's command queue, so it never races an operator command;
   * it re-checks under the queue and writes nothing when the device already agrees.
   */
  reassert(pointId: string, reason: string, agrees: (device: PointValue, effective: PointValue) => boolean): Promise<ReassertOutcome> {
    const point = this.pointOf(pointId);
    return this.serial(pointId, async () => {
      const eff = effectiveOf(this.arrays.get(pointId) ?? { pointId, slots: [], relinquishDefault: null }, this.o.now());
      const state = this.o.store.get(pointId);
      const deviceValue = state?.value ?? null;
      if (eff.level === null || eff.value === null) return { pointId, outcome: 'not-commanded', value: eff.value, deviceValue, level: eff.level };
      if (!state || state.quality !== 'good') return { pointId, outcome: 'not-good', value: eff.value, deviceValue, level: eff.level };
      if (agrees(deviceValue, eff.value)) return { pointId, outcome: 'in-agreement', value: eff.value, deviceValue, level: eff.level };
      const base = { user: REASSERT_USER, action: 'point.reassert', target: pointId };
      try {
        const written = await this.writeDevice(point, eff.value, REASSERT_USER, eff.level);
        const confirmed = written?.confirmed ?? false;
        this.o.audit.record({ ...base, details: { reason, level: eff.level, value: eff.value, deviceValue, outcome: 'written', confirmed, readBack: written?.readBack ?? null } });
        return { pointId, outcome: confirmed ? 'confirmed' : 'not-confirmed', value: eff.value, deviceValue, level: eff.level, readBack: written?.readBack ?? null };
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        this.o.audit.record({ ...base, details: { reason, level: eff.level, value: eff.value, deviceValue, outcome: 'failed', error } });
        return { pointId, outcome: 'failed', value: eff.value, deviceValue, level: eff.level, error };
      }
    });
  }

  /** Releases every expired slot (called by the module's timer; tests call it with a fake clock). */
  async expireDue(): Promise<number> {
    const now = this.o.now();
    let n = 0;
    for (const arr of [...this.arrays.values()]) {
      for (const s of expiredSlots(arr, now)) {
        n++;
        await this.release({ user: 'system:expiry', role: 'system:expiry' }, arr.pointId, s.level, 'expired');
      }
    }
    return n;
  }

  /** Resolves when every queued command has finished. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.queues.values()]);
  }

  /** Writes the effective value; a device with its own array gets it in the slot of `level`. */
  private async writeDevice(point: PointInfo, value: PointValue, user: string, level: number | null): Promise<WriteResult | null> {
    if (value === null) return null; // no relinquish default known: leave the device as it is
    if (!this.device) throw new UnavailableError('no_command_path', 'the priority array has no device writer (built without the command service)');
    // Other drivers get exactly the call they always got (no options).
    if (level !== null && this.native(point)) return this.device({ user, point, value, options: { priority: level } });
    return this.device({ user, point, value });
  }

  /** Releases the device's own slot of `level` (BACnet: NULL at that priority), read back like any write. */
  private async relinquishDevice(point: PointInfo, level: number, user: string): Promise<WriteResult> {
    if (!this.device) throw new UnavailableError('no_command_path', 'the priority array has no device writer (built without the command service)');
    return this.device({ user, point, value: null, options: { priority: level, relinquish: true } });
  }

  private native(point: PointInfo): boolean {
    return this.o.nativePriority?.(point) ?? false;
  }

  private captureDefault(arr: PriorityArray): void {
    if (arr.relinquishDefault !== null || arr.slots.length > 0) return;
    const state = this.o.store.get(arr.pointId);
    if (state && state.quality === 'good' && state.value !== null) {
      arr.relinquishDefault = state.value;
      this.o.repo.saveDefault(arr.pointId, state.value);
    }
  }

  private arrayOf(id: string): PriorityArray {
    let a = this.arrays.get(id);
    if (!a) this.arrays.set(id, (a = { pointId: id, slots: [], relinquishDefault: null }));
    return a;
  }

  private pointOf(id: string): PointInfo {
    const p = this.o.points.get(id);
    if (!p) throw new NotFoundError('unknown_point', `no point ${id}`);
    return p;
  }

  private serial<T>(pointId: string, f: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(pointId) ?? Promise.resolve();
    const run = prev.then(f, f);
    const tail = run.catch(() => undefined);
    this.queues.set(pointId, tail);
    void tail.then(() => {
      if (this.queues.get(pointId) === tail) this.queues.delete(pointId);
    });
    return run;
  }

  private emit(pointId: string): void {
    if (this.listeners.size === 0) return;
    const v = this.view(pointId);
    for (const l of this.listeners) {
      try {
        l(v);
      } catch (err) {
        this.o.log.warn({ err }, 'priority listener failed');
      }
    }
  }
}
