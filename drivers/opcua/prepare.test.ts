// Driver.prepare for OPC UA: the local part of the first connect (node-opcua, our own certificate on a
// fresh data folder) done ahead of start(), without talking to the server or reporting a status.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpcuaDriver } from './driver.js';
import { connectionSchema } from './schema.js';
import { point, recorder } from './test-support.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('OPC UA driver prepare', () => {
  it('creates the client certificate in <dataDir>/opcua/pki and connects to nothing', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-opcua-prepare-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    // A real listener at the endpoint, so a connect attempt would be seen.
    let accepted = 0;
    const server = net.createServer((s) => (accepted++, s.destroy()));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    cleanups.push(() => new Promise<void>((ok) => server.close(() => ok())));
    const port = (server.address() as net.AddressInfo).port;

    const connection = { id: 'opcua-prep', protocol: 'opcua', options: connectionSchema.parse({ endpointUrl: `opc.tcp://127.0.0.1:${port}` }) };
    const driver = createOpcuaDriver([connection], [], [{ ...point('zone-temp', 'vav-201.zone-temp'), connection: 'opcua-prep' }]);
    cleanups.push(() => driver.stop());
    const ctx = recorder(dataDir);
    await driver.prepare!(ctx);

    const own = path.join(dataDir, 'opcua', 'pki', 'own');
    const files = fs.readdirSync(own, { recursive: true }).map(String);
    expect(files.some((f) => f.endsWith('.pem') && f.includes('cert'))).toBe(true);
    expect(files.some((f) => f.includes('private'))).toBe(true);
    expect(accepted).toBe(0);
    expect(ctx.statuses).toEqual([]);
    expect(ctx.samples).toEqual([]);
  }, 60_000);
});
