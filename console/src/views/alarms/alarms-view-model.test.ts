import { beforeAll, describe, expect, it } from 'vitest';
import type { AlarmSummary, AlarmView } from '../../../../contracts/alarms.js';
import type { SiteTree } from '../../../../contracts/api.js';
import type { PointInfo } from '../../../../contracts/point.js';
import { setLocale } from '../../i18n.js';
import { DEFAULT_MAX_SHELVE_MIN } from './alarm-format.js';
import { AlarmsViewState, areaOfParams, areaOptions, floodKey, learnMaxShelve, maxShelveOf, subjectOf, valueText, waitingCount } from './alarms-view-model.js';

const name = (s: string) => ({ en: s, 'zh-CN': s });
const site: SiteTree = { id: 'hq', name: name('HQ'), timezone: 'UTC', buildings: [
  { id: 'a', name: name('Tower A'), floors: [{ id: 'b1', key: 'hq/a/b1', name: name('B1'), level: -1, rooms: [{ id: 'plant', name: name('Plant'), type: 'plant' }] }] },
] };
const summary = (over: Partial<AlarmSummary> = {}): AlarmSummary => ({ unacked: { critical: 1, high: 2, medium: 0, low: 4 }, active: 0, shelved: 0, suppressed: 0, outOfService: 0, flood: false, floodGroups: [], recentCount: 0, ...over });
const alarm = (id: string, over: Partial<AlarmView> = {}): AlarmView => ({
  id, ruleId: id, pointId: `hq/a/b1/plant/pump/${id}`, priority: 'high', area: 'a/b1/plant', state: 'unacknowledged', active: true, acked: false, escalated: false,
  message: name('Leak'), value: 12.345, quality: 'good', triggerValue: 1, activeSince: 0, lastChange: 0, ageMs: 0, ...over,
});

beforeAll(() => setLocale('en'));

describe('alarm list view-model', () => {
  it.each([[{}, ''], [{ building: 'a' }, 'a'], [{ building: 'a', floor: 'b1' }, 'a/b1'], [{ building: 'a', floor: 'b1', room: 'plant' }, 'a/b1/plant']])('areaOfParams %j → %s', (params, area) => {
    expect(areaOfParams(params)).toBe(area);
  });

  it('offers everywhere, then each building, floor and indented room', () => {
    expect(areaOptions(site, 'Everywhere')).toEqual([['', 'Everywhere'], ['a', 'Tower A'], ['a/b1', 'Tower A · B1'], ['a/b1/plant', '\u2003B1 · Plant']]);
  });

  it.each<[string, AlarmSummary | null, number]>([['no summary yet', null, 0], ['every priority counts', summary(), 7]])('waitingCount: %s', (_n, s, n) => {
    expect(waitingCount(s)).toBe(n);
  });

  it('the flood key changes with the language, the count and the groups only', () => {
    const s = summary({ flood: true, recentCount: 40, floodGroups: [{ area: 'a/b1', count: 30, alarmIds: [] }] });
    expect(floodKey('en', s)).toBe(floodKey('en', { ...s, active: 99 }));
    expect(floodKey('en', s)).not.toBe(floodKey('zh-CN', s));
    expect(floodKey('en', s)).not.toBe(floodKey('en', { ...s, recentCount: 41 }));
    expect(floodKey('en', s)).not.toBe(floodKey('en', { ...s, floodGroups: [{ area: 'a/b1', count: 31, alarmIds: [] }] }));
  });

  it('names the subject of a dialog by message and place', () => {
    expect(subjectOf(site, alarm('x'), 'en')).toMatch(/^Leak — Plant/);
  });

  it('shelve maximum: the alarm says, else what the hub taught, else the default', () => {
    expect(maxShelveOf(alarm('m1'))).toBe(DEFAULT_MAX_SHELVE_MIN);
    learnMaxShelve('m1', 60);
    expect(maxShelveOf(alarm('m1'))).toBe(60);
    expect(maxShelveOf({ ...alarm('m1'), maxShelveMin: 15 } as AlarmView)).toBe(15);
  });

  it('values: plain until the point is known, asked once, worded after; a failed read stays plain', async () => {
    const cache = new Map<string, PointInfo | null | 'loading'>();
    const asked: string[] = [];
    let loaded = 0;
    const info = { id: 'p', kind: 'analog', unit: '°C', limits: { min: 0, max: 50 } } as unknown as PointInfo;
    const read = async (id: string) => { asked.push(id); if (id.endsWith('/bad')) throw new Error('404'); return info; };
    const a = alarm('t');
    expect(valueText(a, 'en', read, () => loaded++, cache)).toBe('12.35');
    expect(valueText(a, 'en', read, () => loaded++, cache)).toBe('12.35');
    await new Promise((r) => setTimeout(r, 0));
    expect([asked.length, loaded]).toEqual([1, 1]);
    expect(valueText(a, 'en', read, () => loaded++, cache)).toMatch(/12\.3.*°C/);
    const bad = alarm('bad');
    valueText(bad, 'en', read, () => loaded++, cache);
    await new Promise((r) => setTimeout(r, 0));
    expect([cache.get(bad.pointId), loaded, valueText(bad, 'en', read, () => loaded++, cache), asked.length]).toEqual([null, 1, '12.35', 2]);
  });

  it('filters and grouping: the operator decides, else the flood flag', () => {
    const vm = new AlarmsViewState({ building: 'a' });
    expect(vm.filter).toEqual({ area: 'a', priorities: [], showHidden: false });
    vm.setPriority('critical');
    vm.setShowHidden(true);
    vm.setArea('a/b1');
    expect(vm.filter).toEqual({ area: 'a/b1', priorities: ['critical'], showHidden: true });
    vm.setPriority('');
    expect(vm.filter.priorities).toEqual([]);
    expect(vm.grouped()).toBe(false);
    vm.list.reset([alarm('x')], summary({ flood: true }), 0);
    expect(vm.grouped()).toBe(true);
    vm.setGrouped(false);
    expect(vm.grouped()).toBe(false);
    vm.forceRows = true;
    expect([vm.takeForce(), vm.takeForce()]).toEqual([true, false]);
  });
});
