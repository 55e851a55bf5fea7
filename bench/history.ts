// History benchmark, in one run against a local influxd:
//  (a) raw line-protocol POST ceiling, (b) samples/s through the history module (bus → batches → influx),
//  (c) a 24 h × 10 points trend at 1-minute steps via GET /api/history, (d) the fault test's numbers.
// `npx tsx bench/history.ts` or `npm run bench -- history`.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Sample } from '../contracts/point.js';
import { InfluxHttp } from '../hub/history/influxHttp.js';
import { InfluxStore } from '../hub/history/influxStore.js';
import { LineEncoder } from '../hub/history/lineProtocol.js';
import { createHistoryModule } from '../hub/history/module.js';
import { historySettingsSchema } from '../hub/history/settings.js';
import { createTestHub, pointInfo, testConfig } from '../hub/history/testHarness.js';
import { startInfluxd } from '../test/influx/influxd.js';

const POINTS = 1000;
const ROUNDS = 400; // 400k samples per throughput run
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ids = Array.from({ length: POINTS }, (_, i) => `hq/a/l${String(1 + (i % 20)).padStart(2, '0')}/room-${i % 50}/env-${i}/temp`);

function round(r: number, t0: number): Sample[] {
  return ids.map((pointId, i) => ({ pointId, value: 20 + ((r * 7 + i) % 100) / 10, quality: 'good', readTs: t0 + r * 1000 }));
}

async function count(http: InfluxHttp): Promise<number> {
  const res = await http.query('SELECT count("quality") FROM "raw"."samples"');
  return (res[0].series?.[0]?.values?.[0]?.[1] as number | undefined) ?? 0;
}

