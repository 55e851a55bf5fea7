// Test helper: a real influxd 1.x on free loopback ports with a temporary data dir.
// Throws when influxd is missing: tests that need it must fail loudly, never skip.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfluxdProcess } from '../../hub/history/influxdProcess.js';

export interface StartInfluxdOptions {
  /** Reuse a data dir (e.g. to test persistence); default a fresh temp dir removed on stop(). */
  dataDir?: string;
  binary?: string;
}

export interface RunningInfluxd {
  url: string;
  port: number;
  dataDir: string;
  /** The influxd process id while it runs (benchmarks read its CPU time from /proc). */
  readonly pid: number | undefined;
  /** SIGTERM, wait, and remove the temp data dir (when we created it). */
  stop(): Promise<void>;
  /** SIGKILL (a crash); the data dir stays so restart() can bring it back. */
  kill(): Promise<void>;
  /** Start again on the same ports with the same data. */
  restart(): Promise<void>;
}

export async function startInfluxd(opts: StartInfluxdOptions = {}): Promise<RunningInfluxd> {
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'watchfloor-influxd-'));
  const proc = new InfluxdProcess({ dataDir, binary: opts.binary ?? 'influxd', port: 0 });
  await proc.start();
  return {
    url: proc.url,
    port: proc.port,
    dataDir,
    get pid() {
      return proc.pid;
    },
    async stop() {
      await proc.stop();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
    kill: () => proc.kill(),
    async restart() {
      if (proc.running) await proc.stop();
      await proc.start();
    },
  };
}
