// OPC UA Alarms & Conditions end to end: the real OPC UA simulator raises a condition, the real
// driver reports it, the hub shows it in its alarm list (priority from severity, area from the
// connection's config) with journal rows; a guard acknowledges it through the REST API and the
// acknowledgement reaches the server (an independent OPC UA client sees AckedState true), under
// the guard's name in the journal and the audit log. With the server gone, an ack is refused
// (503) and nothing is journaled.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmView, ExternalCondition, JournalRow } from '../../contracts/alarms.js';
import type { HealthResponse } from '../../contracts/api.js';
import type { ConnectionStatus, Driver } from '../../contracts/driver.js';
import { opcuaFactory } from '../../drivers/opcua/index.js';
import { connectionSchema } from '../../drivers/opcua/schema.js';
import { recorder, type Recorder } from '../../drivers/opcua/test-support.js';
import { createAlarmsModule } from '../../hub/alarms/index.js';
import { compileRules } from '../../hub/alarms/rules.js';
import { alarmsFileSchema } from '../../hub/alarms/schema.js';
import { hashPassword } from '../../hub/auth/password.js';
import { silentLogger } from '../../hub/log.js';
import { createHub, type Hub } from '../../hub/server.js';
import { ScriptedDriver, testSiteConfig } from '../../hub/test-support.js';
import { signInAll } from '../../hub/workorders/browser-support.js';
import { SIM_CONDITIONS, startOpcuaSimulator, type OpcuaSimulator } from '../../simulators/opcua/server.js';

const PW = 'pw-for-tests';
const FAN_CONDITION = `opcua-ac:nsu=urn:watchfloor:hvac;s=${SIM_CONDITIONS.fanFault}`;
const FAN = `ext:${FAN_CONDITION}`;
const CHW = `ext:opcua-ac:nsu=urn:watchfloor:hvac;s=${SIM_CONDITIONS.chwHigh}`;

let tmp: string;
let sim: OpcuaSimulator;
let hub: Hub;
let observer: Driver;
let seen: Recorder;
const observed: ExternalCondition[] = [];
let tokens: Record<string, { token: string }>;

const options = () => connectionSchema.parse({
  endpointUrl: sim.endpointUrl, publishingIntervalMs: 100, requestTimeoutMs: 2000, backoff: { initialMs: 200, maxMs: 1000 },
  events: { area: 'a', areas: { FanFault: 'a/l01' } },
});

