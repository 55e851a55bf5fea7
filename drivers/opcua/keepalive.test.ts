// Regression: a healthy but quiet connection must stay up. With values that do
// not change, the only traffic on the channel is the subscription keep-alive
// (publishingIntervalMs × 10). The client socket's idle timeout used to be
// requestTimeoutMs, so any silence longer than one request timeout (10 s by
// default = exactly the default keep-alive period) killed the connection
// ("connection lost" ~40 s into `npm start`, once the plant settled inside its
// deadbands). Here the keep-alive period (1 s) is twice the request timeout
// (500 ms), so the old code dropped the connection within the first period.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Driver } from '../../contracts/driver.js';
import { startOpcuaSimulator, type OpcuaSimulator } from '../../simulators/opcua/server.js';
import { connectClient, makeClient } from './client.js';
import { opcuaFactory } from './index.js';
import { clientPkiDir } from './pki.js';
import { connectionSchema } from './schema.js';
import { point, recorder, type Recorder } from './test-support.js';

const P = 'hq/a/l02/office-201/vav-201/';
let tmp: string;
let sim: OpcuaSimulator;
let driver: Driver;
let rec: Recorder;

// Values that never change while the plant is not stepped.
const points = [
  point('enable', 'Chiller-1.Enable', { kind: 'binary' }),
  point('dehum', 'Env-Archive-B103.DehumidifierOn', { kind: 'binary' }),
];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opcua-keepalive-'));
  // One physics step per hour: nothing changes during the test, the channel is quiet.
  sim = await startOpcuaSimulator({ pkiDir: path.join(tmp, 'sim-pki'), tickMs: 3_600_000 });
  const options = connectionSchema.parse({
    endpointUrl: sim.endpointUrl,
    publishingIntervalMs: 100, // keep-alive period 1 s
    requestTimeoutMs: 500, // shorter than the keep-alive period
    backoff: { initialMs: 200, maxMs: 1000 },
  });
  driver = opcuaFactory.create([{ id: 'opcua-test', protocol: 'opcua', options }], [], points);
  rec = recorder(path.join(tmp, 'data'));
  await driver.start(rec);
  await rec.waitFor(() => rec.statuses.some((s) => s.state === 'online'), 'online');
}, 60_000);

afterAll(async () => {
  await driver?.stop();
  await sim?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('OPC UA connection on a quiet channel', () => {
  it('stays online across several keep-alive periods longer than the request timeout', async () => {
    const id = P + 'enable';
    await rec.waitFor(() => rec.latest(id), 'first value');
    // The driver re-publishes a silent point once per keep-alive period; three
    // of them prove ≥ 3 s of silence apart from the server's keep-alives.
    const first = rec.samples.find((s) => s.pointId === id)!;
    await rec.waitFor(() => rec.samples.filter((s) => s.pointId === id && s.readTs > first.readTs).length >= 3, 'three keep-alive refreshes', 30_000);
    expect(rec.samples.filter((s) => s.quality === 'comm_fail')).toEqual([]);
    expect(rec.statuses.map((s) => s.state).filter((s) => s !== 'connecting' && s !== 'online')).toEqual([]);
    expect(rec.logs.filter((l) => l.level === 'error')).toEqual([]);
    expect(rec.latest(id)).toMatchObject({ value: true, quality: 'good' });
    // One session throughout: no silent reconnect happened in between.
    expect(sim.sessionCount()).toBe(1);
  }, 40_000);
});

describe('connectClient', () => {
  it('gives up after requestTimeoutMs when the server accepts TCP but never answers Hello', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const options = connectionSchema.parse({ endpointUrl: `opc.tcp://127.0.0.1:${port}`, requestTimeoutMs: 500 });
    const pkiDir = clientPkiDir(path.join(tmp, 'data'));
    const client = makeClient(options, pkiDir);
    try {
      await expect(connectClient(client, options, pkiDir)).rejects.toThrow("no answer to connect within 500 ms");
    } finally {
      await client.disconnect().catch(() => undefined);
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  }, 30_000);
});
