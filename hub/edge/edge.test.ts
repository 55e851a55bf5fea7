// Edge agent ↔ Mosquitto (TLS, one password per edge, ACL) ↔ hub Sparkplug host, end to end with a
// real Modbus server: edge points appear in the hub, a hub command is applied by the edge's driver
// and confirmed by read-back, an edge's death turns its points comm_fail, and the broker refuses an
// edge publishing into another building's topics or reading another building's commands.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestModbusServer } from '../../drivers/modbus/test-server.js';
import { driverFor } from '../../drivers/registry.js';
import { EdgeAgent } from '../../edge/agent.js';
import { brokerAcl, edgeUser } from '../../edge/broker-config.js';
import { createEdgeDrivers } from '../../edge/drivers.js';
import { loadBuilding } from '../../edge/site.js';
import { startMosquitto, type Mosquitto } from '../../test/support/mosquitto.js';
import { loadConfig } from '../config/load.js';
import { silentLogger } from '../log.js';
import { createHub, type Hub } from '../server.js';
import { createEdgeModule } from './index.js';
import { createHubDriversWith } from './remote.js';
import { silent, until } from './test-cluster.js';
import { UNIT_OF, pointIds, writeTestSite } from './test-site.js';

describe('edge agents over MQTT Sparkplug B', () => {
  let dir: string;
  let modbus: TestModbusServer;
  let broker: Mosquitto;
  let hub: Hub;
  let edgeB: EdgeAgent;
  const users = { hub: 'hub-secret', [edgeUser('hq', 'b')]: 'b-secret', [edgeUser('hq', 'c')]: 'c-secret' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wf-edge-'));
    modbus = await TestModbusServer.start();
    for (const i of [0, 1, 2]) {
      modbus.unit(UNIT_OF(i)).holding.set(0, 20 + i);
      modbus.unit(UNIT_OF(i)).holding.set(1, 30 + i);
    }
    broker = await startMosquitto({ tls: true, users, acl: brokerAcl('hq', ['b', 'c'], ['hub']) });
    writeTestSite(dir, {
      modbusPort: modbus.port, brokerUrl: broker.url, caPem: broker.ca, edgeBuildings: ['b', 'c'],
      hubCredentials: { username: 'hub', password: users.hub },
      edgeCredentials: { b: { username: edgeUser('hq', 'b'), password: users[edgeUser('hq', 'b')] }, c: { username: edgeUser('hq', 'c'), password: users[edgeUser('hq', 'c')] } },
    });
    const config = loadConfig(dir);
    hub = await createHub(config, { drivers: createHubDriversWith(config, driverFor), modules: [createEdgeModule()], log: silentLogger(), listen: { port: 0 } });
    const slice = loadBuilding(dir, 'b');
    edgeB = new EdgeAgent({
      group: 'hq', building: 'b',
      broker: { url: broker.url, username: edgeUser('hq', 'b'), password: users[edgeUser('hq', 'b')], ca: broker.ca, keepaliveS: 2 },
      points: slice.points, drivers: createEdgeDrivers(slice), dataDir: join(dir, 'edge-b'), log: silent,
    });
    await edgeB.start();
  });

  afterAll(async () => {
    await edgeB?.stop();
    await hub?.stop();
    await broker?.stop();
    await modbus?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the edge slice holds only its building, and the hub runs no local driver for it', () => {
    const slice = loadBuilding(dir, 'b');
    expect(slice.points.map((p) => p.info.id).sort()).toEqual([pointIds('b').setpoint, pointIds('b').temp]);
    expect(slice.connections.map((c) => c.id)).toEqual(['gw-b']);
  });

  it("an edge's points appear in the hub with their values, and a local building's too", async () => {
    await until('edge b points good in the hub', () => hub.store.get(pointIds('b').temp)?.quality === 'good');
    expect(hub.store.get(pointIds('b').temp)?.value).toBe(31);
    await until('local building a good', () => hub.store.get(pointIds('a').temp)?.quality === 'good');
    // c has no agent running: its points are not live.
    expect(hub.store.get(pointIds('c').temp)?.quality ?? 'comm_fail').not.toBe('good');
  });

  it('a hub command goes out as DCMD, is written by the edge driver and confirmed by read-back', async () => {
    await until('edge b live', () => edgeB.isLive);
    const r = await hub.commands.write('admin', pointIds('b').setpoint, 42);
    expect(r.confirmed).toBe(true);
    expect(r.readBack).toBe(42);
    expect(modbus.unit(UNIT_OF(1)).holding.get(0)).toBe(42);
  });

  it('a command refused by the edge driver comes back as its error, not a timeout', async () => {
    // 70000 does not fit a uint16: the edge's Modbus driver refuses it (the hub has no wire-type check for remote points).
    await expect(hub.commands.write('admin', pointIds('b').setpoint, 400.5)).rejects.toMatchObject({ code: 'invalid_value' });
  });

  it('the broker refuses an edge publishing as another building or reading its commands (ACL)', async () => {
    const spy = await mqtt.connectAsync(broker.url, { username: 'hub', password: users.hub, ca: broker.ca, protocolVersion: 5 });
    const seen: string[] = [];
    spy.on('message', (t) => seen.push(t));
    await spy.subscribeAsync('spBv1.0/hq/#');
    const rogue = await mqtt.connectAsync(broker.url, { username: edgeUser('hq', 'b'), password: users[edgeUser('hq', 'b')], ca: broker.ca, protocolVersion: 5, reconnectPeriod: 0 });
    try {
      // Publishing into building c: PUBACK "not authorized" (MQTT 5 reason 0x87), and nobody receives it.
      const refused = await rogue.publishAsync('spBv1.0/hq/DDATA/c/gw-c', Buffer.from('x'), { qos: 1 }).then(() => null, (err: Error) => err);
      expect(refused?.message ?? '').toMatch(/not authori[sz]ed|135/i);
      // Its own building's topic is allowed.
      await rogue.publishAsync('spBv1.0/hq/NDATA/b', Buffer.from('ok'), { qos: 1 });
      await until('own publish seen', () => seen.includes('spBv1.0/hq/NDATA/b'), 5000);
      expect(seen).not.toContain('spBv1.0/hq/DDATA/c/gw-c');
      // Reading c's commands: mosquitto grants the subscription but never delivers (read ACL at delivery).
      const got: string[] = [];
      rogue.on('message', (t) => got.push(t));
      await rogue.subscribeAsync(['spBv1.0/hq/DCMD/c/+', 'spBv1.0/hq/DCMD/b/+'], { qos: 1 });
      await spy.publishAsync('spBv1.0/hq/DCMD/c/gw-c', Buffer.from('for c'), { qos: 1 });
      await spy.publishAsync('spBv1.0/hq/DCMD/b/gw-b', Buffer.from('for b'), { qos: 1 });
      await until('own command seen', () => got.includes('spBv1.0/hq/DCMD/b/gw-b'), 5000);
      expect(got).not.toContain('spBv1.0/hq/DCMD/c/gw-c');
    } finally {
      await rogue.endAsync(true);
      await spy.endAsync(true);
    }
  });

  it('a wrong password is refused by the broker', async () => {
    const err = await mqtt.connectAsync(broker.url, { username: edgeUser('hq', 'c'), password: 'wrong', ca: broker.ca, reconnectPeriod: 0, connectTimeout: 3000 }).then(
      (c) => (c.end(true), null),
      (e: Error) => e,
    );
    expect(err?.message ?? '').toMatch(/not authori[sz]ed|bad user name or password/i);
  });

  it("an edge's death certificate turns its points comm_fail within seconds", async () => {
    await until('edge b good', () => hub.store.get(pointIds('b').temp)?.quality === 'good');
    const client = edgeB.mqtt()!;
    client.options.reconnectPeriod = 0;
    const t0 = Date.now();
    // A crash: the socket goes away without DISCONNECT, so the broker publishes the will (NDEATH).
    (client as unknown as { stream: { destroy(): void } }).stream.destroy();
    await until('edge b comm_fail', () => hub.store.get(pointIds('b').temp)?.quality === 'comm_fail', 5000);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(hub.store.get(pointIds('b').setpoint)?.quality).toBe('comm_fail');
    // The local building is untouched.
    expect(hub.store.get(pointIds('a').temp)?.quality).toBe('good');
  });
});
