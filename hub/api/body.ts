// The JSON body parser every route shares, with its errors mapped to the right status:
// an over-size body is 413 (not 400), an unknown Content-Encoding 415, malformed JSON 400.
import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { HttpError } from './errors.js';

/** Largest JSON body any route takes (alarm comments, schedules, rule edits are far smaller). */
export const JSON_LIMIT_BYTES = 256 * 1024;

/** The HttpError for a body the parser refused. Pure. */
export function bodyError(err: unknown): HttpError {
  const e = err as { status?: unknown; type?: unknown; message?: unknown } | undefined;
  const status = typeof e?.status === 'number' ? e.status : 400;
  if (status === 413 || e?.type === 'entity.too.large') {
    return new HttpError(413, 'payload_too_large', `request body is larger than the limit of ${JSON_LIMIT_BYTES / 1024} KB`, { limitBytes: JSON_LIMIT_BYTES });
  }
  if (status === 415 || e?.type === 'encoding.unsupported') {
    return new HttpError(415, 'unsupported_media_type', `request body encoding is not supported: ${String(e?.message ?? '').split('\n')[0].slice(0, 120)}`);
  }
  const why = typeof e?.message === 'string' ? e.message.split('\n')[0].slice(0, 200) : 'unreadable';
  return new HttpError(400, 'invalid_json', `request body is not valid JSON: ${why}`);
}

export function jsonBody(): Middleware {
  return bodyParser({
    enableTypes: ['json'],
    jsonLimit: JSON_LIMIT_BYTES,
    onError: (err) => {
      throw bodyError(err);
    },
  }) as Middleware;
}
