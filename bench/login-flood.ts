// `npm run bench -- login-flood`: 50 wrong sign-ins per second from one address (127.0.0.1),
// spraying usernames, against a hub in its own process; meanwhile a user on another address
// (127.0.0.2, also loopback) signs in with the right password every 2 s.
// Targets (issue 11): hub CPU ≤ 25 % of one core, every legitimate sign-in within 1 s.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RATE = 50;
const SECONDS = 20;

/** CPU ms (user + system) of a process, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function login(url: string, localAddress: string, username: string, password: string): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  const body = JSON.stringify({ username, password });
  return new Promise((resolve) => {
    const u = new URL('/api/auth/login', url);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', localAddress, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
    });
    req.on('error', () => resolve({ status: 0, ms: performance.now() - t0 }));
    req.end(body);
  });
}

export async function benchLoginFlood(): Promise<Record<string, number | string>> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/login-flood-hub.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const { url, dataDir } = await new Promise<{ url: string; dataDir: string }>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line));
      });
      child.once('exit', (code) => reject(new Error(`hub child exited with ${code}`)));
    });
    await new Promise((r) => setTimeout(r, 1000)); // let start-up CPU settle
    const statuses: Record<string, number> = {};
    const legit: number[] = [];
    const legitFailures: number[] = [];
    const pending: Promise<unknown>[] = [];
    const cpu0 = cpuMs(child.pid!);
    const t0 = performance.now();
    let sent = 0;
    const names = ['admin', 'guard', 'operator', ...Array.from({ length: 40 }, (_, i) => `user${i}`)];
    while (performance.now() - t0 < SECONDS * 1000) {
      // Paced by the clock, not by answers: an attacker does not wait.
      const due = Math.floor(((performance.now() - t0) / 1000) * RATE);
      while (sent < due) {
        const name = names[sent % names.length];
        pending.push(login(url, '127.0.0.1', name, `guess-${sent}`).then((r) => (statuses[r.status] = (statuses[r.status] ?? 0) + 1)));
        sent++;
      }
      const second = Math.floor((performance.now() - t0) / 1000);
      if (second % 2 === 1 && legit.length + legitFailures.length < Math.ceil(second / 2)) {
        legit.push(-1);
        const i = legit.length - 1;
        pending.push(login(url, '127.0.0.2', 'guard', 'guard real passphrase').then((r) => {
          if (r.status === 200) legit[i] = r.ms;
          else {
            legit.splice(i, 1, Number.NaN);
            legitFailures.push(r.status);
          }
        }));
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(pending);
    const wallMs = performance.now() - t0;
    const cpu = ((cpuMs(child.pid!) - cpu0) / wallMs) * 100;
    const ok = legit.filter((x) => Number.isFinite(x) && x >= 0);
    rmSync(dataDir, { recursive: true, force: true });
    return {
      floodAttempts: sent,
      floodRatePerS: sent / (wallMs / 1000),
      floodStatuses: JSON.stringify(statuses),
      hubCpuPercentOfOneCore: cpu,
      legitSignIns: ok.length,
      legitFailed: legitFailures.length ? legitFailures.join(',') : 0,
      legitMaxMs: ok.length ? Math.max(...ok) : Number.NaN,
      legitMedianMs: ok.length ? ok.sort((a, b) => a - b)[Math.floor(ok.length / 2)] : Number.NaN,
      verdict: cpu <= 25 && legitFailures.length === 0 && ok.length > 0 && Math.max(...ok) <= 1000 ? 'PASS (CPU ≤ 25 %, sign-in ≤ 1 s)' : 'FAIL',
    };
  } finally {
    child.kill('SIGTERM');
  }
}
