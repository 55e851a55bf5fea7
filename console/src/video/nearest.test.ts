import { describe, expect, it } from 'vitest';
import { nearestCamera, type LocatedCamera } from './nearest.js';

const cams: LocatedCamera[] = [
  { id: 'cam-lobby', location: 'a/l01/lobby-101', state: 'online' },
  { id: 'cam-parking', location: 'a/b1/parking-b1', state: 'online' },
  { id: 'cam-archive', location: 'a/b1/corridor-b1', state: 'offline' },
  { id: 'cam-archive-2', location: 'a/b1/corridor-b1', state: 'online' },
  { id: 'cam-nowhere' },
  { id: 'cam-b', location: 'b/l01/hall' },
];

describe('nearestCamera', () => {
  it.each([
    ['a/b1/corridor-b1', 'cam-archive-2', 'room'],   // same room; the online one of two
    ['a/b1/pump-room', 'cam-archive-2', 'floor'],     // same floor: online before offline, then id
    ['a/l05/server-501', 'cam-archive-2', 'building'],
    ['b/l02/office', 'cam-b', 'building'],
    ['b/l01/hall/extra', 'cam-b', 'room'],
  ])('%s → %s (%s)', (area, id, nearness) => {
    expect(nearestCamera(cams, area)).toEqual({ camera: expect.objectContaining({ id }), nearness });
  });
  it('finds nothing in a building without cameras, or for an empty area', () => {
    expect(nearestCamera(cams, 'c/l01/x')).toBeUndefined();
    expect(nearestCamera(cams, '')).toBeUndefined();
  });
});
