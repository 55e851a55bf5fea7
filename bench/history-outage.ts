// `npm run bench -- history-outage`: 5,000 samples/s through the history module while influxd is killed
// for 60 s (HISTORY_OUTAGE_S) and restarted; every produced sample must be stored (exact counts), and the
// roll-ups must be current again afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { Sample } from '../contracts/point.js';
import { InfluxHttp } from '../hub/history/influxHttp.js';
import type { InfluxStore } from '../hub/history/influxStore.js';
import { createHistoryModule } from '../hub/history/module.js';
import { historySettingsSchema } from '../hub/history/settings.js';
import { createTestHub, pointInfo, testConfig } from '../hub/history/testHarness.js';
import { startInfluxd } from '../test/influx/influxd.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

export async function benchHistoryOutage(): Promise<Record<string, number | string>> {
  const outageMs = Number(process.env.HISTORY_OUTAGE_S ?? 60) * 1000;
  const influx = await startInfluxd();
  const dataDir = mkdtempSync(join(os.tmpdir(), 'watchfloor-bench-outage-'));
  const out: Record<string, number | string> = { 'load at start': load() };
  try {
    const ids = Array.from({ length: 100 }, (_, i) => `hq/a/l0${1 + (i % 5)}/room-${i}/meter-${i}/kw`);
    const settings = historySettingsSchema.parse({ url: influx.url, database: 'bench_outage' });
    const hub = createTestHub(testConfig(ids.map((id) => pointInfo(id, 'analog')), dataDir));
    const mod = createHistoryModule({ settings, probeMaxMs: 1000 });
    await mod.start!(hub.ctx);
    // Live timestamps (now), so the roll-ups the hub computes cover them.
    let produced = 0;
    let tick = 0;
    const start = Date.now();
    const timer = setInterval(() => {
      const due = Math.floor((Date.now() - start) / 20);
      for (; tick <= due; tick++) {
        const ts = start + tick * 20;
        const batch: Sample[] = ids.map((pointId, i) => ({ pointId, value: (tick % 1000) + i / 4, quality: 'good', readTs: ts }));
        hub.publish(batch);
        produced += batch.length;
      }
    }, 20);
    await sleep(5000);
    await influx.kill();
    const killedAt = Date.now();
    await sleep(outageMs);
    await influx.restart();
    out['outage, ms'] = Date.now() - killedAt;
    await sleep(10_000);
    clearInterval(timer);
    const stopAt = Date.now();
    while (mod.store()!.status().spooledBytes > 0 || !mod.store()!.status().connected) await sleep(50);
    await mod.store()!.flush();
    out['spool drained after publishing stopped, ms'] = Date.now() - stopAt;
    const st = mod.store()!.status();
    out['samples produced'] = produced;
    out['samples spooled during the outage'] = st.spooled as number;
    const http = new InfluxHttp({ url: influx.url, database: 'bench_outage', retentionPolicy: 'raw' });
    const res = await http.query('SELECT count("value") FROM "raw"."samples"');
    const stored = (res[0].series?.[0]?.values?.[0]?.[1] as number | undefined) ?? 0;
    out['samples stored'] = stored;
    out['lost'] = produced - stored;
    const t0 = Date.now();
    await (mod.store() as InfluxStore).rollups?.idle();
    out['roll-ups recomputed for the replayed range, ms'] = Date.now() - t0;
    await mod.stop!();
    out['load at the end'] = load();
  } finally {
    await influx.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}
