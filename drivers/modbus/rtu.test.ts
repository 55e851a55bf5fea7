// Modbus RTU end to end: the driver on one end of a socat pty pair, the simulated RTU slave
// (simulators/modbus-rtu: own CRC and framing) on the other; plus RTU over TCP. 64-bit, float64,
// strings, FC22 mask write, FC23 read/write, CRC errors and silent units.
import { afterEach, describe, expect, it } from 'vitest';
import type { BoundPoint, ConnectionConfig, DeviceConfig } from '../../contracts/driver.js';
import type { PointInfo } from '../../contracts/point.js';
import { RecordingContext } from '../../test/conformance/run.js';
import { startRtuOverTcp, startRtuSlave, type RegisterBank } from '../../simulators/modbus-rtu/index.js';
import { startPtyPair } from '../../simulators/modbus-rtu/pty.js';
import { ModbusDriver } from './driver.js';
import { connectionSchema, deviceSchema, sourceSchema, type ModbusConnectionOptions, type ModbusDeviceOptions, type ModbusSource } from './schema.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

const UNIT = 7;
const ROOM = 'hq/a/b1/power-b101';

function pt(id: string, source: object, o: { kind?: PointInfo['kind']; writable?: boolean } = {}): BoundPoint<ModbusSource> {
  return {
    info: { id: `${ROOM}/meter-7/${id}`, name: { en: id, 'zh-CN': id }, kind: o.kind ?? 'analog', writable: o.writable ?? false, device: 'meter-7', protocol: 'modbus', intervalMs: 200 },
    device: 'meter-7',
    connection: 'rtu-1',
    source: sourceSchema.parse(source),
  };
}

const POINTS = [
  pt('voltage', { table: 'holding', address: 0, type: 'uint16', scale: 0.1 }),
  pt('energy-wh', { table: 'input', address: 20, type: 'uint64' }),
  pt('energy-kwh', { table: 'holding', address: 30, type: 'int64', scale: 0.001 }),
  pt('frequency', { table: 'holding', address: 10, type: 'float64', wordOrder: 'LE' }),
  pt('serial-no', { table: 'holding', address: 40, type: 'string', length: 4 }, { kind: 'string' }),
  pt('relay-3', { table: 'holding', address: 50, bit: 3 }, { kind: 'binary', writable: true }),
  pt('setpoint', { table: 'holding', address: 60, type: 'float32' }, { writable: true }),
];
const id = (name: string) => `${ROOM}/meter-7/${name}`;

function load(bank: RegisterBank): void {
  const words = (b: Buffer) => Array.from({ length: b.length / 2 }, (_, i) => b.readUInt16BE(i * 2));
  bank.setWords('holding', 0, [2305]);
  const u64 = Buffer.alloc(8);
  u64.writeBigUInt64BE(2n ** 40n + 5n);
  bank.setWords('input', 20, words(u64));
  const i64 = Buffer.alloc(8);
  i64.writeBigInt64BE(123456789n);
  bank.setWords('holding', 30, words(i64));
  const f64 = Buffer.alloc(8);
  f64.writeDoubleBE(50.02);
  bank.setWords('holding', 10, words(f64).reverse());
  bank.setWords('holding', 40, words(Buffer.from('WF-2026\0')));
  bank.setWords('holding', 50, [0b1010_0000_0000_0001]);
}

function driverFor(options: object, device: Partial<ModbusDeviceOptions> = {}) {
  const connections: ConnectionConfig<ModbusConnectionOptions>[] = [{ id: 'rtu-1', protocol: 'modbus', options: connectionSchema.parse({ pollMs: 200, timeoutMs: 300, backoff: { initialMs: 50, maxMs: 500 }, ...options }) }];
  const devices: DeviceConfig<ModbusDeviceOptions>[] = [{ id: 'meter-7', connection: 'rtu-1', options: deviceSchema.parse({ unitId: UNIT, maskWrite: true, readWrite: true, ...device }), location: { building: 'a', floor: 'b1', room: 'power-b101' } }];
  return new ModbusDriver(connections, devices, POINTS);
}

