// OPC UA benchmark: 5,000 monitored items at 1 s sampling from the simulator
// running in a CHILD process (so this process measures only the hub side: the
// driver). Reports samples/s delivered, the driver process's CPU and memory,
// and write round-trip latency (write + read-back) p50/p99.
// Run: npx tsx bench/opcua.ts   (or npm run bench -- opcua)
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BoundPoint, DriverContext } from '../contracts/driver.js';
import type { Sample } from '../contracts/point.js';
import { opcuaFactory } from '../drivers/opcua/index.js';
import { connectionSchema, sourceSchema, type OpcuaSource } from '../drivers/opcua/schema.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ITEMS = Number(process.env.OPCUA_BENCH_ITEMS ?? 5000);
const MEASURE_S = Number(process.env.OPCUA_BENCH_SECONDS ?? 10);
const WRITES = 200;

function startSimulatorChild(dataDir: string): Promise<{ child: ChildProcess; endpointUrl: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'simulators/opcua/main.ts'), '--port', '0', '--extra-points', String(ITEMS), '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    // node-opcua prints its own warnings on stdout too: take the first JSON line only.
    const onLine = (line: string) => {
      if (!line.startsWith('{')) return;
      rl.off('line', onLine);
      resolve({ child, endpointUrl: JSON.parse(line).endpointUrl });
    };
    rl.on('line', onLine);
    child.once('exit', (code) => reject(new Error(`simulator exited (${code}): ${stderr}`)));
  });
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export async function benchOpcua(): Promise<Record<string, number | string>> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opcua-bench-'));
  const { child, endpointUrl } = await startSimulatorChild(path.join(tmp, 'sim'));
  const point = (i: number | 'sp', source: Partial<OpcuaSource>): BoundPoint<OpcuaSource> => ({
    info: {
      id: `hq/a/l02/office-201/bench/${i === 'sp' ? 'setpoint' : `p${i}`}`,
      name: { en: String(i), 'zh-CN': String(i) },
      kind: 'analog',
      writable: i === 'sp',
      device: 'bench',
      protocol: 'opcua',
      intervalMs: 1000,
    },
    device: 'bench',
    connection: 'bench',
    source: sourceSchema.parse({ nodeId: `nsu=urn:watchfloor:hvac;s=${i === 'sp' ? 'VAV-201.ZoneTempSetpoint' : `Bench.P${String(i).padStart(5, '0')}`}`, ...source }),
  });
  const points = [...Array.from({ length: ITEMS }, (_, i) => point(i, { samplingIntervalMs: 1000 })), point('sp', {})];
  const options = connectionSchema.parse({ endpointUrl, publishingIntervalMs: 1000 });
  const driver = opcuaFactory.create([{ id: 'bench', protocol: 'opcua', options }], [{ id: 'bench', connection: 'bench', options: {} }], points);

  let delivered = 0;
  const seen = new Set<string>();
  const ctx: DriverContext = {
    dataDir: path.join(tmp, 'hub'),
    publish(batch: Sample[]) {
      for (const s of batch) {
        if (s.quality !== 'good') continue;
        delivered++;
        if (seen.size < points.length) seen.add(s.pointId);
      }
    },
    status() {},
    log: { info() {}, warn() {}, error: (o) => console.error(o), debug() {} },
  };
  try {
    const t0 = Date.now();
    await driver.start(ctx);
    while (seen.size < points.length) {
      if (Date.now() - t0 > 120_000) throw new Error(`only ${seen.size}/${points.length} points delivered after 120 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const subscribeMs = Date.now() - t0;
    await new Promise((r) => setTimeout(r, 2000)); // settle

    const cpu0 = process.cpuUsage();
    const wall0 = process.hrtime.bigint();
    const d0 = delivered;
    await new Promise((r) => setTimeout(r, MEASURE_S * 1000));
    const cpu = process.cpuUsage(cpu0);
    const wallS = Number(process.hrtime.bigint() - wall0) / 1e9;
    const samplesPerS = (delivered - d0) / wallS;
    const cpuPct = ((cpu.user + cpu.system) / 1e6 / wallS) * 100;
    const mem = process.memoryUsage();

    const lat: number[] = [];
    for (let i = 0; i < WRITES; i++) {
      const t = process.hrtime.bigint();
      const r = await driver.write(points.at(-1)!.info.id, 20 + (i % 10));
      if (!r.confirmed) throw new Error(`write ${i} not confirmed`);
      lat.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    lat.sort((a, b) => a - b);
    return {
      'monitored items': ITEMS,
      'time to first value of all items (ms)': subscribeMs,
      'samples/s delivered (target 5000)': samplesPerS,
      'driver process CPU (% of one core)': cpuPct,
      'driver process RSS (MiB)': mem.rss / 2 ** 20,
      'driver process heap used (MiB)': mem.heapUsed / 2 ** 20,
      'write+read-back round trip p50 (ms)': pct(lat, 50),
      'write+read-back round trip p99 (ms)': pct(lat, 99),
      'measurement window (s)': wallS,
    };
  } finally {
    await driver.stop();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cpus = os.cpus();
  console.log(`machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const figures = await benchOpcua();
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(42)} ${typeof v === 'number' ? +v.toFixed(2) : v}`);
  process.exit(0);
}
