// Modbus at scale: 100, 500 and 1,000 devices × 200 holding registers polled every second (2 reads of
// 100 registers per device), 10 devices (unit ids) behind each gateway port, through the real hub
// (ingest, state, live, history encoded and POSTed to an InfluxDB sink that stores nothing). The
// gateways and the sink run in a child process; poll intervals are measured there, at the servers.
//
//   npm run bench -- modbus-scale        BENCH_SCALE_DEVICES=100,500,1000 BENCH_SCALE_SECONDS=20
//   BENCH_SCALE_INFLIGHT=4 (per-gateway pipelining)  BENCH_SCALE_CHANGE=20 (% of registers changing each second)
//   BENCH_SCALE_PROFILE=/tmp/x (writes /tmp/x-<devices>.cpuprofile: the hub's CPU profile of the measured window only)
//   BENCH_SCALE_ALLOC=/tmp/x (writes /tmp/x-<devices>.heapprofile: sampled allocations of the measured window)
import { fork, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BoundPoint, ConnectionConfig, DeviceConfig } from '../contracts/driver.js';
import { ModbusDriver } from '../drivers/modbus/driver.js';
import { connectionSchema, deviceSchema, sourceSchema, type ModbusConnectionOptions, type ModbusDeviceOptions, type ModbusSource } from '../drivers/modbus/schema.js';
import { createHistoryModule } from '../hub/history/module.js';
import { historySettingsSchema } from '../hub/history/settings.js';
import { silentLogger } from '../hub/log.js';
import { createHub } from '../hub/server.js';
import { testSiteConfig } from '../hub/test-support.js';
import type { FromServer, ToServer } from './modbus-scale-server.js';

const UNITS = 10;
const REGISTERS = 200;
const POLL_MS = 1000;
const here = dirname(fileURLToPath(import.meta.url));
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

