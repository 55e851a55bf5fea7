import { describe, expect, it } from 'vitest';
import { placeName } from './place-name.js';

const site = {
  id: 'hq', name: { en: 'HQ', 'zh-CN': '总部' }, timezone: 'Asia/Shanghai',
  buildings: [{ id: 'a', name: { en: 'Tower A', 'zh-CN': 'A座' }, floors: [{ id: 'l01', key: 'hq/a/l01', level: 1, name: { en: 'Level 1', 'zh-CN': '一层' }, rooms: [{ id: 'lobby-101', type: 'lobby', name: { en: 'Main lobby', 'zh-CN': '大堂' } }] }] }],
};

describe('placeName', () => {
  it.each([
    ['a/l01/lobby-101', 'en', 'Tower A · Level 1 · Main lobby'],
    ['a/l01/lobby-101', 'zh-CN', 'A座 · 一层 · 大堂'],
    ['a/l01/unknown-room', 'en', 'Tower A · Level 1 · unknown-room'],
    ['z/l01/x', 'en', 'z/l01/x'],
    [undefined, 'en', ''],
  ] as const)('%s (%s) → %s', (location, locale, want) => {
    expect(placeName(site, location, locale)).toBe(want);
  });
});
