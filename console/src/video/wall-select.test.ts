import { describe, expect, it } from 'vitest';
import { camerasInArea, camerasNear, parseWallSource, selectWallCameras, topAlarm } from './wall-select.js';

const cams = [
  { id: 'cam-x1', location: 'out/x1/road' },
  { id: 'cam-x2', location: 'out/x2/road', state: 'offline' },
  { id: 'cam-x2b', location: 'out/x2/road' },
  { id: 'cam-plaza', location: 'out/plaza/plaza' },
  { id: 'cam-lobby', location: 'a/l01/lobby-101' },
  { id: 'cam-nowhere' },
];
const alarm = (id: string, over: object) => ({ id, area: 'out/x2/road', priority: 'medium', active: true, acked: false, activeSince: 1000, lastChange: 1000, ...over });

describe('wall source from the query', () => {
  it.each([
    ['by=alarm', { kind: 'alarm' }],
    ['area=out/x2', { kind: 'area', area: 'out/x2' }],
    ['?area=a', { kind: 'area', area: 'a' }],
    ['area=../../etc', { kind: 'all' }],
    ['layout=16', { kind: 'all' }],
  ])('%s', (q, want) => expect(parseWallSource(q)).toEqual(want));
});

describe('cameras of an area', () => {
  it('keeps the cameras whose location starts with the area path', () => {
    expect(camerasInArea(cams, 'out').map((c) => c.id)).toEqual(['cam-plaza', 'cam-x1', 'cam-x2', 'cam-x2b']);
    expect(camerasInArea(cams, 'out/x2').map((c) => c.id)).toEqual(['cam-x2', 'cam-x2b']);
    expect(camerasInArea(cams, 'b')).toEqual([]);
  });
});

describe('cameras by alarm', () => {
  it('the top alarm: active unacknowledged first, then priority, then newest; never a test run', () => {
    const list = [
      alarm('old-high', { priority: 'high', activeSince: 10 }),
      alarm('new-high', { priority: 'high', activeSince: 20 }),
      alarm('critical-acked', { priority: 'critical', acked: true }),
      alarm('test-critical', { priority: 'critical', test: 'run-1' }),
      alarm('low', { priority: 'low', activeSince: 99 }),
    ];
    expect(topAlarm(list)?.id).toBe('new-high');
    expect(topAlarm([alarm('cleared', { active: false, acked: true })])).toBeUndefined();
  });
  it('nearest first (same room, online before offline), then the rest', () => {
    expect(camerasNear(cams, 'out/x2/road').map((c) => c.id)).toEqual(['cam-x2b', 'cam-x2', 'cam-plaza', 'cam-x1', 'cam-lobby', 'cam-nowhere']);
    const sel = selectWallCameras(cams, { kind: 'alarm' }, [alarm('gate', { area: 'a/l01/lobby-101' })]);
    expect(sel.alarm?.id).toBe('gate');
    expect(sel.cameras[0].id).toBe('cam-lobby');
    expect(selectWallCameras(cams, { kind: 'alarm' }, []).cameras).toHaveLength(cams.length);
  });
});
