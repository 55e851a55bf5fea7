// Test support: a small estate config folder in a temp dir. Building `a` runs in the hub; each
// building in `edgeBuildings` runs on an edge agent. Every building has one Modbus connection to
// `modbusPort` (its own unit id) with a writable setpoint and a read-only temperature.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { REPO_ROOT } from '../server.js';

export interface TestSiteOptions {
  modbusPort: number;
  brokerUrl: string;
  caPem?: Buffer;
  edgeBuildings: string[];
  /** username/password of the hub and of each edge (written to password files). */
  hubCredentials?: { username: string; password: string };
  edgeCredentials?: Record<string, { username: string; password: string }>;
  pollMs?: number;
  shareGroup?: string;
  redisUrl?: string;
  leaseMs?: number;
  hostId?: string;
  /** Extra points per building (bench). */
  extraPoints?: number;
}

const text = (s: string) => ({ en: s, 'zh-CN': s });

export const UNIT_OF = (i: number) => i + 1;
export const pointIds = (building: string) => ({
  setpoint: `hq/${building}/l01/r101/ahu-${building}/setpoint`,
  temp: `hq/${building}/l01/r101/ahu-${building}/temp`,
});

export function writeTestSite(dir: string, o: TestSiteOptions): void {
  const buildings = ['a', ...o.edgeBuildings];
  mkdirSync(join(dir, 'devices'), { recursive: true });
  mkdirSync(join(dir, 'secrets'), { recursive: true });
  writeFileSync(join(dir, 'site.yaml'), YAML.stringify({
    site: {
      id: 'hq', name: text('Test estate'), timezone: 'Asia/Shanghai',
      buildings: buildings.map((b) => ({ id: b, name: text(`Building ${b}`), floors: [{ id: 'l01', level: 1, name: text('L1'), rooms: [{ id: 'r101', type: 'plant', name: text('Plant') }] }] })),
    },
  }));
  copyFileSync(join(REPO_ROOT, 'config', 'users.yaml'), join(dir, 'users.yaml'));
  writeFileSync(join(dir, 'hub.yaml'), YAML.stringify({ host: '127.0.0.1', port: 0, dataDir: join(dir, 'data'), liveWindowMs: 50, sessionTtlHours: 1 }));
  const connections = buildings.map((b) => ({ id: `gw-${b}`, protocol: 'modbus', options: { host: '127.0.0.1', port: o.modbusPort, pollMs: o.pollMs ?? 200, timeoutMs: 500 } }));
  const devices = buildings.map((b, i) => ({
    id: `ahu-${b}`, name: text(`AHU ${b}`), location: `${b}/l01/r101`, connection: `gw-${b}`, options: { unitId: UNIT_OF(i) },
    points: [
      { id: 'setpoint', name: text('Setpoint'), kind: 'analog', unit: '°C', writable: true, limits: { min: 0, max: 500 }, source: { table: 'holding', address: 0, type: 'uint16' } },
      { id: 'temp', name: text('Temperature'), kind: 'analog', unit: '°C', source: { table: 'holding', address: 1, type: 'uint16' } },
      ...Array.from({ length: o.extraPoints ?? 0 }, (_, k) => ({ id: `p${k}`, name: text(`P${k}`), kind: 'analog', source: { table: 'holding', address: 2 + k, type: 'uint16' } })),
    ],
  }));
  writeFileSync(join(dir, 'devices', 'modbus.yaml'), YAML.stringify({ connections, devices }));
  if (o.caPem) writeFileSync(join(dir, 'secrets', 'ca.pem'), o.caPem);
  const creds = (c: { username: string; password: string } | undefined, name: string) => {
    if (!c) return {};
    writeFileSync(join(dir, 'secrets', `${name}.pass`), `${c.password}\n`, { mode: 0o600 });
    return { username: c.username, passwordFile: `secrets/${name}.pass` };
  };
  writeFileSync(join(dir, 'edge.yaml'), YAML.stringify({
    group: 'hq',
    broker: { url: o.brokerUrl, ...(o.caPem ? { caFile: 'secrets/ca.pem' } : {}), keepaliveS: 2 },
    hub: {
      ...creds(o.hubCredentials, 'hub'), ...(o.shareGroup ? { shareGroup: o.shareGroup } : {}), ...(o.hostId ? { hostId: o.hostId } : {}),
      ...(o.redisUrl ? { redisUrl: o.redisUrl, leaseMs: o.leaseMs ?? 3000 } : {}),
    },
    buildings: Object.fromEntries(o.edgeBuildings.map((b) => [b, creds(o.edgeCredentials?.[b], `edge-${b}`)])),
    commandTimeoutMs: 5000,
  }));
}
