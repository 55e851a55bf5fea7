import { describe, expect, it } from 'vitest';
import { HttpError } from './errors.js';
import { MAX_TIME_MS, optionalInt, optionalString, optionalTime, parseTimeText } from './params.js';

describe('parseTimeText', () => {
  it.each([
    ['0', { ms: 0 }],
    ['1709222400000', { ms: 1709222400000 }],
    ['2024-03-01T00:00:00+08:00', { ms: Date.parse('2024-03-01T00:00:00+08:00') }],
    [String(MAX_TIME_MS), { ms: MAX_TIME_MS }],
  ])('%s → %j', (text, want) => expect(parseTimeText(text)).toEqual(want));

  it.each([
    ['99999999999999999999999', /between 1970-01-01 and 9999-12-31/],
    [String(MAX_TIME_MS + 1), /between/],
    ['-5', /between/],
    ['+275760-09-13T00:00:00.000Z', /between/],
    ['1e20', /ms since epoch or an ISO 8601 date/],
    ['yesterday', /ms since epoch/],
    ['', /ms since epoch/],
  ])('%s is refused', (text, why) => {
    const r = parseTimeText(text);
    expect('error' in r && r.error).toMatch(why);
  });

  it('quotes hostile input shortened', () => {
    const r = parseTimeText('x'.repeat(10_000));
    expect('error' in r && r.error.length).toBeLessThan(200);
  });
});

describe('query parameter helpers', () => {
  const refusal = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return err as HttpError;
    }
    throw new Error('not refused');
  };

  it('optionalTime: absent or empty is undefined; a list, a bad or an out-of-range time is a 400 naming the parameter', () => {
    expect(optionalTime('from', undefined)).toBeUndefined();
    expect(optionalTime('from', '')).toBeUndefined();
    expect(optionalTime('from', '1000')).toBe(1000);
    for (const raw of [['1', '2'], '99999999999999999999999', 'soon']) {
      const e = refusal(() => optionalTime('from', raw));
      expect(e.status).toBe(400);
      expect(e.message).toMatch(/^query parameter from: /);
      expect(e.details).toEqual({ param: 'from' });
    }
  });

  it('optionalInt and optionalString', () => {
    expect(optionalInt('limit', '5', 1, 10)).toBe(5);
    expect(optionalInt('limit', undefined, 1, 10)).toBeUndefined();
    for (const raw of ['0', '11', '1.5', '-1', '1e3', '99999999999999999999']) expect(refusal(() => optionalInt('limit', raw, 1, 10)).message).toMatch(/limit: must be an integer 1\.\.10/);
    expect(optionalString('user', 'ann')).toBe('ann');
    expect(refusal(() => optionalString('user', '')).message).toMatch(/user: must be one non-empty value/);
    expect(refusal(() => optionalString('user', ['a', 'b'])).status).toBe(400);
  });
});
