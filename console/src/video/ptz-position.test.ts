import { describe, expect, it } from 'vitest';
import { cameraPointPrefixes, positionFromPoints, positionReader } from './ptz-position.js';

const pt = (id: string, value: unknown, quality = 'good', kind = 'analog') => ({ id, kind, state: { id, value, quality, ts: 0 } }) as never;

describe('positionFromPoints', () => {
  it('reads pan/tilt/zoom by the last id segment', () => {
    expect(positionFromPoints([
      pt('hq/a/l01/lobby/cam/status', 1, 'good', 'multistate'),
      pt('hq/a/l01/lobby/cam/pan', 0.25), pt('hq/a/l01/lobby/cam/tilt', -0.5), pt('hq/a/l01/lobby/cam/zoom', 0),
    ])).toEqual({ pan: 0.25, tilt: -0.5, zoom: 0 });
  });
  it('is undefined when an axis is missing or not trustworthy', () => {
    expect(positionFromPoints([pt('x/pan', 0.25), pt('x/tilt', 0)])).toBeUndefined();
    expect(positionFromPoints([pt('x/pan', 0.25), pt('x/tilt', 0), pt('x/zoom', 0.1, 'comm_fail')])).toBeUndefined();
    expect(positionFromPoints([pt('x/pan', 0.25), pt('x/tilt', 0), { id: 'x/zoom', kind: 'analog', state: null } as never])).toBeUndefined();
  });
});

describe('positionReader', () => {
  it('asks the points API for each device prefix of the camera', async () => {
    const asked: string[] = [];
    const api = { allPoints: async (q: { prefix?: string }) => {
      asked.push(q.prefix!);
      return q.prefix === 'hq/a/b1/parking-b1/camera-2/' ? [pt(`${q.prefix}pan`, 1), pt(`${q.prefix}tilt`, 0), pt(`${q.prefix}zoom`, 0.5)] : [];
    } };
    const read = positionReader(api as never, 'hq', { location: 'a/b1/parking-b1', devices: ['camera-1', 'camera-2'] });
    expect(await read()).toEqual({ pan: 1, tilt: 0, zoom: 0.5 });
    expect(asked).toEqual(['hq/a/b1/parking-b1/camera-1/', 'hq/a/b1/parking-b1/camera-2/']);
    expect(cameraPointPrefixes('hq', { devices: ['x'] })).toEqual([]);
  });
});
