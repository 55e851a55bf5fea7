import { describe, expect, it } from 'vitest';
import type { AlarmView } from '../../../../contracts/alarms.js';
import type { SiteTree } from '../../../../contracts/api.js';
import { areaLabel, floorHref, formatDuration, maxShelveFromError, plainValue, shelveChoices, soundsNew } from './alarm-format.js';

const site: SiteTree = {
  id: 'hq', name: { en: 'HQ', 'zh-CN': '总部' }, timezone: 'Asia/Shanghai',
  buildings: [{ id: 'a', name: { en: 'Tower A', 'zh-CN': 'A座' }, floors: [
    { id: 'b1', key: 'hq/a/b1', name: { en: 'Basement 1', 'zh-CN': '地下一层' }, level: -1, rooms: [{ id: 'pump-b101', name: { en: 'Pump room B101', 'zh-CN': 'B101 水泵房' } } as SiteTree['buildings'][0]['floors'][0]['rooms'][0]] },
  ] }],
};

function alarm(over: Partial<AlarmView> = {}): AlarmView {
  return {
    id: 'x', ruleId: 'x', pointId: 'hq/a/b1/pump-b101/leak-1/leak', priority: 'critical', area: 'a/b1/pump-b101', state: 'unacknowledged', active: true, acked: false,
    escalated: false, message: { en: 'm', 'zh-CN': 'm' }, value: true, quality: 'good', triggerValue: true, activeSince: 0, lastChange: 0, ageMs: 0, ...over,
  };
}

describe('areaLabel', () => {
  it.each([
    ['a/b1/pump-b101', 'en', { name: 'Pump room B101', where: 'Basement 1 · Tower A' }],
    ['a/b1/pump-b101', 'zh-CN', { name: 'B101 水泵房', where: '地下一层 · A座' }],
    ['a/b1', 'en', { name: 'Basement 1', where: 'Tower A' }],
    ['a', 'zh-CN', { name: 'A座', where: '' }],
    ['a/b1/nowhere', 'en', { name: 'nowhere', where: 'Basement 1 · Tower A' }],
    ['a/l99', 'en', { name: 'a/l99', where: 'Tower A' }],
    ['z/b1/r', 'en', { name: 'z/b1/r', where: '' }],
  ] as const)('%s in %s', (area, locale, expected) => {
    expect(areaLabel(site, area, locale)).toEqual(expected);
  });
});

describe('floorHref', () => {
  it.each([
    ['a/b1/pump-b101', '#/floor/a/b1/pump-b101'],
    ['a/b1', '#/floor/a/b1'],
    ['a', null],
    ['', null],
  ])('%s → %s', (area, href) => expect(floorHref(area)).toBe(href));
});

describe('shelve durations', () => {
  it.each([
    [480, [15, 30, 60, 120, 240, 480]],
    [60, [15, 30, 60]],
    [90, [15, 30, 60, 90]],
    [10, [10]],
    [10080, [15, 30, 60, 120, 240, 480, 720, 1440, 4320, 10080]],
    [0, []],
  ])('max %i min → %j', (max, choices) => expect(shelveChoices(max)).toEqual(choices));

  it('reads the maximum the hub names in a refusal', () => {
    expect(maxShelveFromError('durationMin: must be more than 0 (shelve leak.h for at most 60 min)')).toBe(60);
    expect(maxShelveFromError('shelve duration must be more than 0 and at most 7.5 min for alarm x')).toBe(7.5);
    expect(maxShelveFromError('reason: a reason is required')).toBeUndefined();
  });

  it.each([
    [15, 'en', '15 min'], [60, 'en', '1 h'], [90, 'en', '1 h 30 min'], [1440, 'en', '1 d'], [4320, 'zh-CN', '3 天'], [120, 'zh-CN', '2 小时'],
  ] as const)('%i min in %s → %s', (m, locale, text) => expect(formatDuration(m, locale)).toBe(text));
});

describe('soundsNew', () => {
  it.each([
    ['a new critical alarm', undefined, alarm(), true],
    ['a new high alarm', undefined, alarm({ priority: 'high' }), true],
    ['a new medium alarm', undefined, alarm({ priority: 'medium' }), false],
    ['already unacknowledged (value change only)', alarm(), alarm({ value: false }), false],
    ['re-alarm after acknowledgement', alarm({ state: 'acknowledged' }), alarm(), true],
    ['raised again after clearing unacknowledged', alarm({ state: 'rtn_unacknowledged' }), alarm(), true],
    ['acknowledged', alarm(), alarm({ state: 'acknowledged' }), false],
    ['shelved', alarm(), alarm({ state: 'shelved' }), false],
  ] as const)('%s → %s', (_what, prev, next, expected) => expect(soundsNew(prev, next)).toBe(expected));
});

describe('plainValue', () => {
  it.each([
    [{ value: 21.456, unit: '°C' }, '21.46 °C'],
    [{ value: true }, 'true'],
    [{ value: null, unit: '%' }, '—'],
  ])('%j → %s', (a, text) => expect(plainValue(a as Pick<AlarmView, 'value' | 'unit'>)).toBe(text));
});
