// Integration: the real driver against the real simulator on loopback.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DriverWriteError, type Driver } from '../../contracts/driver.js';
import { startOpcuaSimulator, type OpcuaSimulator } from '../../simulators/opcua/server.js';
import { opcuaFactory } from './index.js';
import { connectionSchema } from './schema.js';
import { point, recorder, type Recorder } from './test-support.js';

const P = 'hq/a/l02/office-201/vav-201/';
let tmp: string;
let sim: OpcuaSimulator;
let driver: Driver;
let rec: Recorder;

const points = [
  point('setpoint', 'VAV-201.ZoneTempSetpoint', { writable: true, limits: { min: 16, max: 30 } }),
  point('setpoint-db', 'VAV-202.ZoneTempSetpoint', { source: { deadband: { type: 'absolute', value: 1 } } }),
  // EURange of setpoints is 16..30, so 10 % is 1.4 K.
  point('setpoint-pct', 'VAV-203.ZoneTempSetpoint', { source: { deadband: { type: 'percent', value: 10 } } }),
  point('zone-temp', 'VAV-201.ZoneTemp'),
  point('occupancy', 'VAV-201.OccupancyMode', { kind: 'multistate', writable: true }),
  point('dehum', 'Env-Archive-B103.DehumidifierOn', { kind: 'binary', writable: true }),
  point('demand', 'Chiller-1.DemandLimit', { writable: true, source: { mode: 'poll', pollMs: 200 } }),
  point('missing-ns', 'nsu=urn:nowhere;s=X'),
  point('missing-node', 'VAV-999.Nothing'),
];
// Items the server accepts: subscribed points minus the unknown namespace and the unknown node.
const SUBSCRIBED = points.filter((p) => p.source.mode === 'subscribe' && !/nowhere|VAV-999/.test(p.source.nodeId)).length;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opcua-driver-'));
  sim = await startOpcuaSimulator({ pkiDir: path.join(tmp, 'sim-pki'), tickMs: 200 });
  const connection = { id: 'opcua-test', protocol: 'opcua', options: connectionSchema.parse({ endpointUrl: sim.endpointUrl, publishingIntervalMs: 100, backoff: { initialMs: 200, maxMs: 1000 } }) };
  driver = opcuaFactory.create([connection], [{ id: 'vav-201', connection: 'opcua-test', options: {} }], points);
  rec = recorder(path.join(tmp, 'data'));
  await driver.start(rec);
  await rec.waitFor(() => rec.statuses.some((s) => s.state === 'online'), 'online');
}, 60_000);

