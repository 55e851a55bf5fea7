// A generator of bad config folders: a small valid site (site, users, hub, one Modbus device file,
// one alarm rule, a floor plan) and mutations that each make it invalid in a different way —
// broken YAML, alias bombs, undefined aliases, directories and oversize files where files belong,
// wrong types, unknown keys, missing keys, duplicate ids, dangling references, unaffordable scrypt
// parameters, impossible floor-plan geometry. Used by config.fuzz.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';

const text = (en: string) => ({ en, 'zh-CN': en });
/** A well-formed scrypt hash at the hub's default cost (the demo admin's). */
const HASH = 'scrypt$16384$8$1$V/QN9vWrjJeft4EasNCccg==$pYw/s6nv6Jk3ROz5ZB8fpb4jk0DhdRuwUW4IbLWwqVI=';

/** The valid base: file name (relative to the folder) → data. `floorplans/` is passed as floorplansDir. */
export function baseConfig(): Record<string, unknown> {
  return {
    'site.yaml': {
      site: {
        id: 'hq', name: text('HQ'), timezone: 'Asia/Shanghai',
        buildings: [{ id: 'a', name: text('Tower A'), floors: [{ id: 'l01', level: 1, name: text('Level 1'), rooms: [
          { id: 'r1', type: 'office', name: text('Room 1') },
          { id: 'r2', type: 'plant', name: text('Room 2') },
        ] }] }],
      },
    },
    'users.yaml': { users: [{ username: 'admin', role: 'admin', name: text('Admin'), password: HASH }] },
    'hub.yaml': { host: '127.0.0.1', port: 8080, dataDir: 'data', liveWindowMs: 50, sessionTtlHours: 12 },
    'devices/main.yaml': {
      connections: [{ id: 'gw-1', protocol: 'modbus', options: { host: '127.0.0.1', port: 15021, pollMs: 1000 } }],
      devices: [{
        id: 'meter-1', name: text('Meter'), location: 'a/l01/r2', connection: 'gw-1', options: { unitId: 1 },
        points: [
          { id: 'kw', name: text('Power'), kind: 'analog', unit: 'kW', source: { table: 'input', address: 0, type: 'float32' } },
          { id: 'alarm', name: text('Alarm'), kind: 'binary', source: { table: 'discrete', address: 0 } },
        ],
      }],
    },
    'alarms.yaml': {
      rules: [{ id: 'meter-alarm', type: 'state', point: 'hq/a/l01/r2/meter-1/alarm', activeWhen: true, priority: 'high', message: text('Meter alarm') }],
    },
    'floorplans/a.yaml': {
      version: 1, site: 'hq', building: 'a', name: text('Tower A'),
      floors: [{
        id: 'l01', name: text('Level 1'), elevation: 0, height: 4,
        outline: [[0, 0], [20, 0], [20, 10], [0, 10]],
        rooms: [{ id: 'r1', polygon: [[0, 0], [10, 0], [10, 10], [0, 10]] }, { id: 'r2', polygon: [[10, 0], [20, 0], [20, 10], [10, 10]] }],
        devices: [{ room: 'r2', equipment: 'meter-1', at: [15, 5], kind: 'meter' }],
      }],
    },
  };
}

export const CONFIG_FILES = Object.keys(baseConfig());

/** One way to break a folder. `file` is a key of baseConfig(). */
export type Mutation =
  | { kind: 'raw'; file: string; variant: 'syntax' | 'alias-bomb' | 'undefined-alias' | 'duplicate-key' | 'deep' | 'tab-indent' | 'binary'; bytes?: number[] }
  | { kind: 'directory'; file: string }
  | { kind: 'oversize'; file: string }
  | { kind: 'wrong-type'; file: string; pick: number }
  | { kind: 'unknown-key'; file: string; pick: number; key: string }
  | { kind: 'delete'; target: keyof typeof REQUIRED }
  | { kind: 'reference'; target: keyof typeof REFERENCES }
  | { kind: 'duplicate'; target: keyof typeof LISTS }
  | { kind: 'scrypt'; N: number; r: number; p: number };

