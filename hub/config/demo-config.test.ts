// The demo site under config/ must always load, and the ids other parts (alarm rules,
// floor plans, dashboards, saved trends) refer to must never move: they are pinned here.
import { describe, expect, it } from 'vitest';
import { parsePointId } from '../../contracts/point.js';
import { loadConfig } from './load.js';

const cfg = loadConfig('config');
const ids = new Set(cfg.points.map((p) => p.info.id));

describe('demo config', () => {
  it('loads, with at least 300 points on building A (basement + 5 floors)', () => {
    expect(cfg.points.length).toBeGreaterThanOrEqual(300);
    expect(cfg.site.id).toBe('hq');
    expect(cfg.site.buildings.map((b) => b.id)).toEqual(['a']);
    expect(cfg.site.buildings[0].floors.map((f) => f.id)).toEqual(['b1', 'l01', 'l02', 'l03', 'l04', 'l05']);
  });

  it('has the rooms the site needs: archive, weak-current, server, meeting, office, corridor, lobby', () => {
    const types = new Set(cfg.site.buildings[0].floors.flatMap((f) => f.rooms.map((r) => r.type)));
    for (const t of ['archive', 'weak-current', 'server', 'meeting', 'office', 'corridor', 'lobby']) expect(types).toContain(t);
  });

  it('gives every point a well-formed id and names in both languages', () => {
    for (const p of cfg.points) {
      expect(parsePointId(p.info.id), p.info.id).not.toBeNull();
      expect(p.info.name.en.length).toBeGreaterThan(0);
      expect(p.info.name['zh-CN'].length).toBeGreaterThan(0);
    }
  });

  it.each([
    'hq/a/b1/pump-b101/leak-1/leak',
    'hq/a/b1/archive-b103/leak-1/leak',
    'hq/a/b1/archive-b103/door-1/open',
    'hq/a/b1/archive-b103/door-1/forced',
    'hq/a/b1/power-b102/meter-b1/voltage-l1',
    'hq/a/l01/weak-104/meter-l01/kw',
    'hq/a/l02/weak-205/lighting-l02/corridor',
    'hq/a/l03/weak-305/lighting-l03/archive-303',
    'hq/a/l05/office-503/door-1/forced',
  ])('keeps the stable id %s', (id) => {
    expect(ids.has(id)).toBe(true);
  });

  it('has writable points (relays, dimmers) for operators', () => {
    expect(cfg.points.filter((p) => p.info.writable).length).toBeGreaterThan(10);
  });
});
