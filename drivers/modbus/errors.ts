// What a failed Modbus request means for the points it was reading.
import type { Quality } from '../../contracts/point.js';

/**
 * Modbus exception codes (Modbus application protocol v1.1b3, section 7).
 * 1-8: the device answered but refused or failed the request → `bad`.
 * 10-11: a gateway answered for a device it cannot reach → the device is unreachable, `comm_fail`.
 */
export const MODBUS_EXCEPTIONS: Record<number, { name: string; quality: Quality }> = {
  1: { name: 'Illegal Function', quality: 'bad' },
  2: { name: 'Illegal Data Address', quality: 'bad' },
  3: { name: 'Illegal Data Value', quality: 'bad' },
  4: { name: 'Server Device Failure', quality: 'bad' },
  5: { name: 'Acknowledge', quality: 'bad' },
  6: { name: 'Server Device Busy', quality: 'bad' },
  7: { name: 'Negative Acknowledge', quality: 'bad' },
  8: { name: 'Memory Parity Error', quality: 'bad' },
  10: { name: 'Gateway Path Unavailable', quality: 'comm_fail' },
  11: { name: 'Gateway Target Device Failed to Respond', quality: 'comm_fail' },
};

export type FailureKind = 'exception' | 'timeout' | 'closed' | 'other';

export interface RequestFailure {
  kind: FailureKind;
  quality: Quality;
  detail: string;
  /** Modbus exception code, for kind 'exception'. */
  code?: number;
}

/** Thrown by the link when the socket went away while a request was in flight (or before). */
export class LinkClosedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'LinkClosedError';
  }
}

export function describeException(code: number): { quality: Quality; detail: string } {
  const known = MODBUS_EXCEPTIONS[code];
  return known
    ? { quality: known.quality, detail: `Modbus exception ${code}: ${known.name}` }
    : { quality: 'bad', detail: `Modbus exception ${code}: Unknown exception` };
}

/** Classifies an error thrown by a modbus-serial request. */
export function classifyFailure(err: unknown, timeoutMs: number): RequestFailure {
  const e = err as { modbusCode?: unknown; errno?: unknown; message?: unknown; name?: unknown } | null;
  if (e && typeof e.modbusCode === 'number') {
    return { kind: 'exception', code: e.modbusCode, ...describeException(e.modbusCode) };
  }
  if (err instanceof LinkClosedError) return { kind: 'closed', quality: 'comm_fail', detail: err.message };
  if (e && (e.errno === 'ETIMEDOUT' || e.message === 'Timed out')) {
    return { kind: 'timeout', quality: 'comm_fail', detail: `no response within ${timeoutMs} ms` };
  }
  if (e && e.name === 'PortNotOpenError') return { kind: 'closed', quality: 'comm_fail', detail: 'connection not open' };
  // RTU: an answer that fails its CRC is no answer (noise on the RS-485 pair, or a wrong baud rate / parity).
  if (e && e.message === 'CRC error') return { kind: 'other', quality: 'comm_fail', detail: 'answer failed its CRC check (line noise, or wrong baud rate / parity?)' };
  const message = e && typeof e.message === 'string' ? e.message : String(err);
  return { kind: 'other', quality: 'bad', detail: message };
}
