// Domain errors: what went wrong, in the domain's words, with a stable machine code. They know
// nothing of HTTP; only the error middleware (hub/api/errors.ts) maps a kind to a status, so domain
// code (commands, priority array, broadcast, alarm actions) never imports the API layer.
// This file imports nothing, so anything may import it without creating a circle.

export type DomainErrorKind =
  /** The request names something that does not exist (a point, an alarm, a job). */
  | 'not_found'
  /** The request is malformed or a value is out of range: the caller must change it. */
  | 'invalid'
  /** The request is well formed but conflicts with the current state (not writable, already done). */
  | 'conflict'
  /** The actor may not do this (role, level, zone). */
  | 'forbidden'
  /** A dependency cannot serve now (no driver, device offline, not configured). */
  | 'unavailable'
  /** The device (or another upstream) failed or answered wrongly. */
  | 'upstream'
  /** The device did not answer in time. */
  | 'timeout'
  /** A capacity limit is reached (viewers of a camera): try again later. */
  | 'limited';

export class DomainError extends Error {
  constructor(
    public readonly kind: DomainErrorKind,
    /** Stable, snake_case, for clients: e.g. `unknown_point`, `invalid_value`. */
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('not_found', code, message, details);
    this.name = 'NotFoundError';
  }
}

export class InvalidError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('invalid', code, message, details);
    this.name = 'InvalidError';
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('conflict', code, message, details);
    this.name = 'ConflictError';
  }
}

export class ForbiddenError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('forbidden', code, message, details);
    this.name = 'ForbiddenError';
  }
}

export class UnavailableError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('unavailable', code, message, details);
    this.name = 'UnavailableError';
  }
}

export class UpstreamError extends DomainError {
  constructor(code: string, message: string, details?: unknown, kind: 'upstream' | 'timeout' = 'upstream') {
    super(kind, code, message, details);
    this.name = 'UpstreamError';
  }
}

/** The HTTP status of each kind: used by the error middleware only. */
export const STATUS_OF_KIND: Readonly<Record<DomainErrorKind, number>> = {
  not_found: 404,
  invalid: 400,
  conflict: 409,
  forbidden: 403,
  unavailable: 503,
  upstream: 502,
  timeout: 504,
  limited: 429,
};

/** Builds the domain error of a kind (for code that maps a foreign error code to a kind). */
export function domainError(kind: DomainErrorKind, code: string, message: string, details?: unknown): DomainError {
  return new DomainError(kind, code, message, details);
}
