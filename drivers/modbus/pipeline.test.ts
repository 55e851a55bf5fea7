// The driver with pipelining on (maxInFlight > 1) against a server that answers every request after a
// hold, so requests overlap: values are right, the per-connection and per-unit limits hold, a silent
// unit turns comm_fail without holding up the others.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { BoundPoint, ConnectionConfig, DeviceConfig, DriverContext } from '../../contracts/driver.js';
import type { Sample } from '../../contracts/point.js';
import { ModbusDriver } from './driver.js';
import { connectionSchema, deviceSchema, sourceSchema, type ModbusConnectionOptions, type ModbusDeviceOptions, type ModbusSource } from './schema.js';

/** FC3 server: register r of unit u reads u*1000 + r; answers after holdMs; unit `silent` never answers. */
async function slowServer(holdMs: number, silent: number) {
  const stats = { maxInFlight: 0, maxPerUnit: 0, requests: 0 };
  let inFlight = 0;
  const perUnit = new Map<number, number>();
  const server = net.createServer((s) => {
    let buf = Buffer.alloc(0);
    s.on('error', () => undefined);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 7 && buf.length >= 6 + buf.readUInt16BE(4)) {
        const f = Buffer.from(buf.subarray(0, 6 + buf.readUInt16BE(4)));
        buf = buf.subarray(f.length);
        const unit = f[6];
        const start = f.readUInt16BE(8);
        const count = f.readUInt16BE(10);
        stats.requests++;
        if (unit === silent) continue;
        inFlight++;
        perUnit.set(unit, (perUnit.get(unit) ?? 0) + 1);
        stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
        stats.maxPerUnit = Math.max(stats.maxPerUnit, perUnit.get(unit)!);
        setTimeout(() => {
          inFlight--;
          perUnit.set(unit, perUnit.get(unit)! - 1);
          const out = Buffer.alloc(9 + count * 2);
          f.copy(out, 0, 0, 4);
          out.writeUInt16BE(3 + count * 2, 4);
          out[6] = unit;
          out[7] = 3;
          out[8] = count * 2;
          for (let i = 0; i < count; i++) out.writeUInt16BE(unit * 1000 + start + i, 9 + i * 2);
          if (!s.destroyed) s.write(out);
        }, holdMs);
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { port: (server.address() as net.AddressInfo).port, stats, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

function driverFor(port: number, units: number[], options: Partial<ModbusConnectionOptions>) {
  const connections: ConnectionConfig<ModbusConnectionOptions>[] = [{ id: 'gw', protocol: 'modbus', options: connectionSchema.parse({ port, pollMs: 200, timeoutMs: 300, maxGap: 0, ...options }) }];
  const devices: DeviceConfig<ModbusDeviceOptions>[] = units.map((u) => ({ id: `m${u}`, connection: 'gw', options: deviceSchema.parse({ unitId: u }) }));
  const points: BoundPoint<ModbusSource>[] = [];
  for (const u of units) {
    for (const r of [0, 10, 20]) {
      // maxGap 0: three reads per unit
      const id = `hq/a/l01/r1/m${u}/r${r}`;
      points.push({ device: `m${u}`, connection: 'gw', source: sourceSchema.parse({ table: 'holding', address: r }), info: { id, name: { en: id, 'zh-CN': id }, kind: 'analog', writable: false, device: `m${u}`, protocol: 'modbus', intervalMs: 200 } });
    }
  }
  return new ModbusDriver(connections, devices, points);
}

function recorder() {
  const latest = new Map<string, Sample>();
  const ctx: DriverContext = {
    publish: (batch) => batch.forEach((s) => latest.set(s.pointId, s)),
    status: () => undefined,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined },
    dataDir: '/tmp',
  };
  return { ctx, latest };
}

async function until(what: string, pred: () => boolean, patienceMs = 8000) {
  const deadline = Date.now() + patienceMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('modbus pipelining (maxInFlight)', () => {
  let cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.reverse()) await c();
    cleanup = [];
  });

  it('keeps up to maxInFlight reads on the socket, one per unit, with the right values', async () => {
    const srv = await slowServer(30, -1);
    const driver = driverFor(srv.port, [1, 2, 3, 4, 5], { maxInFlight: 3 });
    const { ctx, latest } = recorder();
    await driver.start(ctx);
    cleanup.push(() => srv.close(), () => driver.stop());
    await until('every point read', () => latest.size === 15 && [...latest.values()].every((s) => s.quality === 'good'));
    expect(latest.get('hq/a/l01/r1/m4/r20')?.value).toBe(4020);
    expect(latest.get('hq/a/l01/r1/m1/r0')?.value).toBe(1000);
    await until('a few cycles', () => srv.stats.requests >= 45);
    expect(srv.stats.maxInFlight).toBe(3);
    expect(srv.stats.maxPerUnit).toBe(1);
  });

  it('with the default of 1, never overlaps requests', async () => {
    const srv = await slowServer(5, -1);
    const driver = driverFor(srv.port, [1, 2], {});
    const { ctx, latest } = recorder();
    await driver.start(ctx);
    cleanup.push(() => srv.close(), () => driver.stop());
    await until('every point read', () => latest.size === 6 && [...latest.values()].every((s) => s.quality === 'good'));
    expect(srv.stats.maxInFlight).toBe(1);
  });

  it('a silent unit goes comm_fail while the other units keep reading', async () => {
    const srv = await slowServer(10, 2);
    const driver = driverFor(srv.port, [1, 2, 3], { maxInFlight: 3 });
    const { ctx, latest } = recorder();
    await driver.start(ctx);
    cleanup.push(() => srv.close(), () => driver.stop());
    await until('unit 2 comm_fail, units 1 and 3 good', () =>
      latest.get('hq/a/l01/r1/m2/r20')?.quality === 'comm_fail' && latest.get('hq/a/l01/r1/m1/r20')?.quality === 'good' && latest.get('hq/a/l01/r1/m3/r20')?.value === 3020);
    expect(latest.get('hq/a/l01/r1/m2/r0')?.detail).toMatch(/unit 2: no response within 300 ms/);
  });

  it('refuses pipelining on an RTU transport at load', () => {
    const r = connectionSchema.safeParse({ transport: 'rtu-over-tcp', maxInFlight: 2 });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(/pipelining needs transport tcp/);
  });
});
