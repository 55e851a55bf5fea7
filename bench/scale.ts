// `npm run bench -- scale`: the estate split by role, every part a real process on this machine:
// edge agents (one child process, SCALE_BUILDINGS synthetic buildings × SCALE_POINTS points at 1 s)
// → Mosquitto → 2 hubs (children; Redis leases own buildings, Socket.IO Redis adapter) → nginx
// (ip_hash) → Socket.IO clients (bench/ingest-clients.ts) through the proxy. Measures: samples/s
// ingested, device → client delay p50/p99, CPU per component; broker down SCALE_OUTAGE_S → samples
// lost after replay (exact, unique per point and read time); one hub killed → lease take-over time.
// The full size (20 × 5,000) needs more than this 2-core machine: sizes are env-tunable.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../hub/history/influxdProcess.js';
import { writeTestSite } from '../hub/edge/test-site.js';
import { nginxConfig } from '../edge/nginx-config.js';
import { startMosquitto } from '../test/support/mosquitto.js';
import { startRedis } from '../test/support/redis.js';
import type { FromClients, ToClients } from './ingest-clients.js';

const BUILDINGS = Number(process.env.SCALE_BUILDINGS ?? 4);
const POINTS = Number(process.env.SCALE_POINTS ?? 1000);
const OUTAGE_S = Number(process.env.SCALE_OUTAGE_S ?? 60);
const CLIENTS = Number(process.env.SCALE_CLIENTS ?? 20);
const STEADY_MS = 10_000;
const here = dirname(fileURLToPath(import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TICK_MS = 1000 / 100; // /proc clock ticks

/** CPU ms of a process and its direct children (nginx workers), from /proc. */
function procCpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  const one = (p: number) => {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(f[11]) + Number(f[12])) * TICK_MS;
    } catch {
      return 0;
    }
  };
  let kids: number[] = [];
  try {
    kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {}
  return one(pid) + kids.reduce((s, k) => s + one(k), 0);
}

