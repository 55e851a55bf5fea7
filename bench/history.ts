// History benchmark, in one run against one local influxd (the config the hub generates):
//  (a) raw line-protocol POST ceiling, (b) samples/s through the history module (bus → encode → batches
//  → influx), interleaved (a)/(b) REPS times so a busy machine hurts both alike; medians are reported,
//  with the CPU time influxd and this process spent (less sensitive to other load than wall time);
//  (c) a 24 h × 10 points trend at 1-minute steps via GET /api/history, warm, median and p95;
//  (d) the fault test's numbers (influxd SIGKILLed and restarted mid-stream).
// `npx tsx bench/history.ts` or `npm run bench -- history`. Env: HISTORY_BENCH_REPS (default 3).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Sample } from '../contracts/point.js';
import { InfluxHttp } from '../hub/history/influxHttp.js';
import type { InfluxStore } from '../hub/history/influxStore.js';
import { LineBuffer } from '../hub/history/lineBuffer.js';
import { LineEncoder } from '../hub/history/lineProtocol.js';
import { createHistoryModule } from '../hub/history/module.js';
import { historySettingsSchema } from '../hub/history/settings.js';
import { createTestHub, pointInfo, testConfig } from '../hub/history/testHarness.js';
import { startInfluxd, type RunningInfluxd } from '../test/influx/influxd.js';

const POINTS = 1000;
const ROUNDS = 400; // 400k samples per throughput run
const REPS = Number(process.env.HISTORY_BENCH_REPS ?? 3);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ids = Array.from({ length: POINTS }, (_, i) => `hq/a/l${String(1 + (i % 20)).padStart(2, '0')}/room-${i % 50}/env-${i}/temp`);
const infos = ids.map((id) => pointInfo(id, 'analog', { unit: '°C' }));
const load = () => os.loadavg()[0].toFixed(1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * p) - 1)];

function round(r: number, t0: number): Sample[] {
  return ids.map((pointId, i) => ({ pointId, value: 20 + ((r * 7 + i) % 100) / 10, quality: 'good', readTs: t0 + r * 1000 }));
}

async function count(http: InfluxHttp): Promise<number> {
  const res = await http.query('SELECT count("quality") FROM "raw"."samples"');
  return (res[0].series?.[0]?.values?.[0]?.[1] as number | undefined) ?? 0;
}

/** CPU ms (user + system) of a process, from /proc (utime and stime are in 1/100 s clock ticks on Linux). */
function cpuMs(pid: number | undefined): number {
  if (!pid) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Waits (up to 10 s) until influxd uses under 10 % of a core, i.e. its background work is done. */
async function influxdQuiet(influx: RunningInfluxd): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const c0 = cpuMs(influx.pid);
    await sleep(300);
    if (cpuMs(influx.pid) - c0 < 30) return;
  }
}

interface Run {
  perSec: number;
  influxdCpuPer100k: number;
  nodeCpuPer100k: number;
  stored: number;
  spooled?: number;
}

/** Runs `body` and reports throughput and the CPU both processes spent on it. */
async function measured(influx: RunningInfluxd, samples: number, body: () => Promise<void>): Promise<Omit<Run, 'stored'>> {
  const c0 = cpuMs(influx.pid);
  const n0 = process.cpuUsage();
  const start = performance.now();
  await body();
  const sec = (performance.now() - start) / 1000;
  const n = process.cpuUsage(n0);
  const per100k = 100_000 / samples;
  return { perSec: samples / sec, influxdCpuPer100k: (cpuMs(influx.pid) - c0) * per100k, nodeCpuPer100k: ((n.user + n.system) / 1000) * per100k };
}

/** (a) The very bytes the module sends (its encoder, its batch size), prebuilt, POSTed with its concurrency. */
async function ceilingRun(influx: RunningInfluxd, rep: number, batchSize: number, inFlight: number): Promise<Run> {
  const database = `bench_raw_${rep}`;
  const setup = new InfluxHttp({ url: influx.url, database, retentionPolicy: 'raw' });
  await setup.query(`CREATE DATABASE ${database} WITH DURATION 30d REPLICATION 1 NAME "raw"`, { database: false });
  const enc = new LineEncoder(infos);
  const out = new LineBuffer();
  const bodies: Buffer[] = [];
  const t0 = Date.now() - 2 * 86_400_000 + rep * 3_600_000;
  for (let r = 0; r < ROUNDS; r++) {
    for (const s of round(r, t0)) {
      enc.encodeInto(out, s);
      if (out.lines >= batchSize) bodies.push(out.take().body);
    }
  }
  if (out.lines > 0) bodies.push(out.take().body);
  let next = 0;
  const m = await measured(influx, POINTS * ROUNDS, async () => {
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < bodies.length) {
          const res = await setup.write(bodies[next++]);
          if (!res.ok) throw new Error(res.reason);
        }
      }),
    );
  });
  return { ...m, stored: await count(setup) };
}

