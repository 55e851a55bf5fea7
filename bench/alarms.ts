// Alarm benchmark (`npx tsx bench/alarms.ts`, or `npm run bench -- alarms` once registered):
// 1. evaluation: 50,000 rules over a stream of point changes, on one core, with the real
//    journal (SQLite) writing every transition. Reports samples/s and ns per sample.
// 2. latency: a sample published by a driver into the real hub → alarm raised → received by 50
//    guard Socket.IO clients (through ingest, bus, engine, batched push): p50/p99.
// Goal: ≥100k samples/s with rules on, p99 ≤ 200 ms.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io as connectClient, type Socket } from 'socket.io-client';
import type { AlarmsUpdate } from '../contracts/alarms.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../contracts/live.js';
import type { PointInfo, PointState } from '../contracts/point.js';
import { AlarmEngine } from '../hub/alarms/engine.js';
import { createAlarmsModule } from '../hub/alarms/index.js';
import { AlarmJournal } from '../hub/alarms/journal.js';
import { compileRules } from '../hub/alarms/rules.js';
import { alarmsFileSchema, type AlarmRule } from '../hub/alarms/schema.js';
import { hashPassword } from '../hub/auth/password.js';
import { silentLogger } from '../hub/log.js';
import { createHub } from '../hub/server.js';
import { ScriptedDriver, testPointId, testSiteConfig } from '../hub/test-support.js';

const RULES = 50_000;
const EVAL_SECONDS = 3;
const CLIENTS = 50;
const ROUNDS = 20;
const msg = { en: 'Value {value}', 'zh-CN': '数值 {value}' };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** 25,000 analog points, two rules each (high limit with deadband, rate of change). */
function benchRules(points: number): { rules: AlarmRule[]; infos: Map<string, PointInfo> } {
  const rules: AlarmRule[] = [];
  const infos = new Map<string, PointInfo>();
  for (let i = 0; i < points; i++) {
    const id = `hq/a/l${String(1 + (i % 50)).padStart(2, '0')}/room-${i % 400}/dev-${Math.floor(i / 10)}/p-${i}`;
    infos.set(id, { id, name: { en: id, 'zh-CN': id }, kind: 'analog', writable: false, device: `dev-${Math.floor(i / 10)}`, protocol: 'bench', intervalMs: 1000 });
    rules.push({ id: `hi-${i}`, type: 'limit', point: id, deadband: 1, limits: { high: { value: 80 } }, message: msg } as AlarmRule);
    rules.push({ id: `roc-${i}`, type: 'rate', point: id, maxRisePerMin: 1e9, message: msg } as AlarmRule);
  }
  return { rules, infos };
}

async function benchEvaluation(): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-bench-alarms-'));
  const { rules, infos } = benchRules(RULES / 2);
  const compiled = compileRules(alarmsFileSchema.parse({ rules }), infos);
  const ids = [...infos.keys()];
  const journal = new AlarmJournal(dir);
  const engine = new AlarmEngine({ compiled, journal, point: () => undefined, timezone: 'UTC' });
  // Pre-built states, as the store would hand them over: one change per point per round; one
  // point in 1000 crosses its limit each round, so transitions are journaled as in a live site.
  const batchSize = 1000;
  const batches: PointState[][] = [];
  let ts = Date.now();
  for (let round = 0; round < 4; round++) {
    for (let b = 0; b < ids.length; b += batchSize) {
      batches.push(ids.slice(b, b + batchSize).map((id, k) => {
        const hot = (b + k) % 1000 === round;
        return { id, value: hot ? 90 : 20 + round, quality: 'good', readTs: ++ts, changedTs: ts };
      }));
    }
  }
  let samples = 0;
  const t0 = process.hrtime.bigint();
  const deadline = t0 + BigInt(EVAL_SECONDS * 1e9);
  let i = 0;
  while (process.hrtime.bigint() < deadline) {
    for (let n = 0; n < 50; n++) {
      const batch = batches[i++ % batches.length];
      engine.onChanged(batch);
      samples += batch.length;
    }
  }
  const ns = Number(process.hrtime.bigint() - t0);
  const rows = journal.count();
  journal.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    'rules': compiled.defs.length,
    'samples/s (1 core)': Math.round(samples / (ns / 1e9)),
    'ns per sample (2 rules each)': ns / samples,
    'journal rows written': rows,
  };
}

async function benchLatency(): Promise<Record<string, number>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wf-bench-alarms-hub-'));
  const passwordHash = await hashPassword('pw', { N: 1024, r: 8, p: 1 });
  const config = testSiteConfig({ floors: 5, pointsPerFloor: 100, dataDir, users: [{ username: 'guard', role: 'guard', passwordHash }] });
  const rules = config.points.map((p, i) => ({ id: `r-${i}`, type: 'limit', point: p.info.id, priority: 'critical', limits: { high: { value: 50 } }, message: msg }));
  const compiled = compileRules(alarmsFileSchema.parse({ rules }), new Map(config.points.map((p) => [p.info.id, p.info])));
  const driver = new ScriptedDriver();
  const hub = await createHub(config, { drivers: [driver], modules: [createAlarmsModule({ compiled })], log: silentLogger(), listen: { port: 0 }, consoleDir: path.join(dataDir, 'none') });
  const login = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'guard', password: 'pw' }) });
  const { token } = (await login.json()) as { token: string };
  const clients: Array<Socket<ServerToClientEvents, ClientToServerEvents>> = [];
  for (let c = 0; c < CLIENTS; c++) {
    const s: Socket<ServerToClientEvents, ClientToServerEvents> = connectClient(hub.url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((ok, fail) => { s.once('connect', ok); s.once('connect_error', fail); });
    await new Promise((ok) => s.emit('alarms:subscribe', ok));
    clients.push(s);
  }
  const latencies: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const pointId = testPointId(round % 5, round);
    const alarmId = `r-${config.points.findIndex((p) => p.info.id === pointId)}.h`;
    const received = clients.map((s) => new Promise<number>((ok) => {
      const on = (u: AlarmsUpdate) => {
        if (u.changed.some((a) => a.id === alarmId && a.state === 'unacknowledged')) {
          s.off('alarms:update', on);
          ok(performance.now());
        }
      };
      s.on('alarms:update', on);
    }));
    const t0 = performance.now();
    driver.publish([{ pointId, value: 60, quality: 'good', readTs: Date.now() }]);
    for (const t of await Promise.all(received)) latencies.push(t - t0);
    await new Promise((r) => setTimeout(r, 30));
  }
  for (const s of clients) s.close();
  await hub.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  return {
    'guard clients': CLIENTS,
    'alarms raised': ROUNDS,
    'raise → client p50 ms (50 ms push window)': percentile(latencies, 50),
    'raise → client p99 ms': percentile(latencies, 99),
    'raise → client max ms': latencies[latencies.length - 1],
  };
}

export async function benchAlarms(): Promise<Record<string, number | string>> {
  const evaluation = await benchEvaluation();
  const latency = await benchLatency();
  return { ...evaluation, ...latency };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cpus = os.cpus();
  console.log(`machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const [k, v] of Object.entries(await benchAlarms())) console.log(`  ${k.padEnd(44)} ${typeof v === 'number' ? +v.toFixed(2) : v}`);
  process.exit(0);
}
