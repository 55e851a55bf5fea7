// A child process for the kill -9 test and benchmark: the history module writing `rate` samples/s to
// InfluxDB until it is killed. Each tick's samples have timestamp t0 + tick × 20 ms; after publishing a
// tick it prints `published <count> <lastTs> <wall clock ms>` so the parent knows exactly what was
// handed over, and when.
//   tsx hub/history/crashChild.ts <influx url> <database> <dataDir> <t0> <rate> <walMs>
import type { Sample } from '../../contracts/point.js';
import { createHistoryModule } from './module.js';
import { historySettingsSchema } from './settings.js';
import { createTestHub, pointInfo, testConfig } from './testHarness.js';

const [url, database, dataDir, t0Text, rateText, walText] = process.argv.slice(2);
const t0 = Number(t0Text);
const perTick = Math.round(Number(rateText) / 50); // a tick every 20 ms
const ids = Array.from({ length: perTick }, (_, i) => `hq/a/l0${1 + (i % 5)}/room-${i}/meter-${i}/kw`);
const settings = historySettingsSchema.parse({ url, database, rollups: [], walMs: Number(walText) });
const hub = createTestHub(testConfig(ids.map((id) => pointInfo(id, 'analog')), dataDir));
const mod = createHistoryModule({ settings, probeMaxMs: 200 });
await mod.start!(hub.ctx);
let tick = 0;
let published = 0;
process.stdout.write('ready\n');
const start = Date.now();
setInterval(() => {
  // Catch up if the timer ran late, so the rate holds on a busy machine.
  const due = Math.floor((Date.now() - start) / 20);
  while (tick <= due) {
    const ts = t0 + tick * 20;
    const batch: Sample[] = ids.map((pointId, i) => ({ pointId, value: tick + i / 1000, quality: 'good', readTs: ts }));
    hub.publish(batch);
    published += batch.length;
    tick++;
    process.stdout.write(`published ${published} ${ts} ${Date.now()}\n`);
  }
}, 20);
