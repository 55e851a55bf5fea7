import { describe, expect, it } from 'vitest';
import { detectLocale, formatNumber, localized, translate, type MessageKey } from './i18n.js';

describe('detectLocale', () => {
  it.each([
    ['zh-CN', null, 'zh-CN'],
    ['zh-TW', null, 'zh-CN'],
    ['ZH', null, 'zh-CN'],
    ['en-US', null, 'en'],
    ['de-DE', null, 'en'],
    [undefined, null, 'en'],
    ['en-US', 'zh-CN', 'zh-CN'],
    ['zh-CN', 'en', 'en'],
    ['zh-CN', 'fr', 'zh-CN'], // an unknown stored value is ignored
  ] as const)('browser %s, stored %s → %s', (browser, stored, expected) => {
    expect(detectLocale(browser, stored)).toBe(expected);
  });
});

describe('translate', () => {
  it('interpolates named parameters in both languages', () => {
    expect(translate('en', 'floor.count', { n: 12 })).toBe('12 points');
    expect(translate('zh-CN', 'floor.count', { n: 12 })).toBe('12 个点位');
  });

  it('leaves an unknown placeholder visible instead of blanking it', () => {
    expect(translate('en', 'floor.count', {})).toBe('{n} points');
  });

  it('has a non-empty zh-CN string, different from English, for the key UI texts', () => {
    const keys: MessageKey[] = ['floor.heading', 'login.submit', 'quality.comm_fail', 'quality.stale', 'top.logout'];
    for (const key of keys) {
      expect(translate('zh-CN', key)).not.toBe('');
      expect(translate('zh-CN', key)).not.toBe(translate('en', key));
    }
    expect(translate('zh-CN', 'quality.comm_fail')).toBe('通信故障');
    expect(translate('zh-CN', 'quality.stale')).toBe('过期');
  });
});

describe('localized and formatNumber', () => {
  it('picks the language, falling back to English when the translation is empty', () => {
    expect(localized({ en: 'Basement 1', 'zh-CN': '地下一层' }, 'zh-CN')).toBe('地下一层');
    expect(localized({ en: 'Basement 1', 'zh-CN': '' }, 'zh-CN')).toBe('Basement 1');
    expect(localized(undefined, 'en')).toBe('');
  });

  it('formats numbers per locale with fixed decimals', () => {
    expect(formatNumber(1234.5, 1, 'en')).toBe('1,234.5');
    expect(formatNumber(21.456, 2, 'zh-CN')).toBe('21.46');
    expect(formatNumber(-0.5, 0, 'en')).toMatch(/^-?0$|^-1$/);
  });
});
