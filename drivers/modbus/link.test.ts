import { afterEach, describe, expect, it } from 'vitest';
import { LinkClosedError } from './errors.js';
import { ModbusLink } from './link.js';
import { freePort, TestModbusServer } from './test-server.js';

let server: TestModbusServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('ModbusLink', () => {
  it('says why a connect failed', async () => {
    const port = await freePort();
    const link = new ModbusLink({ host: '127.0.0.1', port, timeoutMs: 500 });
    await expect(link.open()).rejects.toThrow(`connect to 127.0.0.1:${port} failed: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(link.isOpen).toBe(false);
  });

  it('reads each table and writes registers and coils', async () => {
    server = await TestModbusServer.start();
    const u = server.unit(7);
    u.holding.set(10, 1).set(11, 2);
    u.input.set(0, 9);
    u.coil.set(3, true);
    u.discrete.set(1, true);
    const link = new ModbusLink({ host: '127.0.0.1', port: server.port, timeoutMs: 500 });
    await link.open();
    expect(await link.read(7, 'holding', 10, 2)).toEqual([1, 2]);
    expect(await link.read(7, 'input', 0, 1)).toEqual([9]);
    expect(await link.read(7, 'coil', 0, 5)).toEqual([false, false, false, true, false]);
    expect(await link.read(7, 'discrete', 0, 2)).toEqual([false, true]);
    await link.writeRegisters(7, 20, [5]);
    await link.writeRegisters(7, 21, [6, 7]);
    await link.writeCoil(7, 4, true);
    expect(await link.read(7, 'holding', 20, 3)).toEqual([5, 6, 7]);
    expect(u.coil.get(4)).toBe(true);
    link.close();
  });

  it('fails a request in flight at once when the device drops the socket, and reports the loss', async () => {
    server = await TestModbusServer.start();
    server.unit(1);
    server.silentUnits.add(1); // the request will hang until the socket goes
    const link = new ModbusLink({ host: '127.0.0.1', port: server.port, timeoutMs: 60_000 });
    const lost: string[] = [];
    link.onLost = (r) => lost.push(r);
    await link.open();
    const pending = link.read(1, 'holding', 0, 1);
    await new Promise((r) => setTimeout(r, 50));
    await server.close();
    await expect(pending).rejects.toBeInstanceOf(LinkClosedError);
    expect(lost).toEqual(['connection closed by the device']);
    expect(link.isOpen).toBe(false);
  });

  it('close() abandons a connect in progress', async () => {
    server = await TestModbusServer.start();
    const link = new ModbusLink({ host: '127.0.0.1', port: server.port, timeoutMs: 5000 });
    const opening = link.open();
    link.close('driver stopped');
    await expect(opening).rejects.toThrow('driver stopped');
    expect(link.isOpen).toBe(false);
  });
});