/** (b) Through the module: the bus delivers 1000-sample batches, as a driver cycle would, as fast as it can. */
async function moduleRun(influx: RunningInfluxd, rep: number, dataDir: string): Promise<Run> {
  const database = `bench_module_${rep}`;
  const settings = historySettingsSchema.parse({ url: influx.url, database, rollups: [] });
  const hub = createTestHub(testConfig(infos, join(dataDir, `b${rep}`)));
  const mod = createHistoryModule({ settings });
  await mod.start!(hub.ctx);
  const t0 = Date.now() - 2 * 86_400_000 + rep * 3_600_000;
  const batches = Array.from({ length: ROUNDS }, (_, r) => round(r, t0));
  const m = await measured(influx, POINTS * ROUNDS, async () => {
    for (let r = 0; r < ROUNDS; r++) {
      hub.publish(batches[r]);
      if (r % 20 === 19) await sleep(0); // let responses in, as a real event loop would
    }
    await mod.store()!.flush();
  });
  const spooled = mod.store()!.status().spooled as number;
  await mod.stop!();
  return { ...m, stored: await count(new InfluxHttp({ url: influx.url, database, retentionPolicy: 'raw' })), spooled };
}

async function trendBench(influx: RunningInfluxd, dataDir: string, out: Record<string, number | string>): Promise<void> {
  const settings = historySettingsSchema.parse({ url: influx.url, database: 'bench_trend' });
  const trendIds = ids.slice(0, 10);
  const hub = createTestHub(testConfig(trendIds.map((id) => pointInfo(id, 'analog')), join(dataDir, 'c')));
  const mod = createHistoryModule({ settings });
  const base = await hub.mount(mod);
  const end = Math.floor(Date.now() / 60_000) * 60_000;
  // 24 h of 10 s data for 10 points, then the roll-ups the CQs would have made.
  for (let t = end - 86_400_000; t < end; t += 10_000) hub.publish(trendIds.map((pointId, i) => ({ pointId, value: Math.sin(t / 3e6 + i), quality: 'good', readTs: t })));
  await mod.store()!.flush();
  await (mod.store() as InfluxStore).backfillRollups(end - 86_400_000, end);
  const url = `${base}/api/history?points=${trendIds.join(',')}&from=${end - 86_400_000}&to=${end}&step=1m`;
  const timeIt = async (u: string, runs = 21) => {
    const times: number[] = [];
    let buckets = 0;
    for (let i = 0; i < runs + 2; i++) {
      const s = performance.now();
      const res = await fetch(u, { headers: { 'x-test-permissions': 'points:read' } });
      const body = (await res.json()) as { series: Array<{ points: unknown[] }> };
      if (i >= 2) times.push(performance.now() - s); // two warm-up requests
      buckets = body.series.reduce((n, x) => n + x.points.length, 0);
    }
    return { median: median(times), p95: percentile(times, 0.95), buckets, runs };
  };
  const rolled = await timeIt(url);
  out[`(c) 24h×10pt @1m via /api/history, median ms (${rolled.runs} warm runs)`] = +rolled.median.toFixed(1);
  out['(c) p95 ms'] = +rolled.p95.toFixed(1);
  out['(c) buckets returned'] = rolled.buckets;
  out['(c) load during (c)'] = load();
  const rawStep = await timeIt(url.replace('step=1m', 'step=30s'), 11);
  out['(c) same at 30s (raw data, 28.8k buckets), median ms'] = +rawStep.median.toFixed(1);
  await hub.close();
  await mod.stop!();
}

