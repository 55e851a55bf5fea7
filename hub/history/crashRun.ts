// Kills a child process running the history module with -9 mid-stream and counts exactly what was lost
// (shared by hub/history/wal.test.ts and bench/history-crash.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InfluxHttp } from './influxHttp.js';
import { createHistoryModule } from './module.js';
import { historySettingsSchema } from './settings.js';
import { createTestHub, pointInfo, testConfig } from './testHarness.js';

export interface CrashRunOptions {
  influxUrl: string;
  database: string;
  /** Samples per second the child publishes. */
  rate: number;
  /** How long it publishes before the kill. */
  runMs: number;
  /** Write-ahead window (0: none). */
  walMs: number;
}

export interface CrashRunResult {
  /** Samples the child had handed to the module when it was killed (exact: it reports each tick). */
  published: number;
  /** Of those, in InfluxDB right after the kill. */
  storedAtKill: number;
  /** Recovered from the write-ahead log by the restarted module. */
  recovered: number;
  /** Of those published, in InfluxDB after the restart replayed its spool. */
  storedAfterRestart: number;
  lost: number;
  /** The loss in ms of publishing at `rate`. */
  lostMs: number;
  /**
   * Samples handed to the module within one write-ahead window (`walMs`) before its last publish: the
   * most a kill may lose. On a loaded machine the producer runs late and publishes in bursts, so this
   * can exceed rate × window; it is the bound in terms of what the module was given, and when.
   */
  lastWindow: number;
}

const REPO = resolve(import.meta.dirname, '../..');

export async function crashRun(o: CrashRunOptions): Promise<CrashRunResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'watchfloor-crash-'));
  const perTick = Math.round(o.rate / 50);
  const t0 = Math.floor(Date.now() / 1000) * 1000 - 86_400_000;
  const http = new InfluxHttp({ url: o.influxUrl, database: o.database, retentionPolicy: 'raw' });
  try {
    // The schema first, so the counts below never depend on whether the child got to create it before
    // the kill (on a loaded machine its first /ping may time out and it starts by spooling).
    await http.query(`CREATE DATABASE "${o.database}"`, { database: false });
    await http.query(`CREATE RETENTION POLICY "raw" ON "${o.database}" DURATION 30d REPLICATION 1 DEFAULT`, { database: false }).catch(() => undefined);
    // node itself (not the tsx launcher, which would survive the kill as the parent of the real process)
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'hub/history/crashChild.ts'), o.influxUrl, o.database, dataDir, String(t0), String(o.rate), String(o.walMs)], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    let published = 0;
    let lastTs = 0;
    const history: Array<[number, number]> = []; // [wall clock ms, published so far]
    let buf = '';
    let ready!: () => void;
    const readyP = new Promise<void>((r) => (ready = r));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === 'ready') ready();
        const m = /^published (\d+) (\d+) (\d+)$/.exec(line);
        if (m) {
          published = Number(m[1]);
          lastTs = Number(m[2]);
          history.push([Number(m[3]), published]);
        }
      }
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    await Promise.race([readyP, exited.then(() => Promise.reject(new Error('crash child exited before it was ready')))]);
    await new Promise((r) => setTimeout(r, o.runMs));
    child.kill('SIGKILL');
    await exited;
    // Lines still in the pipe when the child died were written before it died: count them too.
    await new Promise((r) => setImmediate(r));
    const count = async () => {
      const res = await http.query(`SELECT count("value") FROM "raw"."samples" WHERE time <= ${lastTs}ms`);
      return (res[0].series?.[0]?.values?.[0]?.[1] as number | undefined) ?? 0;
    };
    const storedAtKill = await count();
    // Restart in the same data folder (a fresh module, as systemd would restart the hub).
    const ids = Array.from({ length: perTick }, (_, i) => `hq/a/l0${1 + (i % 5)}/room-${i}/meter-${i}/kw`);
    const hub = createTestHub(testConfig(ids.map((id) => pointInfo(id, 'analog')), dataDir));
    const mod = createHistoryModule({ settings: historySettingsSchema.parse({ url: o.influxUrl, database: o.database, rollups: [], walMs: o.walMs }), probeMaxMs: 200 });
    await mod.start!(hub.ctx);
    const deadline = Date.now() + 30_000;
    while (mod.store()!.status().spooledBytes > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await mod.store()!.flush();
    const recovered = (mod.store()!.status() as { recovered?: number }).recovered ?? 0;
    await mod.stop!();
    const storedAfterRestart = await count();
    const lost = published - storedAfterRestart;
    const lastWall = history.at(-1)?.[0] ?? 0;
    const before = history.filter(([wall]) => wall < lastWall - o.walMs).at(-1)?.[1] ?? 0;
    return { published, storedAtKill, recovered, storedAfterRestart, lost, lostMs: (lost / o.rate) * 1000, lastWindow: published - before };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
