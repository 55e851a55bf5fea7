// `npm run bench -- history-crash`: the hub's history path killed with -9 at 5,000 samples/s, counted
// exactly (hub/history/crashRun.ts): with the write-ahead log (200 ms window) and, for comparison, without.
import os from 'node:os';
import { crashRun } from '../hub/history/crashRun.js';
import { startInfluxd } from '../test/influx/influxd.js';

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

export async function benchHistoryCrash(): Promise<Record<string, number | string>> {
  const influx = await startInfluxd();
  const out: Record<string, number | string> = {};
  try {
    const runs = Number(process.env.CRASH_BENCH_REPS ?? 3);
    for (let i = 0; i < runs; i++) {
      const r = await crashRun({ influxUrl: influx.url, database: `crash_wal_${i}`, rate: 5000, runMs: 4000 + i * 700, walMs: 200 });
      out[`WAL 200 ms, run ${i + 1}: published / in InfluxDB at kill / recovered / stored after restart`] = `${r.published} / ${r.storedAtKill} / ${r.recovered} / ${r.storedAfterRestart}`;
      out[`WAL 200 ms, run ${i + 1}: lost (samples, ms at 5k/s); bound = handed over in the last 200 ms`] = `${r.lost} (${r.lostMs.toFixed(0)} ms); bound ${r.lastWindow}`;
    }
    const r = await crashRun({ influxUrl: influx.url, database: 'crash_nowal', rate: 5000, runMs: 4350, walMs: 0 });
    out['no WAL (walMs: 0): published / stored after restart'] = `${r.published} / ${r.storedAfterRestart}`;
    out['no WAL: lost (samples, ms at 5k/s)'] = `${r.lost} (${r.lostMs.toFixed(0)} ms)`;
    out['load at the end'] = load();
  } finally {
    await influx.stop();
  }
  return out;
}
