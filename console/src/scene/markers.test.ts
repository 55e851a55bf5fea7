import { describe, expect, it } from 'vitest';
import type { PointState } from '../../../contracts/point.js';
import { markerLook } from './markers.js';
import { NEUTRAL, PRIORITY_COLOURS, QUALITY_COLOURS } from './palette.js';

const s = (value: PointState['value'], quality: PointState['quality'] = 'good'): PointState => ({ id: 'x', value, quality, readTs: 0, changedTs: 0 });
const m = (entries: Record<string, PointState>) => new Map(Object.entries(entries));

describe('markerLook', () => {
  it.each([
    ['a dry leak sensor', 'leak', m({ leak: s(false), battery: s(90) }), 'normal', NEUTRAL.marker],
    ['a wet leak sensor', 'leak', m({ leak: s(true) }), 'alarm', PRIORITY_COLOURS.critical],
    ['an open door', 'door', m({ open: s(true), forced: s(false) }), 'active', NEUTRAL.markerActive],
    ['a forced door', 'door', m({ open: s(true), forced: s(true) }), 'alarm', PRIORITY_COLOURS.high],
    ['a lighting panel with a circuit on', 'light', m({ corridor: s(true), 'corridor-current': s(2) }), 'active', NEUTRAL.markerActive],
    ['a lighting panel all off', 'light', m({ corridor: s(false), 'manual-override': s(true) }), 'normal', NEUTRAL.marker],
    ['a camera offline', 'camera', m({ status: s(0), motion: s(false) }), 'comm_fail', QUALITY_COLOURS.comm_fail],
    ['a silent device', 'env', m({ temperature: s(null, 'comm_fail'), humidity: s(null, 'comm_fail') }), 'comm_fail', QUALITY_COLOURS.comm_fail],
    ['a stale device', 'meter', m({ kw: s(3, 'stale') }), 'stale', QUALITY_COLOURS.stale],
    ['a device without data yet', 'hvac', m({}), 'none', QUALITY_COLOURS.none],
  ] as const)('%s', (_name, kind, states, flag, colour) => {
    const look = markerLook(kind, states);
    expect(look.flag).toBe(flag);
    expect(look.colour).toBe(colour);
  });
  it('shrinks untrusted markers and grows alarms, so size tells besides colour', () => {
    expect(markerLook('env', m({ t: s(1, 'stale') })).scale).toBeLessThan(1);
    expect(markerLook('leak', m({ leak: s(true) })).scale).toBeGreaterThan(1);
  });
});
