// Runs a private nginx (Debian `nginx`) in front of hubs on a free loopback port, with its pid, temp
// files and logs in a temp folder (edge/nginx-config.ts renders the config). For the several-hubs tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nginxConfig, type NginxOptions } from '../../edge/nginx-config.js';
import { freePort } from '../../hub/history/influxdProcess.js';

export interface Nginx {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export async function startNginx(o: { hubs: NginxOptions['hubs']; sticky?: NginxOptions['sticky'] }): Promise<Nginx> {
  const prefix = mkdtempSync(join(tmpdir(), 'wf-nginx-'));
  mkdirSync(join(prefix, 'logs'));
  const port = await freePort();
  writeFileSync(join(prefix, 'nginx.conf'), nginxConfig({ listenPort: port, hubs: o.hubs, prefix, sticky: o.sticky }));
  // -e: the error log before the config is read (the default /var/log/nginx is not writable here).
  const proc: ChildProcess = spawn('nginx', ['-c', join(prefix, 'nginx.conf'), '-p', prefix, '-e', join(prefix, 'error.log')], { stdio: 'ignore' });
  const log = () => {
    try {
      return readFileSync(join(prefix, 'error.log'), 'utf8').slice(-2000);
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`nginx exited (${proc.exitCode}): ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}: ${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      // SIGTERM: the master stops its workers (SIGKILL would leave them running).
      if (proc.exitCode === null) await new Promise<void>((resolve) => (proc.once('exit', () => resolve()), proc.kill('SIGTERM')));
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
