import { describe, expect, it } from 'vitest';
import type { AlarmView } from '../../../contracts/alarms.js';
import type { PointState } from '../../../contracts/point.js';
import { WallModel } from './wall-model.js';
import { nextTourStop, parseWallOptions } from './wall-options.js';

const st = (id: string, value: PointState['value'], quality: PointState['quality'] = 'good'): PointState => ({ id, value, quality, readTs: 1, changedTs: 1 });
const points = [
  { id: 'hq/a/l02/office-201/env-1/temperature', kind: 'analog' as const },
  { id: 'hq/a/l02/office-201/leak-1/leak', kind: 'binary' as const },
  { id: 'hq/a/l02/office-202/env-1/temperature', kind: 'analog' as const },
];
const markers = [{ floor: 'l02', room: 'office-201', equipment: 'leak-1', kind: 'leak' as const }];
const alarm = (id: string, state: AlarmView['state']): AlarmView => ({
  id, ruleId: id, pointId: points[1].id, priority: 'critical', area: 'a/l02/office-201', state, active: state !== 'normal', acked: false, escalated: false,
  message: { en: 'Leak', 'zh-CN': '漏水' }, value: true, quality: 'good', triggerValue: true, activeSince: 1, lastChange: 1, ageMs: 0,
});

describe('WallModel', () => {
  it('marks only the rooms and markers an update touches', () => {
    const model = new WallModel(['l02/office-201', 'l02/office-202'], markers, points);
    model.snapshot([]);
    model.dirtyRooms.clear();
    model.dirtyMarkers.clear();
    model.apply([st(points[1].id, true)]);
    expect([...model.dirtyRooms]).toEqual([]);
    expect([...model.dirtyMarkers]).toEqual([0]);
    expect(model.markerLook(0).flag).toBe('alarm');
    model.apply([st(points[2].id, 30), st('hq/a/l09/elsewhere/x/y', 1)]);
    expect([...model.dirtyRooms]).toEqual(['l02/office-202']);
    expect(model.roomLook('temperature', 'l02/office-202')).toMatchObject({ kind: 'high', value: 30 });
  });

  it('keeps only alarms that are not back to normal, and forgets on a snapshot', () => {
    const model = new WallModel(['l02/office-201'], markers, points);
    model.alarmsSnapshot([alarm('leak', 'unacknowledged')]);
    expect(model.roomLook('alarms', 'l02/office-201')).toEqual({ kind: 'alarm', priority: 'critical', count: 1 });
    model.alarms([alarm('leak', 'normal')]);
    expect(model.roomAlarms('l02/office-201')).toEqual([]);
    model.alarms([alarm('leak', 'acknowledged')]);
    model.alarmsSnapshot([]);
    expect(model.roomLook('alarms', 'l02/office-201').kind).toBe('normal');
  });

  it('a snapshot replaces every state: nothing from before a reconnect survives', () => {
    const model = new WallModel(['l02/office-201'], markers, points);
    model.apply([st(points[0].id, 22)]);
    model.snapshot([st(points[1].id, false)]);
    expect(model.states.has(points[0].id)).toBe(false);
    // The room's sensor has no state in the new snapshot: it must not keep showing 22 °C.
    expect(model.roomLook('temperature', 'l02/office-201')).toEqual({ kind: 'untrusted', quality: 'comm_fail', value: null });
  });
});

describe('WallModel.lightCircuitsOn', () => {
  const panel = 'hq/a/l01/weak-104/lighting-l01';
  const lightPoints = ['lobby', 'lobby-current', 'lobby-dim', 'hall', 'hall-current', 'stairs', 'stairs-current', 'mains-ok', 'manual-override']
    .map((seg) => ({ id: `${panel}/${seg}`, kind: seg.endsWith('-dim') || seg.endsWith('-current') ? ('analog' as const) : ('binary' as const) }));
  const lightMarkers = [{ floor: 'l01', room: 'weak-104', equipment: 'lighting-l01', kind: 'light' as const }];
  it('counts the circuits that are on, not the panel, nor its status points, nor untrusted values', () => {
    const model = new WallModel(['l01/weak-104'], lightMarkers, lightPoints);
    model.snapshot([
      st(`${panel}/lobby`, true), st(`${panel}/lobby-current`, 8.2), st(`${panel}/lobby-dim`, 80),
      st(`${panel}/hall`, true), st(`${panel}/hall-current`, 6.5),
      st(`${panel}/stairs`, true, 'comm_fail'), st(`${panel}/stairs-current`, 1.5),
      st(`${panel}/mains-ok`, true), st(`${panel}/manual-override`, true),
    ]);
    expect(model.lightCircuitsOn(0)).toBe(2);
    model.apply([st(`${panel}/hall`, false)]);
    expect(model.lightCircuitsOn(0)).toBe(1);
  });
});

describe('wall options', () => {
  it.each([
    ['#/wall/a', { cycle: 0, layer: 'alarms', kiosk: false, floor: null }],
    ['#/wall/a?cycle=30', { cycle: 30, layer: 'alarms', kiosk: true, floor: null }],
    ['#/wall/a?cycle=2&layer=temperature&kiosk=0', { cycle: 5, layer: 'temperature', kiosk: false, floor: null }],
    ['#/wall?cycle=abc&layer=bogus&floor=l03&kiosk=1', { cycle: 0, layer: 'alarms', kiosk: true, floor: 'l03' }],
  ])('%s', (hash, expected) => expect(parseWallOptions(hash)).toEqual(expected));

  it('tours all floors, then each floor, then all again', () => {
    const floors = ['l02', 'l01'];
    expect(nextTourStop(null, floors)).toBe('l02');
    expect(nextTourStop('l02', floors)).toBe('l01');
    expect(nextTourStop('l01', floors)).toBeNull();
    expect(nextTourStop('gone', floors)).toBeNull();
  });
});
