// Operator commands as one explicit pipeline, fixed when the service is built:
//
//   validate → authorize → priority array → driver write → read-back → audit
//
// `validate` checks the point (exists, writable), the value against the point model (kind, limits,
// states) and against the driver's wire type (Driver.checkWrite: 1.5 on a uint16 is refused) before
// anything is stored or sent. `authorize` and `priority` are slots: the auth layer and the control
// module attach their stage once (attach returns the detach); an empty slot passes the command on.
// Nothing reassigns a stage at run time. Errors are domain errors (hub/errors.ts), never HTTP.
import type { WriteResponse } from '../contracts/api.js';
import { DriverWriteError, type Driver, type WriteOptions, type WriteResult } from '../contracts/driver.js';
import type { PointInfo, PointValue } from '../contracts/point.js';
import { ConflictError, DomainError, InvalidError, NotFoundError, UnavailableError, UpstreamError, domainError, type DomainErrorKind } from './errors.js';
import type { AuditLogLike, HubLogger, PointLookup } from './ports.js';

export interface CommandRequest {
  user: string;
  point: PointInfo;
  value: PointValue;
  /**
   * The priority array's level for the driver (contracts/driver.ts WriteOptions): set by the
   * `priority` stage; drivers of devices with their own priority array (BACnet) write that slot.
   */
  options?: WriteOptions;
}

/** Writes a validated command to its device and reads it back (the `driver` + `read-back` stages). */
export type DeviceWrite = (cmd: CommandRequest) => Promise<WriteResult>;
/** @deprecated the old name of DeviceWrite. */
export type ApplyCommand = DeviceWrite;

/** The `authorize` slot: throws a ForbiddenError (hub/errors.ts) to refuse. Scope checks plug in here. */
export type AuthorizeStage = (cmd: CommandRequest) => void | Promise<void>;

/**
 * The `priority` slot: stores the command in the point's priority array and, when it wins, writes
 * the effective value through `device`. Answers what the device confirmed.
 */
export type PriorityStage = (cmd: CommandRequest, device: DeviceWrite) => Promise<WriteResult>;

export interface CommandStageSlots {
  authorize: AuthorizeStage;
  priority: PriorityStage;
}

/** The stages in the order every command runs through them. */
export const COMMAND_STAGES = ['validate', 'authorize', 'priority', 'driver', 'read-back', 'audit'] as const;

/** Why a value cannot be written to this point by the point model (kind, limits, states), or null. Pure. */
export function invalidWriteReason(point: PointInfo, value: unknown): string | null {
  switch (point.kind) {
    case 'analog': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `value ${fmt(value)} is not a finite number (${point.id} is analog)`;
      const { min, max } = point.limits ?? {};
      if (max !== undefined && value > max) return `value ${value} is above the limit ${max} of ${point.id}`;
      if (min !== undefined && value < min) return `value ${value} is below the limit ${min} of ${point.id}`;
      return null;
    }
    case 'binary':
      return typeof value === 'boolean' ? null : `value ${fmt(value)} is not true/false (${point.id} is binary)`;
    case 'multistate': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return `value ${fmt(value)} is not an integer state (${point.id} is multistate)`;
      if (point.states && !Object.hasOwn(point.states, String(value))) {
        return `value ${value} is not a state of ${point.id} (states: ${Object.keys(point.states).join(', ')})`;
      }
      const { min, max } = point.limits ?? {};
      if (max !== undefined && value > max) return `value ${value} is above the limit ${max} of ${point.id}`;
      if (min !== undefined && value < min) return `value ${value} is below the limit ${min} of ${point.id}`;
      return null;
    }
    case 'string':
      return typeof value === 'string' ? null : `value ${fmt(value)} is not a string (${point.id} is string)`;
  }
}

const fmt = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/** DriverWriteError code → domain error kind. */
export const KIND_OF_WRITE_ERROR: Record<DriverWriteError['code'], DomainErrorKind> = {
  invalid_value: 'invalid',
  not_writable: 'conflict',
  unknown_point: 'not_found',
  device_error: 'upstream',
  offline: 'upstream',
  timeout: 'timeout',
};

export class CommandService {
  private readonly driverByProtocol = new Map<string, Driver>();
  private readonly slots: Partial<CommandStageSlots> = {};

  constructor(
    private readonly store: PointLookup,
    drivers: Driver[],
    private readonly audit: AuditLogLike,
    private readonly log: HubLogger,
  ) {
    for (const d of drivers) this.driverByProtocol.set(d.protocol, d);
    // Stages change only through attach(): nothing can reassign a method or the device writer.
    Object.freeze(this);
  }

