import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DriverFactory } from '../../contracts/driver.js';
import { ConfigError, loadConfig } from './load.js';
import { formatConfigPath } from './errors.js';

// A protocol used only to exercise the loader's generic paths; the real drivers
// are exercised against the demo config in demo-config.test.ts.
const testFactory: DriverFactory = {
  protocol: 'test',
  connectionSchema: z.strictObject({ pollMs: z.number().int().default(500) }),
  deviceSchema: z.strictObject({ unit: z.number().int().min(0).max(255).default(1) }),
  sourceSchema: z.strictObject({ address: z.number().int().min(0, 'must be 0..65535').max(65535, 'must be 0..65535') }),
  intervalMs: (c: { pollMs: number }) => c.pollMs,
  check: (devices) =>
    devices.flatMap((d) => {
      const seen = new Map<number, number>();
      return d.points.flatMap(({ index, point }) => {
        const a = (point.source as { address: number }).address;
        if (seen.has(a)) return [{ path: ['devices', d.index, 'points', index, 'source', 'address'], message: `overlaps points[${seen.get(a)}]` }];
        seen.set(a, index);
        return [];
      });
    }),
  create: () => {
    throw new Error('not used');
  },
};

// Shaped like a real hash (16-byte salt, 32-byte key): config checks the parameters and lengths, not the password.
const HASH = 'scrypt$16384$8$1$V/QN9vWrjJeft4EasNCccg==$pYw/s6nv6Jk3ROz5ZB8fpb4jk0DhdRuwUW4IbLWwqVI=';
const tmpDirs: string[] = [];

