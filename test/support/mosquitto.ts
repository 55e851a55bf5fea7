// Runs a private Eclipse Mosquitto (Debian `mosquitto`) on loopback for tests and benchmarks:
// free port, own temp folder, optional TLS with a throwaway CA made by openssl, one password per
// user (mosquitto_passwd) and an ACL. Like the influxd helper (hub/history/influxdProcess.ts):
// the broker can be killed and revived on the same port to test outages.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../hub/history/influxdProcess.js';
import { brokerConfig } from '../../edge/broker-config.js';

export interface MosquittoOptions {
  /** username → password; absent: anonymous access allowed (no ACL). */
  users?: Record<string, string>;
  /** ACL file text (deploy/mosquitto/acl.ts builds one per site). */
  acl?: string;
  /** Serve TLS (mqtts) with a throwaway CA; the CA file is `caFile`. */
  tls?: boolean;
}

export interface Mosquitto {
  port: number;
  /** mqtt:// or mqtts:// URL of the listener. */
  url: string;
  /** PEM of the CA that signed the broker certificate (TLS only). */
  ca?: Buffer;
  dir: string;
  /** The broker's process id (the bench reads its CPU time), or undefined while killed. */
  pid(): number | undefined;
  /** Stops the broker (clients see the connection drop); the port stays reserved for revive(). */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  revive(): Promise<void>;
  stop(): Promise<void>;
}

/** Makes a CA and a server certificate for 127.0.0.1/localhost in `dir` (openssl, a few hundred ms). */
export function makeTestCerts(dir: string): { ca: string; cert: string; key: string } {
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  };
  writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=watchfloor-test-ca']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.cnf']);
  return { ca: join(dir, 'ca.pem'), cert: join(dir, 'server.pem'), key: join(dir, 'server.key') };
}

/** Writes a mosquitto password file with mosquitto_passwd (one line per user, hashed). */
export function writePasswordFile(file: string, users: Record<string, string>): void {
  writeFileSync(file, '');
  for (const [user, password] of Object.entries(users)) {
    const r = spawnSync('mosquitto_passwd', ['-b', file, user, password], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mosquitto_passwd failed for ${user}: ${r.stderr}`);
  }
}

async function waitForPort(port: number, timeoutMs: number, proc: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`mosquitto exited (${proc.exitCode}): ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port} within ${timeoutMs} ms: ${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startMosquitto(opts: MosquittoOptions = {}): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'wf-mosquitto-'));
  const port = await freePort();
  const certs = opts.tls ? makeTestCerts(dir) : undefined;
  let passwordFile: string | undefined;
  if (opts.users) {
    passwordFile = join(dir, 'passwd');
    writePasswordFile(passwordFile, opts.users);
  }
  let aclFile: string | undefined;
  if (opts.acl !== undefined) {
    aclFile = join(dir, 'acl');
    writeFileSync(aclFile, opts.acl);
  }
  const confFile = join(dir, 'mosquitto.conf');
  writeFileSync(confFile, brokerConfig({ port, host: '127.0.0.1', passwordFile, aclFile, tls: certs, user: userInfo().username }));
  let proc: ChildProcess | null = null;
  let stderr = '';
  const launch = async () => {
    stderr = '';
    const p = spawn('mosquitto', ['-c', confFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    p.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    proc = p;
    await waitForPort(port, 10_000, p, () => stderr);
  };
  const halt = async () => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  };
  await launch();
  return {
    port,
    url: `${certs ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    ca: certs ? readFileSync(certs.ca) : undefined,
    dir,
    pid: () => (proc as ChildProcess | null)?.pid,
    kill: halt,
    revive: launch,
    async stop() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
