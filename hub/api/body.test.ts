import { describe, expect, it } from 'vitest';
import { bodyError, JSON_LIMIT_BYTES } from './body.js';

describe('bodyError', () => {
  it.each([
    [{ status: 413, type: 'entity.too.large', message: 'request entity too large' }, 413, 'payload_too_large', /larger than the limit of 256 KB/],
    [{ type: 'entity.too.large' }, 413, 'payload_too_large', /limit/],
    [{ status: 415, type: 'encoding.unsupported', message: 'unsupported content encoding "klingon"' }, 415, 'unsupported_media_type', /klingon/],
    [{ status: 400, message: 'Unexpected token } in JSON at position 9' }, 400, 'invalid_json', /not valid JSON: Unexpected token/],
    [new SyntaxError('Unexpected end of JSON input\n    at JSON.parse (<anonymous>)'), 400, 'invalid_json', /^request body is not valid JSON: Unexpected end of JSON input$/],
    [undefined, 400, 'invalid_json', /unreadable/],
  ])('%j → %i %s', (err, status, code, message) => {
    const e = bodyError(err);
    expect(e.status).toBe(status);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.message).not.toMatch(/\n/);
  });

  it('the limit is 256 KB', () => expect(JSON_LIMIT_BYTES).toBe(262_144));
});