function writeConfig(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-config-'));
  tmpDirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const SITE = `
site:
  id: hq
  name: { en: HQ, zh-CN: 总部 }
  timezone: Asia/Shanghai
  buildings:
    - id: a
      name: { en: Tower A, zh-CN: A座 }
      floors:
        - id: b1
          level: -1
          name: { en: Basement 1, zh-CN: 地下一层 }
          rooms:
            - { id: pump-b101, type: plant, name: { en: Pump room, zh-CN: 水泵房 } }
            - { id: archive-b103, type: archive, name: { en: Archive, zh-CN: 档案库 } }
`;
const USERS = `
users:
  - { username: guard, name: { en: Guard, zh-CN: 保安 }, role: guard, password: "${HASH}" }
`;
function devices(points: string, extra = ''): string {
  return `
connections:
  - { id: gw-b1, protocol: test, options: { pollMs: 250 } }
devices:
  - id: leak-1
    name: { en: Leak sensor, zh-CN: 漏水传感器 }
    location: a/b1/pump-b101
    connection: gw-b1
    options: { unit: 3 }
    points:
${points}
${extra}`;
}
const GOOD_POINTS = `
      - { id: leak, name: { en: Leak, zh-CN: 漏水 }, kind: binary, source: { address: 0 } }
      - { id: level, name: { en: Level, zh-CN: 水位 }, kind: analog, unit: mm, limits: { min: 0, max: 500 }, writable: true, source: { address: 1 } }
`;

function problemsOf(dir: string): string[] {
  try {
    loadConfig(dir, { drivers: [testFactory] });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message.split('\n').slice(1).map((l) => l.trim());
  }
  throw new Error('config was accepted but should have been refused');
}

afterEach(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('resolves a valid folder into points with full ids and driver-validated parts', () => {
    const dir = writeConfig({ 'site.yaml': SITE, 'users.yaml': USERS, 'devices/a.yaml': devices(GOOD_POINTS) });
    const cfg = loadConfig(dir, { drivers: [testFactory] });
    expect(cfg.points.map((p) => p.info.id)).toEqual(['hq/a/b1/pump-b101/leak-1/leak', 'hq/a/b1/pump-b101/leak-1/level']);
    expect(cfg.points[1].info).toMatchObject({ kind: 'analog', unit: 'mm', writable: true, protocol: 'test', intervalMs: 250, device: 'leak-1' });
    expect(cfg.points[0].info.writable).toBe(false);
    expect(cfg.devices[0]).toMatchObject({ id: 'leak-1', options: { unit: 3 }, location: { building: 'a', floor: 'b1', room: 'pump-b101' } });
    expect(cfg.hub).toMatchObject({ host: '127.0.0.1', port: 8080, liveWindowMs: 50 });
    expect(cfg.hub.dataDir).toBe(path.join(path.dirname(dir), 'data'));
    expect(cfg.site.buildings[0].floors[0].key).toBe('hq/a/b1');
    expect(cfg.users[0]).toMatchObject({ username: 'guard', role: 'guard', passwordHash: HASH });
    expect(cfg.rolePermissions.guard).toContain('alarms:ack');
  });

  const cases: Array<{ name: string; files: Record<string, string>; expected: string }> = [
    {
      name: 'an address out of range, with the driver schema message and the full path',
      files: { 'devices/a.yaml': devices(`      - { id: leak, name: { en: L, zh-CN: 漏 }, kind: binary, source: { address: 70000 } }`) },
      expected: 'devices/a.yaml: devices[0].points[0].source.address: must be 0..65535',
    },
    {
      name: 'an unknown key in a point',
      files: { 'devices/a.yaml': devices(`      - { id: leak, name: { en: L, zh-CN: 漏 }, kind: binary, colour: red, source: { address: 0 } }`) },
      expected: 'devices/a.yaml: devices[0].points[0]: Unrecognized key: "colour"',
    },
    {
      name: 'an unknown key in a driver source',
      files: { 'devices/a.yaml': devices(`      - { id: leak, name: { en: L, zh-CN: 漏 }, kind: binary, source: { address: 0, adress: 1 } }`) },
      expected: 'devices/a.yaml: devices[0].points[0].source: Unrecognized key: "adress"',
    },
    {
      name: 'a duplicate point id',
      files: { 'devices/a.yaml': devices(`${GOOD_POINTS}      - { id: leak, name: { en: L, zh-CN: 漏 }, kind: binary, source: { address: 9 } }`) },
      expected: 'devices/a.yaml: devices[0].points[2].id: duplicate point id "hq/a/b1/pump-b101/leak-1/leak"',
    },
    {
      name: 'overlapping registers reported by the driver cross-check',
      files: { 'devices/a.yaml': devices(`${GOOD_POINTS}      - { id: other, name: { en: O, zh-CN: 其他 }, kind: binary, source: { address: 1 } }`) },
      expected: 'devices/a.yaml: devices[0].points[2].source.address: overlaps points[1]',
    },
    {
      name: 'a device on an unknown connection',
      files: { 'devices/a.yaml': devices(GOOD_POINTS).replace('connection: gw-b1', 'connection: gw-x') },
      expected: 'devices/a.yaml: devices[0].connection: unknown connection "gw-x"',
    },
    {
      name: 'a device in a room the site does not have',
      files: { 'devices/a.yaml': devices(GOOD_POINTS).replace('location: a/b1/pump-b101', 'location: a/b1/nowhere') },
      expected: 'devices/a.yaml: devices[0].location: unknown room "a/b1/nowhere" (not in site.yaml)',
    },
    {
      name: 'an unknown protocol',
      files: { 'devices/a.yaml': devices(GOOD_POINTS).replace('protocol: test', 'protocol: bacnet') },
      expected: 'devices/a.yaml: connections[0].protocol: unknown protocol "bacnet" (known: test)',
    },
    {
      name: 'a plain-text password',
      files: { 'users.yaml': USERS.replace(HASH, 'hunter2') },
      expected: 'users.yaml: users[0].password: must be a scrypt hash (npm run hash-password -- <password>), never plain text',
    },
    {
      name: 'a YAML syntax error with its line',
      files: { 'site.yaml': 'site:\n  id: hq\n  name: [unclosed\n' },
      expected: 'site.yaml: line',
    },
    {
      name: 'a bad time zone',
      files: { 'site.yaml': SITE.replace('Asia/Shanghai', 'Mars/Olympus') },
      expected: 'site.yaml: site.timezone: must be an IANA time zone such as Asia/Shanghai',
    },
    {
      name: 'limits on a binary point',
      files: { 'devices/a.yaml': devices(`      - { id: leak, name: { en: L, zh-CN: 漏 }, kind: binary, limits: { max: 1 }, source: { address: 0 } }`) },
      expected: 'devices/a.yaml: devices[0].points[0].limits: limits are only for analog points',
    },
    {
      name: 'an unknown key in hub.yaml',
      files: { 'hub.yaml': 'port: 8080\nbind: 0.0.0.0\n' },
      expected: 'hub.yaml: Unrecognized key: "bind"',
    },
    {
      name: 'a trusted proxy that is not an address',
      files: { 'hub.yaml': 'port: 8080\ntrustedProxies: [127.0.0.1, nginx.local]\n' },
      expected: 'hub.yaml: trustedProxies: "nginx.local" is not an IP address or CIDR block',
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name}`, () => {
      const dir = writeConfig({ 'site.yaml': SITE, 'users.yaml': USERS, 'devices/a.yaml': devices(GOOD_POINTS), ...c.files });
      const problems = problemsOf(dir);
      // Paths are printed relative to the cwd when inside it, else absolute: compare the tail.
      expect(problems.some((p) => p.includes(c.expected)), `expected "${c.expected}" in:\n${problems.join('\n')}`).toBe(true);
    });
  }

  it('reports every problem at once, not just the first', () => {
    const dir = writeConfig({
      'site.yaml': SITE,
      'users.yaml': USERS.replace(HASH, 'plain'),
      'devices/a.yaml': devices(`      - { id: leak, name: { en: L, zh-CN: 漏 }, kind: binary, source: { address: -1 } }`),
    });
    expect(problemsOf(dir)).toHaveLength(2);
  });

  it('refuses a missing folder and missing required files', () => {
    expect(() => loadConfig('/nonexistent/watchfloor', { drivers: [testFactory] })).toThrow(/config folder not found/);
    const dir = writeConfig({ 'site.yaml': SITE });
    const problems = problemsOf(dir);
    expect(problems.some((p) => p.endsWith('users.yaml: file is missing'))).toBe(true);
    expect(problems.some((p) => p.includes('no device files'))).toBe(true);
  });
});

describe('formatConfigPath', () => {
  it.each([
    [['devices', 3, 'points', 12, 'source', 'address'], 'devices[3].points[12].source.address'],
    [[], ''],
    [['site'], 'site'],
    [[0, 'a'], '[0].a'],
  ])('%j → %s', (p, s) => expect(formatConfigPath(p)).toBe(s));
});
