// The composition root: modules start in dependency order and a bad module graph refuses to start;
// registries are per hub and reach drivers through their context; /metrics serves Prometheus text.
import { afterEach, describe, expect, it } from 'vitest';
import { DerivedSignalRegistry } from '../drivers/derived/signals.js';
import type { Driver, DriverContext } from '../contracts/driver.js';
import type { PointValue } from '../contracts/point.js';
import { hashPassword } from './auth/password.js';
import { silentLogger } from './log.js';
import { metricsAccess } from './metrics/route.js';
import type { HubModule } from './module.js';
import { createHub, type Hub } from './server.js';
import { ScriptedDriver, testPointId, testSiteConfig } from './test-support.js';

const hubs: Hub[] = [];
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.stop();
  delete process.env.WATCHFLOOR_METRICS_TOKEN;
});

async function hubWith(modules: HubModule[], drivers: Driver[] = [new ScriptedDriver()]): Promise<Hub> {
  const hub = await createHub(testSiteConfig({ floors: 1, pointsPerFloor: 10 }), { drivers, modules, log: silentLogger(), listen: { port: 0 } });
  hubs.push(hub);
  return hub;
}

const recorder = (events: string[]) => (name: string, extra: Partial<HubModule> = {}): HubModule => ({
  name,
  ...extra,
  async start() {
    events.push(`start ${name}`);
  },
  async stop() {
    events.push(`stop ${name}`);
  },
});

describe('composition root', () => {
  it('starts modules after what they depend on and stops them in reverse', async () => {
    const events: string[] = [];
    const m = recorder(events);
    const hub = await hubWith([m('alarms', { dependsOn: ['control'] }), m('history'), m('control', { after: ['history'] })]);
    expect(events).toEqual(['start history', 'start control', 'start alarms']);
    await hub.stop();
    expect(events.slice(3)).toEqual(['stop alarms', 'stop control', 'stop history']);
  });

  it('refuses a missing dependency or a cycle before starting anything', async () => {
    const events: string[] = [];
    const m = recorder(events);
    await expect(hubWith([m('alarms', { dependsOn: ['control'] })])).rejects.toThrow('module "alarms" depends on "control", which is not in the hub\'s modules (alarms)');
    await expect(hubWith([m('a', { dependsOn: ['b'] }), m('b', { dependsOn: ['a'] })])).rejects.toThrow('module start order has a cycle: a → b → a');
    expect(events).toEqual([]);
  });

  it('gives each hub its own registries, and drivers get them in their context', async () => {
    const contexts: DriverContext[] = [];
    class Spy extends ScriptedDriver {
      override async start(ctx: DriverContext) {
        contexts.push(ctx);
        await super.start(ctx);
      }
    }
    const seen: unknown[] = [];
    const mod: HubModule = {
      name: 'probe',
      async start(ctx) {
        seen.push(ctx.registries);
      },
    };
    const a = await hubWith([mod], [new Spy()]);
    const b = await hubWith([mod], [new Spy()]);
    expect(a.registries).not.toBe(b.registries);
    expect(a.registries.derivedSignals).toBeInstanceOf(DerivedSignalRegistry);
    expect(seen).toEqual([a.registries, b.registries]);
    expect(contexts.map((c) => c.services?.derivedSignals)).toEqual([a.registries.derivedSignals, b.registries.derivedSignals]);
    expect(contexts[0].services?.cameras).toBe(a.registries.cameras);
  });
});

