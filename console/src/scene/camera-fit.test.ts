import { describe, expect, it } from 'vitest';
import { cameraDistance } from './camera-fit.js';

const base = { fovDeg: 40, span: 60, depth: 24, height: 30 };
const tan = Math.tan((20 * Math.PI) / 180);

describe('cameraDistance', () => {
  it('a focused floor from above fills the screen by its limiting side (8 % margin)', () => {
    // Wide screen: the depth limits; tall screen: the width limits.
    expect(cameraDistance({ ...base, view: 'top', aspect: 1.6, focused: true })).toBeCloseTo(1.08 * Math.max(12 / tan, 30 / (tan * 1.6)));
    expect(cameraDistance({ ...base, view: 'top', aspect: 0.5, focused: true })).toBeCloseTo(1.08 * (30 / (tan * 0.5)));
  });

  it('the whole building stands further off than one floor, and top is closer than iso', () => {
    const iso = cameraDistance({ ...base, view: 'iso', aspect: 1.6, focused: false });
    expect(iso).toBeGreaterThan(cameraDistance({ ...base, view: 'iso', aspect: 1.6, focused: true }));
    expect(cameraDistance({ ...base, view: 'top', aspect: 1.6, focused: false })).toBeCloseTo(iso * 0.85);
  });
});
