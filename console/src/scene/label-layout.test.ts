import { describe, expect, it } from 'vitest';
import { clampCentre, labelRank, layoutLabels } from './label-layout.js';

describe('clampCentre', () => {
  it.each([
    // centre, size, span → kept inside with a 4 px margin
    [-40, 120, 1000, 64], // a floor name off the left edge comes back in
    [500, 120, 1000, 500], // inside: untouched
    [990, 120, 1000, 936], // off the right edge
    [50, 2000, 1000, 500], // wider than the picture: centred
  ])('%d (size %d in %d) → %d', (centre, size, span, want) => {
    expect(clampCentre(centre, size, span)).toBe(want);
  });
});

describe('layoutLabels', () => {
  it('keeps every label inside the picture', () => {
    const [floor] = layoutLabels([{ key: 'b1/', x: -30, y: 300, w: 180, h: 30, rank: 2 }], 1500, 900);
    expect(floor.x - 90).toBeGreaterThanOrEqual(0);
    expect(floor.visible).toBe(true);
  });

  it('hides a room name an alarm label would cover, keeps one clear of it', () => {
    const placed = layoutLabels([
      { key: 'b1/b102', x: 700, y: 300, w: 120, h: 26, rank: labelRank('scene-label room-name') },
      { key: 'b1/b101', x: 600, y: 300, w: 560, h: 60, rank: labelRank('scene-label alarm prio-critical') },
      { key: 'b1/b105', x: 600, y: 600, w: 120, h: 26, rank: labelRank('scene-label room-name') },
    ], 1500, 900);
    expect(placed.map((p) => [p.key, p.visible])).toEqual([['b1/b102', false], ['b1/b101', true], ['b1/b105', true]]);
  });

  it('moves a second alarm label off the first rather than hiding it', () => {
    const placed = layoutLabels([
      { key: 'l1/a', x: 500, y: 300, w: 300, h: 40, rank: 0 },
      { key: 'l1/b', x: 520, y: 310, w: 300, h: 40, rank: 0 },
    ], 1500, 900);
    expect(placed.every((p) => p.visible)).toBe(true);
    expect(Math.abs(placed[0].y - placed[1].y)).toBeGreaterThanOrEqual(40);
  });

  it('ranks alarms over other abnormal states over floor names over room names', () => {
    expect(['scene-label alarm prio-low', 'scene-label high', 'scene-label floor-label', 'scene-label room-name'].map(labelRank)).toEqual([0, 1, 2, 3]);
  });
});
