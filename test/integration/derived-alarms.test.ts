// Derived points end to end over real loopback sockets: a car-park lighting circuit that is on
// but whose simulated lamp draws no current (Modbus simulator) → Modbus driver → control's lamp-
// fault detector → the `lamp-fault` derived signal → derived driver → hub state → the demo alarm
// rule of config/alarms.yaml → a socket.io client subscribed to alarms. Then the lamp comes
// back (the alarm clears), and stopping the producer turns the derived point comm_fail.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlarmsSubscribeAck, AlarmsUpdate, AlarmView } from '../../contracts/alarms.js';
import type { SessionInfo } from '../../contracts/api.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/live.js';
import { createAlarmsModule } from '../../hub/alarms/index.js';
import { compileRules } from '../../hub/alarms/rules.js';
import { alarmsFileSchema } from '../../hub/alarms/schema.js';
import { hashPassword } from '../../hub/auth/password.js';
import { loadConfig } from '../../hub/config/load.js';
import type { LoadedConfig } from '../../hub/config/types.js';
import { createControlModule, type ControlModule } from '../../hub/control/index.js';
import { lightingFileSchema } from '../../hub/control/lighting-schema.js';
import { schedulesFileSchema } from '../../hub/control/schedule-schema.js';
import { createDrivers } from '../../hub/drivers.js';
import { silentLogger } from '../../hub/log.js';
import { createHub, type Hub } from '../../hub/server.js';
import { startModbusSimulator, type ModbusSimulator } from '../../simulators/modbus/index.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const GW = 'modbus-gw-b1';
const PANEL_UNIT = 2; // the B1 lighting panel (simulators/modbus/demo.yaml)
const CIRCUIT = 'hq/a/b1/weak-b104/lighting-b1/parking-a'; // always on, not swept after hours
const LAMP_FAULT = 'hq/a/b1/weak-b104/lamp-faults/parking-a'; // config/devices/derived.yaml
const ALARM = 'lamp-fault-b1-parking-a'; // config/alarms.yaml

let sim: ModbusSimulator;
let hub: Hub | undefined;
let control: ControlModule;
let client: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
let dataDir: string;

/** The demo config with only what runs in-process or on the Modbus simulator (no OPC UA, no cameras). */
function modbusAndDerived(config: LoadedConfig): LoadedConfig {
  const kept = new Set(config.connections.filter((c) => c.protocol === 'modbus' || c.protocol === 'derived').map((c) => c.id));
  for (const c of config.connections) if (c.protocol === 'modbus') (c.options as { port: number }).port = sim.ports[c.id];
  return {
    ...config,
    connections: config.connections.filter((c) => kept.has(c.id)),
    devices: config.devices.filter((d) => kept.has(d.connection)),
    points: config.points.filter((p) => kept.has(p.connection)),
  };
}

const until = async (what: string, f: () => boolean, timeoutMs = 20_000) => {
  const end = Date.now() + timeoutMs;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-derived-alarms-'));
  sim = await startModbusSimulator({ ports: 'ephemeral' });
  const config = modbusAndDerived(loadConfig(path.join(REPO, 'config')));
  config.hub.dataDir = dataDir;
  config.users = [{ username: 'guard', role: 'guard', name: { en: 'Guard', 'zh-CN': '保安' }, passwordHash: await hashPassword('pw', { N: 1024, r: 8, p: 1 }) }];
  const points = new Map(config.points.map((p) => [p.info.id, p.info]));
  // The demo alarm rules whose points run here (the HVAC ones need the OPC UA simulator).
  const alarmsFile = alarmsFileSchema.parse(YAML.parse(fs.readFileSync(path.join(REPO, 'config/alarms.yaml'), 'utf8')));
  alarmsFile.rules = alarmsFile.rules.filter((r) => points.has(r.point) && [...(r.when ?? []), ...(r.suppressWhen ?? [])].every((c) => c.type !== 'point' || points.has(c.point)));
  expect(alarmsFile.rules.map((r) => r.id)).toContain(ALARM);
  // The demo files, with the lamp-fault delay cut from 30 s to 1 s; the zone groups name HVAC points,
  // which this hub does not load, so the module gets the parsed files instead of checking them.
  const lighting = lightingFileSchema.parse(YAML.parse(fs.readFileSync(path.join(REPO, 'config/lighting.yaml'), 'utf8')));
  lighting.fault.forSec = 1;
  const schedules = schedulesFileSchema.parse(YAML.parse(fs.readFileSync(path.join(REPO, 'config/schedules.yaml'), 'utf8')));
  control = createControlModule({ schedules, lighting, tickMs: 250 });
  hub = await createHub(config, {
    drivers: createDrivers(config),
    modules: [control, createAlarmsModule({ compiled: compileRules(alarmsFile, points), tickMs: 250 })],
    listen: { port: 0 },
    log: silentLogger(),
    consoleDir: path.join(dataDir, 'no-console'),
  });
}, 60_000);

afterAll(async () => {
  client?.close();
  await hub?.stop();
  await sim?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('derived points reach the guards', () => {
  // One story: stopping the producer (the last step) ends the lamp-fault detection the first step
  // needs, so the two are steps of one test rather than two tests that must run in order.
  it('a lit circuit drawing no current → lamp-fault alarm pushed to a subscribed client → clears when the lamp is back; the producer going away turns the derived point comm_fail', async () => {
    const h = hub!;
    { // Step: a lit circuit drawing no current raises the lamp-fault alarm on the live channel; it clears when the lamp is back
      await until('the circuit on and the lamp-fault point good and false', () =>
        h.store.get(CIRCUIT)?.value === true && h.store.get(LAMP_FAULT)?.quality === 'good' && h.store.get(LAMP_FAULT)?.value === false);

      const login = await fetch(`${h.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'guard', password: 'pw' }) });
      const { token } = (await login.json()) as SessionInfo;
      client = io(h.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      const ack = await new Promise<AlarmsSubscribeAck>((ok) => client!.emit('alarms:subscribe', ok));
      expect(ack.ok).toBe(true);
      const seen: AlarmView[] = [];
      client.on('alarms:update', (u: AlarmsUpdate) => seen.push(...u.changed.filter((a) => a.id === ALARM)));

      sim.set(GW, PANEL_UNIT, 'parking-a-current', 0); // the lamp dies; the relay stays on
      await until('the lamp-fault alarm on the live channel', () => seen.some((a) => a.state === 'unacknowledged' && a.active));
      const raised = seen.find((a) => a.state === 'unacknowledged')!;
      expect(raised).toMatchObject({ priority: 'low', pointId: LAMP_FAULT, area: 'a/b1/weak-b104', value: true });
      expect(raised.message.en).toContain('call the maintainer');
      expect(raised.message['zh-CN']).toContain('请通知维修人员');
      expect(h.store.get(LAMP_FAULT)).toMatchObject({ value: true, quality: 'good', detail: expect.stringContaining('no current') });

      sim.release(GW, PANEL_UNIT, 'parking-a-current'); // lamp replaced
      await until('the alarm returned to normal (still unacknowledged)', () => seen.some((a) => !a.active && a.state === 'rtn_unacknowledged'));
      expect(h.store.get(LAMP_FAULT)?.value).toBe(false);
    }

    { // Step: the producer going away turns the derived point comm_fail
      await control.stop?.(); // control unregisters as producer; the derived driver keeps running
      await until('comm_fail on the lamp-fault point', () => h.store.get(LAMP_FAULT)?.quality === 'comm_fail');
      expect(h.store.get(LAMP_FAULT)?.detail).toBe('producer gone: nothing publishes "lamp-fault"');
    }
  }, 65_000);
});
