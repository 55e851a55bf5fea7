// Integration: OPC UA Alarms & Conditions from the real simulator through the real driver
// (raise → mapped priority, ack back → AckedState on the server, clear → RTN, reconnect → refresh).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExternalCondition } from '../../contracts/alarms.js';
import type { Driver } from '../../contracts/driver.js';
import { startOpcuaSimulator, SIM_CONDITIONS, type OpcuaSimulator } from '../../simulators/opcua/server.js';
import { opcuaFactory } from './index.js';
import { connectionSchema } from './schema.js';
import { recorder, type Recorder } from './test-support.js';

let tmp: string;
let sim: OpcuaSimulator;
let driver: Driver;
let rec: Recorder;
let conds: ExternalCondition[];

const FAN = `opcua-ac:nsu=urn:watchfloor:hvac;s=${SIM_CONDITIONS.fanFault}`;
const CHW = `opcua-ac:nsu=urn:watchfloor:hvac;s=${SIM_CONDITIONS.chwHigh}`;
// Each test reads only the conditions reported since its own start, so a condition a sibling
// test left active (and its stale EventId) never stands in for the one this test raises.
let mark = 0;
const latest = (id: string) => conds.slice(mark).reverse().find((c) => c.id === id);
const lastEver = (id: string) => [...conds].reverse().find((c) => c.id === id);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opcua-events-'));
  // A slow physics tick: the test sets plant values and the chiller must not pull them back at once.
  sim = await startOpcuaSimulator({ pkiDir: path.join(tmp, 'sim-pki'), tickMs: 60_000 });
  const options = connectionSchema.parse({ endpointUrl: sim.endpointUrl, publishingIntervalMs: 100, backoff: { initialMs: 200, maxMs: 1000 }, events: {} });
  driver = opcuaFactory.create([{ id: 'opcua-ac', protocol: 'opcua', options }], [], []);
  conds = [];
  rec = { ...recorder(path.join(tmp, 'data')), publishConditions: (c: ExternalCondition[]) => conds.push(...c) };
  await driver.start(rec);
  await rec.waitFor(() => rec.statuses.some((s) => s.state === 'online'), 'online');
}, 60_000);

afterAll(async () => {
  await driver?.stop();
  await sim?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

beforeEach(async () => {
  sim.set('AHU-1.FanFault', false);
  sim.set('Chiller-1.SupplyWaterTemp', 7);
  // Wait until a condition a previous test left active has been reported inactive.
  await rec.waitFor(() => !lastEver(FAN)?.active && !lastEver(CHW)?.active, 'conditions back to inactive');
  mark = conds.length;
}, 30_000);

describe('OPC UA alarms & conditions', () => {
  it('a fan fault raises a critical, unacknowledged condition; ack goes back; clearing returns to normal', async () => {
    sim.set('AHU-1.FanFault', true);
    const raised = await rec.waitFor(() => latest(FAN)?.active && latest(FAN), 'fan fault active');
    expect(raised).toMatchObject({ connection: 'opcua-ac', severity: 900, priority: 'critical', acked: false, state: 'unacknowledged' });
    expect(raised.source).toMatch(/FanFault$/);
    expect(raised.message).toBe('AHU-1 supply fan failure');

    await driver.acknowledgeCondition!(FAN, 'checked on site', 'guard1');
    // The server's own event after Acknowledge reports AckedState true.
    const acked = await rec.waitFor(() => latest(FAN)?.acked && latest(FAN), 'fan fault acked');
    expect(acked).toMatchObject({ active: true, state: 'acknowledged' });

    sim.set('AHU-1.FanFault', false);
    const rtn = await rec.waitFor(() => latest(FAN)?.active === false && latest(FAN), 'fan fault cleared');
    expect(rtn.state).toBe('normal');
  }, 30_000);

  it('a chilled-water excursion raises a high-priority limit alarm that clears to RTN-unacknowledged', async () => {
    sim.set('Chiller-1.SupplyWaterTemp', 13.5);
    const raised = await rec.waitFor(() => latest(CHW)?.active && latest(CHW), 'chw high active');
    expect(raised).toMatchObject({ priority: 'high', severity: 700, state: 'unacknowledged' });
    sim.set('Chiller-1.SupplyWaterTemp', 7);
    const rtn = await rec.waitFor(() => latest(CHW)?.active === false && latest(CHW), 'chw high cleared');
    expect(rtn.state).toBe('rtn_unacknowledged');
    // Acknowledging the returned alarm acknowledges the server's branch of the earlier occurrence.
    await driver.acknowledgeCondition!(CHW, '', 'guard2');
    const normal = await rec.waitFor(() => latest(CHW)?.state === 'normal' && latest(CHW), 'chw high acked after RTN');
    expect(normal.acked).toBe(true);
  }, 30_000);

  it('refuses to acknowledge an unknown condition', async () => {
    await expect(driver.acknowledgeCondition!('opcua-ac:ns=1;s=Nope', '', 'guard1')).rejects.toThrow(/no OPC UA condition/);
  });

  it('after a reconnect, ConditionRefresh reports the conditions already active', async () => {
    sim.set('AHU-1.FanFault', true);
    await rec.waitFor(() => latest(FAN)?.active, 'fan fault active');
    const onlineBefore = rec.statuses.filter((s) => s.state === 'online').length;
    const mark = conds.length;
    await sim.restart();
    await rec.waitFor(() => rec.statuses.filter((s) => s.state === 'online').length > onlineBefore, 'back online');
    // Only the refresh of the new session can deliver it: the fault did not change across the restart.
    const replayed = await rec.waitFor(() => conds.slice(mark).find((c) => c.id === FAN && c.active), 'refreshed fan fault', 15_000);
    expect(replayed.priority).toBe('critical');
  }, 40_000);
});
