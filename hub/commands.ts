// Operator commands: validate → applyCommand (the seam where the priority array will sit) → driver.write → audit.
import type { WriteResponse } from '../contracts/api.js';
import { DriverWriteError, type Driver, type WriteResult } from '../contracts/driver.js';
import type { PointInfo, PointValue } from '../contracts/point.js';
import { HttpError } from './api/errors.js';
import type { AuditLogLike, HubLogger } from './module.js';
import type { PointStore } from './state.js';

export interface CommandRequest {
  user: string;
  point: PointInfo;
  value: PointValue;
}

/**
 * Puts a command into effect. Today: straight to the driver. The priority-array issue wraps this:
 * `commands.applyCommand = priorityArray.wrap(commands.applyCommand)`.
 */
export type ApplyCommand = (cmd: CommandRequest) => Promise<WriteResult>;

/** Why a value cannot be written to this point, or null when it can. Pure. */
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
      if (point.states && !(String(value) in point.states)) {
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

/** DriverWriteError code → HTTP status. */
export const STATUS_OF_WRITE_ERROR: Record<DriverWriteError['code'], number> = {
  invalid_value: 400,
  not_writable: 409,
  unknown_point: 404,
  device_error: 502,
  offline: 502,
  timeout: 504,
};

export class CommandService {
  private readonly driverByProtocol = new Map<string, Driver>();
  applyCommand: ApplyCommand;

  constructor(
    private readonly store: PointStore,
    drivers: Driver[],
    private readonly audit: AuditLogLike,
    private readonly log: HubLogger,
  ) {
    for (const d of drivers) this.driverByProtocol.set(d.protocol, d);
    this.applyCommand = (cmd) => this.writeToDriver(cmd);
  }

  async write(user: string, pointId: string, value: PointValue): Promise<WriteResponse> {
    const point = this.store.info(pointId);
    if (!point) throw new HttpError(404, 'unknown_point', `no point ${pointId}`);
    const previous = this.store.get(pointId)?.value ?? null;
    const base = { user, action: 'point.write', target: pointId };
    if (!point.writable) {
      this.audit.record({ ...base, details: { previous, requested: value, outcome: 'refused', error: 'not writable' } });
      throw new HttpError(409, 'not_writable', `point ${pointId} is not writable`);
    }
    const invalid = invalidWriteReason(point, value);
    if (invalid) {
      this.audit.record({ ...base, details: { previous, requested: value, outcome: 'refused', error: invalid } });
      throw new HttpError(400, 'invalid_value', invalid);
    }
    let result: WriteResult;
    try {
      result = await this.applyCommand({ user, point, value });
    } catch (err) {
      const http = toHttpError(err, pointId);
      this.audit.record({ ...base, details: { previous, requested: value, outcome: 'failed', code: http.code, error: http.message } });
      if (http.status >= 500) this.log.warn({ pointId, user, err: http.message }, 'write failed');
      throw http;
    }
    this.audit.record({
      ...base,
      details: { previous, requested: value, outcome: 'written', confirmed: result.confirmed, readBack: result.readBack, detail: result.detail },
    });
    const response: WriteResponse = { pointId, requested: value, previous, confirmed: result.confirmed, readBack: result.readBack };
    if (result.detail !== undefined) response.detail = result.detail;
    return response;
  }

  private async writeToDriver(cmd: CommandRequest): Promise<WriteResult> {
    const driver = this.driverByProtocol.get(cmd.point.protocol);
    if (!driver) throw new HttpError(503, 'no_driver', `no driver is running for protocol ${cmd.point.protocol} (point ${cmd.point.id})`);
    return driver.write(cmd.point.id, cmd.value);
  }
}

function toHttpError(err: unknown, pointId: string): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof DriverWriteError) return new HttpError(STATUS_OF_WRITE_ERROR[err.code] ?? 502, err.code, `${pointId}: ${err.message}`);
  return new HttpError(502, 'device_error', `${pointId}: ${err instanceof Error ? err.message : String(err)}`);
}