export async function benchHistory(): Promise<Record<string, number | string>> {
  const influx = await startInfluxd();
  const dataDir = mkdtempSync(join(os.tmpdir(), 'watchfloor-bench-history-'));
  const out: Record<string, number | string> = {};
  const t0 = Date.now() - 2 * 86_400_000;
  try {
    // (a) the ceiling: the very lines the module would send, 10k per POST, 4 in flight.
    const settingsA = historySettingsSchema.parse({ url: influx.url, database: 'bench_raw', rollups: [] });
    const setupA = new InfluxStore({ settings: settingsA, url: influx.url, dataDir: join(dataDir, 'a'), points: [], log: console });
    await setupA.start();
    await setupA.stop();
    const enc = new LineEncoder(ids.map((id) => pointInfo(id, 'analog', { unit: '°C' })));
    const bodies: string[] = [];
    let lines: string[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const s of round(r, t0)) lines.push(enc.encode(s));
      if (lines.length >= 10_000) {
        bodies.push(lines.join('\n'));
        lines = [];
      }
    }
    const httpA = new InfluxHttp({ url: influx.url, database: 'bench_raw', retentionPolicy: 'raw' });
    let next = 0;
    const startA = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < bodies.length) {
          const res = await httpA.write(bodies[next++]);
          if (!res.ok) throw new Error(res.reason);
        }
      }),
    );
    const secA = (performance.now() - startA) / 1000;
    const ceiling = (POINTS * ROUNDS) / secA;
    out['(a) raw POST ceiling, samples/s'] = Math.round(ceiling);
    out['(a) stored'] = await count(httpA);

    // (b) through the module: the bus delivers 1000-sample batches, as a driver cycle would.
    const settingsB = historySettingsSchema.parse({ url: influx.url, database: 'bench_module', rollups: [] });
    const hubB = createTestHub(testConfig(ids.map((id) => pointInfo(id, 'analog', { unit: '°C' })), join(dataDir, 'b')));
    const modB = createHistoryModule({ settings: settingsB });
    await modB.start!(hubB.ctx);
    const batches = Array.from({ length: ROUNDS }, (_, r) => round(r, t0));
    const startB = performance.now();
    for (let r = 0; r < ROUNDS; r++) {
      hubB.publish(batches[r]);
      if (r % 20 === 19) await sleep(0); // let responses in, as a real event loop would
    }
    await modB.store()!.flush();
    const secB = (performance.now() - startB) / 1000;
    const through = (POINTS * ROUNDS) / secB;
    out['(b) module path, samples/s'] = Math.round(through);
    out['(b) / (a)'] = +(through / ceiling).toFixed(2);
    out['(b) stored'] = await count(new InfluxHttp({ url: influx.url, database: 'bench_module', retentionPolicy: 'raw' }));
    out['(b) spilled to spool (backpressure, all replayed)'] = modB.store()!.status().spooled as number;
    await modB.stop!();

    // (c) 24 h of 10 s data for 10 points, then the trend the console asks for.
    const settingsC = historySettingsSchema.parse({ url: influx.url, database: 'bench_trend' });
    const trendIds = ids.slice(0, 10);
    const hubC = createTestHub(testConfig(trendIds.map((id) => pointInfo(id, 'analog')), join(dataDir, 'c')));
    const modC = createHistoryModule({ settings: settingsC });
    const base = await hubC.mount(modC);
    const end = Math.floor(Date.now() / 60_000) * 60_000;
    for (let t = end - 86_400_000; t < end; t += 10_000) hubC.publish(trendIds.map((pointId, i) => ({ pointId, value: Math.sin(t / 3e6 + i), quality: 'good', readTs: t })));
    await modC.store()!.flush();
    await (modC.store() as InfluxStore).backfillRollups(end - 86_400_000, end);
    const url = `${base}/api/history?points=${trendIds.join(',')}&from=${end - 86_400_000}&to=${end}&step=1m`;
    const timeIt = async (u: string) => {
      const times: number[] = [];
      let buckets = 0;
      for (let i = 0; i < 11; i++) {
        const s = performance.now();
        const res = await fetch(u, { headers: { 'x-test-permissions': 'points:read' } });
        const body = (await res.json()) as { series: Array<{ points: unknown[] }> };
        times.push(performance.now() - s);
        buckets = body.series.reduce((n, x) => n + x.points.length, 0);
      }
      times.sort((a, b) => a - b);
      return { median: times[5], max: times[10], buckets };
    };
    const rolled = await timeIt(url);
    out['(c) 24h×10pt @1m (roll-up), median ms'] = +rolled.median.toFixed(1);
    out['(c) roll-up, worst of 11, ms'] = +rolled.max.toFixed(1);
    out['(c) buckets returned'] = rolled.buckets;
    const rawStep = await timeIt(url.replace('step=1m', 'step=30s'));
    out['(c) same at 30s (raw data), median ms'] = +rawStep.median.toFixed(1);
    await hubC.close();
    await modC.stop!();

    // (d) fault: 5k samples/s for 6 s; influxd SIGKILLed at 1.5 s, restarted at 4 s.
    const settingsD = historySettingsSchema.parse({ url: influx.url, database: 'bench_fault', rollups: [] });
    const faultIds = ids.slice(0, 100);
    const hubD = createTestHub(testConfig(faultIds.map((id) => pointInfo(id, 'analog')), join(dataDir, 'd')));
    const modD = createHistoryModule({ settings: settingsD, probeMaxMs: 500 });
    await modD.start!(hubD.ctx);
    let published = 0;
    let tick = 0;
    const startD = Date.now();
    const timer = setInterval(() => {
      const ts = t0 + tick++ * 20;
      hubD.publish(faultIds.map((pointId, i) => ({ pointId, value: i, quality: 'good', readTs: ts })));
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
    while (modD.store()!.status().spooledBytes > 0 || !modD.store()!.status().connected) await sleep(50);
    await modD.store()!.flush();
    out['(d) outage, ms'] = outageMs;
    out['(d) samples published'] = published;
    out['(d) samples spooled during outage'] = modD.store()!.status().spooled as number;
    out['(d) spool drained after publishing stopped, ms'] = Date.now() - replayStart;
    out['(d) samples stored'] = await count(new InfluxHttp({ url: influx.url, database: 'bench_fault', retentionPolicy: 'raw' }));
    await modD.stop!();
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
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(44)} ${v}`);
  process.exit(0);
}