async function faultBench(influx: RunningInfluxd, dataDir: string, out: Record<string, number | string>): Promise<void> {
  // 5k samples/s for 6 s; influxd SIGKILLed at 1.5 s, restarted at 4 s.
  const settings = historySettingsSchema.parse({ url: influx.url, database: 'bench_fault', rollups: [] });
  const faultIds = ids.slice(0, 100);
  const hub = createTestHub(testConfig(faultIds.map((id) => pointInfo(id, 'analog')), join(dataDir, 'd')));
  const mod = createHistoryModule({ settings, probeMaxMs: 500 });
  await mod.start!(hub.ctx);
  const t0 = Date.now() - 2 * 86_400_000;
  let published = 0;
  let tick = 0;
  const startD = Date.now();
  const timer = setInterval(() => {
    const ts = t0 + tick++ * 20;
    hub.publish(faultIds.map((pointId, i) => ({ pointId, value: i, quality: 'good', readTs: ts })));
    published += faultIds.length;
  }, 20);
  await sleep(1500);
  const killAt = Date.now();
  await influx.kill();
  await sleep(2500);
  await influx.restart();
  const outageMs = Date.now() - killAt;
  await sleep(6000 - (Date.now() - startD));
  clearInterval(timer);
  const replayStart = Date.now();
  while (mod.store()!.status().spooledBytes > 0 || !mod.store()!.status().connected) await sleep(50);
  await mod.store()!.flush();
  out['(d) outage, ms'] = outageMs;
  out['(d) samples published'] = published;
  out['(d) samples spooled during outage'] = mod.store()!.status().spooled as number;
  out['(d) spool drained after publishing stopped, ms'] = Date.now() - replayStart;
  out['(d) samples stored'] = await count(new InfluxHttp({ url: influx.url, database: 'bench_fault', retentionPolicy: 'raw' }));
  await mod.stop!();
}

export async function benchHistory(): Promise<Record<string, number | string>> {
  const influx = await startInfluxd();
  const dataDir = mkdtempSync(join(os.tmpdir(), 'watchfloor-bench-history-'));
  const out: Record<string, number | string> = {};
  const defaults = historySettingsSchema.parse({});
  try {
    const a: Run[] = [];
    const b: Run[] = [];
    const loads: string[] = [];
    // Warm-up, not counted: the first run against a fresh influxd (and a fresh Node) is markedly slower.
    await ceilingRun(influx, 99, defaults.batchSize, defaults.maxInFlight);
    await influxdQuiet(influx);
    for (let rep = 0; rep < REPS; rep++) {
      // Alternate the order, and let influxd finish snapshotting/compacting one run before the next,
      // so neither side pays for the other's background work.
      const runA = async () => a.push(await ceilingRun(influx, rep, defaults.batchSize, defaults.maxInFlight));
      const runB = async () => b.push(await moduleRun(influx, rep, dataDir));
      for (const run of rep % 2 === 0 ? [runA, runB] : [runB, runA]) {
        await run();
        await influxdQuiet(influx);
      }
      loads.push(load());
    }
    const ceiling = median(a.map((r) => r.perSec));
    const through = median(b.map((r) => r.perSec));
    out[`(a) raw POST ceiling, samples/s (median of ${REPS})`] = Math.round(ceiling);
    out['(a) each run'] = a.map((r) => Math.round(r.perSec)).join(' ');
    out['(a) influxd CPU ms per 100k samples'] = Math.round(median(a.map((r) => r.influxdCpuPer100k)));
    out['(a) stored per run'] = a.map((r) => r.stored).join(' ');
    out[`(b) module path, samples/s (median of ${REPS})`] = Math.round(through);
    out['(b) each run'] = b.map((r) => Math.round(r.perSec)).join(' ');
    out['(b) / (a)'] = +(through / ceiling).toFixed(2);
    out['(b) influxd CPU ms per 100k samples'] = Math.round(median(b.map((r) => r.influxdCpuPer100k)));
    out['(b) hub CPU ms per 100k samples (encode, batch, POST)'] = Math.round(median(b.map((r) => r.nodeCpuPer100k)));
    out['(b) stored per run'] = b.map((r) => r.stored).join(' ');
    out['(b) spilled to spool per run (memory bound, all replayed)'] = b.map((r) => r.spooled).join(' ');
    out['(a)/(b) load after each rep'] = loads.join(' ');
    await trendBench(influx, dataDir, out);
    await faultBench(influx, dataDir, out);
  } finally {
    await influx.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const cpus = os.cpus();
  console.log(`machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const figures = await benchHistory();
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(58)} ${v}`);
  console.log(`load at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  process.exit(0);
}