async function serialRig() {
  const pty = await startPtyPair();
  stops.push(() => pty.stop());
  const slave = await startRtuSlave(pty.a, { units: [UNIT], lineBaud: 19200 });
  stops.push(() => slave.stop());
  load(slave.bank(UNIT));
  const driver = driverFor({ transport: 'rtu', serial: { path: pty.b, baudRate: 19200 } });
  const ctx = new RecordingContext('/tmp');
  await driver.start(ctx);
  stops.push(() => driver.stop());
  await ctx.until('good values', () => POINTS.every((p) => ctx.latest(p.info.id)?.quality === 'good'), 8000);
  return { slave, driver, ctx };
}

describe('Modbus RTU over a serial line (socat pty pair)', () => {
  it('reads 16/64-bit integers, float64 and strings', async () => {
    const { ctx, slave } = await serialRig();
    expect(ctx.latest(id('voltage'))?.value).toBe(230.5);
    expect(ctx.latest(id('energy-wh'))?.value).toBe(1099511627781);
    expect(ctx.latest(id('energy-kwh'))?.value).toBe(123456.789);
    expect(ctx.latest(id('frequency'))?.value).toBe(50.02);
    expect(ctx.latest(id('serial-no'))?.value).toBe('WF-2026');
    expect(ctx.latest(id('relay-3'))?.value).toBe(false);
    expect(slave.stats.badCrc).toBe(0);
  });

  it('writes a bit with FC22 (other bits untouched) and a float with FC23 (write + read back in one go)', async () => {
    const { driver, slave } = await serialRig();
    const bank = slave.bank(UNIT);
    expect(await driver.write(id('relay-3'), true)).toEqual({ confirmed: true, readBack: true });
    expect(bank.holding[50]).toBe(0b1010_0000_0000_1001);
    expect(await driver.write(id('relay-3'), false)).toEqual({ confirmed: true, readBack: false });
    expect(bank.holding[50]).toBe(0b1010_0000_0000_0001);
    expect(await driver.write(id('setpoint'), 21.5)).toEqual({ confirmed: true, readBack: 21.5 });
    expect(Buffer.from(new Uint16Array([bank.holding[61], bank.holding[60]]).buffer).readFloatLE(0)).toBe(21.5);
  });

  it('answers with a broken CRC make the cycle fail (comm_fail with the reason), and it recovers', async () => {
    const { ctx, slave } = await serialRig();
    slave.corruptNext(1000);
    await ctx.until('comm_fail on CRC errors', () => ctx.latest(id('voltage'))?.quality === 'comm_fail', 8000);
    expect(ctx.latest(id('voltage'))?.detail).toBe('answer failed its CRC check (line noise, or wrong baud rate / parity?)');
    expect(slave.stats.answered).toBeGreaterThan(0);
    slave.corruptNext(0);
    slave.bank(UNIT).holding[0] = 2299;
    await ctx.until('good again', () => ctx.latest(id('voltage'))?.value === 229.9 && ctx.latest(id('voltage'))?.quality === 'good', 8000);
  });

  it('a unit that stops answering times out to comm_fail and comes back', async () => {
    const { ctx, slave } = await serialRig();
    slave.silence(UNIT, true);
    await ctx.until('comm_fail on timeout', () => ctx.latest(id('voltage'))?.quality === 'comm_fail', 8000);
    expect(ctx.latest(id('voltage'))?.detail).toMatch(/no response within 300 ms/);
    slave.silence(UNIT, false);
    await ctx.until('good again', () => ctx.latest(id('voltage'))?.quality === 'good', 8000);
  });
});

describe('Modbus RTU over TCP (transparent serial server)', () => {
  it('reads and writes RTU frames through a TCP socket', async () => {
    const gw = await startRtuOverTcp({ units: [UNIT], lineBaud: 0 });
    stops.push(() => gw.stop());
    load(gw.bank(UNIT));
    const driver = driverFor({ transport: 'rtu-over-tcp', host: '127.0.0.1', port: gw.port }, { maskWrite: false, readWrite: false });
    const ctx = new RecordingContext('/tmp');
    await driver.start(ctx);
    stops.push(() => driver.stop());
    await ctx.until('good values', () => POINTS.every((p) => ctx.latest(p.info.id)?.quality === 'good'), 8000);
    expect(ctx.latest(id('serial-no'))?.value).toBe('WF-2026');
    expect(await driver.write(id('relay-3'), true)).toEqual({ confirmed: true, readBack: true }); // read-modify-write (FC3 + FC6)
    expect(gw.bank(UNIT).holding[50]).toBe(0b1010_0000_0000_1001);
    expect(gw.stats.badCrc).toBe(0);
  });
});
