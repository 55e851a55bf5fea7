// The first values of subscribed points come from one Read right after subscribing, not from the
// server's first Publish, which comes up to one publishing interval later (poll.ts readInitialValues).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../contracts/driver.js';
import { startOpcuaSimulator, type OpcuaSimulator } from '../../simulators/opcua/server.js';
import { opcuaFactory } from './index.js';
import { connectionSchema } from './schema.js';
import { point, recorder, type Recorder } from './test-support.js';

const P = 'hq/a/l02/office-201/vav-201/';
// Long: no Publish answers in the first 30 s (it also needs a session timeout above the fixed 60 s
// of before: channel-timing.ts sessionTimeoutFor).
const PUBLISHING_MS = 30_000;
let tmp: string;
let sim: OpcuaSimulator;
let driver: Driver;
let rec: Recorder;

const points = [
  point('setpoint', 'VAV-201.ZoneTempSetpoint'),
  point('zone-temp', 'VAV-201.ZoneTemp'),
  point('occupancy', 'VAV-201.OccupancyMode', { kind: 'multistate' }),
  point('dehum', 'Env-Archive-B103.DehumidifierOn', { kind: 'binary' }),
  point('missing-node', 'VAV-999.Nothing'),
];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opcua-initial-'));
  sim = await startOpcuaSimulator({ pkiDir: path.join(tmp, 'sim-pki') });
  sim.set('VAV-201.ZoneTempSetpoint', 22.5);
  sim.set('Env-Archive-B103.DehumidifierOn', true);
  const connection = { id: 'opcua-test', protocol: 'opcua', options: connectionSchema.parse({ endpointUrl: sim.endpointUrl, publishingIntervalMs: PUBLISHING_MS }) };
  driver = opcuaFactory.create([connection], [{ id: 'vav-201', connection: 'opcua-test', options: {} }], points);
  rec = recorder(path.join(tmp, 'data'));
  await driver.start(rec);
}, 60_000);

afterAll(async () => {
  await driver?.stop();
  await sim?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('OPC UA first values', () => {
  it('arrive by a Read right after subscribing, long before the first Publish', async () => {
    const online = await rec.waitFor(() => rec.statuses.find((s) => s.state === 'online'), 'online');
    const first = await rec.waitFor(() => (['setpoint', 'zone-temp', 'occupancy', 'dehum'].every((n) => rec.latest(P + n)) ? rec.samples.slice() : undefined), 'a first value of every known point', PUBLISHING_MS - 1000);
    expect(rec.latest(P + 'setpoint')).toMatchObject({ value: 22.5, quality: 'good' });
    expect(rec.latest(P + 'dehum')).toMatchObject({ value: true, quality: 'good' });
    expect(typeof rec.latest(P + 'zone-temp')!.value).toBe('number');
    // Well inside the first publishing interval: these came from the Read.
    expect(Math.max(...first.map((s) => s.readTs)) - online.since).toBeLessThan(PUBLISHING_MS - 1000);
    // The unknown node is reported bad once (refused monitored item), not read again.
    expect(rec.samples.filter((s) => s.pointId === P + 'missing-node').map((s) => s.quality)).toEqual(['bad']);
  }, 30_000);
});
