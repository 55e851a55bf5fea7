import { beforeAll, describe, expect, it } from 'vitest';
import type { AlarmView } from '../../../contracts/alarms.js';
import type { PointView } from '../../../contracts/api.js';
import type { BuildingPlan, FloorPlan } from '../../../contracts/geometry.js';
import type { PointState } from '../../../contracts/point.js';
import { setLocale } from '../i18n.js';
import type { RoomLook } from '../scene/room-state.js';
import { WallModel } from './wall-model.js';
import { WallViewState, allAlarms, floorsTopDown, keyFigures, keyOfRoom, labelFor, panelTarget, stripItems } from './wall-view-model.js';

const floor = (id: string, rooms: string[], devices: FloorPlan['devices'] = []): FloorPlan => ({
  id, name: { en: id.toUpperCase(), 'zh-CN': id.toUpperCase() }, elevation: 0, height: 3, outline: [], doors: [], windows: [], devices,
  rooms: rooms.map((r) => ({ id: r, outline: [] })) as unknown as FloorPlan['rooms'],
});
const plan: BuildingPlan = { version: 1, site: 'hq', building: 'a', name: { en: 'A', 'zh-CN': 'A' }, floors: [floor('b1', ['pump']), floor('l01', ['lobby', 'r101'])] };
const st = (id: string, value: PointState['value'], quality: PointState['quality'] = 'good'): PointState => ({ id, value, quality, readTs: 1, changedTs: 1 });
const pv = (id: string, kind: 'analog' | 'binary' = 'analog') => ({ id, kind }) as unknown as PointView;
const POINTS = [
  pv('hq/a/l01/lobby/env-1/temperature'), pv('hq/a/l01/r101/env-1/temperature'),
  pv('hq/a/l01/lobby/door-1/open', 'binary'), pv('hq/a/b1/pump/cam-1/online', 'binary'),
];
const MARKERS = [{ floor: 'l01', room: 'lobby', equipment: 'door-1', kind: 'door' as const }, { floor: 'b1', room: 'pump', equipment: 'cam-1', kind: 'camera' as const }];
const alarm = (id: string, priority: AlarmView['priority'], state: AlarmView['state'], area: string): AlarmView => ({
  id, ruleId: id, pointId: 'hq/a/l01/lobby/door-1/open', priority, area, state, active: state !== 'normal', acked: false, escalated: false,
  message: { en: `msg ${id}`, 'zh-CN': id }, value: null, quality: 'good', triggerValue: null, activeSince: 1, lastChange: 1, ageMs: 0,
});
const roomName = (f: string, r: string) => `${r}@${f}`;

beforeAll(() => setLocale('en'));

describe('wall view-model: labels', () => {
  it.each<[string, RoomLook, string]>([
    ['alarm, one', { kind: 'alarm', priority: 'critical', count: 1 }, '◆ Lobby · Critical'],
    ['alarm, several', { kind: 'alarm', priority: 'high', count: 3 }, ' Lobby · High ×3'],
    ['high value', { kind: 'high', value: 27.26 } as RoomLook, '▲ Lobby 27.3 °C'],
    ['low value', { kind: 'low', value: 15 } as RoomLook, '▼ Lobby 15 °C'],
    ['normal: no label', { kind: 'normal', value: 21 } as RoomLook, ''],
  ])('%s', (_name, look, expected) => {
    const label = labelFor(look, '°C', 'Lobby');
    if (look.kind === 'alarm') expect(label.endsWith(expected.trim())).toBe(true);
    else expect(label).toBe(expected);
  });
});