class Servers {
  private readonly child: ChildProcess;
  private waiters: Array<(m: FromServer) => void> = [];
  constructor(gateways: number, changePct: number) {
    this.child = fork(join(here, 'modbus-scale-server.ts'), [String(gateways), String(UNITS), String(REGISTERS), String(changePct)], {
      execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (m: FromServer) => this.waiters.shift()?.(m));
  }
  next(): Promise<FromServer> {
    return new Promise((ok) => this.waiters.push(ok));
  }
  send(m: ToServer) {
    this.child.send(m);
  }
  async exit() {
    const gone = new Promise((ok) => this.child.once('exit', ok));
    this.child.send({ cmd: 'exit' } satisfies ToServer);
    await gone;
  }
}

/** Heap in use after a full collection (what the hub really keeps), in MB. */
function liveHeapMB(): number {
  v8.setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return Math.round(process.memoryUsage().heapUsed / 2 ** 20);
}

/** The V8 CPU profiler of this process (the hub), started now: the measured window without start-up. */
async function startProfile() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** V8's sampling heap profiler: who allocates during the measured window (what the GC then collects). */
async function startAllocationProfile() {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return {
    async stop(file: string) {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

export async function runScale(devices: number, o: { seconds: number; inFlight: number; changePct: number }) {
  const gateways = Math.ceil(devices / UNITS);
  const servers = new Servers(gateways, o.changePct);
  const ready = (await servers.next()) as Extract<FromServer, { type: 'ready' }>;
  const config = testSiteConfig({ floors: 1, pointsPerFloor: 0 });
  const connections: ConnectionConfig<ModbusConnectionOptions>[] = ready.ports.map((port, g) => ({
    id: `gw-${g}`, protocol: 'modbus', options: connectionSchema.parse({ port, pollMs: POLL_MS, ...(o.inFlight > 1 ? { maxInFlight: o.inFlight } : {}) }),
  }));
  const devs: DeviceConfig<ModbusDeviceOptions>[] = [];
  const points: BoundPoint<ModbusSource>[] = [];
  for (let d = 0; d < devices; d++) {
    const g = Math.floor(d / UNITS);
    const device = `meter-${d}`;
    devs.push({ id: device, connection: `gw-${g}`, options: deviceSchema.parse({ unitId: (d % UNITS) + 1 }) });
    for (let r = 0; r < REGISTERS; r++) {
      points.push({
        device, connection: `gw-${g}`, source: sourceSchema.parse({ table: 'holding', address: r }),
        info: { id: `hq/a/l01/room-101/${device}/r${r}`, name: { en: `r${r}`, 'zh-CN': `r${r}` }, kind: 'analog', writable: false, device, protocol: 'modbus', intervalMs: POLL_MS },
      });
    }
  }
  config.connections = connections;
  config.devices = devs.map((d) => ({ ...d, name: { en: d.id, 'zh-CN': d.id }, location: { building: 'a', floor: 'l01', room: 'room-101' }, file: 'bench' }));
  config.points = points;
  config.hub.history = historySettingsSchema.parse({ url: ready.sinkUrl, manageSchema: false });
  // BENCH_SCALE_DRIVER: another build of the driver (e.g. the previous commit's copy) for before/after runs.
  const Driver = process.env.BENCH_SCALE_DRIVER ? ((await import(process.env.BENCH_SCALE_DRIVER)) as { ModbusDriver: typeof ModbusDriver }).ModbusDriver : ModbusDriver;
  const driver = new Driver(connections, devs, points);
  const history = createHistoryModule();
  const hub = await createHub(config, { drivers: [driver], modules: [history], log: silentLogger(), listen: { port: 0 } });
  try {
    await sleep(5000); // connect, first cycles, JIT warm-up
    servers.send({ cmd: 'reset' });
    const cpu = process.cpuUsage();
    const t0 = Date.now();
    const samples0 = hub.ingest.totalSamples;
    const loadBefore = load();
    const profiler = process.env.BENCH_SCALE_PROFILE ? await startProfile() : undefined;
    const allocations = process.env.BENCH_SCALE_ALLOC ? await startAllocationProfile() : undefined;
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    await sleep(o.seconds * 1000);
    loopDelay.disable();
    if (profiler) await profiler.stop(`${process.env.BENCH_SCALE_PROFILE}-${devices}.cpuprofile`);
    if (allocations) await allocations.stop(`${process.env.BENCH_SCALE_ALLOC}-${devices}.heapprofile`);
    const used = process.cpuUsage(cpu);
    const wall = Date.now() - t0;
    const samples = hub.ingest.totalSamples - samples0;
    servers.send({ cmd: 'report' });
    const r = (await servers.next()) as Extract<FromServer, { type: 'report' }>;
    const expected = devices * 2 * (r.wallMs / POLL_MS);
    const mem = process.memoryUsage();
    const hist = history.store()?.status();
    const live = liveHeapMB();
    return {
      [`${devices} dev: polls done %`]: Math.min(100, Math.round((r.reads / expected) * 1000) / 10),
      [`${devices} dev: interval p50/p99/max ms`]: `${r.p50} / ${r.p99} / ${r.max}`,
      [`${devices} dev: hub CPU % of one core`]: Math.round(((used.user + used.system) / 1000 / wall) * 1000) / 10,
      // Holds under load (a starved hub does less work, not dearer work): compare this across runs.
      [`${devices} dev: hub CPU µs per sample`]: Math.round(((used.user + used.system) / samples) * 100) / 100,
      [`${devices} dev: event-loop delay p99/max ms`]: `${Math.round(loopDelay.percentile(99) / 1e6)} / ${Math.round(loopDelay.max / 1e6)}`,
      [`${devices} dev: hub RSS MB`]: Math.round(mem.rss / 2 ** 20),
      [`${devices} dev: hub heap MB`]: Math.round(mem.heapUsed / 2 ** 20),
      // heapUsed above is wherever the GC saw-tooth happened to be; this is what is still reachable.
      [`${devices} dev: hub heap after full GC MB`]: live,
      [`${devices} dev: samples/s into the hub`]: Math.round((samples / wall) * 1000),
      [`${devices} dev: servers CPU %`]: Math.round((r.cpuMs / r.wallMs) * 1000) / 10,
      [`${devices} dev: history MB/s to sink`]: Math.round((r.sinkBytes / r.wallMs) * 1000 / 2 ** 20 * 10) / 10,
      // A history that falls behind spools to disk: the CPU figure would then not be the whole path's.
      [`${devices} dev: history written / spooled lines, last error`]: `${hist?.written ?? '?'} / ${hist?.spooled ?? '?'}, ${hist?.lastError ?? 'none'}`,
      [`${devices} dev: load before / after`]: `${loadBefore} / ${load()}`,
    };
  } finally {
    await hub.stop();
    await servers.exit();
    rmSync(config.hub.dataDir, { recursive: true, force: true });
  }
}

export async function benchModbusScale(): Promise<Record<string, number | string>> {
  const sizes = (process.env.BENCH_SCALE_DEVICES ?? '100,500,1000').split(',').map(Number);
  const o = {
    seconds: Number(process.env.BENCH_SCALE_SECONDS ?? 20),
    inFlight: Number(process.env.BENCH_SCALE_INFLIGHT ?? 1),
    changePct: Number(process.env.BENCH_SCALE_CHANGE ?? 20),
  };
  const out: Record<string, number | string> = {
    setup: `${UNITS} devices per gateway port, ${REGISTERS} holding registers each in 2 reads, pollMs ${POLL_MS}, maxInFlight ${o.inFlight}, ${o.changePct}% of registers change every second, ${o.seconds} s measured after 5 s warm-up; history → null InfluxDB sink`,
  };
  for (const n of sizes) {
    // Each size in a fresh hub; a pause lets the previous one's sockets and GC settle.
    Object.assign(out, await runScale(n, o));
    if (global.gc) global.gc();
    await sleep(1000);
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchModbusScale();
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(42)} ${v}`);
  process.exit(0);
}
