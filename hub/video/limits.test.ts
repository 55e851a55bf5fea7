import { describe, expect, it } from 'vitest';
import { STATUS_OF_KIND } from '../errors.js';
import { admitViewer, TranscodeBudgetError, ViewerLimitError } from './limits.js';

const limits = { maxViewersPerCamera: 2, maxTranscodes: 1 };
const base = { camera: 'cam-gate', viewers: 0, running: false, needsTranscode: false, transcoding: [] as string[], limits };

describe('admitViewer', () => {
  it.each([
    ['a first viewer', {}, undefined],
    ['below the viewer limit', { viewers: 1, running: true }, undefined],
    ['at the viewer limit', { viewers: 2, running: true }, 'viewer_limit'],
    ['an H.264 camera while the budget is used', { transcoding: ['cam-x'] }, undefined],
    ['an H.265 camera while the budget is used', { needsTranscode: true, transcoding: ['cam-x'] }, 'transcode_budget'],
    ['an H.265 camera already transcoding (joins its stream)', { needsTranscode: true, running: true, transcoding: ['cam-gate'] }, undefined],
    ['an H.265 camera with budget left', { needsTranscode: true }, undefined],
  ])('%s', (_what, over, code) => {
    expect(admitViewer({ ...base, ...over })?.code).toBe(code);
  });
  it('refusals are coded domain errors naming the camera and the limit: 429 and 503', () => {
    const v = admitViewer({ ...base, viewers: 2 }) as ViewerLimitError;
    expect(v).toBeInstanceOf(ViewerLimitError);
    expect(STATUS_OF_KIND[v.kind]).toBe(429);
    expect(v.message).toMatch(/camera cam-gate already has 2 viewers.*maxViewersPerCamera/);
    const t = admitViewer({ ...base, needsTranscode: true, transcoding: ['cam-x'] }) as TranscodeBudgetError;
    expect(STATUS_OF_KIND[t.kind]).toBe(503);
    expect(t.message).toMatch(/camera cam-gate needs transcoding.*budget of 1 stream\(s\).*cam-x/);
  });
});