/** Keys whose removal is always refused: [file, path]. */
const REQUIRED = {
  siteId: ['site.yaml', ['site', 'id']], buildings: ['site.yaml', ['site', 'buildings']], users: ['users.yaml', ['users']],
  password: ['users.yaml', ['users', 0, 'password']], pointKind: ['devices/main.yaml', ['devices', 0, 'points', 0, 'kind']],
  location: ['devices/main.yaml', ['devices', 0, 'location']], protocol: ['devices/main.yaml', ['connections', 0, 'protocol']],
  source: ['devices/main.yaml', ['devices', 0, 'points', 0, 'source']], planFloors: ['floorplans/a.yaml', ['floors']],
  ruleId: ['alarms.yaml', ['rules', 0, 'id']],
} as const satisfies Record<string, readonly [string, readonly (string | number)[]]>;

/** Values that name something that does not exist. */
const REFERENCES = {
  room: ['devices/main.yaml', ['devices', 0, 'location'], 'a/l01/nowhere'],
  connection: ['devices/main.yaml', ['devices', 0, 'connection'], 'no-such-gateway'],
  protocol: ['devices/main.yaml', ['connections', 0, 'protocol'], 'carrier-pigeon'],
  alarmPoint: ['alarms.yaml', ['rules', 0, 'point'], 'hq/a/l01/r2/meter-1/nothing'],
  planRoom: ['floorplans/a.yaml', ['floors', 0, 'devices', 0, 'room'], 'r1'],
  planFloor: ['floorplans/a.yaml', ['floors', 0, 'id'], 'l99'],
  planOutside: ['floorplans/a.yaml', ['floors', 0, 'devices', 0, 'at'], [55, 55]],
  planBowtie: ['floorplans/a.yaml', ['floors', 0, 'rooms', 0, 'polygon'], [[0, 0], [10, 10], [10, 0], [0, 10]]],
  role: ['users.yaml', ['users', 0, 'role'], 'overlord'],
  register: ['devices/main.yaml', ['devices', 0, 'points', 0, 'source', 'address'], 70000],
  timezone: ['site.yaml', ['site', 'timezone'], 'Mars/Olympus_Mons'],
  port: ['hub.yaml', ['port'], 65536],
} as const satisfies Record<string, readonly [string, readonly (string | number)[], unknown]>;

/** Lists whose first element, repeated, is a duplicate id. */
const LISTS = {
  building: ['site.yaml', ['site', 'buildings']], room: ['site.yaml', ['site', 'buildings', 0, 'floors', 0, 'rooms']],
  user: ['users.yaml', ['users']], connection: ['devices/main.yaml', ['connections']], device: ['devices/main.yaml', ['devices']],
  point: ['devices/main.yaml', ['devices', 0, 'points']], rule: ['alarms.yaml', ['rules']],
} as const satisfies Record<string, readonly [string, readonly (string | number)[]]>;

const dataFiles = CONFIG_FILES;
const oneOf = <T extends string>(o: Record<T, unknown>) => fc.constantFrom(...(Object.keys(o) as T[]));

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('raw' as const), file: fc.constantFrom(...dataFiles),
    variant: fc.constantFrom('syntax', 'alias-bomb', 'undefined-alias', 'duplicate-key', 'deep', 'tab-indent', 'binary'),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 64 }),
  }),
  fc.record({ kind: fc.constant('directory' as const), file: fc.constantFrom(...dataFiles) }),
  fc.record({ kind: fc.constant('oversize' as const), file: fc.constantFrom(...dataFiles) }),
  fc.record({ kind: fc.constant('wrong-type' as const), file: fc.constantFrom(...dataFiles), pick: fc.nat() }),
  fc.record({ kind: fc.constant('unknown-key' as const), file: fc.constantFrom(...dataFiles), pick: fc.nat(), key: fc.stringMatching(/^[a-z][a-zA-Z]{2,12}$/).map((k) => `x${k}`) }),
  fc.record({ kind: fc.constant('delete' as const), target: oneOf(REQUIRED) }),
  fc.record({ kind: fc.constant('reference' as const), target: oneOf(REFERENCES) }),
  fc.record({ kind: fc.constant('duplicate' as const), target: oneOf(LISTS) }),
  fc.record({ kind: fc.constant('scrypt' as const), N: fc.constantFrom(2 ** 17, 2 ** 20, 2 ** 24), r: fc.constantFrom(8, 16, 64), p: fc.constantFrom(1, 4, 16) }),
);

