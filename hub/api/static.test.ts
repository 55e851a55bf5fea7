import { describe, expect, it } from 'vitest';
import { safeJoin } from './static.js';

describe('safeJoin', () => {
  it.each([
    ['/', '/srv/c'],
    ['/index.html', '/srv/c/index.html'],
    ['/assets/app-1.js', '/srv/c/assets/app-1.js'],
    ['/../etc/passwd', null],
    ['/%2e%2e/etc/passwd', null],
    ['/assets/%2e%2e/%2e%2e/x', null],
    ['/a%00b', null],
    ['/%E0%A4%A', null],
    ['/sub/../index.html', '/srv/c/index.html'],
  ])('%s → %s', (url, expected) => expect(safeJoin('/srv/c', url)).toBe(expected));
});
