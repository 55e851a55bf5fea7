// One error shape for every API response (ApiError), produced by one middleware.
import type { Middleware } from 'koa';
import type { ApiError } from '../../contracts/api.js';
import type { HubLogger } from '../ports.js';
import { DomainError, STATUS_OF_KIND } from '../errors.js';

export class HttpError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const CODE_OF_STATUS: Record<number, string> = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
  409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'too_many_requests',
};

/** Turns any error into `{ error: { code, message, details? } }`; unexpected errors are logged and not leaked. */
export function toApiError(err: unknown): { status: number; body: ApiError; unexpected: boolean } {
  // Domain errors (hub/errors.ts) carry a kind and a code; this is the one place a kind becomes a status.
  if (err instanceof DomainError) {
    const error: ApiError['error'] = { code: err.code, message: err.message };
    if (err.details !== undefined) error.details = err.details;
    return { status: STATUS_OF_KIND[err.kind] ?? 500, body: { error }, unexpected: false };
  }
  if (err instanceof HttpError) {
    const error: ApiError['error'] = { code: err.code, message: err.message };
    if (err.details !== undefined) error.details = err.details;
    return { status: err.status, body: { error }, unexpected: false };
  }
  // http-errors / co-body errors carry a 4xx status and an exposable message.
  const e = err as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    const message = e.expose !== false && typeof e.message === 'string' ? e.message : 'bad request';
    return { status, body: { error: { code: CODE_OF_STATUS[status] ?? 'client_error', message } }, unexpected: false };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal error; see the hub log' } }, unexpected: true };
}

export function errorMiddleware(log: HubLogger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const { status, body, unexpected } = toApiError(err);
      if (unexpected) log.error({ err, method: ctx.method, path: ctx.path }, 'request failed');
      ctx.status = status;
      ctx.body = body;
    }
  };
}
