import { describe, expect, it } from 'vitest';
import { cameraActionProblems } from './sections.js';

describe('cameraActionProblems', () => {
  const cameras = new Set(['cam-lobby', 'camera-lobby']);
  it.each([
    ['a known connection id', 'cam-lobby', []],
    ['a known device id', 'camera-lobby', []],
    ['an unknown camera', 'cam-b1-pump', ['rules[0].actions[1].camera: unknown camera "cam-b1-pump" (known: cam-lobby, camera-lobby)']],
  ])('%s', (_name, camera, expected) => {
    const file = { rules: [{ actions: [{ type: 'broadcast' }, { type: 'camera-snapshot', camera }] }, { actions: undefined }] };
    const got = cameraActionProblems(file, cameras).map((p) => `rules[${p.path[1]}].actions[${p.path[3]}].${p.path[4]}: ${p.message}`);
    expect(got).toEqual(expected);
  });
});