afterAll(async () => {
  await driver?.stop();
  await sim?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// Every test starts from the same simulator values, whatever the tests before it wrote (a shuffled run
// must pass: issue 11, item 14).
beforeEach(() => {
  sim.set('Chiller-1.DemandLimit', 100);
  sim.set('Env-Archive-B103.DehumidifierOn', true);
  sim.set('VAV-201.OccupancyMode', 2);
  for (const vav of ['VAV-201', 'VAV-202', 'VAV-203']) sim.set(`${vav}.ZoneTempSetpoint`, 24);
});

describe('OPC UA driver against the HVAC simulator', () => {
  it('delivers subscription changes with source timestamps, and polls poll-mode points', async () => {
    sim.set('VAV-201.ZoneTempSetpoint', 25.5);
    const s = await rec.waitFor(() => rec.samples.find((x) => x.pointId === P + 'setpoint' && x.value === 25.5), 'setpoint 25.5');
    expect(s.quality).toBe('good');
    expect(s.sourceTs).toBeGreaterThan(Date.now() - 60_000);
    const from = rec.samples.length;
    // A poll in flight when beforeEach reset the value may still bring the old one: wait for three
    // polls and the reset value.
    const polled = await rec.waitFor(() => rec.samples.slice(from).filter((x) => x.pointId === P + 'demand').length >= 3 && rec.latest(P + 'demand')?.value === 100 && rec.latest(P + 'demand'), 'three polls, the last of 100');
    expect(polled).toMatchObject({ value: 100, quality: 'good' });
    await rec.waitFor(() => rec.latest(P + 'dehum')?.value === true, 'dehumidifier on');
    expect(rec.latest(P + 'dehum')).toMatchObject({ value: true, quality: 'good' });
  });

  it('re-publishes an unchanged value once per keep-alive period so it never goes stale', async () => {
    // publishingIntervalMs 100 × keep-alive count 10 = 1 s; the dehumidifier value never changes.
    const id = P + 'dehum';
    const first = await rec.waitFor(() => (rec.latest(id)?.value === true ? rec.latest(id) : undefined), 'dehumidifier on');
    const again = await rec.waitFor(() => rec.samples.filter((x) => x.pointId === id && x.readTs >= first.readTs + 900).at(0), 'refreshed sample');
    expect(again).toMatchObject({ value: true, quality: 'good', sourceTs: first.sourceTs });
    expect(opcuaFactory.intervalMs(connectionSchema.parse({ endpointUrl: sim.endpointUrl, publishingIntervalMs: 100 }), points[5].source)).toBe(1000);
  });

  it('marks unresolvable points bad with the reason', async () => {
    expect(rec.latest(P + 'missing-ns')).toMatchObject({ quality: 'bad', value: null });
    expect(rec.latest(P + 'missing-ns')!.detail).toContain('urn:nowhere');
    expect(rec.latest(P + 'missing-node')).toMatchObject({ quality: 'bad' });
    expect(rec.latest(P + 'missing-node')!.detail).toContain('BadNodeIdUnknown');
  });

  it('suppresses changes inside the absolute deadband', async () => {
    const id = P + 'setpoint-db';
    await rec.waitFor(() => rec.latest(id)?.value === 24, 'initial deadband value');
    await rec.waitFor(() => rec.latest(P + 'setpoint-pct')?.value === 24, 'initial percent deadband value');
    sim.set('VAV-202.ZoneTempSetpoint', 24.4); // inside the 1 K deadband
    sim.set('VAV-203.ZoneTempSetpoint', 25); // inside 10 % of 14 K
    // Two later changes of an undamped point prove several publish cycles have passed.
    for (const v of [26, 27]) {
      sim.set('VAV-201.ZoneTempSetpoint', v);
      await rec.waitFor(() => rec.latest(P + 'setpoint')?.value === v, `setpoint ${v}`);
    }
    expect(rec.samples.some((x) => x.pointId === id && x.value === 24.4)).toBe(false);
    expect(rec.samples.some((x) => x.pointId === P + 'setpoint-pct' && x.value === 25)).toBe(false);
    sim.set('VAV-202.ZoneTempSetpoint', 25.5); // outside
    sim.set('VAV-203.ZoneTempSetpoint', 25.6); // outside: 1.6 K from 24
    await rec.waitFor(() => rec.latest(id)?.value === 25.5, 'deadband value 25.5');
    await rec.waitFor(() => rec.latest(P + 'setpoint-pct')?.value === 25.6, 'percent deadband value 25.6');
  });

  it('writes with the node DataType and confirms by read-back', async () => {
    await expect(driver.write(P + 'setpoint', 23.5)).resolves.toMatchObject({ confirmed: true, readBack: 23.5 });
    expect(sim.get('VAV-201.ZoneTempSetpoint')).toBe(23.5);
    await expect(driver.write(P + 'occupancy', 2)).resolves.toMatchObject({ confirmed: true, readBack: 2 });
    expect(sim.get('VAV-201.OccupancyMode')).toBe(2);
    await expect(driver.write(P + 'dehum', false)).resolves.toMatchObject({ confirmed: true, readBack: false });
    expect(sim.get('Env-Archive-B103.DehumidifierOn')).toBe(false);
    await expect(driver.write(P + 'demand', 80)).resolves.toMatchObject({ confirmed: true, readBack: 80 });
    expect(sim.get('Chiller-1.DemandLimit')).toBe(80);
  });

  it('refuses values that do not fit, before sending anything', async () => {
    const refused = async (pointId: string, value: number | string, pattern: RegExp) => {
      const err = await driver.write(pointId, value).catch((e) => e);
      expect(err).toBeInstanceOf(DriverWriteError);
      expect(err.code).toBe('invalid_value');
      expect(err.message).toMatch(pattern);
    };
    await refused(P + 'occupancy', 3.5, /Int16: 3.5 is not an integer \(range -32768..32767\)/);
    await refused(P + 'occupancy', 40000, /Int16: 40000 is outside -32768..32767/);
    await refused(P + 'demand', 2.5, /Int32/);
    await refused(P + 'setpoint', 35, /above the point's maximum 30/);
    await refused(P + 'setpoint', 'warm', /expected a number/);
    expect(sim.get('VAV-201.OccupancyMode')).toBe(2); // as beforeEach left them: nothing was sent
    expect(sim.get('VAV-201.ZoneTempSetpoint')).toBe(24);
    const notWritable = await driver.write(P + 'zone-temp', 20).catch((e) => e);
    expect(notWritable.code).toBe('not_writable');
  });

  it('reports comm_fail when the server restarts, then restores exactly one set of monitored items', async () => {
    expect(sim.monitoredItemCount()).toBe(SUBSCRIBED);
    for (let round = 0; round < 2; round++) {
      const from = rec.samples.length;
      const statusFrom = rec.statuses.length;
      await sim.restart();
      await rec.waitFor(() => rec.samples.slice(from).some((x) => x.pointId === P + 'zone-temp' && x.quality === 'comm_fail'), 'comm_fail');
      expect(rec.statuses.slice(statusFrom).some((s) => s.state === 'offline')).toBe(true);
      await rec.waitFor(() => rec.statuses.slice(statusFrom).some((s) => s.state === 'online'), 'online again', 30_000);
      await rec.waitFor(() => rec.samples.slice(from).some((x) => x.pointId === P + 'zone-temp' && x.quality === 'good'), 'good sample after recovery');
      expect(sim.monitoredItemCount()).toBe(SUBSCRIBED);
      expect(sim.sessionCount()).toBe(1);
    }
    // Logged once on failure and once on recovery per outage, never per retry.
    expect(rec.logs.filter((l) => l.msg === 'OPC UA connection recovered')).toHaveLength(2);
    await expect(driver.write(P + 'setpoint', 22)).resolves.toMatchObject({ confirmed: true });
  }, 90_000);

  it('publishes nothing after stop()', async () => {
    // Its own driver: stopping the shared one would leave the other tests without it in a shuffled run.
    const connection = { id: 'opcua-stop', protocol: 'opcua', options: connectionSchema.parse({ endpointUrl: sim.endpointUrl, publishingIntervalMs: 100, backoff: { initialMs: 200, maxMs: 1000 } }) };
    const own = opcuaFactory.create([connection], [{ id: 'vav-201', connection: 'opcua-stop', options: {} }], points.map((p) => ({ ...p, connection: 'opcua-stop' })));
    const ownRec = recorder(path.join(tmp, 'data-stop'));
    await own.start(ownRec);
    await ownRec.waitFor(() => ownRec.samples.some((x) => x.quality === 'good'), 'good samples');
    await own.stop();
    const n = ownRec.samples.length;
    sim.set('VAV-201.ZoneTempSetpoint', 21);
    await new Promise((r) => setTimeout(r, 600));
    expect(ownRec.samples.length).toBe(n);
    expect(ownRec.statuses.at(-1)?.state).toBe('stopped');
  });
});
