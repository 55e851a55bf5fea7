// End to end on the real Modbus simulator and the demo config: the leak in the B1 pump room
// (step 1 of simulators/scenarios/leak-b1.yaml) → the critical alarm of config/alarms.yaml →
// a guard's Socket.IO client receives it → the guard acknowledges → the journal holds it →
// the hub restarts → the acknowledged state comes back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlarmsSubscribeAck, AlarmsUpdate, AlarmView, JournalRow } from '../../contracts/alarms.js';
import type { SessionInfo } from '../../contracts/api.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/live.js';
import { startModbusSimulator, type ModbusSimulator } from '../../simulators/modbus/index.js';
import { hashPassword } from '../auth/password.js';
import { loadConfig } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import { createDrivers } from '../drivers.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { createAlarmsModule } from './index.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const LEAK_ALARM = 'leak-pump-b101';
let sim: ModbusSimulator | undefined;
let hub: Hub | undefined;
let client: Client | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'wf-alarms-e2e-'));

afterAll(async () => {
  client?.close();
  await hub?.stop();
  await sim?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Drivers for the Modbus part only: the OPC UA and camera simulators are not needed here (their points just stay stale). */
function modbusDrivers(config: LoadedConfig) {
  const modbus = new Set(config.connections.filter((c) => c.protocol === 'modbus').map((c) => c.id));
  return createDrivers({
    ...config,
    connections: config.connections.filter((c) => modbus.has(c.id)),
    devices: config.devices.filter((d) => modbus.has(d.connection)),
    points: config.points.filter((p) => modbus.has(p.connection)),
  });
}

async function startHub(config: LoadedConfig): Promise<Hub> {
  return createHub(config, { drivers: modbusDrivers(config), modules: [createAlarmsModule()], log: silentLogger(), listen: { port: 0 }, consoleDir: join(dataDir, 'none') });
}

async function login(h: Hub): Promise<string> {
  const res = await fetch(`${h.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'guard-e2e', password: 'pw' }) });
  return ((await res.json()) as SessionInfo).token;
}

describe('alarms end to end on the Modbus simulator', () => {
  it('leak → critical alarm → guard acknowledges over the live channel → survives a hub restart', async () => {
    sim = await startModbusSimulator({ ports: 'ephemeral' });
    const config = loadConfig(resolve('config'));
    for (const c of config.connections.filter((x) => x.protocol === 'modbus')) {
      const port = sim.ports[c.id];
      if (port === undefined) throw new Error(`simulator has no gateway for ${c.id}`);
      (c.options as { port: number }).port = port;
    }
    config.hub.dataDir = dataDir;
    config.users = [{ username: 'guard-e2e', name: { en: 'Guard', 'zh-CN': '保安' }, role: 'guard', passwordHash: await hashPassword('pw', { N: 1024, r: 8, p: 1 }) }];

    hub = await startHub(config);
    let token = await login(hub);
    client = connectClient(hub.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    const first = await new Promise<AlarmsSubscribeAck>((ok) => client!.emit('alarms:subscribe', ok));
    expect(first.ok).toBe(true);

    const raised = new Promise<AlarmView>((ok) => {
      client!.on('alarms:update', (u: AlarmsUpdate) => {
        const a = u.changed.find((x) => x.id === LEAK_ALARM && x.state === 'unacknowledged');
        if (a) ok(a);
      });
    });
    sim.set('modbus-gw-b1', 3, 'leak', true); // leak-b1.yaml, step 1: the pump-room sensor turns wet
    const alarm = await raised;
    expect(alarm).toMatchObject({ priority: 'critical', area: 'a/b1/pump-b101', pointId: 'hq/a/b1/pump-b101/leak-1/leak', value: true });
    expect(alarm.message['zh-CN']).toBe('B1 水泵房漏水');

    const ack = await fetch(`${hub.url}/api/alarms/${LEAK_ALARM}/ack`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ comment: 'valve closed' }),
    });
    expect(ack.status).toBe(200);
    const journal = (await (await fetch(`${hub.url}/api/alarms/journal?alarm=${LEAK_ALARM}`, { headers: { authorization: `Bearer ${token}` } })).json()) as JournalRow[];
    expect(journal.map((r) => [r.kind, r.user])).toEqual([['ack', 'guard-e2e'], ['activate', 'system']]);

    client.close();
    await hub.stop();
    hub = await startHub(config);
    token = await login(hub);
    const after = (await (await fetch(`${hub.url}/api/alarms/${LEAK_ALARM}`, { headers: { authorization: `Bearer ${token}` } })).json()) as AlarmView;
    expect(after).toMatchObject({ state: 'acknowledged', active: true, ackedBy: 'guard-e2e' });
  }, 60_000);
});
