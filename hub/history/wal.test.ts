// Nothing older than one write-ahead window is lost when the hub is killed with -9 (issue 11, item 13).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInfluxd, type RunningInfluxd } from '../../test/influx/influxd.js';
import { crashRun } from './crashRun.js';
import { DeadLetterFile } from './deadLetter.js';
import type { WriteOutcome } from './influxHttp.js';
import { Spool } from '../../lib/spool.js';
import { WriteAheadLog } from './wal.js';
import { BatchWriter } from './writer.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'watchfloor-wal-'));
  dirs.push(d);
  return d;
};
const silent = { info() {}, warn() {}, error() {}, debug() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let influx: RunningInfluxd;
beforeAll(async () => {
  influx = await startInfluxd();
});
afterAll(async () => {
  await influx?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A writer whose InfluxDB never answers: everything stays in memory (open, queued, in flight). */
function hangingWriter(dir: string, walMs: number) {
  const never = new Promise<WriteOutcome>(() => undefined);
  return new BatchWriter({
    send: () => never,
    ping: async () => true,
    spool: new Spool(dir),
    deadLetter: new DeadLetterFile(join(dir, 'dead.jsonl')),
    log: silent,
    batchSize: 300,
    flushMs: 60_000,
    maxInFlight: 2,
    wal: new WriteAheadLog(dir),
    walMs,
  });
}

describe('write-ahead log of the batches held in memory', () => {
  it('after a crash, every line older than one window is recovered into the spool; the newest window is not', async () => {
    const dir = tempDir();
    const w = hangingWriter(dir, 50);
    const lines = (from: number, n: number) => Array.from({ length: n }, (_, i) => `samples,point=p value=${from + i} ${from + i}`);
    w.add(lines(0, 1000)); // 3 sealed batches (2 in flight, 1 queued) + 100 lines in the open batch
    await sleep(200); // four windows: the open batch's lines are committed (by the timer, or at the latest…
    w.add(lines(1000, 50)); // …by this add, since the window is over)
    w.add(lines(1050, 30)); // inside the newest window: may be lost
    expect(readdirSync(dir).filter((f) => f.startsWith('wal-')).length).toBe(4);
    // "kill -9": the writer is abandoned without stop(); a new process opens the same folder.
    const spool = new Spool(dir);
    const recovered = new WriteAheadLog(dir).recoverInto(spool);
    // Everything handed over more than one window before the last write is back; at most the last
    // window's lines (the 80 of the last two adds, when a busy machine ran the timer late) are not.
    expect(recovered).toBeGreaterThanOrEqual(1000);
    expect(recovered).toBeLessThanOrEqual(1080);
    const chunk = spool.nextChunk(10_000)!;
    expect(chunk.lines.map((l) => Number(l.split(' ').pop())).sort((a, b) => a - b)).toEqual(Array.from({ length: recovered }, (_, i) => i));
    expect(readdirSync(dir).filter((f) => f.startsWith('wal-'))).toEqual([]);
    await w.stop(0); // only to clear the abandoned writer's timers
  });

  it('drops a batch\'s file once InfluxDB has it, and leaves nothing after a clean stop', async () => {
    const dir = tempDir();
    const sent: number[] = [];
    const w = new BatchWriter({
      send: async (body) => {
        sent.push(body.length);
        return { ok: true };
      },
      ping: async () => true,
      spool: new Spool(dir),
      deadLetter: new DeadLetterFile(join(dir, 'dead.jsonl')),
      log: silent,
      batchSize: 100,
      flushMs: 20,
      maxInFlight: 2,
      wal: new WriteAheadLog(dir),
      walMs: 10,
    });
    w.add(Array.from({ length: 250 }, (_, i) => `samples,point=p value=${i} ${i}`));
    await w.flush();
    expect(sent.length).toBe(3);
    expect(readdirSync(dir).filter((f) => f.startsWith('wal-'))).toEqual([]);
    await w.stop();
    expect(readdirSync(dir).filter((f) => f.startsWith('wal-') || f.startsWith('segment-'))).toEqual([]);
  });

  it('a hub process killed with -9 at 5,000 samples/s loses at most what it was given in the last 200 ms window', async () => {
    const r = await crashRun({ influxUrl: influx.url, database: `crash_${process.pid}`, rate: 5000, runMs: 2500, walMs: 200 });
    expect(r.published).toBeGreaterThan(5000);
    expect(r.lost).toBeGreaterThanOrEqual(0);
    // The samples handed over within 200 ms before the last publish (≈ 1000 at 5k/s on an idle machine,
    // more when a loaded machine delays the producer and it catches up in bursts). Without the log the
    // open batch (up to flushMs = 1 s, ≈ 5000) and everything in flight would be gone.
    expect(r.lost).toBeLessThanOrEqual(r.lastWindow);
  }, 60_000);
});