describe('/metrics', () => {
  it.each<[string, string | undefined, string | undefined, string | undefined, number | true]>([
    ['loopback v4', '127.0.0.1', undefined, undefined, true],
    ['loopback v6', '::1', undefined, undefined, true],
    ['mapped loopback', '::ffff:127.0.0.1', undefined, undefined, true],
    ['a LAN client without a token', '10.0.3.20', undefined, undefined, 403],
    ['a LAN client with the token', '10.0.3.20', 'Bearer s3cret', 's3cret', true],
    ['a LAN client with a wrong token', '10.0.3.20', 'Bearer nope', 's3cret', 401],
    ['a token when none is configured', '10.0.3.20', 'Bearer s3cret', undefined, 403],
    ['a wrong token from loopback is still refused', '127.0.0.1', 'Bearer nope', 's3cret', 401],
  ])('access: %s', (_name, addr, auth, token, want) => {
    const r = metricsAccess(addr, auth, token);
    if (want === true) expect(r).toEqual({ ok: true });
    else expect(r).toMatchObject({ ok: false, status: want, message: expect.stringContaining('metrics') });
  });

  it('serves ingest, poll cycle, failures, points and clients in Prometheus text from loopback', async () => {
    const driver = new ScriptedDriver();
    const hub = await hubWith([], [driver]);
    driver.publish(Array.from({ length: 7 }, (_, i) => ({ pointId: testPointId(0, i), value: i, quality: 'good' as const, readTs: Date.now() })));
    driver.ctx!.status({ connection: 'test-gw', protocol: 'test', state: 'online', since: Date.now(), lastCycleMs: 40 });
    driver.status('offline', 'gateway gone');
    const res = await fetch(`${hub.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^watchfloor_samples_ingested_total 7$/m);
    expect(text).toMatch(/^watchfloor_poll_cycle_seconds_count\{connection="test-gw",protocol="test"\} 1$/m);
    expect(text).toMatch(/^watchfloor_poll_cycle_seconds_bucket\{le="0\.05",connection="test-gw",protocol="test"\} 1$/m);
    expect(text).toMatch(/^watchfloor_connection_failures_total\{connection="test-gw",protocol="test",state="offline"\} 1$/m);
    expect(text).toMatch(/^watchfloor_connection_state\{connection="test-gw",protocol="test",state="offline"\} 1$/m);
    expect(text).toMatch(/^watchfloor_points 10$/m);
    expect(text).toMatch(/^watchfloor_socket_clients 0$/m);
    expect(text).toMatch(/^watchfloor_process_resident_memory_bytes \d+/m);
  });

  it('needs the configured token when one is sent, and only GET', async () => {
    const hub = await hubWith([]);
    process.env.WATCHFLOOR_METRICS_TOKEN = 'scrape-me';
    expect((await fetch(`${hub.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${hub.url}/metrics`, { headers: { authorization: 'Bearer scrape-me' } })).status).toBe(200);
    const post = await fetch(`${hub.url}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
  });
});

describe('the command pipeline in a running hub', () => {
  it('refuses a value the driver\'s wire type cannot hold with 400 before the driver is asked to write', async () => {
    /** Like a uint16 register: whole numbers only. */
    class WholeNumbers extends ScriptedDriver {
      checkWrite(_id: string, value: PointValue): string | null {
        return typeof value === 'number' && !Number.isInteger(value) ? `value ${value} is not representable as uint16` : null;
      }
    }
    const driver = new WholeNumbers();
    const passwordHash = await hashPassword('pw', { N: 1024, r: 8, p: 1 });
    const hub = await createHub(testSiteConfig({ floors: 1, pointsPerFloor: 10, users: [{ username: 'op', role: 'operator', passwordHash }] }), { drivers: [driver], modules: [], log: silentLogger(), listen: { port: 0 } });
    hubs.push(hub);
    const json = { 'content-type': 'application/json' };
    const { token } = (await (await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: json, body: JSON.stringify({ username: 'op', password: 'pw' }) })).json()) as { token: string };
    const write = (value: number) => fetch(`${hub.url}/api/points/${testPointId(0, 0)}/write`, { method: 'POST', headers: { ...json, authorization: `Bearer ${token}` }, body: JSON.stringify({ value }) });
    const refused = await write(1.5);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: { code: 'invalid_value', message: 'value 1.5 is not representable as uint16' } });
    expect(driver.writes).toEqual([]);
    expect((await write(2)).status).toBe(200);
    expect(driver.writes).toEqual([[testPointId(0, 0), 2]]);
  });
});
