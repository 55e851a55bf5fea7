// Child of bench/memory.ts: one hub with N synthetic configured points (ingest, state, live, history
// to an InfluxDB sink that stores nothing), every point fed a value every 5 s; after the steady period
// it collects garbage and prints its memory as one JSON line. Runs with --expose-gc.
import http from 'node:http';
import type net from 'node:net';
import { rmSync } from 'node:fs';
import type { Sample } from '../contracts/point.js';
import { createHistoryModule } from '../hub/history/module.js';
import { historySettingsSchema } from '../hub/history/settings.js';
import { silentLogger } from '../hub/log.js';
import { createHub } from '../hub/server.js';
import { ScriptedDriver, testSiteConfig } from '../hub/test-support.js';

const points = Number(process.argv[2]);
const steadyMs = Number(process.argv[3]);
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

const sink = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(req.url?.startsWith('/query') ? 200 : 204, { 'content-type': 'application/json' });
    res.end(req.url?.startsWith('/query') ? '{"results":[{"statement_id":0}]}' : undefined);
  });
});
await new Promise<void>((ok) => sink.listen(0, '127.0.0.1', ok));
const sinkUrl = `http://127.0.0.1:${(sink.address() as net.AddressInfo).port}`;

const t0 = performance.now();
const perFloor = Math.min(points, 1000);
const config = testSiteConfig({ floors: Math.max(1, Math.ceil(points / perFloor)), pointsPerFloor: points === 0 ? 0 : perFloor, intervalMs: 60_000 });
config.points = config.points.slice(0, points);
config.hub.history = historySettingsSchema.parse({ url: sinkUrl, manageSchema: false });
const driver = new ScriptedDriver();
const hub = await createHub(config, { drivers: [driver], modules: [createHistoryModule()], log: silentLogger(), listen: { port: 0 } });
const startMs = performance.now() - t0;
const ids = config.points.map((p) => p.info.id);
let v = 0;
const feed = async () => {
  for (let i = 0; i < ids.length; i += 1000) {
    const now = Date.now();
    const batch: Sample[] = [];
    for (let k = i; k < Math.min(ids.length, i + 1000); k++) batch.push({ pointId: ids[k], value: (v++ % 9973) / 10, quality: 'good', readTs: now });
    driver.publish(batch);
    await sleep(0);
  }
};
const end = Date.now() + steadyMs;
while (Date.now() < end) {
  const f0 = Date.now();
  await feed();
  await sleep(Math.max(0, 5000 - (Date.now() - f0)));
}
global.gc?.();
await sleep(200);
global.gc?.();
const m = process.memoryUsage();
process.stdout.write(JSON.stringify({ points, startMs, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers }) + '\n');
await hub.stop();
sink.close();
rmSync(config.hub.dataDir, { recursive: true, force: true });
process.exit(0);
