// Test support: a minimal, real HubContext (real SampleBus, HealthRegistry, Koa app on loopback)
// for exercising the history module without the rest of the hub.
import Koa from 'koa';
import Router from '@koa/router';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Permission } from '../../contracts/auth.js';
import type { BoundPoint } from '../../contracts/driver.js';
import type { PointInfo, PointKind, Sample } from '../../contracts/point.js';
import { SampleBus } from '../bus.js';
import type { LoadedConfig } from '../config/types.js';
import { HealthRegistry } from '../health.js';
import { captureLogger, type CapturedEntry } from '../log.js';
import type { HubContext, HubModule } from '../module.js';
import { createRegistries } from '../registries.js';
import { historySettingsSchema } from './settings.js';

export function pointInfo(id: string, kind: PointKind, extra: Partial<PointInfo> = {}): PointInfo {
  const device = id.split('/')[4] ?? 'dev';
  return { id, kind, name: { en: id.split('/').pop()!, 'zh-CN': id.split('/').pop()! }, writable: false, device, protocol: 'test', intervalMs: 1000, ...extra };
}

export function testConfig(points: PointInfo[], dataDir: string, timezone = 'Asia/Shanghai'): LoadedConfig {
  const bound: BoundPoint[] = points.map((info) => ({ info, device: info.device, connection: 'test', source: {} }));
  return {
    dir: dataDir,
    site: { id: 'hq', name: { en: 'HQ', 'zh-CN': '总部' }, timezone, buildings: [] },
    hub: { host: '127.0.0.1', port: 0, dataDir, liveWindowMs: 100, sessionTtlHours: 1, history: historySettingsSchema.parse({}) },
    connections: [],
    devices: [],
    points: bound,
    users: [],
    rolePermissions: {} as LoadedConfig['rolePermissions'],
  };
}

export interface TestHub {
  ctx: HubContext;
  bus: SampleBus;
  health: HealthRegistry;
  logs: CapturedEntry[];
  publish(samples: Sample[]): void;
  /** Starts the module and serves its routes under /api on a free loopback port. */
  mount(module: HubModule): Promise<string>;
  close(): Promise<void>;
}

/**
 * Requests carry their permissions in `x-test-permissions` (comma list); none → 401, missing → 403.
 * This stands in for the hub's session auth, which is outside this module.
 */
export function createTestHub(config: LoadedConfig): TestHub {
  const logs: CapturedEntry[] = [];
  const log = captureLogger(logs);
  const bus = new SampleBus(log);
  const health = new HealthRegistry();
  const servers: Server[] = [];
  const ctx: HubContext = {
    config,
    log,
    dataDir: config.hub.dataDir,
    bus,
    store: { get: () => undefined, all: () => [] },
    health,
    audit: { record: () => undefined },
    io: undefined as unknown as HubContext['io'],
    registries: createRegistries(),
    requirePermission: (p: Permission) => async (kctx, next) => {
      const header = kctx.get('x-test-permissions');
      if (!header) {
        kctx.status = 401;
        kctx.body = { error: { code: 'unauthorized', message: 'login required' } };
        return;
      }
      if (!header.split(',').includes(p)) {
        kctx.status = 403;
        kctx.body = { error: { code: 'forbidden', message: `needs ${p}` } };
        return;
      }
      await next();
    },
  };
  return {
    ctx,
    bus,
    health,
    logs,
    publish: (samples) => bus.emit({ samples, changed: [] }),
    async mount(module) {
      await module.start?.(ctx);
      const app = new Koa();
      const api = new Router({ prefix: '/api' });
      const routes = module.routes?.();
      if (routes) api.use(routes.routes(), routes.allowedMethods());
      app.use(api.routes());
      const server = await new Promise<Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      servers.push(server);
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
    },
  };
}
