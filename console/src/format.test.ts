import { describe, expect, it } from 'vitest';
import type { PointState } from '../../contracts/point.js';
import { binaryWording, decimalsFor, describePoint, formatAge, formatValue, nextLastKnown, qualityClass, type ValuePoint } from './format.js';

const analog = (over: Partial<ValuePoint> = {}): ValuePoint => ({ id: 'hq/a/b1/r/meter/kw', kind: 'analog', ...over });

describe('decimalsFor', () => {
  it.each([
    [{ min: 0, max: 5000 }, 12, 0],
    [{ min: 0, max: 500 }, 12, 1],
    [{ min: 0, max: 1 }, 0.5, 2],
    [undefined, 2500, 0],
    [undefined, 21.4, 1],
    [undefined, 0.25, 2],
  ])('limits %j value %d → %d', (limits, value, expected) => {
    expect(decimalsFor({ limits }, value)).toBe(expected);
  });
});

describe('formatValue', () => {
  it.each<[ValuePoint, unknown, 'en' | 'zh-CN', string]>([
    [analog({ unit: 'kW', limits: { min: 0, max: 500 } }), 123.456, 'en', '123.5 kW'],
    [analog({ unit: '°C', limits: { min: -10, max: 50 } }), 21, 'zh-CN', '21.0 °C'],
    [analog({ unit: 'kWh' }), 123456.7, 'en', '123,457 kWh'],
    [analog(), null, 'en', '—'],
    [{ id: 'hq/a/b1/r/leak-1/leak', kind: 'binary', brick: 'Leak_Alarm' }, true, 'en', 'Leak'],
    [{ id: 'hq/a/b1/r/leak-1/leak', kind: 'binary', brick: 'Leak_Alarm' }, false, 'zh-CN', '无漏水'],
    [{ id: 'hq/a/l1/r/door-1/open', kind: 'binary', brick: 'Door_Status' }, true, 'en', 'Open'],
    [{ id: 'hq/a/l1/r/light-1/on', kind: 'binary', brick: 'Lighting_On_Off_Command' }, false, 'zh-CN', '关'],
    [{ id: 'hq/a/l1/r/light-1/relay', kind: 'binary' }, 1, 'en', 'On'],
    [{ id: 'hq/a/l1/r/x-1/flag', kind: 'binary' }, true, 'zh-CN', '是'],
    [{ id: 'hq/a/l1/r/ahu/mode', kind: 'multistate', states: { '0': { en: 'Off', 'zh-CN': '停止' }, '2': { en: 'Cooling', 'zh-CN': '制冷' } } }, 2, 'zh-CN', '制冷'],
    [{ id: 'hq/a/l1/r/ahu/mode', kind: 'multistate', states: {} }, 7, 'en', '7'],
    [{ id: 'hq/a/l1/r/pa/msg', kind: 'string' }, 'hello', 'en', 'hello'],
  ])('%j = %j in %s → %s', (point, value, locale, expected) => {
    expect(formatValue(point, value as never, locale)).toBe(expected);
  });
});

describe('binaryWording', () => {
  it.each([
    ['hq/a/b1/r/light-1/state', 'Door_Status', 'bin.open'], // Brick class first
    ['hq/a/b1/r/door-1/open', undefined, 'bin.open'],
    ['hq/a/b1/r/door-1/forced', undefined, 'bin.alarm'], // the point segment beats the device's
    ['hq/a/b1/r/door-1/held-open', undefined, 'bin.alarm'],
    ['hq/a/b1/r/door-1/lock-release', 'On_Off_Command', 'bin.on'],
    ['hq/a/b1/r/meter-b1/phase-loss', undefined, 'bin.alarm'],
    ['hq/a/b1/r/leak-1/leak', 'Leak_Alarm', 'bin.leak'],
    ['hq/a/b1/r/x-1/flag', undefined, 'bin.true'],
  ])('%s (%s) → %s', (id, brick, on) => {
    expect(binaryWording({ id, brick }).on).toBe(on);
  });
});

describe('formatAge', () => {
  it.each([
    [0, 'en', '0 s'],
    [-5000, 'en', '0 s'],
    [3_400, 'en', '3 s'],
    [59_999, 'en', '59 s'],
    [120_000, 'en', '2 min'],
    [2 * 3600_000 + 5, 'zh-CN', '2 小时'],
    [3 * 86400_000, 'zh-CN', '3 天'],
  ] as const)('%d ms in %s → %s', (ms, locale, expected) => {
    expect(formatAge(ms, locale)).toBe(expected);
  });
});

describe('describePoint', () => {
  const point = analog({ unit: '%', limits: { min: 0, max: 100 } });
  const state = (over: Partial<PointState>): PointState => ({ id: point.id, value: 45.25, quality: 'good', readTs: 1000, changedTs: 1000, ...over });

  it('shows a good value calmly, with no hover text', () => {
    expect(describePoint(point, state({}), 4000, 'en')).toEqual({
      valueText: '45.3 %', qualityText: 'Good', qualityClass: 'q-good', ageText: '3 s', title: '',
    });
  });

  it('marks comm_fail and stale distinctly, in both languages, keeping the last value for reference', () => {
    const commFail = describePoint(point, state({ quality: 'comm_fail', detail: 'timeout' }), 4000, 'zh-CN');
    expect(commFail).toMatchObject({ valueText: '45.3 %', qualityText: '通信故障', qualityClass: 'q-comm-fail', title: '通信故障: timeout' });
    const stale = describePoint(point, state({ quality: 'stale' }), 4000, 'en');
    expect(stale).toMatchObject({ qualityText: 'STALE', qualityClass: 'q-stale' });
  });

  it('puts the detail of a bad quality in the hover title', () => {
    const bad = describePoint(point, state({ quality: 'bad', detail: 'Modbus exception 2 (Illegal Data Address)' }), 4000, 'en');
    expect(bad.title).toBe('BAD: Modbus exception 2 (Illegal Data Address)');
  });

  it('keeps showing the last known value, aged from when it was read, when an outage carries no value', () => {
    const lastKnown = nextLastKnown(undefined, state({ value: 40, readTs: 1000 }));
    expect(lastKnown).toEqual({ value: 40, ts: 1000 });
    const failed = state({ quality: 'comm_fail', value: null, readTs: 60_000 });
    expect(nextLastKnown(lastKnown, failed)).toBe(lastKnown); // an outage never replaces it
    expect(describePoint(point, failed, 121_000, 'en', lastKnown)).toMatchObject({ valueText: '40.0 %', qualityClass: 'q-comm-fail', ageText: '2 min' });
    // Good data again: its own value and age, not the remembered one.
    const back = state({ value: 41, readTs: 130_000 });
    expect(describePoint(point, back, 131_000, 'en', nextLastKnown(lastKnown, back))).toMatchObject({ valueText: '41.0 %', ageText: '1 s' });
  });

  it('shows a dash when an outage has no value and nothing was ever read', () => {
    expect(describePoint(point, state({ quality: 'stale', value: null }), 4000, 'en').valueText).toBe('—');
  });

  it('says NO DATA when the hub has no state yet', () => {
    expect(describePoint(point, null, 0, 'en')).toMatchObject({ valueText: '—', qualityText: 'NO DATA', qualityClass: 'q-none' });
  });

  it('maps every quality to its own class', () => {
    const classes = (['good', 'uncertain', 'bad', 'comm_fail', 'stale'] as const).map(qualityClass);
    expect(new Set(classes).size).toBe(5);
  });
});
