import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLE_PERMISSIONS } from '../../contracts/auth.js';
import type { BoundPoint } from '../../contracts/driver.js';
import { auditDiff, diffConfig, isEmptyDiff, stableJson, summarizeDiff, type SiteSnapshot } from './diff.js';
import { sliceFor } from './units.js';

const point = (conn: string, dev: string, id: string, extra: Partial<BoundPoint['info']> = {}, source: unknown = { n: 0 }): BoundPoint => ({
  info: { id: `hq/a/l01/r1/${dev}/${id}`, name: { en: id, 'zh-CN': id }, kind: 'analog', writable: false, device: dev, protocol: 'tick', intervalMs: 1000, ...extra },
  device: dev, connection: conn, source,
});
const device = (conn: string, id: string, options: unknown = {}) => ({ id, connection: conn, options, name: { en: id, 'zh-CN': id }, location: { building: 'a', floor: 'l01', room: 'r1' }, file: `/x/${conn}.yaml` });

function snap(o: Partial<{ connections: Array<{ id: string; protocol?: string; options?: unknown }>; devices: ReturnType<typeof device>[]; points: BoundPoint[]; users: string[]; alarms: unknown; sections: Record<string, unknown>; port: number; tz: string }> = {}): SiteSnapshot {
  const sections = new Map<string, unknown>(Object.entries(o.sections ?? {}));
  if (o.alarms !== undefined) sections.set('alarms.yaml', o.alarms);
  return {
    config: {
      site: { id: 'hq', name: { en: 'HQ', 'zh-CN': '总部' }, timezone: o.tz ?? 'Asia/Shanghai', buildings: [] },
      hub: { host: '127.0.0.1', port: o.port ?? 8080, dataDir: '/d', liveWindowMs: 50, sessionTtlHours: 12, history: {} as never },
      connections: (o.connections ?? [{ id: 'gw-a' }, { id: 'gw-b' }]).map((c) => ({ id: c.id, protocol: c.protocol ?? 'tick', options: c.options ?? { periodMs: 50 } })),
      devices: o.devices ?? [device('gw-a', 'dev-a'), device('gw-b', 'dev-b')],
      points: o.points ?? [point('gw-a', 'dev-a', 'p-0'), point('gw-a', 'dev-a', 'p-1'), point('gw-b', 'dev-b', 'p-0')],
      users: (o.users ?? ['admin']).map((u) => ({ username: u, name: { en: u, 'zh-CN': u }, role: 'admin' as const, passwordHash: 'h' })),
      rolePermissions: DEFAULT_ROLE_PERMISSIONS,
    },
    sections,
  };
}

const base = snap();
const rule = (id: string, value = 1) => ({ id, type: 'limit', point: 'hq/a/l01/r1/dev-a/p-0', limits: { high: { value } } });

