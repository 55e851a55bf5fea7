// Shared by hub tests and the ingest benchmark: a small site config built in code, and a real
// in-process Driver that publishes what it is told (the hub's side of the contract, without a device).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ROLE_PERMISSIONS, type Role } from '../contracts/auth.js';
import type { SiteTree } from '../contracts/api.js';
import type { BoundPoint, ConnectionStatus, Driver, DriverContext, WriteResult } from '../contracts/driver.js';
import type { PointInfo, PointValue, Sample } from '../contracts/point.js';
import type { LoadedConfig, UserEntry } from './config/types.js';
import { historySettingsSchema } from './history/settings.js';

export interface TestSiteOptions {
  floors: number;
  pointsPerFloor: number;
  users?: Array<{ username: string; role: Role; passwordHash: string }>;
  dataDir?: string;
  liveWindowMs?: number;
  intervalMs?: number;
}

export const floorId = (i: number) => `l${String(i + 1).padStart(2, '0')}`;
export const testPointId = (floor: number, n: number) => `hq/a/${floorId(floor)}/room-${floor + 1}01/dev-${Math.floor(n / 10)}/p-${n % 10}`;

/** A LoadedConfig of one building with `floors` floors and `pointsPerFloor` analog points each (every 10th writable, limits 0..100). */
export function testSiteConfig(o: TestSiteOptions): LoadedConfig {
  const site: SiteTree = {
    id: 'hq', name: { en: 'HQ', 'zh-CN': '总部' }, timezone: 'Asia/Shanghai',
    buildings: [{
      id: 'a', name: { en: 'Tower A', 'zh-CN': 'A座' },
      floors: Array.from({ length: o.floors }, (_, f) => ({
        id: floorId(f), key: `hq/a/${floorId(f)}`, name: { en: `Floor ${f + 1}`, 'zh-CN': `${f + 1}层` }, level: f + 1,
        rooms: [{ id: `room-${f + 1}01`, name: { en: `Room ${f + 1}01`, 'zh-CN': `${f + 1}01室` }, type: 'office' }],
      })),
    }],
  };
  const points: BoundPoint[] = [];
  for (let f = 0; f < o.floors; f++) {
    for (let n = 0; n < o.pointsPerFloor; n++) {
      const id = testPointId(f, n);
      const info: PointInfo = {
        id, name: { en: id, 'zh-CN': id }, kind: 'analog', unit: '°C', limits: { min: 0, max: 100 },
        writable: n % 10 === 0, device: `dev-${Math.floor(n / 10)}`, protocol: 'test', intervalMs: o.intervalMs ?? 1000,
      };
      points.push({ info, device: info.device, connection: 'test-gw', source: {} });
    }
  }
  const users: UserEntry[] = (o.users ?? []).map((u) => ({ ...u, name: { en: u.username, 'zh-CN': u.username } }));
  return {
    dir: '/nonexistent-config',
    site,
    hub: {
      host: '127.0.0.1', port: 0, dataDir: o.dataDir ?? mkdtempSync(join(tmpdir(), 'wf-hub-')),
      liveWindowMs: o.liveWindowMs ?? 100, sessionTtlHours: 12,
      history: historySettingsSchema.parse({}),
    },
    connections: [{ id: 'test-gw', protocol: 'test', options: {} }],
    devices: [],
    points,
    users,
    rolePermissions: DEFAULT_ROLE_PERMISSIONS,
  };
}

/** A real Driver that publishes on demand and "writes" by publishing the value back. */
export class ScriptedDriver implements Driver {
  readonly protocol = 'test';
  ctx: DriverContext | undefined;
  writes: Array<[string, PointValue]> = [];
  stopped = false;

  async start(ctx: DriverContext): Promise<void> {
    this.ctx = ctx;
    this.status('online');
  }

  status(state: ConnectionStatus['state'], detail?: string): void {
    this.ctx?.status({ connection: 'test-gw', protocol: 'test', state, detail, since: Date.now() });
  }

  publish(batch: Sample[]): void {
    if (!this.stopped) this.ctx!.publish(batch);
  }

  async write(pointId: string, value: PointValue): Promise<WriteResult> {
    this.writes.push([pointId, value]);
    this.publish([{ pointId, value, quality: 'good', readTs: Date.now() }]);
    return { confirmed: true, readBack: value };
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }
}
