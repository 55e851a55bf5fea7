import { describe, expect, it } from 'vitest';
import type { PointState } from '../../../contracts/point.js';
import { DEVIATION_COLOURS, NEUTRAL, PRIORITY_COLOURS, QUALITY_COLOURS } from './palette.js';
import { alarmLook, isShownAlarm, layerOfPoint, lookColour, measuredLook } from './room-state.js';

const state = (value: number | null, quality: PointState['quality'] = 'good'): PointState => ({ id: 'x', value, quality, readTs: 0, changedTs: 0 });

describe('layerOfPoint', () => {
  it.each([
    [{ id: 'hq/a/l02/office-201/vav-201/zone-temp', kind: 'analog', brick: 'Zone_Air_Temperature_Sensor' }, 'temperature'],
    [{ id: 'hq/a/l02/office-201/vav-201/zone-temp-sp', kind: 'analog', brick: 'Zone_Air_Temperature_Setpoint' }, null],
    [{ id: 'hq/a/l02/office-201/env-1/temperature', kind: 'analog' }, 'temperature'],
    [{ id: 'hq/a/b1/plant-b105/chiller-1/chw-supply-temp', kind: 'analog', brick: 'Chilled_Water_Supply_Temperature_Sensor' }, null],
    [{ id: 'hq/a/l03/archive-303/env-1/humidity', kind: 'analog', brick: 'Relative_Humidity_Sensor' }, 'humidity'],
    [{ id: 'hq/a/l02/meeting-204/env-1/co2', kind: 'analog', brick: 'CO2_Sensor' }, 'co2'],
    [{ id: 'hq/a/b1/plant-b105/chiller-1/power', kind: 'analog', unit: 'kW', brick: 'Electric_Power_Sensor' }, 'energy'],
    [{ id: 'hq/a/b1/pump-b101/leak-1/leak', kind: 'binary' }, null],
  ] as const)('%j → %s', (point, layer) => expect(layerOfPoint(point)).toBe(layer));
});

describe('measuredLook', () => {
  it.each([
    ['no points', [], { kind: 'none' }],
    ['inside the band', [state(22), state(24)], { kind: 'normal', value: 23 }],
    ['slightly warm', [state(27.5)], { kind: 'high', value: 27.5, level: 1 }],
    ['very warm', [state(40)], { kind: 'high', value: 40, level: 3 }],
    ['cold', [state(16.5)], { kind: 'low', value: 16.5, level: 2 }],
    ['a stale sensor ignored beside a good one', [state(30, 'stale'), state(22)], { kind: 'normal', value: 22 }],
    ['only stale', [state(30, 'stale')], { kind: 'untrusted', quality: 'stale', value: 30 }],
    ['comm fail', [state(null, 'comm_fail'), undefined], { kind: 'untrusted', quality: 'comm_fail', value: null }],
  ] as const)('temperature: %s', (_name, states, look) => {
    expect(measuredLook('temperature', states as ReadonlyArray<PointState | undefined>)).toEqual(look);
  });
  it('adds power up instead of averaging it', () => {
    expect(measuredLook('energy', [state(40), state(30)])).toEqual({ kind: 'high', value: 70, level: 1 });
  });
});

describe('alarms on the plan', () => {
  const a = (priority: 'critical' | 'high' | 'medium' | 'low', st: Parameters<typeof isShownAlarm>[0]['state'], active = true) => ({ priority, state: st, active });
  it('shows the highest priority that still wants attention', () => {
    expect(alarmLook([a('low', 'unacknowledged'), a('high', 'acknowledged'), a('critical', 'shelved')])).toEqual({ kind: 'alarm', priority: 'high', count: 2 });
    expect(alarmLook([a('critical', 'rtn_unacknowledged', false)])).toEqual({ kind: 'alarm', priority: 'critical', count: 1 });
    expect(alarmLook([a('critical', 'suppressed'), a('high', 'out_of_service')]).kind).toBe('normal');
  });
  it('colours: grey when normal, palette colours otherwise', () => {
    expect(lookColour({ kind: 'normal', value: 1 })).toBe(NEUTRAL.room);
    expect(lookColour({ kind: 'alarm', priority: 'critical', count: 1 })).toBe(PRIORITY_COLOURS.critical);
    expect(lookColour({ kind: 'untrusted', quality: 'comm_fail', value: null })).toBe(QUALITY_COLOURS.comm_fail);
    expect(lookColour({ kind: 'high', value: 30, level: 2 })).toBe(DEVIATION_COLOURS.high[1]);
  });
});
