import { describe, expect, it } from 'vitest';
import type { SiteTree } from '../contracts/api.js';
import { formatProblem, validateBuildingPlan, type PlanContext } from './validate.js';

const name = { en: 'X', 'zh-CN': '某' };
const site: SiteTree = {
  id: 'hq', name, timezone: 'UTC',
  buildings: [{ id: 'a', name, floors: [{ id: 'l01', key: 'hq/a/l01', name, level: 1, rooms: [
    { id: 'office-101', name, type: 'office' },
    { id: 'corridor-l1', name, type: 'corridor' },
  ] }] }],
};
const ctx: PlanContext = {
  site,
  devices: [
    { id: 'leak-1', location: { building: 'a', floor: 'l01', room: 'office-101' } },
  ],
};

function plan(mutate: (p: ReturnType<typeof goodPlan>) => void = () => {}) {
  const p = goodPlan();
  mutate(p);
  return p;
}
function goodPlan() {
  return {
    version: 1, site: 'hq', building: 'a', name,
    floors: [{
      id: 'l01', name, elevation: 0, height: 4,
      outline: [[0, 0], [10, 0], [10, 10], [0, 10]],
      rooms: [
        { id: 'office-101', polygon: [[0, 0], [10, 0], [10, 6], [0, 6]] },
        { id: 'corridor-l1', polygon: [[0, 6], [10, 6], [10, 10], [0, 10]] },
      ],
      doors: [{ from: [4, 6], to: [5, 6], room: 'office-101' }],
      windows: [] as unknown[],
      devices: [{ room: 'office-101', equipment: 'leak-1', at: [2, 2], kind: 'leak' }],
    }],
  } as { version: number; site: string; building: string; name: typeof name; floors: Array<Record<string, unknown> & { rooms: Array<{ id: string; polygon: number[][] }>; devices: Array<Record<string, unknown>> }> };
}

describe('validateBuildingPlan', () => {
  it('accepts a complete, well-formed plan', () => {
    const { plan: ok, problems } = validateBuildingPlan(goodPlan(), 'a.yaml', ctx);
    expect(problems).toEqual([]);
    expect(ok?.floors[0].rooms).toHaveLength(2);
  });

  it.each<[string, (p: ReturnType<typeof goodPlan>) => void, string]>([
    ['a self-intersecting room', (p) => { p.floors[0].rooms[0].polygon = [[0, 0], [10, 6], [10, 0], [0, 6]]; },
      'a.yaml: floors[0].rooms[0].polygon: self-intersecting: edge 0→1 crosses edge 2→3'],
    ['a room id not in the config', (p) => { p.floors[0].rooms[1].id = 'ballroom'; },
      'a.yaml: floors[0].rooms[1].id: room "ballroom" is not a room of a/l01 in the site config'],
    ['a device outside its room', (p) => { p.floors[0].devices[0].at = [2, 8]; },
      'a.yaml: floors[0].devices[0].at: [2, 8] is outside its room "office-101"'],
    ['a device that is not configured', (p) => { p.floors[0].devices[0].equipment = 'leak-9'; },
      'a.yaml: floors[0].devices[0].equipment: no device "leak-9" in room a/l01/office-101 in the device config'],
    ['a room missing its geometry', (p) => { p.floors[0].rooms.pop(); },
      'a.yaml: floors[0].rooms: room "corridor-l1" of the site config has no geometry'],
    ['a device without a place', (p) => { p.floors[0].devices = []; },
      'a.yaml: floors[0].devices: device "office-101/leak-1" of the device config has no place'],
    ['a room outside the slab', (p) => { p.floors[0].rooms[1].polygon = [[0, 6], [12, 6], [12, 10], [0, 10]]; },
      'a.yaml: floors[0].rooms[1].polygon: lies outside the floor outline'],
    ['an unknown floor', (p) => { p.floors[0].id = 'l09'; },
      'a.yaml: floors[0].id: floor "l09" is not a floor of building a (has: l01)'],
    ['an unknown key', (p) => { (p.floors[0] as Record<string, unknown>).colour = 'red'; },
      'a.yaml: floors[0]: Unrecognized key: "colour"'],
    ['a non-number coordinate', (p) => { p.floors[0].rooms[0].polygon[1] = [10, 'x' as unknown as number]; },
      'a.yaml: floors[0].rooms[0].polygon[1][1]: Invalid input: expected number, received string'],
    ['a zero height', (p) => { p.floors[0].height = 0; },
      'a.yaml: floors[0].height: must be > 0'],
    ['a wrong building', (p) => { p.building = 'z'; },
      'a.yaml: building: building "z" is not in the site config (has: a)'],
  ])('refuses %s with file: path: reason', (_name, mutate, expected) => {
    const { plan: refused, problems } = validateBuildingPlan(plan(mutate), 'a.yaml', ctx);
    expect(refused).toBeNull();
    expect(problems.map(formatProblem)).toContain(expected);
  });

  it('lets a partial plan through when completeness is not required', () => {
    const { problems } = validateBuildingPlan(plan((p) => { p.floors[0].devices = []; }), 'a.yaml', { ...ctx, complete: false });
    expect(problems).toEqual([]);
  });
});