async function call<T>(user: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { authorization: `Bearer ${tokens[user].token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(hub.url + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

async function until<T>(fn: () => Promise<T | undefined | false>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const alarm = async (id: string) => {
  const r = await call<AlarmView>('guard', 'GET', `/api/alarms/${encodeURIComponent(id)}`);
  return r.status === 200 ? r.body : undefined;
};

/** The hub's OPC UA connection and the observer's both reconnected since `t`. */
async function backOnline(t: number): Promise<void> {
  const online = (s: ConnectionStatus | undefined) => s?.state === 'online' && s.since >= t;
  await until(async () => {
    const health = await fetch(`${hub.url}/api/health`).then((r) => r.json() as Promise<HealthResponse>);
    return online(health.drivers.find((d) => d.connection === 'opcua-ac'));
  }, 'hub connection back online');
  await seen.waitFor(() => online(seen.statuses.at(-1)), 'observer back online');
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-opcua-alarms-'));
  sim = await startOpcuaSimulator({ pkiDir: path.join(tmp, 'sim-pki'), tickMs: 60_000 });
  const hash = await hashPassword(PW, { N: 1024, r: 8, p: 1 });
  const users = [['guard', 'guard'], ['admin', 'admin']] as const;
  const config = testSiteConfig({ floors: 1, pointsPerFloor: 1, dataDir: path.join(tmp, 'data'), users: users.map(([username, role]) => ({ username, role, passwordHash: hash })) });
  const connection = { id: 'opcua-ac', protocol: 'opcua', options: options() };
  config.connections.push(connection);
  const compiled = compileRules(alarmsFileSchema.parse({ rules: [] }), new Map());
  const driver = opcuaFactory.create([connection], [], []);
  hub = await createHub(config, { drivers: [new ScriptedDriver(), driver], modules: [createAlarmsModule({ compiled, tickMs: 0, pushWindowMs: 20 })], log: silentLogger(), listen: { port: 0 } });
  tokens = await signInAll(hub.url, users.map(([u]) => u), PW);
  // A second, independent OPC UA client watching the same server: it proves what the server holds.
  observer = opcuaFactory.create([{ id: 'opcua-ac', protocol: 'opcua', options: options() }], [], []);
  seen = { ...recorder(path.join(tmp, 'observer')), publishConditions: (c: ExternalCondition[]) => void observed.push(...c) };
  await observer.start(seen);
  await seen.waitFor(() => seen.statuses.some((s) => s.state === 'online'), 'observer online');
}, 90_000);

afterAll(async () => {
  await observer?.stop();
  await hub?.stop();
  await sim?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe('OPC UA alarms & conditions in the hub', () => {
  it('a fan fault shows as a critical alarm; the guard acknowledges it at the server; it clears to normal', async () => {
    sim.set('AHU-1.FanFault', true);
    const raised = await until(async () => (await alarm(FAN))?.active && (await alarm(FAN)), 'fan fault alarm');
    expect(raised).toMatchObject({ priority: 'critical', state: 'unacknowledged', area: 'a/l01', external: { connection: 'opcua-ac', severity: 900 } });
    expect(raised.message.en).toBe('AHU-1 supply fan failure');
    const list = await call<AlarmView[]>('guard', 'GET', '/api/alarms?priority=critical');
    expect(list.body.map((a) => a.id)).toContain(FAN);

    const acked = await call<AlarmView>('guard', 'POST', `/api/alarms/${encodeURIComponent(FAN)}/ack`, { comment: 'fan checked on the roof' });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ state: 'acknowledged', ackedBy: 'guard' });
    // The server took it: the independent client sees the condition acknowledged.
    await seen.waitFor(() => observed.some((c) => c.id === FAN_CONDITION && c.active && c.acked), 'server AckedState true');

    const journal = await call<JournalRow[]>('guard', 'GET', `/api/alarms/journal?alarm=${encodeURIComponent(FAN)}`);
    expect(journal.body.filter((r) => r.kind === 'ack').map((r) => [r.user, r.comment])).toEqual([['guard', 'fan checked on the roof']]);
    const audit = await call<Array<{ user: string; action: string; target: string }>>('admin', 'GET', '/api/audit?action=alarm.ack');
    expect(audit.body.some((e) => e.user === 'guard' && e.target === FAN)).toBe(true);

    sim.set('AHU-1.FanFault', false);
    await until(async () => (await alarm(FAN))?.state === 'normal', 'fan fault normal');
  }, 60_000);

  it('an acknowledgement the server cannot take is refused and not journaled', async () => {
    const normalChw = sim.get('Chiller-1.SupplyWaterTemp');
    sim.set('Chiller-1.SupplyWaterTemp', 13.5);
    const raised = await until(async () => (await alarm(CHW))?.active && (await alarm(CHW)), 'chw high alarm');
    expect(raised).toMatchObject({ priority: 'high', area: 'a', state: 'unacknowledged' });
    // The server goes away (its port refuses) and comes back afterwards: the other test needs it,
    // whichever runs first.
    const killedAt = Date.now();
    await sim.kill();
    try {
      const refused = await call<{ error: { code: string; message: string } }>('guard', 'POST', `/api/alarms/${encodeURIComponent(CHW)}/ack`, {});
      expect(refused.status).toBe(503);
      expect(JSON.stringify(refused.body)).toMatch(/did not take the acknowledgement/);
      expect((await alarm(CHW))?.state).toBe('unacknowledged');
      const journal = await call<JournalRow[]>('guard', 'GET', `/api/alarms/journal?alarm=${encodeURIComponent(CHW)}&kind=ack`);
      expect(journal.body).toEqual([]);
    } finally {
      sim.set('Chiller-1.SupplyWaterTemp', normalChw);
      await sim.revive();
      await backOnline(killedAt);
    }
  }, 60_000);
});