/** Every container (object or array) of a parsed document with its path, in a stable order. */
function nodes(v: unknown, at: (string | number)[] = []): Array<{ at: (string | number)[]; value: unknown }> {
  const out = [{ at, value: v }];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...nodes(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...nodes(x, [...at, k]));
  return out;
}

function setAt(root: unknown, at: readonly (string | number)[], value: unknown): void {
  let o = root as Record<string | number, unknown>;
  for (const k of at.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[at[at.length - 1]] = value;
}

function deleteAt(root: unknown, at: readonly (string | number)[]): void {
  let o = root as Record<string | number, unknown>;
  for (const k of at.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  delete o[at[at.length - 1]];
}

function getAt(root: unknown, at: readonly (string | number)[]): unknown {
  return at.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], root);
}

const ALIAS_BOMB = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n') + '\n';

function rawText(m: Extract<Mutation, { kind: 'raw' }>, data: unknown): string | Buffer {
  const valid = YAML.stringify(data);
  switch (m.variant) {
    case 'syntax': return `${valid}\n  - [unclosed: {\n`;
    case 'alias-bomb': return ALIAS_BOMB;
    case 'undefined-alias': return `${valid.split('\n')[0]}\nextra: *nowhere\n`;
    case 'duplicate-key': return `${valid}${valid.split('\n')[0]}\n`;
    case 'deep': return `${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    case 'tab-indent': return `root:\n\t- x\n`;
    case 'binary': return Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), Buffer.from(m.bytes ?? [0])]);
  }
}

/**
 * Writes the base config with the mutations applied into `dir` (config files at the top,
 * floor plans in `dir/floorplans`). Returns the floorplans folder.
 */
export function writeMutatedFolder(dir: string, mutations: readonly Mutation[]): string {
  const data = baseConfig();
  const raw = new Map<string, string | Buffer | 'directory' | 'oversize'>();
  for (const m of mutations) {
    switch (m.kind) {
      case 'raw': raw.set(m.file, rawText(m, data[m.file])); break;
      case 'directory': raw.set(m.file, 'directory'); break;
      case 'oversize': raw.set(m.file, 'oversize'); break;
      case 'wrong-type': {
        // A container (object or list) is replaced by a scalar, a leaf by a list: wrong either way.
        const all = nodes(data[m.file]).filter((n) => n.at.length > 0);
        const n = all[m.pick % all.length];
        setAt(data[m.file], n.at, typeof n.value === 'object' && n.value !== null ? 42 : [{ fuzz: true }]);
        break;
      }
      case 'unknown-key': {
        const objects = nodes(data[m.file]).filter((n) => n.value && typeof n.value === 'object' && !Array.isArray(n.value));
        const n = objects[m.pick % objects.length];
        (n.value as Record<string, unknown>)[m.key] = 'unexpected';
        break;
      }
      case 'delete': { const [file, at] = REQUIRED[m.target]; if (getAt(data[file], at.slice(0, -1)) !== undefined) deleteAt(data[file], at); break; }
      case 'reference': { const [file, at, value] = REFERENCES[m.target]; if (getAt(data[file], at.slice(0, -1)) !== undefined) setAt(data[file], at, value); break; }
      case 'duplicate': { const [file, at] = LISTS[m.target]; const list = getAt(data[file], at); if (Array.isArray(list) && list.length) list.push(structuredClone(list[0])); break; }
      case 'scrypt': {
        const users = (data['users.yaml'] as { users?: Array<{ password: string }> }).users;
        if (Array.isArray(users) && users[0] && typeof users[0] === 'object') {
          users[0].password = `scrypt$${m.N}$${m.r}$${m.p}$V/QN9vWrjJeft4EasNCccg==$pYw/s6nv6Jk3ROz5ZB8fpb4jk0DhdRuwUW4IbLWwqVI=`;
        }
        break;
      }
    }
  }
  for (const file of CONFIG_FILES) {
    const full = path.join(dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    const r = raw.get(file);
    if (r === 'directory') fs.mkdirSync(full, { recursive: true });
    else if (r === 'oversize') {
      // Sparse: the size check refuses it before a byte is read.
      fs.writeFileSync(full, YAML.stringify(data[file]));
      fs.truncateSync(full, 5 * 1024 * 1024);
    } else fs.writeFileSync(full, r ?? YAML.stringify(data[file]));
  }
  return path.join(dir, 'floorplans');
}
