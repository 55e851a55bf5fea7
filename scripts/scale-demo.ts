// `npm run scale-demo [-- --buildings 4 --points 500]`: the several-hubs estate of docs/scale.md on
// this machine, to look at in a browser: Mosquitto and Redis (private, free ports, temp folders),
// synthetic edge agents (one per building, Sparkplug B with store and forward), 2 full hubs
// (scripts/scale-demo-hub.ts, every default module) sharing leases, live push and sessions through Redis, and nginx in
// front. Prints the one address to open and the logins. Ctrl-C stops everything and deletes the
// temp folder. `--once` (tests): start, print, wait until both hubs are healthy behind nginx, stop.
import { fork, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io as connectClient } from 'socket.io-client';
import YAML from 'yaml';
import { freePort } from '../hub/history/influxdProcess.js';
import { writeTestSite } from '../hub/edge/test-site.js';
import { startMosquitto } from '../test/support/mosquitto.js';
import { startNginx } from '../test/support/nginx.js';
import { startRedis } from '../test/support/redis.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface ScaleDemoArgs { buildings: number; points: number; once: boolean }

/** `--buildings N --points P --once`. Pure. */
export function parseScaleDemoArgs(argv: readonly string[]): ScaleDemoArgs {
  const a: ScaleDemoArgs = { buildings: 4, points: 500, once: false };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    const num = (name: string, min: number, max: number) => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max} (got "${argv[i] ?? ''}")`);
      return n;
    };
    if (v === '--buildings') a.buildings = num('--buildings', 1, 50);
    else if (v === '--points') a.points = num('--points', 2, 20_000);
    else if (v === '--once') a.once = true;
    else throw new Error(`unknown argument "${v}" (use --buildings N, --points P, --once)`);
  }
  return a;
}

async function waitHealthy(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > end) throw new Error(`${url} did not answer /api/health within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * --once: signs in through nginx and waits until a Socket.IO client there gets live updates of every
 * edge building, whichever hub owns it (REST point reads answer only the serving hub's own view).
 */
async function checkThroughProxy(url: string, edges: readonly string[]): Promise<string> {
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin-demo' }) });
  if (!login.ok) throw new Error(`sign-in through nginx failed: ${login.status}`);
  const { token } = (await login.json()) as { token: string };
  const socket = connectClient(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  try {
    await new Promise<void>((ok, fail) => (socket.once('connect', ok), socket.once('connect_error', fail)));
    const seen = new Set<string>();
    socket.on('points:update', (batch: Array<{ id: string; quality: string }>) => {
      for (const s of batch) if (s.quality === 'good') seen.add(s.id.split('/')[1]);
    });
    const ack = await new Promise<{ ok: boolean; error?: string }>((ok) => socket.emit('subscribe', { floors: edges.map((b) => `hq/${b}/l01`) }, ok));
    if (!ack.ok) throw new Error(`subscribe through nginx refused: ${ack.error}`);
    const end = Date.now() + 60_000;
    while (edges.some((b) => !seen.has(b))) {
      if (Date.now() > end) throw new Error(`through nginx only ${edges.filter((b) => seen.has(b)).length} of ${edges.length} edge buildings sent live updates in 60 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return `signed in through nginx; live updates from ${edges.length} of ${edges.length} edge buildings on one socket`;
  } finally {
    socket.disconnect();
  }
}

async function main(): Promise<void> {
  const args = parseScaleDemoArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'wf-scale-demo-'));
  const stops: Array<() => Promise<void> | void> = [() => rmSync(dir, { recursive: true, force: true })];
  const stopAll = async () => {
    for (const s of stops.splice(0).reverse()) await Promise.resolve(s()).catch((err) => console.error('scale-demo stop:', (err as Error).message));
  };
  const kill = (p: ChildProcess) => () => new Promise<void>((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill('SIGTERM');
    setTimeout(() => p.kill('SIGKILL'), 8000).unref();
  });
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));
  try {
    const [broker, redis] = await Promise.all([startMosquitto(), startRedis()]);
    stops.push(() => broker.stop(), () => redis.stop());
    const edges = Array.from({ length: args.buildings }, (_, i) => `e${i + 1}`);
    const site = join(dir, 'site');
    // Building `a` stays local to the hubs (its Modbus port answers nothing: it shows offline).
    writeTestSite(site, { modbusPort: await freePort(), brokerUrl: broker.url, edgeBuildings: edges, redisUrl: redis.url, leaseMs: 3000, hostId: 'hubs', extraPoints: args.points - 2, pollMs: 1000 });
    // One config folder per hub: the same site, its own port and data folder.
    const hubs: Array<{ url: string; port: number }> = [];
    const started: Array<Promise<void>> = [];
    for (const n of [1, 2]) {
      const conf = join(dir, `hub${n}`);
      cpSync(site, conf, { recursive: true });
      const port = await freePort();
      const hubYaml = YAML.parse(readFileSync(join(conf, 'hub.yaml'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(conf, 'hub.yaml'), YAML.stringify({ ...hubYaml, port, dataDir: join(dir, `data${n}`) }));
      const proc = fork(join(REPO, 'scripts/scale-demo-hub.ts'), [conf, `hub${n}`], { cwd: REPO, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      stops.push(kill(proc));
      hubs.push({ url: `http://127.0.0.1:${port}`, port });
      started.push(new Promise<void>((resolve, reject) => {
        proc.once('message', () => resolve());
        proc.once('exit', (code) => reject(new Error(`hub${n} exited (${code}) before it was ready`)));
      }));
    }
    await Promise.all(started);
    await Promise.all(hubs.map((h) => waitHealthy(h.url, 30_000)));
    const edgeProc = fork(join(REPO, 'bench/scale-edges.ts'), [site, edges.join(','), join(dir, 'edge-data')], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    stops.push(kill(edgeProc));
    await new Promise<void>((resolve, reject) => {
      edgeProc.once('message', () => resolve());
      edgeProc.once('exit', (code) => reject(new Error(`the edge agents exited (${code}) before they were ready`)));
    });
    const nginx = await startNginx({ hubs: hubs.map((h) => ({ host: '127.0.0.1', port: h.port })), sticky: 'cookie' });
    stops.push(() => nginx.stop());
    await waitHealthy(nginx.url, 10_000);
    console.log([
      '',
      `  Watchfloor estate: ${args.buildings} edge buildings × ${args.points} points at 1 s (${args.buildings * args.points} samples/s), 2 hubs, Redis, Mosquitto`,
      `  Open ${nginx.url}  (nginx, sticky by session cookie)`,
      `  Hubs directly: ${hubs.map((h) => h.url).join('  ')}   Broker ${broker.url}   Redis ${redis.url}`,
      '  Sign in as admin / admin-demo (demo passwords, loopback only). Ctrl-C stops everything.',
      '',
    ].join('\n'));
    if (args.once) {
      console.log(`  check: ${await checkThroughProxy(nginx.url, edges)}`);
      await stopAll();
    }
  } catch (err) {
    console.error(`scale-demo could not start: ${(err as Error).message}`);
    await stopAll();
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
