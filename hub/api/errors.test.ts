import { describe, expect, it } from 'vitest';
import { HttpError, toApiError } from './errors.js';

describe('toApiError', () => {
  it.each([
    [new HttpError(404, 'unknown_point', 'no point x'), 404, { code: 'unknown_point', message: 'no point x' }, false],
    [new HttpError(400, 'bad_param', 'limit', { param: 'limit' }), 400, { code: 'bad_param', message: 'limit', details: { param: 'limit' } }, false],
    [Object.assign(new Error('invalid JSON'), { status: 400, expose: true }), 400, { code: 'bad_request', message: 'invalid JSON' }, false],
    [Object.assign(new Error('too big'), { status: 413 }), 413, { code: 'payload_too_large', message: 'too big' }, false],
    [new Error('db password is hunter2'), 500, { code: 'internal', message: 'internal error; see the hub log' }, true],
    ['a string', 500, { code: 'internal', message: 'internal error; see the hub log' }, true],
  ])('%s → %s', (err, status, error, unexpected) => {
    expect(toApiError(err)).toEqual({ status, body: { error }, unexpected });
  });
});
