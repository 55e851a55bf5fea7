// `npm run bench -- modbus-recovery`: a Modbus device down for 30 s (RECOVERY_OUTAGE_S) with the default
// backoff (500 ms doubling to 30 s) and pollMs 1000: how long until its point is good again, in ms and in
// poll intervals, and how many connect attempts the outage cost.
import os from 'node:os';
import type { BoundPoint, ConnectionConfig, ConnectionStatus, DeviceConfig, DriverContext } from '../contracts/driver.js';
import type { Sample } from '../contracts/point.js';
import { ModbusDriver } from '../drivers/modbus/driver.js';
import { connectionSchema, deviceSchema, sourceSchema, type ModbusConnectionOptions, type ModbusDeviceOptions, type ModbusSource } from '../drivers/modbus/schema.js';
import { TestModbusServer } from '../drivers/modbus/test-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchModbusRecovery(): Promise<Record<string, number | string>> {
  const pollMs = 1000;
  const outageMs = Number(process.env.RECOVERY_OUTAGE_S ?? 30) * 1000;
  const server = await TestModbusServer.start();
  server.unit(1).holding.set(0, 7);
  const connections: ConnectionConfig<ModbusConnectionOptions>[] = [{ id: 'gw', protocol: 'modbus', options: connectionSchema.parse({ port: server.port, pollMs }) }];
  const devices: DeviceConfig<ModbusDeviceOptions>[] = [{ id: 'meter', connection: 'gw', options: deviceSchema.parse({ unitId: 1 }) }];
  const points: BoundPoint<ModbusSource>[] = [{
    device: 'meter', connection: 'gw', source: sourceSchema.parse({ table: 'holding', address: 0, type: 'uint16' }),
    info: { id: 'hq/a/l1/plant/meter/u16', name: { en: 'u16', 'zh-CN': 'u16' }, kind: 'analog', writable: false, device: 'meter', protocol: 'modbus', intervalMs: pollMs },
  }];
  const seen: Array<{ at: number; quality: string }> = [];
  // Each failed connect attempt is logged (warn the first time, debug after): that is the probe cost.
  const failures: number[] = [];
  const onLog = (_o: object, msg?: string) => {
    if (msg === 'modbus reconnect failed' || msg === 'modbus connection offline') failures.push(Date.now());
  };
  const ctx = {
    dataDir: os.tmpdir(),
    log: { info() {}, warn: onLog, error() {}, debug: onLog },
    publish: (batch: Sample[]) => batch.forEach((s) => seen.push({ at: Date.now(), quality: s.quality })),
    status: (_s: ConnectionStatus) => undefined,
  } as DriverContext;
  const driver = new ModbusDriver(connections, devices, points);
  await driver.start(ctx);
  while (!seen.some((s) => s.quality === 'good')) await sleep(20);
  await server.close();
  const downAt = Date.now();
  await sleep(outageMs);
  await server.listen();
  const backAt = Date.now();
  while (!seen.some((s) => s.at >= backAt && s.quality === 'good')) await sleep(5);
  const good = seen.find((s) => s.at >= backAt && s.quality === 'good')!;
  await driver.stop();
  await server.close();
  return {
    'outage, s': outageMs / 1000,
    'pollMs': pollMs,
    'device back → first good sample, ms': good.at - backAt,
    'device back → good, poll intervals': +((good.at - backAt) / pollMs).toFixed(2),
    'failed connect attempts during the outage (probe cost)': failures.filter((t) => t >= downAt && t < backAt).length,
    'load': os.loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}
