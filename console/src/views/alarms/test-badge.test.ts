import { describe, expect, it } from 'vitest';
import { splitTestTag, testBadgeText, testBadgeTitle } from './test-badge.js';

describe('splitTestTag', () => {
  it.each([
    [undefined, { comment: '' }],
    ['', { comment: '' }],
    ['checked on site', { comment: 'checked on site' }],
    ['[test: fault-7]', { test: 'fault-7', comment: '' }],
    ['[test: run 2026-12-03] checked', { test: 'run 2026-12-03', comment: 'checked' }],
    ['note [test: x] later', { comment: 'note [test: x] later' }],
    ['[test:] empty tag', { comment: '[test:] empty tag' }],
  ])('%j', (input, want) => {
    expect(splitTestTag(input)).toEqual(want);
  });
});

describe('badge text', () => {
  it('is localized', () => {
    expect(testBadgeText('en')).toBe('TEST');
    expect(testBadgeText('zh-CN')).toBe('测试');
    expect(testBadgeTitle('r1', 'en')).toContain('r1');
    expect(testBadgeTitle('r1', 'zh-CN')).toContain('r1');
  });
});
