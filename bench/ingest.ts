// Ingest benchmark: synthetic driver → store → bus → live coalescer → 100 socket.io clients in a
// second process. `npx tsx bench/ingest.ts` or `npm run bench -- ingest`.
//  1. max sustained samples/s on the hub process (one core) with the clients attached;
//  2. at a fixed 20k samples/s, p50/p99 publish→client-receipt delay (measured in the client process).
import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Sample } from '../contracts/point.js';
import { hashPassword } from '../hub/auth/password.js';
import { silentLogger } from '../hub/log.js';
import { createHub, type Hub } from '../hub/server.js';
import { ScriptedDriver, testSiteConfig } from '../hub/test-support.js';
import type { FromClients, ToClients } from './ingest-clients.js';

const FLOORS = 10;
const POINTS_PER_FLOOR = 1000;
const BATCH = 500;
const CLIENTS = 100;
const PHASE_MS = 5000;
const FIXED_RATE = 20_000;

const here = dirname(fileURLToPath(import.meta.url));
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
const tick = () => new Promise((ok) => setImmediate(ok));

class ClientsProcess {
  private readonly child: ChildProcess;
  private waiters: Array<(m: FromClients) => void> = [];

  constructor() {
    this.child = fork(join(here, 'ingest-clients.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: FromClients) => {
      if (m.type === 'error') throw new Error(`clients process: ${m.message}`);
      this.waiters.shift()?.(m);
    });
  }

  request(m: ToClients): Promise<FromClients> {
    return new Promise((ok) => {
      this.waiters.push(ok);
      this.child.send(m);
    });
  }

  send(m: ToClients) {
    this.child.send(m);
  }

  async exit() {
    const gone = new Promise((ok) => this.child.once('exit', ok));
    this.child.send({ cmd: 'exit' } satisfies ToClients);
    await gone;
  }
}

/** Publishes batches of BATCH samples round-robin over all points, readTs = publish time. */
function makePublisher(driver: ScriptedDriver, ids: string[]) {
  let cursor = 0;
  let value = 0;
  return () => {
    const now = Date.now();
    const batch: Sample[] = new Array(BATCH);
    for (let i = 0; i < BATCH; i++) {
      batch[i] = { pointId: ids[cursor], value: (value++ % 99_991) / 10, quality: 'good', readTs: now }; // 99991 is prime: every sample changes its point
      cursor = (cursor + 1) % ids.length;
    }
    driver.publish(batch);
  };
}

async function maxRate(hub: Hub, publish: () => void, clients: ClientsProcess) {
  clients.send({ cmd: 'reset' });
  const before = hub.ingest.totalSamples;
  const emitsBefore = hub.live.stats.emits;
  const cpu = process.cpuUsage();
  const t0 = Date.now();
  // Yield every batch so timers (coalescer flush) and socket I/O run between batches, as they would with a real driver.
  while (Date.now() - t0 < PHASE_MS) {
    publish();
    await tick();
  }
  const wall = Date.now() - t0;
  const used = process.cpuUsage(cpu);
  await sleep(500); // let the last windows arrive
  const report = (await clients.request({ cmd: 'report' })) as Extract<FromClients, { type: 'report' }>;
  return {
    samplesPerS: ((hub.ingest.totalSamples - before) / wall) * 1000,
    hubCpuPct: ((used.user + used.system) / 1000 / wall) * 100,
    emits: hub.live.stats.emits - emitsBefore,
    report,
  };
}

async function fixedRate(hub: Hub, publish: () => void, clients: ClientsProcess) {
  // Warm up at the rate, then measure.
  const run = async (ms: number) => {
    const t0 = Date.now();
    let sent = 0;
    while (Date.now() - t0 < ms) {
      const due = ((Date.now() - t0) / 1000) * FIXED_RATE;
      while (sent + BATCH <= due) {
        publish();
        sent += BATCH;
      }
      await sleep(2);
    }
    return sent;
  };
  await run(1000);
  await sleep(300);
  clients.send({ cmd: 'reset' });
  const cpu = process.cpuUsage();
  const t0 = Date.now();
  const sent = await run(PHASE_MS);
  const wall = Date.now() - t0;
  const used = process.cpuUsage(cpu);
  await sleep(500);
  const report = (await clients.request({ cmd: 'report' })) as Extract<FromClients, { type: 'report' }>;
  return { samplesPerS: (sent / wall) * 1000, hubCpuPct: ((used.user + used.system) / 1000 / wall) * 100, report };
}

export async function benchIngest(opts: { liveWindowMs?: number } = {}): Promise<Record<string, number | string>> {
  const password = 'bench';
  const config = testSiteConfig({
    floors: FLOORS, pointsPerFloor: POINTS_PER_FLOOR, liveWindowMs: opts.liveWindowMs ?? 50, intervalMs: 60_000,
    users: [{ username: 'bench', role: 'viewer', passwordHash: await hashPassword(password, { N: 1024, r: 8, p: 1 }) }],
  });
  const driver = new ScriptedDriver();
  const hub = await createHub(config, { drivers: [driver], log: silentLogger(), listen: { port: 0 } });
  const clients = new ClientsProcess();
  try {
    const { token } = (await (await fetch(`${hub.url}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password }),
    })).json()) as { token: string };
    const floorKeys = config.site.buildings[0].floors.map((f) => f.key);
    await clients.request({ cmd: 'start', url: hub.url, token, clients: CLIENTS, floorKeys, floorsPerClient: 1 });
    const publish = makePublisher(driver, config.points.map((p) => p.info.id));

    const max = await maxRate(hub, publish, clients);

    const fixed = await fixedRate(hub, publish, clients);
    return {
      setup: `${FLOORS * POINTS_PER_FLOOR} points / ${FLOORS} floors, batches of ${BATCH}, ${CLIENTS} clients (1 floor each) in a 2nd process, window ${config.hub.liveWindowMs} ms`,
      'max: ingested samples/s': Math.round(max.samplesPerS),
      'max: room batches emitted/s': Math.round((max.emits / PHASE_MS) * 1000),
      'max: hub CPU % (of one core)': Math.round(max.hubCpuPct),
      'max: updates received/s (all clients)': Math.round((max.report.messages / max.report.wallMs) * 1000),
      'max: states received/s (all clients)': Math.round((max.report.states / max.report.wallMs) * 1000),
      'max: delay p50 ms': max.report.p50,
      'max: delay p99 ms': max.report.p99,
      'max: clients CPU % (of one core)': Math.round((max.report.cpuMs / max.report.wallMs) * 100),
      'fixed: rate samples/s': Math.round(fixed.samplesPerS),
      'fixed: hub CPU % (of one core)': Math.round(fixed.hubCpuPct),
      'fixed: states received/s (all clients)': Math.round((fixed.report.states / fixed.report.wallMs) * 1000),
      'fixed: delay p50 ms': fixed.report.p50,
      'fixed: delay p99 ms': fixed.report.p99,
      'fixed: delay max ms': fixed.report.max,
      'fixed: clients CPU % (of one core)': Math.round((fixed.report.cpuMs / fixed.report.wallMs) * 100),
    };
  } finally {
    await clients.exit();
    await hub.stop();
    rmSync(config.hub.dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const windowArg = process.argv.find((a) => a.startsWith('--window='));
  const figures = await benchIngest({ liveWindowMs: windowArg ? Number(windowArg.slice(9)) : undefined });
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(42)} ${v}`);
}