describe('wall view-model: derivations', () => {
  it.each<[string, string, [string, string] | null]>([
    ['floor/room', 'l01/lobby', ['l01', 'lobby']],
    ['a bare room is found on its floor', 'pump', ['b1', 'pump']],
    ['unknown room', 'attic', null],
  ])('keyOfRoom: %s', (_n, room, expected) => expect(keyOfRoom(plan, room)).toEqual(expected));

  it('orders floors top down and has none without a plan', () => {
    expect(floorsTopDown(plan)).toEqual(['l01', 'b1']);
    expect(floorsTopDown(null)).toEqual([]);
  });

  it('counts key figures from the model: mean trusted temperature, doors open', () => {
    expect(keyFigures(null)).toEqual({ meanTemp: null, devicesDown: 0, doorsOpen: 0, lightsOn: 0 });
    const model = new WallModel(['b1/pump', 'l01/lobby', 'l01/r101'], MARKERS, POINTS);
    model.snapshot([st(POINTS[0].id, 20), st(POINTS[1].id, 24), st(POINTS[2].id, true)]);
    const f = keyFigures(model);
    expect(f.meanTemp).toBe(22);
    expect(f.doorsOpen).toBe(1);
    model.apply([st(POINTS[1].id, 99, 'comm_fail')]);
    expect(keyFigures(model).meanTemp).toBe(20);
  });

  it('builds the strip from urgent alarms with floor and room names', () => {
    const model = new WallModel(['b1/pump', 'l01/lobby'], MARKERS, POINTS);
    model.alarmsSnapshot([alarm('x', 'low', 'unacknowledged', 'a/l01/lobby'), alarm('y', 'critical', 'unacknowledged', 'a/b1/pump'), alarm('z', 'high', 'acknowledged', 'a/l01/lobby')]);
    expect([...allAlarms(model)].map((a) => a.id).sort()).toEqual(['x', 'y', 'z']);
    expect(stripItems(allAlarms(model), plan, roomName)).toEqual([
      { id: 'y', priority: 'critical', floor: 'b1', where: 'B1 · pump@b1', message: 'msg y' },
      { id: 'x', priority: 'low', floor: 'l01', where: 'L01 · lobby@l01', message: 'msg x' },
    ]);
    expect(stripItems(allAlarms(null), plan, roomName)).toEqual([]);
  });

  it.each<[string, Parameters<typeof panelTarget>[3], unknown]>([
    ['a camera marker opens its live view', { type: 'device', index: 1, floor: 'b1' }, { kind: 'camera', equipment: 'cam-1' }],
    ['a device opens its own points in its room', { type: 'device', index: 0, floor: 'l01' }, { kind: 'room', key: 'l01/lobby', ids: [POINTS[2].id], title: 'door-1 · lobby@l01' }],
    ['a room opens every point in it', { type: 'room', floor: 'l01', room: 'lobby' }, { kind: 'room', key: 'l01/lobby', ids: [POINTS[0].id, POINTS[2].id], title: 'lobby@l01 · L01' }],
  ])('panelTarget: %s', (_n, pick, expected) => {
    const model = new WallModel(['b1/pump', 'l01/lobby', 'l01/r101'], MARKERS, POINTS);
    const target = panelTarget(model, plan, POINTS, pick, roomName);
    expect(target.kind === 'camera' ? target : { kind: target.kind, key: target.key, ids: target.points.map((p) => p.id), title: target.title() }).toEqual(expected);
  });
});

describe('wall view-model: state and actions', () => {
  it('starts from the URL options; toggles explode, tour and link', () => {
    const vm = new WallViewState({ layer: 'co2', floor: 'l01', cycle: 0 });
    expect([vm.layer, vm.tourStop, vm.tourOn, vm.cycleSeconds, vm.exploded]).toEqual(['co2', 'l01', false, 30, true]);
    expect(vm.toggleExplode()).toBe(false);
    expect(vm.toggleTour()).toBe(true);
    vm.setLink(false, 1234);
    expect([vm.linkUp, vm.lostSince]).toEqual([false, 1234]);
    expect(new WallViewState({ layer: 'alarms', floor: null, cycle: 12 }).cycleSeconds).toBe(12);
  });

  it.each<[string, boolean, string[] | null, AlarmView[], string | null, string | null | undefined, string | null]>([
    ['tour off: never moves', false, ['l01', 'b1'], [], null, undefined, null],
    ['no plan yet: never moves', true, null, [], null, undefined, null],
    ['a tick moves to the next floor', true, ['l01', 'b1'], [], 'l01', 'b1', null],
    ['an unacknowledged alarm takes the tour to its floor and holds', true, ['l01', 'b1'], [alarm('c', 'critical', 'unacknowledged', 'a/b1/pump')], 'l01', 'b1', 'c'],
  ])('steer: %s', (_n, tourOn, floors, alarms, start, expectedFloor, expectedHolding) => {
    const vm = new WallViewState({ layer: 'alarms', floor: start, cycle: tourOn ? 10 : 0 });
    expect(vm.steer(true, floors, alarms, start)).toBe(expectedFloor);
    expect(vm.holding).toBe(expectedHolding);
  });

  it('steer refocuses when the scene is not on the tour stop, even without a move', () => {
    const vm = new WallViewState({ layer: 'alarms', floor: 'b1', cycle: 10 });
    expect(vm.steer(false, ['l01', 'b1'], [], 'b1')).toBeUndefined();
    expect(vm.steer(false, ['l01', 'b1'], [], null)).toBe('b1');
  });
});
