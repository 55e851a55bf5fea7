// Runs a private influxd (1.x) on loopback: generated config, own data dir, free ports, /ping wait.
// Used by the module's local-influxd backend and by test/influx/influxd.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { lowerPriority } from '../../lib/priority.js';
import { delimiter, join } from 'node:path';

export interface InfluxdProcessOptions {
  /** Folder holding meta/, data/, wal/ and the generated influxd.conf. */
  dataDir: string;
  /** HTTP port; 0 or taken → a free one. */
  port?: number;
  binary?: string;
  /** CPU niceness (0–19) set once it answers its first ping; default 0 (settings.ts localInfluxd.nice). */
  nice?: number;
  startTimeoutMs?: number;
  /** Last lines of influxd's stderr are kept for error messages. */
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

/** A free loopback TCP port (the OS picks it; tiny race with other binders, acceptable on loopback). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Absolute path of an executable on PATH (or the path itself when it contains a slash), else null. */
export function findExecutable(name: string): string | null {
  if (name.includes('/')) return existsSync(name) ? name : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/**
 * The config of a private influxd. Tuning measured with bench/history.ts on 2 cores (docs/history.md,
 * "Performance"): request, query and CQ logging off (each costs CPU per request); `_internal`
 * monitoring off; the inmem index (tsi1 cost ~20 % more CPU per write at a hub's cardinality);
 * `wal-fsync-delay = 0s` kept (every acknowledged write is fsynced: a delay bought nothing measurable
 * with 2 large POSTs in flight and would lose acknowledged samples on a power cut).
 */
export function influxdConfig(dataDir: string, httpPort: number, rpcPort: number): string {
  return [
    // Debian's 1.6 spells it reporting-enabled; upstream 1.x reporting-disabled. Both: never phone home.
    'reporting-enabled = false',
    'reporting-disabled = true',
    `bind-address = "127.0.0.1:${rpcPort}"`,
    '[meta]',
    `  dir = ${JSON.stringify(join(dataDir, 'meta'))}`,
    '  logging-enabled = false',
    '[data]',
    `  dir = ${JSON.stringify(join(dataDir, 'data'))}`,
    `  wal-dir = ${JSON.stringify(join(dataDir, 'wal'))}`,
    '  query-log-enabled = false',
    '  index-version = "inmem"',
    '  wal-fsync-delay = "0s"',
    '[monitor]',
    '  store-enabled = false',
    '[http]',
    `  bind-address = "127.0.0.1:${httpPort}"`,
    '  log-enabled = false',
    '[continuous_queries]',
    '  log-enabled = false',
    '',
  ].join('\n');
}

export async function waitForPing(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`influxd exited with code ${child.exitCode} before answering /ping`);
    try {
      const res = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 204 || res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`influxd at ${url} did not answer /ping within ${timeoutMs} ms (${last})`);
}

export class InfluxdProcess {
  private child: ChildProcess | null = null;
  private stderrTail: string[] = [];
  port = 0;
  rpcPort = 0;
  readonly binary: string;

  constructor(private readonly opts: InfluxdProcessOptions) {
    const found = findExecutable(opts.binary ?? 'influxd');
    if (!found) throw new Error(`influxd not found (looked for "${opts.binary ?? 'influxd'}" on PATH)`);
    this.binary = found;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  private get pidFile(): string {
    return join(this.opts.dataDir, 'influxd.pid');
  }

  async start(): Promise<void> {
    if (this.running) return;
    mkdirSync(this.opts.dataDir, { recursive: true });
    this.reapOrphan();
    if (!this.port) {
      const wanted = this.opts.port ?? 0;
      this.port = wanted && (await portIsFree(wanted)) ? wanted : await freePort();
      this.rpcPort = await freePort();
    }
    const confPath = join(this.opts.dataDir, 'influxd.conf');
    writeFileSync(confPath, influxdConfig(this.opts.dataDir, this.port, this.rpcPort));
    const child = spawn(this.binary, ['-config', confPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    this.stderrTail = [];
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail.push(...chunk.split('\n').filter(Boolean));
      if (this.stderrTail.length > 20) this.stderrTail.splice(0, this.stderrTail.length - 20);
    });
    child.once('exit', (code, signal) => this.opts.onExit?.(code, signal));
    if (child.pid) writeFileSync(this.pidFile, `${child.pid}\n${confPath}\n`);
    try {
      await waitForPing(this.url, this.opts.startTimeoutMs ?? 20_000, child);
      // Lowered once it answers: its start is on the hub's critical path (the history module waits
      // for it); its writes afterwards are not.
      lowerPriority(child, this.opts.nice);
    } catch (err) {
      await this.kill();
      throw new Error(`${(err as Error).message}; stderr: ${this.stderrTail.slice(-5).join(' | ')}`);
    }
  }

  /** Graceful stop (SIGTERM, SIGKILL after 10 s). */
  async stop(): Promise<void> {
    await this.signal('SIGTERM', 10_000);
  }

  /** Hard kill, as a crash would. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL', 5_000);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private async signal(sig: NodeJS.Signals, graceMs: number): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill(sig);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    this.child = null;
    rmSync(this.pidFile, { force: true });
  }

  /**
   * A hub killed with -9 leaves its influxd running and holding the data dir. Only a process whose
   * command line names this very config file is ours to end.
   */
  private reapOrphan(): void {
    if (!existsSync(this.pidFile)) return;
    const [pidText, confPath] = readFileSync(this.pidFile, 'utf8').split('\n');
    const pid = Number(pidText);
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes('influxd') && confPath && cmdline.includes(confPath)) process.kill(pid, 'SIGKILL');
    } catch {
      // not running any more
    }
    rmSync(this.pidFile, { force: true });
  }
}
