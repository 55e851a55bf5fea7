import { describe, expect, it } from 'vitest';
import type { PointInfo } from '../../contracts/point.js';
import { HttpError } from './errors.js';
import { matchesPointQuery, parsePointQuery } from './point-query.js';

describe('parsePointQuery', () => {
  it.each([
    [{}, { offset: 0, limit: 100 }],
    [{ limit: '1000', offset: '20' }, { offset: 20, limit: 1000 }],
    [{ kind: 'binary', writable: 'false', floor: 'hq/a/b1' }, { offset: 0, limit: 100, kind: 'binary', writable: false, floor: 'hq/a/b1' }],
  ])('%j', (q, expected) => expect(parsePointQuery(q)).toEqual(expected));

  it.each([
    [{ limit: '1001' }, 'limit', 'query parameter limit: must be 1..1000, got 1001'],
    [{ limit: '0' }, 'limit', /must be 1\.\.1000/],
    [{ limit: 'ten' }, 'limit', 'query parameter limit: must be an integer, got "ten"'],
    [{ offset: '-1' }, 'offset', /must be an integer/],
    [{ kind: 'digital' }, 'kind', /must be one of analog, binary, multistate, string/],
    [{ writable: 'yes' }, 'writable', /must be true or false/],
    [{ flor: 'b1' }, 'flor', /unknown/],
    [{ building: ['a', 'b'] }, 'building', /more than once/],
    [{ room: '' }, 'room', /must not be empty/],
  ])('%j → 400 naming %s', (q, param, message) => {
    let err: unknown;
    try { parsePointQuery(q); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(400);
    expect((err as HttpError).details).toEqual({ param });
    if (message instanceof RegExp) expect((err as HttpError).message).toMatch(message);
    else expect((err as HttpError).message).toBe(message);
  });
});

describe('matchesPointQuery', () => {
  const p = { id: 'hq/a/b1/pump-b101/leak-1/leak', kind: 'binary', writable: false } as PointInfo;
  const base = { offset: 0, limit: 100 };
  it.each([
    [{}, true],
    [{ building: 'a' }, true],
    [{ building: 'b' }, false],
    [{ floor: 'b1' }, true],
    [{ floor: 'hq/a/b1' }, true],
    [{ floor: 'hq/b/b1' }, false],
    [{ room: 'pump-b101' }, true],
    [{ room: 'pump' }, false],
    [{ prefix: 'hq/a/b1/pump' }, true],
    [{ prefix: 'hq/a/l01' }, false],
    [{ kind: 'binary' }, true],
    [{ kind: 'analog' }, false],
    [{ writable: false }, true],
    [{ writable: true }, false],
  ] as const)('%j → %s', (q, expected) => expect(matchesPointQuery(p, { ...base, ...q })).toBe(expected));
});