  /**
   * Fills a stage slot. A slot takes one stage: attaching a second is a wiring bug and throws.
   * The returned function empties the slot again (the module stopping).
   */
  attach<K extends keyof CommandStageSlots>(slot: K, stage: CommandStageSlots[K]): () => void {
    if (this.slots[slot]) throw new Error(`command pipeline: the ${slot} stage is already attached`);
    this.slots[slot] = stage;
    return () => {
      if (this.slots[slot] === stage) delete this.slots[slot];
    };
  }

  /** The stages a command runs through now (empty slots left out), for health and docs. */
  stages(): string[] {
    return COMMAND_STAGES.filter((s) => (s === 'authorize' || s === 'priority' ? this.slots[s] !== undefined : true));
  }

  /**
   * The `validate` stage without side effects: why `value` cannot go to `point` (point model first,
   * then the driver's wire type), or null. The priority array calls it for commands at any level.
   */
  check(point: PointInfo, value: PointValue): string | null {
    return invalidWriteReason(point, value) ?? this.driverByProtocol.get(point.protocol)?.checkWrite?.(point.id, value) ?? null;
  }

  /** Whether the point's device keeps its own priority array (Driver.nativePriority): the hub passes its levels through. */
  nativePriority(point: PointInfo): boolean {
    return this.driverByProtocol.get(point.protocol)?.nativePriority?.(point.id) ?? false;
  }

  async write(user: string, pointId: string, value: PointValue): Promise<WriteResponse> {
    // validate
    const point = this.store.info(pointId);
    if (!point) throw new NotFoundError('unknown_point', `no point ${pointId}`);
    const previous = this.store.get(pointId)?.value ?? null;
    const base = { user, action: 'point.write', target: pointId };
    const refuse = (err: DomainError): never => {
      this.audit.record({ ...base, details: { previous, requested: value, outcome: 'refused', code: err.code, error: err.message } });
      throw err;
    };
    if (!point.writable) refuse(new ConflictError('not_writable', `point ${pointId} is not writable`));
    const invalid = this.check(point, value);
    if (invalid) refuse(new InvalidError('invalid_value', invalid));
    const cmd: CommandRequest = { user, point, value };
    let result: WriteResult;
    try {
      // authorize
      await this.slots.authorize?.(cmd);
      // priority array → driver → read-back
      const priority = this.slots.priority;
      result = priority ? await priority(cmd, this.device) : await this.device(cmd);
    } catch (err) {
      const e = toDomainError(err, pointId);
      this.audit.record({ ...base, details: { previous, requested: value, outcome: e.kind === 'forbidden' ? 'refused' : 'failed', code: e.code, error: e.message } });
      if (e.kind === 'upstream' || e.kind === 'timeout' || e.kind === 'unavailable') this.log.warn({ pointId, user, err: e.message }, 'write failed');
      throw e;
    }
    // audit
    this.audit.record({
      ...base,
      details: { previous, requested: value, outcome: 'written', confirmed: result.confirmed, readBack: result.readBack, detail: result.detail },
    });
    const response: WriteResponse = { pointId, requested: value, previous, confirmed: result.confirmed, readBack: result.readBack };
    if (result.detail !== undefined) response.detail = result.detail;
    return response;
  }

  /** The `driver` and `read-back` stages: the driver writes and reads back; a mismatch is reported, not hidden. */
  readonly device: DeviceWrite = async (cmd) => {
    const driver = this.driverByProtocol.get(cmd.point.protocol);
    if (!driver) throw new UnavailableError('no_driver', `no driver is running for protocol ${cmd.point.protocol} (point ${cmd.point.id})`);
    const result = cmd.options ? await driver.write(cmd.point.id, cmd.value, cmd.options) : await driver.write(cmd.point.id, cmd.value);
    if (!result.confirmed && result.detail === undefined) {
      return { ...result, detail: `the device reads back ${fmt(result.readBack)}, not ${fmt(cmd.value)}` };
    }
    return result;
  };
}

/** Any failure of a stage as a domain error: driver codes keep their meaning, unknown errors are upstream failures. */
export function toDomainError(err: unknown, pointId: string): DomainError {
  if (err instanceof DomainError) return err;
  if (err instanceof DriverWriteError) return domainError(KIND_OF_WRITE_ERROR[err.code] ?? 'upstream', err.code, `${pointId}: ${err.message}`);
  return new UpstreamError('device_error', `${pointId}: ${err instanceof Error ? err.message : String(err)}`);
}