class Child {
  readonly proc: ChildProcess;
  private waiters: Array<(m: any) => void> = [];
  constructor(file: string, args: string[]) {
    this.proc = fork(join(here, file), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.proc.on('message', (m: any) => {
      if (m.type === 'error') process.stderr.write(`${file}: ${m.message}\n`);
      this.waiters.shift()?.(m);
    });
  }
  next<T = any>(): Promise<T> {
    return new Promise((ok) => this.waiters.push(ok));
  }
  ask<T = any>(m: object): Promise<T> {
    const p = this.next<T>();
    this.proc.send(m);
    return p;
  }
  cpuMs(m: { cpu: NodeJS.CpuUsage }) {
    return (m.cpu.user + m.cpu.system) / 1000;
  }
  kill() {
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
  }
}

export async function benchScale(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'wf-scale-'));
  const edges = Array.from({ length: BUILDINGS }, (_, i) => `e${i + 1}`);
  const [broker, redis] = await Promise.all([startMosquitto(), startRedis()]);
  const children: Child[] = [];
  let nginx: ChildProcess | undefined;
  const out: Record<string, number | string> = { size: `${BUILDINGS} buildings × ${POINTS} points at 1 s = ${BUILDINGS * POINTS} samples/s offered, 2 hubs, ${CLIENTS} clients via nginx` };
  try {
    // Building `a` is local to the hubs (an unreachable Modbus port: offline, no samples).
    writeTestSite(dir, { modbusPort: await freePort(), brokerUrl: broker.url, edgeBuildings: edges, redisUrl: redis.url, leaseMs: 2000, hostId: 'hubs', extraPoints: POINTS - 2,
      // The synthetic edges read each point once a second: so must the points say (intervalMs), or the
      // hubs' stale check flips them stale between reads (~30 % extra pushed states, measured).
      pollMs: 1000 });
    const hubs = [new Child('scale-hub.ts', [dir, 'hub1', join(dir, 'data1')]), new Child('scale-hub.ts', [dir, 'hub2', join(dir, 'data2')])];
    children.push(...hubs);
    const ready = await Promise.all(hubs.map((h) => h.next<{ url: string; port: number }>()));
    const edgeProc = new Child('scale-edges.ts', [dir, edges.join(','), join(dir, 'edge-data')]);
    children.push(edgeProc);
    await edgeProc.next();

    const prefix = join(dir, 'nginx');
    mkdirSync(prefix, { recursive: true });
    const nginxPort = await freePort();
    writeFileSync(join(prefix, 'nginx.conf'), nginxConfig({ listenPort: nginxPort, hubs: ready.map((r) => ({ host: '127.0.0.1', port: r.port })), prefix, user: userInfo().username }));
    nginx = spawn('nginx', ['-c', join(prefix, 'nginx.conf'), '-p', prefix], { stdio: 'inherit' });
    await sleep(500);
    const proxy = `http://127.0.0.1:${nginxPort}`;

    // Wait until every building is owned and its data flows.
    const counts = async () => Promise.all(hubs.map((h) => h.ask<{ good: number; unique: number; repeats: number; refused?: Record<string, number>; owned: string[]; cpu: NodeJS.CpuUsage }>({ cmd: 'count' })));
    for (let t = 0; ; t += 500) {
      const c = await counts();
      if (c.flatMap((x) => x.owned).length === BUILDINGS) break;
      if (t > 30_000) throw new Error(`buildings not all owned: ${JSON.stringify(c.map((x) => x.owned))}`);
      await sleep(500);
    }
    const login = await fetch(`${proxy}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-demo' }) });
    const { token } = (await login.json()) as { token: string };
    const clients = new Child('ingest-clients.ts', []);
    children.push(clients);
    const floorKeys = edges.map((b) => `hq/${b}/l01`);
    await clients.ask<FromClients>({ cmd: 'start', url: proxy, token, clients: CLIENTS, floorKeys, floorsPerClient: 1 } satisfies ToClients);
    await sleep(3000);

    // Steady state.
    const c0 = await counts();
    const e0 = await edgeProc.ask({ cmd: 'count' });
    const os0 = { mosquitto: procCpuMs(broker.pid()), redis: procCpuMs(redis.pid), nginx: procCpuMs(nginx.pid) };
    clients.proc.send({ cmd: 'reset' } satisfies ToClients);
    const t0 = Date.now();
    await sleep(STEADY_MS);
    const secs = (Date.now() - t0) / 1000;
    const c1 = await counts();
    const e1 = await edgeProc.ask({ cmd: 'count' });
    const rep = await clients.ask<Extract<FromClients, { type: 'report' }>>({ cmd: 'report' } satisfies ToClients);
    const ingested = c1.reduce((s, c, i) => s + c.good - c0[i].good, 0);
    out['samples/s produced by edges'] = (e1.produced - e0.produced) / secs;
    out['samples/s ingested by hubs'] = ingested / secs;
    out['buildings owned per hub'] = c1.map((c) => c.owned.length).join(' / ');
    out['client states/s received (via nginx)'] = rep.states / (rep.wallMs / 1000);
    out['device → client p50 ms'] = rep.p50;
    out['device → client p99 ms'] = rep.p99;
    out['device → client max ms'] = rep.max;
    const pct = (ms: number) => `${((ms / (secs * 1000)) * 100).toFixed(0)} %`;
    out['CPU edges (1 process)'] = pct(edgeProc.cpuMs(e1) - edgeProc.cpuMs(e0));
    hubs.forEach((h, i) => (out[`CPU hub${i + 1}`] = pct(h.cpuMs(c1[i]) - h.cpuMs(c0[i]))));
    out['CPU mosquitto'] = pct(procCpuMs(broker.pid()) - os0.mosquitto);
    out['CPU redis'] = pct(procCpuMs(redis.pid) - os0.redis);
    out['CPU nginx'] = pct(procCpuMs(nginx.pid) - os0.nginx);
    out['CPU socket.io clients'] = pct(rep.cpuMs);

    // Broker down: edges spool, hubs mark buildings comm_fail; back: replay in order; count losses exactly.
    // Exact accounting: pause the devices, let everything drain, then count only what is produced from here.
    await edgeProc.ask({ cmd: 'pause' });
    await sleep(1500);
    for (const h of hubs) h.proc.send({ cmd: 'keep' });
    const before = await edgeProc.ask({ cmd: 'count' });
    await edgeProc.ask({ cmd: 'resume' });
    await sleep(1000);
    await broker.kill();
    await sleep(OUTAGE_S * 1000);
    await broker.revive();
    const tBack = Date.now();
    for (;;) {
      const e = await edgeProc.ask({ cmd: 'count' });
      if (e.live && e.spoolBytes === 0) break;
      if (Date.now() - tBack > 120_000) throw new Error('edges did not drain their spools within 120 s');
      await sleep(200);
    }
    out['replay after outage ms'] = Date.now() - tBack;
    await edgeProc.ask({ cmd: 'pause' });
    await sleep(2000);
    const after = await edgeProc.ask({ cmd: 'count' });
    const kept = await counts();
    const producedDuring = after.produced - before.produced;
    const unique = kept.reduce((s, c) => s + c.unique, 0);
    out[`broker down ${OUTAGE_S} s: samples produced`] = producedDuring;
    out['  spooled on edge disks'] = after.spooled - before.spooled;
    out['  replayed'] = after.replayed - before.replayed;
    out['  received by hubs (unique)'] = unique;
    out['  lost after replay'] = Math.max(0, producedDuring - unique);
    out['  received twice (same point and readTs)'] = kept.reduce((s, c) => s + c.repeats, 0);
    out['  repeats refused by the hubs (birth / replay / live)'] = kept.map((c) => `${c.refused?.birth ?? 0} / ${c.refused?.historical ?? 0} / ${c.refused?.live ?? 0}`).join(' + ');
    out['  dropped (spool full)'] = after.dropped;

    // Kill the hub owning the most buildings: the other takes its leases over.
    const owned = await counts();
    const victim = owned[0].owned.length >= owned[1].owned.length ? 0 : 1;
    hubs[victim].kill();
    const tKill = Date.now();
    for (;;) {
      const c = await hubs[1 - victim].ask<{ owned: string[] }>({ cmd: 'count' });
      if (c.owned.length === BUILDINGS) break;
      if (Date.now() - tKill > 30_000) throw new Error('no take-over within 30 s');
      await sleep(100);
    }
    out['hub killed: buildings taken over after ms'] = Date.now() - tKill;
    return out;
  } finally {
    for (const c of children) c.kill();
    // SIGTERM: the master stops its workers (SIGKILL would orphan them).
    if (nginx && nginx.exitCode === null) await new Promise((ok) => (nginx!.once('exit', ok), nginx!.kill('SIGTERM')));
    await broker.stop();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
