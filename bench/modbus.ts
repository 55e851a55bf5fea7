// Modbus driver benchmark: 100 simulated devices × 200 holding registers, polled every second
// through the real driver for ~15 s. The devices run in a child process (10 gateway ports × 10
// unit ids, modbus-serial ServerTCP) so they do not share the driver's event loop.
//
//   npx tsx bench/modbus.ts            (BENCH_MODBUS_SECONDS=15 by default)
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import M from 'modbus-serial';
import type { BoundPoint, ConnectionConfig, DeviceConfig, DriverContext } from '../contracts/driver.js';
import type { Sample } from '../contracts/point.js';
import type { CycleInfo } from '../drivers/modbus/connection.js';
import { ModbusDriver } from '../drivers/modbus/driver.js';
import { connectionSchema, deviceSchema, sourceSchema, type ModbusConnectionOptions, type ModbusDeviceOptions, type ModbusSource } from '../drivers/modbus/schema.js';

const GATEWAYS = 10;
const UNITS_PER_GATEWAY = 10;
const REGISTERS = 200;
const POLL_MS = 1000;

// ---- child: the simulated gateways --------------------------------------------------------

async function serve(ports: number[]): Promise<void> {
  const started = Date.now();
  const word = (unit: number, addr: number) => (unit * 1000 + addr + Math.floor((Date.now() - started) / 1000)) & 0xffff;
  const vector = {
    getMultipleHoldingRegisters: (addr: number, len: number, unit: number) => {
      if (unit < 1 || unit > UNITS_PER_GATEWAY) throw { modbusErrorCode: 11 };
      if (addr + len > REGISTERS) throw { modbusErrorCode: 2 };
      return Array.from({ length: len }, (_, i) => word(unit, addr + i));
    },
    getHoldingRegister: (addr: number, unit: number) => word(unit, addr),
  };
  await Promise.all(
    ports.map(
      (port) =>
        new Promise<void>((resolve, reject) => {
          const s = new M.ServerTCP(vector as unknown as ConstructorParameters<typeof M.ServerTCP>[0], { host: '127.0.0.1', port });
          s.once('initialized', () => resolve());
          s.once('serverError', reject);
          s.on('socketError', () => undefined);
        }),
    ),
  );
  process.stdout.write('READY\n');
  process.on('disconnect', () => process.exit(0));
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

// ---- parent: the driver under test ---------------------------------------------------------

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function startGateways(ports: number[]): Promise<ChildProcess> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--serve', ...ports.map(String)], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('READY')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`gateway simulator exited with ${code} before it was ready`)));
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (n: number) => Math.round(n * 10) / 10;

export async function benchModbus(seconds = Number(process.env.BENCH_MODBUS_SECONDS ?? 15)): Promise<Record<string, number | string>> {
  const ports = await Promise.all(Array.from({ length: GATEWAYS }, () => freePort()));
  const child = await startGateways(ports);
  try {
    const connections: ConnectionConfig<ModbusConnectionOptions>[] = ports.map((port, g) => ({
      id: `gw-${g}`, protocol: 'modbus', options: connectionSchema.parse({ port, pollMs: POLL_MS }),
    }));
    const devices: DeviceConfig<ModbusDeviceOptions>[] = [];
    const points: BoundPoint<ModbusSource>[] = [];
    for (let g = 0; g < GATEWAYS; g++) {
      for (let u = 1; u <= UNITS_PER_GATEWAY; u++) {
        const device = `meter-${g}-${u}`;
        devices.push({ id: device, connection: `gw-${g}`, options: deviceSchema.parse({ unitId: u }) });
        for (let r = 0; r < REGISTERS; r++) {
          points.push({
            device, connection: `gw-${g}`, source: sourceSchema.parse({ table: 'holding', address: r }),
            info: { id: `hq/a/b1/plant/${device}/r${r}`, name: { en: `r${r}`, 'zh-CN': `r${r}` }, kind: 'analog', writable: false, device, protocol: 'modbus', intervalMs: POLL_MS },
          });
        }
      }
    }

    const cycles: CycleInfo[] = [];
    let samples = 0;
    let good = 0;
    let measuring = false;
    const driver = new ModbusDriver(connections, devices, points, { onCycle: (c) => measuring && cycles.push(c) });
    const ctx: DriverContext = {
      publish: (batch: Sample[]) => {
        if (!measuring) return;
        samples += batch.length;
        for (const s of batch) if (s.quality === 'good') good++;
      },
      status: () => undefined,
      log: { info: () => undefined, warn: (o, m) => console.warn(m, o), error: (o, m) => console.error(m, o), debug: () => undefined },
      dataDir: os.tmpdir(),
    };
    const cpuBefore = process.cpuUsage();
    await driver.start(ctx);
    // Warm-up: connect and let the first cycle of every connection pass.
    await new Promise((r) => setTimeout(r, 1500));
    measuring = true;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    measuring = false;
    const elapsedS = (performance.now() - t0) / 1000;
    await driver.stop();
    const cpu = process.cpuUsage(cpuBefore);

    const durations = cycles.map((c) => c.durationMs).sort((a, b) => a - b);
    const lags = cycles.map((c) => c.startedAt - c.scheduledAt).sort((a, b) => a - b);
    const overruns = cycles.filter((c) => c.durationMs > POLL_MS).length;
    const requestsPerCycle = driver.requestsPerCycle();
    return {
      devices: GATEWAYS * UNITS_PER_GATEWAY,
      points: points.length,
      connections: GATEWAYS,
      requestsPerCyclePerConnection: requestsPerCycle['gw-0'],
      seconds: round(elapsedS),
      cycles: cycles.length,
      cycleMsP50: round(percentile(durations, 50)),
      cycleMsP99: round(percentile(durations, 99)),
      cycleMsMax: round(durations.at(-1) ?? NaN),
      lagMsP50: round(percentile(lags, 50)),
      lagMsP99: round(percentile(lags, 99)),
      lagMsMax: round(lags.at(-1) ?? NaN),
      samplesPerSecond: Math.round(samples / elapsedS),
      goodSampleRatio: samples ? round((good / samples) * 100) / 100 : 0,
      overrunCycles: overruns,
      everyCycleInsideItsSecond: overruns === 0 && cycles.length > 0 ? 'yes' : 'no',
      driverCpuPercent: round(((cpu.user + cpu.system) / 1000 / (elapsedS * 1000 + 1500)) * 100),
      cpus: os.cpus().length,
      loadAvg1m: round(os.loadavg()[0]),
    };
  } finally {
    child.kill();
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain && process.argv[2] === '--serve') {
  await serve(process.argv.slice(3).map(Number));
} else if (isMain) {
  const result = await benchModbus();
  const width = Math.max(...Object.keys(result).map((k) => k.length));
  console.log('Modbus driver benchmark');
  for (const [k, v] of Object.entries(result)) console.log(`  ${k.padEnd(width)}  ${v}`);
  process.exit(0);
}
