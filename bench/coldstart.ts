// Cold start: `npm run hub` → 200 from /api/health, and `npm start` (simulators + hub, console already
// built) → health, then → every demo point has a first value (state present, quality good). Each run
// uses a copy of config/ with a free port and an empty data folder, so it starts truly cold.
//
//   npm run bench -- coldstart        BENCH_COLDSTART_RUNS=2
// `npm start` binds the demo simulators' fixed ports: do not run it while another demo is up.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PointsPage } from '../contracts/api.js';
import { ensureConsoleBuilt } from '../scripts/console-build.js';

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

/**
 * CPU time (ms, user + system) used so far by the live processes of a process group (npm, node and
 * whatever they spawned, e.g. influxd): a figure that holds on a shared machine, unlike wall-clock.
 */
function groupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks * 10; // USER_HZ = 100 on Linux
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => ok(port));
    });
  });
}

function coldConfig(port: number): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(os.tmpdir(), 'wf-cold-'));
  cpSync('config', join(dir, 'config'), { recursive: true });
  const hubYaml = join(dir, 'config', 'hub.yaml');
  const text = readFileSync(hubYaml, 'utf8').replace(/^port: .*$/m, `port: ${port}`).replace(/^dataDir: .*$/m, `dataDir: ${join(dir, 'data')}`);
  writeFileSync(hubYaml, text);
  return { dir: join(dir, 'config'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function until<T>(deadline: number, probe: () => Promise<T | undefined>): Promise<T> {
  while (Date.now() < deadline) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await sleep(25);
  }
  throw new Error('timed out');
}

let lastCount = '';

async function allPointsLive(base: string, token: string): Promise<number | undefined> {
  let offset = 0;
  let live = 0;
  const notLive: string[] = [];
  for (;;) {
    const page = (await (await fetch(`${base}/api/points?limit=1000&offset=${offset}`, { headers: { authorization: `Bearer ${token}` } })).json()) as PointsPage;
    for (const p of page.items) {
      // A first value counts, good or uncertain (a derived verdict with too little history behind it,
      // such as the night-flow leak check on a fresh site, is honestly uncertain, not missing).
      // (its value may be null: "no verdict yet" is its answer, not a point the hub has not heard from).
      if (p.state && (p.state.quality === 'good' || p.state.quality === 'uncertain')) live++;
      else notLive.push(`${p.id} ${p.state?.quality ?? 'no state'}`);
    }
    offset += page.items.length;
    if (offset >= page.total || page.items.length === 0) {
      lastCount = `${live} of ${page.total} with a first value; not: ${notLive.slice(0, 5).join(', ')}`;
      return live === page.total ? page.total : undefined;
    }
  }
}

async function run(script: 'hub' | 'start', port: number): Promise<{ healthMs: number; healthCpuMs: number; liveMs?: number; liveCpuMs?: number; points?: number }> {
  const { dir, cleanup } = coldConfig(port);
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawn('npm', ['run', script, '--', '--config', dir], { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  try {
    const deadline = Date.now() + 120_000;
    await until(deadline, async () => ((await fetch(`${base}/api/health`)).ok ? true : undefined));
    const healthMs = performance.now() - t0;
    const healthCpuMs = groupCpuMs(child.pid!);
    if (script === 'hub') return { healthMs, healthCpuMs };
    const login = await until(deadline, async () => {
      const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-demo' }) });
      return r.ok ? ((await r.json()) as { token: string }) : undefined;
    });
    const points = await until(deadline, () => allPointsLive(base, login.token));
    return { healthMs, healthCpuMs, liveMs: performance.now() - t0, liveCpuMs: groupCpuMs(child.pid!), points };
  } catch (e) {
    throw new Error(`npm ${script}: ${(e as Error).message} (${lastCount}); stderr: ${stderr}`);
  } finally {
    try {
      process.kill(-child.pid!, 'SIGINT'); // the whole group we started: npm, tsx, node, simulators
    } catch {
      // already gone
    }
    await Promise.race([exited, sleep(10_000)]);
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
    cleanup();
  }
}

export async function benchColdstart(): Promise<Record<string, number | string>> {
  const runs = Number(process.env.BENCH_COLDSTART_RUNS ?? 2);
  // "Console already built": a stale dist/console would make `npm start` run vite build inside the timing.
  ensureConsoleBuilt((m) => console.log(`  (${m} before timing)`));
  const out: Record<string, number | string> = { setup: `${runs} runs each, fresh data folder, console prebuilt (dist/console)` };
  const hub: number[] = [];
  const startHealth: number[] = [];
  const startLive: number[] = [];
  const cpu = { hub: [] as number[], startHealth: [] as number[], startLive: [] as number[] };
  let points = 0;
  for (let i = 0; i < runs; i++) {
    const l = load();
    const h = await run('hub', await freePort());
    hub.push(h.healthMs);
    cpu.hub.push(h.healthCpuMs);
    const s = await run('start', await freePort());
    startHealth.push(s.healthMs);
    startLive.push(s.liveMs!);
    cpu.startHealth.push(s.healthCpuMs);
    cpu.startLive.push(s.liveCpuMs!);
    points = s.points!;
    out[`run ${i + 1}: load before`] = l;
  }
  const fmt = (xs: number[]) => xs.map((x) => Math.round(x)).join(' / ');
  out['npm run hub → health ms'] = fmt(hub);
  out['npm start → health ms'] = fmt(startHealth);
  out[`npm start → all ${points} demo points with a first value ms`] = fmt(startLive);
  // CPU of every process of the start (npm, node, influxd, …) by then: comparable under load.
  out['npm run hub → health, CPU ms'] = fmt(cpu.hub);
  out['npm start → health, CPU ms'] = fmt(cpu.startHealth);
  out['npm start → all points live, CPU ms'] = fmt(cpu.startLive);
  out['load after'] = load();
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchColdstart();
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(44)} ${v}`);
}