describe('diffConfig', () => {
  const cases: Array<{ name: string; next: SiteSnapshot; prev?: SiteSnapshot; expect: Record<string, unknown>; summary: string }> = [
    { name: 'nothing changed', next: snap(), expect: { connections: { added: [], removed: [], changed: [] } }, summary: 'no change' },
    {
      name: 'a point added to an existing connection restarts that connection only',
      next: snap({ points: [...base.config.points, point('gw-b', 'dev-b', 'p-1')] }),
      expect: { points: { added: ['hq/a/l01/r1/dev-b/p-1'], removed: [], changed: [] }, connections: { added: [], removed: [], changed: ['gw-b'] } },
      summary: 'connections +0 −0 ~1; points +1 −0 ~0',
    },
    {
      name: 'a new connection with its device and points touches no other connection',
      next: snap({ connections: [{ id: 'gw-a' }, { id: 'gw-b' }, { id: 'gw-c' }], devices: [...base.config.devices, device('gw-c', 'dev-c')], points: [...base.config.points, point('gw-c', 'dev-c', 'p-0')] }),
      expect: { connections: { added: ['gw-c'], removed: [], changed: [] }, devices: { added: ['a/l01/r1/dev-c'], removed: [], changed: [] } },
      summary: 'connections +1 −0 ~0; devices +1 −0 ~0; points +1 −0 ~0',
    },
    {
      name: 'a removed connection takes its device and points',
      next: snap({ connections: [{ id: 'gw-a' }], devices: [device('gw-a', 'dev-a')], points: base.config.points.slice(0, 2) }),
      expect: { connections: { added: [], removed: ['gw-b'], changed: [] }, points: { added: [], removed: ['hq/a/l01/r1/dev-b/p-0'], changed: [] } },
      summary: 'connections +0 −1 ~0; devices +0 −1 ~0; points +0 −1 ~0',
    },
    {
      name: 'a changed point source (same id) changes the point and restarts its connection',
      next: snap({ points: [base.config.points[0], point('gw-a', 'dev-a', 'p-1', {}, { n: 7 }), base.config.points[2]] }),
      expect: { points: { added: [], removed: [], changed: ['hq/a/l01/r1/dev-a/p-1'] }, connections: { added: [], removed: [], changed: ['gw-a'] } },
      summary: 'connections +0 −0 ~1; points +0 −0 ~1',
    },
    {
      name: 'a changed display name is a point change too (the console shows it)',
      next: snap({ points: [point('gw-a', 'dev-a', 'p-0', { name: { en: 'Zero', 'zh-CN': '零' } }), ...base.config.points.slice(1)] }),
      expect: { points: { added: [], removed: [], changed: ['hq/a/l01/r1/dev-a/p-0'] } },
      summary: 'connections +0 −0 ~1; points +0 −0 ~1',
    },
    {
      name: 'changed connection options',
      next: snap({ connections: [{ id: 'gw-a', options: { periodMs: 100 } }, { id: 'gw-b' }] }),
      expect: { connections: { added: [], removed: [], changed: ['gw-a'] } },
      summary: 'connections +0 −0 ~1',
    },
    {
      name: 'changed device options restart its connection',
      next: snap({ devices: [device('gw-a', 'dev-a'), device('gw-b', 'dev-b', { unit: 2 })] }),
      expect: { devices: { added: [], removed: [], changed: ['a/l01/r1/dev-b'] }, connections: { added: [], removed: [], changed: ['gw-b'] } },
      summary: 'connections +0 −0 ~1; devices +0 −0 ~1',
    },
    {
      name: 'a point moved to another connection restarts both',
      next: snap({ points: [base.config.points[0], { ...base.config.points[1], connection: 'gw-b' }, base.config.points[2]] }),
      expect: { connections: { added: [], removed: [], changed: ['gw-a', 'gw-b'] } },
      summary: 'connections +0 −0 ~2; points +0 −0 ~1',
    },
    {
      name: 'alarm rules added, removed and changed, by id',
      prev: snap({ alarms: { rules: [rule('r1'), rule('r2')] } }),
      next: snap({ alarms: { rules: [rule('r1', 2), rule('r3')] } }),
      expect: { alarmRules: { added: ['r3'], removed: ['r2'], changed: ['r1'], settingsChanged: false } },
      summary: 'alarm rules +1 −1 ~1',
    },
    {
      name: 'alarm defaults changed',
      prev: snap({ alarms: { defaults: { priority: 'low' }, rules: [] } }),
      next: snap({ alarms: { defaults: { priority: 'high' }, rules: [] } }),
      expect: { alarmRules: { added: [], removed: [], changed: [], settingsChanged: true } },
      summary: 'alarm defaults/time windows changed',
    },
    {
      name: 'users added and removed',
      next: snap({ users: ['admin', 'guard2'] }),
      prev: snap({ users: ['admin', 'old'] }),
      expect: { users: { added: ['guard2'], removed: ['old'], changed: [] } },
      summary: 'users +1 −1 ~0',
    },
    {
      name: 'an ONVIF camera added is a camera and a connection',
      next: snap({ connections: [{ id: 'gw-a' }, { id: 'gw-b' }, { id: 'cam-9', protocol: 'onvif', options: {} }] }),
      expect: { cameras: { added: ['cam-9'], removed: [], changed: [] }, connections: { added: ['cam-9'], removed: [], changed: [] } },
      summary: 'connections +1 −0 ~0; cameras +1 −0 ~0',
    },
    {
      name: 'schedules changed and the port changed: both reported, neither is a driver change',
      prev: snap({ sections: { 'schedules.yaml': { groups: [] } } }),
      next: snap({ sections: { 'schedules.yaml': { groups: [{ id: 'g' }] } }, port: 9090 }),
      expect: { sectionsChanged: ['schedules.yaml'], restartNeeded: ['needs restart: hub.yaml port'], connections: { added: [], removed: [], changed: [] } },
      summary: 'changed: schedules.yaml; needs restart: hub.yaml port',
    },
    { name: 'the site time zone changed', next: snap({ tz: 'UTC' }), expect: { siteChanged: true }, summary: 'site tree changed' },
    {
      name: 'a hub.yaml key without a fixed list (allowedOrigins) is reported as needing a restart',
      next: { ...base, config: { ...base.config, hub: { ...base.config.hub, allowedOrigins: ['https://wall.example'] } } },
      expect: { restartNeeded: ['needs restart: hub.yaml allowedOrigins'] },
      summary: 'needs restart: hub.yaml allowedOrigins',
    },
    {
      name: 'a changed floor plan is a changed section named by its file',
      prev: { ...base, config: { ...base.config, floorPlans: new Map([['a', { building: 'a', floors: [] } as never]]) } },
      next: { ...base, config: { ...base.config, floorPlans: new Map([['a', { building: 'a', floors: [{ id: 'l01' }] } as never]]) } },
      expect: { sectionsChanged: ['floorplans/a.yaml'] },
      summary: 'changed: floorplans/a.yaml',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = diffConfig(c.prev ?? base, c.next);
      expect(d).toMatchObject(c.expect);
      expect(summarizeDiff(d)).toBe(c.summary);
      expect(isEmptyDiff(d)).toBe(c.summary === 'no change');
    });
  }

  it('the audit form caps long id lists', () => {
    const many = Array.from({ length: 50 }, (_, i) => point('gw-b', 'dev-b', `q-${i}`));
    const a = auditDiff(diffConfig(base, snap({ points: [...base.config.points, ...many] })), 5);
    expect(a.points).toEqual({ added: { count: 50, first: many.slice(0, 5).map((p) => p.info.id) } });
  });
});

describe('stableJson', () => {
  it('ignores key order, keeps array order', () => {
    expect(stableJson({ b: 1, a: { d: 2, c: [3, 1] } })).toBe(stableJson({ a: { c: [3, 1], d: 2 }, b: 1 }));
    expect(stableJson([1, 2])).not.toBe(stableJson([2, 1]));
  });
});

describe('sliceFor', () => {
  it('takes the connections, devices and points of the given connections, in config order', () => {
    const s = sliceFor(base.config, new Set(['gw-b']));
    expect(s.connections.map((c) => c.id)).toEqual(['gw-b']);
    expect(s.devices.map((d) => d.id)).toEqual(['dev-b']);
    expect(s.points.map((p) => p.info.id)).toEqual(['hq/a/l01/r1/dev-b/p-0']);
  });
});
