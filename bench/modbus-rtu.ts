// `npm run bench -- modbus-rtu`: the Modbus driver over RTU at 19,200 baud (8E1) against the RTU
// slave on a socat pty pair. A pty has no speed, so the slave holds each answer back for the time
// the request and answer would take on a real line (11 bits per character + 3.5-character gaps).
// Effective points/s vs the line's theoretical limit: 125-register reads back to back.
import { ModbusDriver } from '../drivers/modbus/driver.js';
import { connectionSchema, deviceSchema, sourceSchema } from '../drivers/modbus/schema.js';
import { startRtuSlave } from '../simulators/modbus-rtu/index.js';
import { startPtyPair } from '../simulators/modbus-rtu/pty.js';
import type { DriverContext } from '../contracts/driver.js';
import type { Sample } from '../contracts/point.js';

const BAUD = 19200;
const POINTS = 250; // two full 125-register reads per cycle

export async function benchModbusRtu(): Promise<Record<string, number | string>> {
  const pty = await startPtyPair();
  const slave = await startRtuSlave(pty.a, { units: [1], lineBaud: BAUD });
  try {
    const points = Array.from({ length: POINTS }, (_, i) => ({
      info: { id: `hq/a/b1/power-b101/meter-1/r${i}`, name: { en: `r${i}`, 'zh-CN': `r${i}` }, kind: 'analog' as const, writable: false, device: 'meter-1', protocol: 'modbus', intervalMs: 1000 },
      device: 'meter-1',
      connection: 'rtu',
      source: sourceSchema.parse({ table: 'holding', address: i }),
    }));
    const driver = new ModbusDriver(
      [{ id: 'rtu', protocol: 'modbus', options: connectionSchema.parse({ transport: 'rtu', serial: { path: pty.b, baudRate: BAUD }, pollMs: 50, timeoutMs: 1000 }) }],
      [{ id: 'meter-1', connection: 'rtu', options: deviceSchema.parse({ unitId: 1 }), location: { building: 'a', floor: 'b1', room: 'power-b101' } }],
      points,
    );
    let good = 0;
    const ctx: DriverContext = {
      dataDir: '/tmp',
      log: { info() {}, warn() {}, error() {}, debug() {} } as unknown as DriverContext['log'],
      status() {},
      publish(batch: Sample[]) {
        for (const s of batch) if (s.quality === 'good') good++;
      },
    };
    await driver.start(ctx);
    await new Promise((r) => setTimeout(r, 2000)); // connect and settle
    const g0 = good;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 10_000));
    const seconds = (performance.now() - t0) / 1000;
    const effective = (good - g0) / seconds;
    await driver.stop();
    // One 125-register read: request 8 bytes, answer 5 + 250 bytes, two 3.5-character gaps.
    const chars = 8 + 3.5 + 255 + 3.5;
    const theoretical = (125 * BAUD) / 11 / chars;
    return {
      'line': `${BAUD} baud 8E1 (11 bits/char)`,
      'effective points/s': effective,
      'theoretical max points/s (125-reg reads back to back)': theoretical,
      'ratio effective / theoretical': effective / theoretical,
      'CRC errors seen by the slave': slave.stats.badCrc,
    };
  } finally {
    await slave.stop();
    await pty.stop();
  }
}
