// Runs a private redis-server (Debian `redis-server`) on a free loopback port with a temp folder,
// no persistence. For the several-hubs tests and benchmarks (leases, Socket.IO adapter).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../hub/history/influxdProcess.js';

export interface RedisServer {
  port: number;
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'wf-redis-'));
  const port = await freePort();
  let log = '';
  const proc: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-2000)));
  proc.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-2000)));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited (${proc.exitCode}): ${log}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port}: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: proc.pid,
    async stop() {
      if (proc.exitCode === null) await new Promise<void>((resolve) => (proc.once('exit', () => resolve()), proc.kill('SIGKILL')));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
